from django.apps import AppConfig


class TimersConfig(AppConfig):
    name = "timers"

    def ready(self) -> None:
        from scheduler_project.core import scheduling
        from scheduler_project.core.signals import signing_secret_rotated
        from timers import signals
        from timers.services.chains import take_back_polls

        signing_secret_rotated.connect(signals.forget_signing_secrets, dispatch_uid="timers.forget_secrets")
        scheduling.on_take_back("ChainEndpoint", take_back_polls)
