from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "scheduler_project.core"
    label = "core"
    # The app's own pages and breadcrumbs; the admin's index groups its tables by task
    # (scheduler_project/ops/admin_site.py).
    verbose_name = "Tenants, keys and workers"

    def ready(self) -> None:
        # A worker's heartbeat starts when the worker is ready (Celery signals).
        from scheduler_project.core import cors, heartbeat  # noqa: F401
