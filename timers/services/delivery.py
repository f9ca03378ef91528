"""Delivering a timer: the message that asks for it, the claim of an attempt, the callback
(signed with the tenant's secrets), the verdict on its answer and recording it.

``send_delivery`` lives here and is called as ``delivery.send_delivery`` by the modules
that send timers, so a test that replaces it here replaces it for all of them.
"""

import json
import logging
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import router, transaction
from django.db.models import F, Q
from django.utils import timezone

from scheduler_project.core import metrics, scheduling
from scheduler_project.core.departures.database import reconnecting
from scheduler_project.core.models import Tenant
from scheduler_project.core.recent import Recent
from scheduler_project.core.retry import backoff_delay, parse_retry_after
from timers import clients, hosts
from timers.models import AttemptOutcome, Job, OverlapPolicy, Timer, TimerAttempt, TimerStatus

logger = logging.getLogger(__name__)
# Retry-After values beyond this are clamped: the timer is retried then.
MAX_RETRY_AFTER_SECS = 24 * 3600


def send_delivery(claimed: scheduling.Claimed) -> bool:
    """Send the Celery task that delivers one leased timer at its due time."""
    from timers.tasks import deliver_timer

    return scheduling.send_task(deliver_timer, claimed, str(claimed.pk))


SECRET_CACHE_SECS = 30.0
_secrets: Recent[int, Tenant] = Recent(SECRET_CACHE_SECS)


def signing_secrets(tenant_id: int, now: datetime) -> list[str]:
    """The secrets the tenant's callbacks are signed with now (``Tenant.signing_secrets``),
    read at most every ``SECRET_CACHE_SECS`` per process: a rotated secret signs callbacks
    within that time, and the grace period's end is applied at once.

    It is read while the caller holds a claimed attempt, so a dropped database is
    waited for (up to half the lease's grace) rather than failing the task: a task
    retried after its claim would find the attempt taken, and the timer would wait
    for the reaper.
    """

    def read() -> Tenant:
        query = Tenant.objects.only("webhook_secret", "previous_webhook_secret", "previous_secret_until")
        wait = settings.SCHEDULER_LEASE_SECS / 2
        return reconnecting(router.db_for_read(Tenant), lambda: query.get(pk=tenant_id), persist_secs=wait)

    return _secrets.get(tenant_id, read).signing_secrets(now)


def forget_signing_secrets() -> None:
    """Read every tenant's secrets anew (this process; others within SECRET_CACHE_SECS)."""
    _secrets.forget()


@dataclass(frozen=True)
class Verdict:
    outcome: str
    delay: float | None = None


def judge(
    result: clients.DeliveryResult, *, attempt: int, max_attempts: int, base_secs: float | None = None
) -> Verdict:
    """Decide what a delivery result means: done, retry after a delay, or failed; backoff
    doubles from ``base_secs`` (default ``TIMER_RETRY_BASE_SECS``)."""
    base_secs = settings.TIMER_RETRY_BASE_SECS if base_secs is None else base_secs
    if result.ok:
        return Verdict(AttemptOutcome.SUCCESS)
    code = result.status_code
    if result.blocked or code == 410 or (code is not None and code < 500 and code not in (408, 429)):
        return Verdict(AttemptOutcome.FAILED)
    if attempt >= max_attempts:
        return Verdict(AttemptOutcome.FAILED)
    retry_after = parse_retry_after(result.retry_after) if code in (429, 503) else None
    if retry_after is not None:
        return Verdict(AttemptOutcome.RETRY, min(retry_after, MAX_RETRY_AFTER_SECS))
    delay = backoff_delay(attempt, base=base_secs, cap=settings.TIMER_RETRY_MAX_SECS)
    return Verdict(AttemptOutcome.RETRY, delay)


def run_lease() -> timedelta:
    """How long a running attempt holds its timer: the attempt's whole deadline, then
    the lease's grace, so the reaper never takes back an attempt still in flight."""
    return timedelta(seconds=settings.TIMER_CALLBACK_TIMEOUT_SECS + settings.SCHEDULER_LEASE_SECS)


@dataclass(frozen=True)
class Delivery:
    """One delivery attempt that ended, not yet recorded. ``result`` is None when the
    timer's host had no free slot and nothing was sent."""

    timer: Timer
    started_at: datetime
    result: clients.DeliveryResult | None
    verdict: Verdict


