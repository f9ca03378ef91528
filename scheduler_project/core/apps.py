from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "scheduler_project.core"
    label = "core"
    verbose_name = "Tenants and API keys"
