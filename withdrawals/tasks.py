"""Celery tasks for withdrawals: thin wrappers around services."""

from uuid import UUID

from django.conf import settings
from django.utils import timezone

from scheduler_project.core import scheduling
from scheduler_project.core.departures.batched_strategy import Phases
from scheduler_project.core.departures.worker_request import ScheduledTask
from scheduler_project.core.worker import periodic_task, scheduled_task
from withdrawals import services

# A worker claims and records the withdrawals due together in batches; each relay runs on
# a thread of its own (it waits on the TEE and the relayer).
RELAYS = Phases(
    claim=services.claim_withdrawals,
    attempt=services.attempt_withdrawal,
    record=services.record_relays,
    longest=services.longest_attempt_secs,
    # Relays wait on the TEE and the relayer most of their time: more threads keep more
    # of them in flight.
    spare=lambda concurrency: min(concurrency, settings.CALLBACK_MAX_PER_HOST),
)


@scheduled_task("withdrawals.ScheduledRequest", phases=RELAYS)
def process_withdrawal(self: ScheduledTask, request_id: int, token: str) -> None:
    """Process one withdrawal attempt; a retry due soon is sent as a Celery retry
    with its countdown (SCHEDULER_RETRY_DELAY_SECS doubling, full jitter)."""
    delay = services.process_withdrawal(request_id=request_id, token=UUID(token))
    if delay is not None:
        scheduling.retry_task(self, pk=request_id, delay=delay)


@periodic_task("sweep_withdrawals")
def sweep_withdrawals() -> int:
    """Periodic (celery-beat): send withdrawals due within the lookahead, settle lost ones."""
    return services.sweep_withdrawals()


@periodic_task("clean_up_withdrawals")
def clean_up_withdrawals() -> int:
    """Periodic (celery-beat): wipe the payloads of old finished withdrawals."""
    return services.wipe_old_payloads(now=timezone.now())
