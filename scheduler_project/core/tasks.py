"""Celery tasks shared by every app: thin wrappers around services."""

from django.utils import timezone

from scheduler_project.core import services
from scheduler_project.core.worker import periodic_task


@periodic_task("clean_up_workers")
def clean_up_workers() -> int:
    """Periodic (celery-beat): forget workers unseen for WORKER_ROW_RETENTION_SECS."""
    return services.forget_stale_workers(now=timezone.now())


@periodic_task("clean_up_rate_counts")
def clean_up_rate_counts() -> int:
    """Periodic (celery-beat): remove the database's rate counts that count no more."""
    return services.forget_old_rate_counts(now=timezone.now())