def deliver_timer(*, timer_id: uuid.UUID | str, token: uuid.UUID | str) -> float | None:
    """Run one delivery attempt if this dispatch still owns the timer.

    Returns the delay after which the caller should send the retry itself, or
    None (done, failed, not ours, or a retry far enough away that a sweep will
    send it).
    """
    timer = claim_deliveries([(timer_id, token)])[0]
    if timer is None:
        return None
    return record_deliveries([attempt_delivery(timer)])[0]


def claim_deliveries(items: Sequence[tuple[Any, Any]]) -> list[Timer | None]:
    """Claim the timers of (timer id, token) ``items`` for an attempt each, in one
    statement; None for those this dispatch no longer owns, and for the tasks skipped
    because their job has another in flight (``_skip_overlapping``)."""
    return _skip_overlapping(scheduling.start_attempts(Timer, items, run_lease=run_lease()))


OVERLAP_SKIPPED = "skipped: another task of the job was in an attempt or waiting for a retry"


def _skip_overlapping(claimed: Sequence[Timer | None]) -> list[Timer | None]:
    """Of the tasks just claimed, end ``skipped`` those of ``overlap_policy: skip`` jobs that
    have another task in an attempt or waiting for a retry (the attempt is given back,
    nothing is sent, the job's ``skipped_runs`` counts it); returns ``claimed`` with None
    for them. Allow jobs' tasks cost one read, one-shot timers none.

    Decided under the jobs' row locks: two workers claiming tasks of one job at once
    decide in turn, and the second sees the first's task running (its claim was committed
    before it decided), so a job never has two attempts in flight. The claims are held
    meanwhile, so a dropped database is waited for, as ``signing_secrets`` does."""
    job_ids = {task.job_id for task in claimed if task is not None and task.job_id is not None}
    if not job_ids:
        return list(claimed)

    def decide() -> tuple[list[Timer | None], int]:
        kept, skipped = list(claimed), 0
        skip_jobs = Job.objects.filter(pk__in=job_ids, overlap_policy=OverlapPolicy.SKIP)
        if not skip_jobs.exists():
            return kept, skipped
        now = timezone.now()
        with transaction.atomic():
            locked = set(skip_jobs.select_for_update().order_by("pk").values_list("pk", flat=True))
            for n, task in enumerate(claimed):
                if task is None or task.job_id not in locked or not _other_task_in_flight(task):
                    continue
                kept[n] = None
                ended = Timer.objects.filter(
                    pk=task.pk, status=TimerStatus.EXECUTING, dispatch_token=task.dispatch_token,
                    attempts=task.attempts,
                ).update(
                    status=TimerStatus.SKIPPED, attempts=task.attempts - 1, lease_until=None,
                    last_error=OVERLAP_SKIPPED, updated_at=now,
                )  # fmt: skip
                if ended:
                    skipped += 1
                    Job.objects.filter(pk=task.job_id).update(
                        skipped_runs=F("skipped_runs") + 1, updated_at=now
                    )
        return kept, skipped

    wait = settings.SCHEDULER_LEASE_SECS / 2
    kept, skipped = reconnecting(router.db_for_write(Timer), decide, persist_secs=wait)
    metrics.JOB_RUNS_SKIPPED.labels(reason="overlap").inc(skipped)
    return kept


def _other_task_in_flight(task: Timer) -> bool:
    """Whether another task of the task's job is in an attempt or waiting for a retry."""
    assert task.job_id is not None
    waiting = Q(status=TimerStatus.PENDING, attempts__gt=F("attempt_base"))
    others = Timer.objects.filter(job_id=task.job_id).exclude(pk=task.pk)
    return others.filter(Q(status=TimerStatus.EXECUTING) | waiting).exists()


