"""The timers' sweep, the safety net run every few seconds: take back the work of dead
workers and lost attempts, fail what was missed, fire due jobs, and send whatever is due
soon whose message was lost."""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from scheduler_project.core import heartbeat, metrics, scheduling
from timers.models import AttemptOutcome, Job, Timer, TimerAttempt, TimerStatus
from timers.services import delivery
from timers.services.chains import chain_polls_due, release_interrupted_polls, send_chain_poll
from timers.services.conditions import send_evaluation
from timers.services.events import fire_due_event_jobs
from timers.services.jobs import fire_due_jobs

logger = logging.getLogger(__name__)


REAP_BATCH = 500


def reap_lost_attempts(*, now: datetime) -> int:
    """Take back timers whose worker died mid-attempt: retry if attempts remain, else fail.

    The lost attempt is recorded in the timer's history (outcome ``lost``); should
    its worker come back and finish it after all, that finish no longer matches
    the row and is only logged.
    """
    lost_error = "worker lost during the attempt (its lease passed); outcome unknown"
    with transaction.atomic():
        expired = scheduling.claim_batch(
            Timer.objects.lease_expired(now=now),
            order_by="lease_until",
            batch_size=REAP_BATCH,
            fields=("pk", "attempts", "attempt_base", "max_attempts", "lease_until"),
        )
        if not expired:
            return 0
        retry = [pk for pk, attempts, base, most, _ in expired if attempts - base < most]
        give_up = [pk for pk, attempts, base, most, _ in expired if attempts - base >= most]
        Timer.objects.filter(pk__in=retry).update(
            status=TimerStatus.PENDING,
            due_at=now,
            lease_until=None,
            last_error=f"{lost_error}; retrying",
            updated_at=now,
        )
        Timer.objects.filter(pk__in=give_up).update(
            status=TimerStatus.FAILED,
            lease_until=None,
            executed_at=now,
            last_error=f"{lost_error} on the last attempt",
            updated_at=now,
        )
        run_lease = delivery.run_lease()
        TimerAttempt.objects.bulk_create(
            TimerAttempt(
                timer_id=pk,
                number=attempts,
                started_at=lease_until - run_lease,
                error=lost_error,
                outcome=AttemptOutcome.LOST,
            )
            for pk, attempts, _, _, lease_until in expired
        )
    metrics.TIMERS_FIRED.labels(outcome=AttemptOutcome.LOST).inc(len(expired))
    logger.warning("took back %d timer attempts whose worker was lost", len(expired))
    return len(expired)


def fail_missed(*, now: datetime) -> int:
    """Timers never attempted and overdue beyond the recovery window end as failed."""
    if settings.RECOVERY_FIRE_MISSED:
        return 0
    window = timedelta(seconds=settings.RECOVERY_WINDOW_SECS)
    missed = Timer.objects.missed(before=now - window)
    count = missed.update(
        status=TimerStatus.FAILED,
        last_error=f"missed: overdue by more than RECOVERY_WINDOW_SECS={settings.RECOVERY_WINDOW_SECS}",
        updated_at=now,
    )
    if count:
        metrics.TIMERS_FIRED.labels(outcome="missed").inc(count)
    return count


def sweep_timers() -> int:
    """One sweep: take back the work of dead workers and the chain polls a database outage
    cut short, reap lost attempts, fail missed timers, fire due jobs (held debounces and
    batches of event jobs too), send everything due soon, and ask for the condition
    evaluations and chain polls that are due."""
    started = time.monotonic()
    now = timezone.now()
    heartbeat.take_back_dead(now=now)
    release_interrupted_polls(now=now)
    reap_lost_attempts(now=now)
    fail_missed(now=now)
    fire_due_jobs(now=now)
    if Job.objects.events().due(before=now).exists():
        fire_due_event_jobs(now=now)
    sent = scheduling.dispatch_due(Timer, delivery.send_delivery)
    if Job.objects.conditions().due(before=now).exists():
        send_evaluation()
    if chain_polls_due(now=now):
        send_chain_poll()
    metrics.SWEEP_DURATION.labels(kind="timers").observe(time.monotonic() - started)
    metrics.SWEEP_CLAIMED.labels(kind="timers").observe(sent)
    return sent
