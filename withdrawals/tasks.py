"""Celery tasks for withdrawals: thin wrappers around services."""

from uuid import UUID

from celery import shared_task

from scheduler_project.core import scheduling
from scheduler_project.core.database import CONNECTION_ERRORS
from scheduler_project.core.worker import ScheduledTask
from withdrawals import services


@shared_task(
    base=ScheduledTask,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
    ignore_result=True,
    # The database was unreachable: try again shortly (the claim makes that harmless).
    autoretry_for=CONNECTION_ERRORS,
    retry_backoff=1,
    retry_backoff_max=5,
    scheduled_model="withdrawals.ScheduledRequest",
)
def process_withdrawal(self: ScheduledTask, request_id: int, token: str) -> None:
    """Process one withdrawal attempt; a retry due soon is sent as a Celery retry
    with its countdown (SCHEDULER_RETRY_DELAY_SECS doubling, full jitter)."""
    delay = services.process_withdrawal(request_id=request_id, token=UUID(token))
    if delay is not None:
        scheduling.retry_task(self, pk=request_id, delay=delay)


@shared_task(ignore_result=True, acks_late=False)
def sweep_withdrawals() -> int:
    """Periodic (celery-beat): send withdrawals due within the lookahead, settle lost ones."""
    return services.sweep_withdrawals()
