"""``/public/stats``: what the service is doing, with no tenant's data and no ids.

Counted in the database and cached for ``PUBLIC_STATS_CACHE_SECS``, shared by every web
process through the cache: one process counts again when the figures are older than
that, the others answer with the last figures meanwhile, so a crowd of readers costs
one count every few seconds (about 0.1 s at a million timers). Lateness is over at
most the ``LATENESS_SAMPLE`` most recent first attempts.
"""

import statistics
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, QuerySet

from timers.models import AttemptOutcome, JobStatus, TimerAttempt, TimerStatus
from withdrawals.models import WithdrawalStatus

CACHE_KEY = "public:stats"
COUNTING_KEY = "public:stats:counting"
LATENESS_SAMPLE = 2_000


def _by_status(label: str, statuses: Any) -> dict[str, int]:
    model = apps.get_model(label)
    found = dict(model.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: int(found.get(status, 0)) for status in statuses.values}


def percentile(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def with_lateness(attempts: QuerySet[TimerAttempt]) -> QuerySet[Any]:
    """``attempts``, each with ``late``: how long after its timer's time it started (an
    interval; negative when it started early)."""
    return attempts.annotate(late=F("started_at") - F("timer__execute_at"))


def compute(now: datetime) -> dict[str, Any]:
    hour = dict(
        TimerAttempt.objects.filter(started_at__gte=now - timedelta(hours=1))
        .order_by()
        .values_list("outcome")
        .annotate(n=Count("pk"))
    )
    late = TimerAttempt.objects.filter(number=1, started_at__gte=now - timedelta(minutes=5)).order_by(
        "-started_at"
    )
    seconds = sorted(
        max(0.0, delta.total_seconds())
        for delta in with_lateness(late).values_list("late", flat=True)[:LATENESS_SAMPLE]
    )
    p50, p99 = percentile(seconds, 50), percentile(seconds, 99)
    return {
        "timers": _by_status("timers.Timer", TimerStatus),
        "jobs": _by_status("timers.Job", JobStatus),
        "withdrawals": _by_status("withdrawals.ScheduledRequest", WithdrawalStatus),
        "last_hour": {
            "deliveries": int(hour.get(AttemptOutcome.SUCCESS, 0)),
            "failures": int(sum(n for outcome, n in hour.items() if outcome != AttemptOutcome.SUCCESS)),
        },
        "lateness_last_5_min": {
            "first_attempts": len(seconds),
            "p50_ms": round(p50 * 1000, 1) if p50 is not None else None,
            "p99_ms": round(p99 * 1000, 1) if p99 is not None else None,
        },
        "generated_at": now,
    }


def public_stats(now: datetime) -> dict[str, Any]:
    found = cache.get(CACHE_KEY)
    fresh = (
        found is not None and (now - found["generated_at"]).total_seconds() < settings.PUBLIC_STATS_CACHE_SECS
    )
    # One process counts again; the others answer with the last figures meanwhile.
    if not fresh and (found is None or cache.add(COUNTING_KEY, 1, timeout=30)):
        try:
            found = compute(now)
            cache.set(CACHE_KEY, found, None)
        finally:
            cache.delete(COUNTING_KEY)
    return dict(found)
