from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "scheduler_project.core"
    label = "core"
    verbose_name = "Tenants and API keys"

    def ready(self) -> None:
        # A worker's heartbeat starts when the worker is ready (Celery signals).
        from scheduler_project.core import cors, heartbeat  # noqa: F401
