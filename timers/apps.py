from django.apps import AppConfig


class TimersConfig(AppConfig):
    name = "timers"

    def ready(self) -> None:
        from scheduler_project.core.signals import signing_secret_rotated
        from timers import signals

        signing_secret_rotated.connect(signals.forget_signing_secrets, dispatch_uid="timers.forget_secrets")