def attempt_delivery(timer: Timer) -> Delivery:
    """POST a claimed timer's callback once (writing nothing to the database). If its host
    has ``CALLBACK_MAX_PER_HOST`` callbacks of this process in flight (it is slow, or
    hangs), nothing is sent: the attempt is given back, to be tried again in about a
    second, and the delivery threads stay free for other hosts meanwhile."""
    with hosts.host_slots.hold(timer.callback_url) as free:
        started_at = timezone.now()
        if not free:
            return Delivery(timer, started_at, None, Verdict(AttemptOutcome.RETRY, random.uniform(0.5, 1.5)))
        metrics.FIRING_LATENESS.observe(max(0.0, (started_at - timer.due_at).total_seconds()))
        body = json.dumps(timer.callback_payload if timer.callback_payload is not None else {})
        result = clients.post_callback(
            url=timer.callback_url,
            headers=timer.callback_headers,
            body=body,
            msg_id=timer.webhook_id,
            secrets=signing_secrets(timer.tenant_id, started_at),
            timeout=settings.TIMER_CALLBACK_TIMEOUT_SECS,
            now=started_at,
        )
    metrics.CALLBACK_DURATION.observe(result.duration)
    verdict = judge(
        result,
        attempt=timer.schedule_attempts,
        max_attempts=timer.max_attempts,
        base_secs=timer.retry_base_secs,
    )
    return Delivery(timer, started_at, result, verdict)


def record_deliveries(deliveries: Sequence[Delivery]) -> list[float | None]:
    """Record ended attempts, those of one kind of outcome in one statement each (with
    their attempt records). Returns, for each, the delay after which the caller should
    send its retry itself, or None (done, failed, not ours any more, or a retry far
    enough away that a sweep will send it)."""
    now = timezone.now()
    kept = scheduling.finish_attempts(Timer, [_finish(delivery, now) for delivery in deliveries])
    job_ids = {d.timer.job_id for d in deliveries if d.timer.job_id is not None and d.result is not None}
    kinds = dict(Job.objects.filter(pk__in=job_ids).values_list("pk", "schedule_type")) if job_ids else {}
    delays: list[float | None] = []
    for delivery, recorded in zip(deliveries, kept, strict=True):
        timer, verdict = delivery.timer, delivery.verdict
        if delivery.result is None:
            metrics.CALLBACKS_HOST_BUSY.inc()
            delays.append(verdict.delay)
            continue
        metrics.TIMERS_FIRED.labels(outcome=verdict.outcome).inc()
        if timer.job_id is not None:
            kind = kinds.get(timer.job_id, "unknown")
            metrics.JOB_TASK_ATTEMPTS.labels(outcome=verdict.outcome, schedule_type=kind).inc()
        if not recorded:
            logger.warning(
                "timer %s: attempt %s ended (%s, %s) after its lease was taken back; not recorded",
                timer.pk, timer.attempts, verdict.outcome,
                delivery.result.error or f"HTTP {delivery.result.status_code}",
            )  # fmt: skip
        in_flight = verdict.delay is not None and scheduling.retry_in_flight(verdict.delay)
        delays.append(verdict.delay if in_flight else None)
    return delays


def _finish(delivery: Delivery, now: datetime) -> scheduling.Finish:
    """How an ended attempt is recorded: the timer's new state and its attempt record
    (none when nothing was sent: the attempt and its number are given back)."""
    timer, result, verdict = delivery.timer, delivery.result, delivery.verdict
    if result is None:
        assert verdict.delay is not None
        fields = {
            **scheduling.deferral(Timer, verdict.delay),
            "attempts": timer.attempts - 1,
            "updated_at": now,
        }
        return scheduling.Finish(timer.pk, timer.dispatch_token, timer.attempts, None, fields)
    error = result.error
    if verdict.outcome == AttemptOutcome.RETRY:
        error = f"{error}; retrying in {verdict.delay:.1f}s"
    # The attempt is recorded even if the lease was lost meanwhile: it did happen.
    attempt = TimerAttempt(
        timer_id=timer.pk,
        number=timer.attempts,
        started_at=delivery.started_at,
        duration_ms=int(result.duration * 1000),
        status_code=result.status_code,
        response_body=result.body,
        error=error,
        outcome=verdict.outcome,
    )
    if verdict.outcome == AttemptOutcome.RETRY:
        assert verdict.delay is not None
        fields = {**scheduling.deferral(Timer, verdict.delay), "last_error": error, "updated_at": now}
    else:
        success = verdict.outcome == AttemptOutcome.SUCCESS
        fields = {
            "status": TimerStatus.COMPLETED if success else TimerStatus.FAILED,
            "executed_at": now,
            "last_error": None if success else error,
            "lease_until": None,
            "updated_at": now,
        }
    return scheduling.Finish(timer.pk, timer.dispatch_token, timer.attempts, attempt, fields)
