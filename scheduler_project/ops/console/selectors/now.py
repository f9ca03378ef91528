"""Reads for the console's Now page: the last hour's deliveries and lateness, the next
hour's due work, what is overdue, dead letters, workers and beat.

Every query is bounded to an hour and served by an index: attempts by ``started_at``,
pending timers and withdrawals by the partial ``due_at`` indexes, active jobs by
``next_run_at``. Lateness is sampled: the latest first attempts of each five minutes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMinute

from scheduler_project.core.models import Tenant, WorkerHeartbeat
from scheduler_project.ops import health, monitoring, stats
from timers.models import AttemptOutcome, Job, Timer, TimerAttempt, TimerStatus
from timers.services import schedule_of
from withdrawals.models import ScheduledRequest, WithdrawalStatus

HOUR = timedelta(hours=1)
MINUTES = 60
LATENESS_BUCKET = timedelta(minutes=5)
LATENESS_PER_BUCKET = 500
# Planned job runs are counted for at most this many jobs, and this many runs each: the
# chart says so when it stopped there.
PLANNED_JOBS = 200
PLANNED_RUNS_PER_JOB = 3_600


def minute_of(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


@dataclass
class PerMinute:
    """Counts for each of the 60 minutes from ``start``."""

    start: datetime
    series: dict[str, list[float]] = field(default_factory=dict)
    capped: bool = False

    def add(self, name: str, moment: datetime, n: float = 1) -> None:
        index = int((minute_of(moment) - self.start).total_seconds() // 60)
        if 0 <= index < MINUTES:
            self.series.setdefault(name, [0.0] * MINUTES)[index] += n


def deliveries_last_hour(now: datetime) -> PerMinute:
    """Successful callbacks, and failed attempts (to be retried, failed for good or lost),
    per second, for each minute of the last hour (the minute's mean)."""
    start = minute_of(now - HOUR) + timedelta(minutes=1)
    found = PerMinute(start, {"delivered": [0.0] * MINUTES, "failed": [0.0] * MINUTES})
    rows = (
        TimerAttempt.objects.filter(started_at__gte=start)
        .annotate(minute=TruncMinute("started_at"))
        .order_by()
        .values_list("minute", "outcome")
        .annotate(n=Count("pk"))
    )
    for minute, outcome, n in rows:
        found.add("delivered" if outcome == AttemptOutcome.SUCCESS else "failed", minute, n / 60)
    return found


@dataclass
class Lateness:
    tenant: str
    p50: list[float | None]
    p99: list[float | None]
    first_attempts: int


def lateness_last_hour(now: datetime) -> tuple[datetime, list[Lateness]]:
    """Firing lateness (a first attempt's start after its timer's time), p50 and p99 in
    milliseconds, per tenant, for each five minutes of the last hour: from the latest
    ``LATENESS_PER_BUCKET`` first attempts of each five minutes (one query each, along the
    attempts' ``started_at`` index), so a busy hour costs what a quiet one does."""
    start = now - HOUR
    buckets = int(HOUR / LATENESS_BUCKET)
    seconds: dict[int, list[list[float]]] = defaultdict(lambda: [[] for _ in range(buckets)])
    for index in range(buckets):
        within = TimerAttempt.objects.filter(
            number=1,
            started_at__gte=start + index * LATENESS_BUCKET,
            started_at__lt=start + (index + 1) * LATENESS_BUCKET,
        ).order_by("-started_at")
        rows = stats.with_lateness(within).values_list("timer__tenant_id", "late")
        for tenant_id, late in rows[:LATENESS_PER_BUCKET]:
            seconds[tenant_id][index].append(max(0.0, late.total_seconds()) * 1000)
    slugs = dict(Tenant.objects.filter(pk__in=seconds).values_list("pk", "slug"))
    found = [
        Lateness(
            tenant=slugs.get(tenant_id, str(tenant_id)),
            p50=[stats.percentile(sorted(b), 50) for b in per_bucket],
            p99=[stats.percentile(sorted(b), 99) for b in per_bucket],
            first_attempts=sum(len(b) for b in per_bucket),
        )
        for tenant_id, per_bucket in seconds.items()
    ]
    return start, sorted(found, key=lambda item: item.tenant)


def due_next_hour(now: datetime) -> PerMinute:
    """Work due in each minute of the next hour: pending timers (a job's tasks already
    made among them), the runs timed jobs will make, and pending withdrawals."""
    start = minute_of(now)
    found = PerMinute(start)
    end = start + HOUR
    for name, rows in (
        ("timers", Timer.objects.filter(status=TimerStatus.PENDING)),
        ("withdrawals", ScheduledRequest.objects.filter(status=WithdrawalStatus.PENDING)),
    ):
        found.series[name] = [0.0] * MINUTES
        per_minute = (
            rows.filter(due_at__gte=start, due_at__lt=end)
            .annotate(minute=TruncMinute("due_at"))
            .order_by()
            .values_list("minute")
            .annotate(n=Count("pk"))
        )
        for minute, n in per_minute:
            found.add(name, minute, n)
    found.series["job runs"] = [0.0] * MINUTES
    jobs = Job.objects.timed().due(before=end).order_by("next_run_at")[: PLANNED_JOBS + 1]
    for i, job in enumerate(jobs):
        if i == PLANNED_JOBS:
            found.capped = True
            break
        runs = [job.next_run_at] if job.next_run_at and job.next_run_at >= start else []
        runs += schedule_of(job).runs_after(max(job.next_run_at or start, start), PLANNED_RUNS_PER_JOB)
        for run in runs:
            if run >= end:
                break
            found.add("job runs", run)
    return found


@dataclass
class Overdue:
    kind: str
    ident: str
    due_at: datetime
    behind: timedelta


def oldest_overdue(now: datetime) -> Overdue | None:
    """The pending item (timer, task or withdrawal) whose time passed longest ago."""
    candidates = []
    timer = Timer.objects.overdue(now=now).order_by("due_at").values_list("pk", "due_at", "job_id").first()
    if timer is not None:
        candidates.append(Overdue("task" if timer[2] else "timer", str(timer[0]), timer[1], now - timer[1]))
    request = (
        ScheduledRequest.objects.filter(status=WithdrawalStatus.PENDING, due_at__lt=now)
        .order_by("due_at")
        .values_list("pk", "due_at")
        .first()
    )
    if request is not None:
        candidates.append(Overdue("withdrawal", str(request[0]), request[1], now - request[1]))
    return max(candidates, key=lambda item: item.behind, default=None)


def dead_letter_counts(now: datetime) -> dict[str, int]:
    """Failed timers and tasks, and failed withdrawals: ``/public/stats``'s counts, which
    every web process shares for a few seconds."""
    counted = stats.public_stats(now)
    return {
        "timers": counted["timers"][TimerStatus.FAILED],
        "withdrawals": counted["withdrawals"][WithdrawalStatus.FAILED],
    }


def workers_and_beat(now: datetime) -> dict[str, Any]:
    """Each worker as ``/health/detailed`` shows it, and beat's last sign of life."""
    seen = monitoring.beat_last_seen(now)
    beat_state = "unknown" if seen is None else ("stale" if monitoring.beat_is_stale(now, seen) else "up")
    return {
        "workers": [health.worker_view(w, now) for w in WorkerHeartbeat.objects.all()],
        "beat": {"status": beat_state, "last_seen_at": seen},
    }
