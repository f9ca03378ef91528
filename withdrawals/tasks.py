"""Celery tasks for withdrawals: thin wrappers around services."""

from uuid import UUID

from celery import Task, shared_task

from withdrawals import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None, ignore_result=True)
def process_withdrawal(self: Task, request_id: int, token: str) -> None:
    """Process one withdrawal attempt; a retry due soon is sent as a Celery retry
    with its countdown (SCHEDULER_RETRY_DELAY_SECS doubling, full jitter)."""
    delay = services.process_withdrawal(request_id=request_id, token=UUID(token))
    if delay is not None:
        raise self.retry(countdown=delay)


@shared_task(ignore_result=True, acks_late=False)
def sweep_withdrawals() -> int:
    """Periodic (celery-beat): send withdrawals due within the lookahead, settle lost ones."""
    return services.sweep_withdrawals()
