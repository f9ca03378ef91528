"""Celery tasks for timers: thin wrappers around services."""

from uuid import UUID

from celery import Task, shared_task

from timers import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None, ignore_result=True)
def deliver_timer(self: Task, timer_id: str, token: str) -> None:
    """Deliver one timer attempt; a retry due soon is sent as a Celery retry with
    its countdown (backoff with full jitter, or the target's Retry-After)."""
    delay = services.deliver_timer(timer_id=UUID(timer_id), token=UUID(token))
    if delay is not None:
        raise self.retry(countdown=delay)


@shared_task(ignore_result=True, acks_late=False)
def sweep_timers() -> int:
    """Periodic (celery-beat): send timers due within the lookahead, reap lost ones."""
    return services.sweep_timers()
