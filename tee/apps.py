from django.apps import AppConfig


class TeeConfig(AppConfig):
    name = "tee"
