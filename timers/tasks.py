"""Celery tasks for timers: thin wrappers around services."""

from uuid import UUID

from django.conf import settings
from django.utils import timezone

from scheduler_project.core import scheduling
from scheduler_project.core.departures.batched_strategy import Phases
from scheduler_project.core.departures.worker_request import ScheduledTask
from scheduler_project.core.worker import periodic_task, scheduled_task
from timers import hosts, services

# A delivery worker claims and records the deliveries due together in batches.
DELIVERIES = Phases(
    claim=services.claim_deliveries,
    attempt=services.attempt_delivery,
    record=services.record_deliveries,
    longest=lambda: settings.TIMER_CALLBACK_TIMEOUT_SECS,
    spare=hosts.spare_threads,
    parked=hosts.host_slots.parked,
    parked_max=hosts.parked_threads,
)


@scheduled_task("timers.Timer", phases=DELIVERIES)
def deliver_timer(self: ScheduledTask, timer_id: str, token: str) -> None:
    """Deliver one timer attempt; a retry due soon is sent as a Celery retry with
    its countdown (backoff with full jitter, or the target's Retry-After)."""
    delay = services.deliver_timer(timer_id=UUID(timer_id), token=UUID(token))
    if delay is not None:
        scheduling.retry_task(self, pk=timer_id, delay=delay)


@periodic_task("sweep_timers")
def sweep_timers() -> int:
    """Periodic (celery-beat): send timers due within the lookahead, reap lost ones."""
    return services.sweep_timers()


@periodic_task("clean_up_timers")
def clean_up_timers() -> int:
    """Periodic (celery-beat): finished tasks and attempts past TASK_RETENTION_DAYS, expired
    idempotency keys; in small batches."""
    return services.clean_up(now=timezone.now())


@periodic_task("evaluate_conditions")
def evaluate_conditions() -> int:
    """Sent by a timers sweep that finds condition jobs due: evaluate them, in batches."""
    return services.evaluate_due_conditions()


@periodic_task("poll_chains")
def poll_chains() -> int:
    """Sent by a timers sweep that finds chain endpoints due: poll them, one at a time."""
    return services.poll_due_endpoints()
