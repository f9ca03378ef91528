"""What operators are told: workers gone offline, beat gone stale, dead letters growing.

``check`` runs after every worker heartbeat (``core.heartbeat`` sends ``heartbeat_written``),
not from beat, so it notices beat stopping. Each alert goes out once, whoever runs the
check and however often: a conditional update or an insert that only one caller can win
decides. An alert is logged, counted and, with ``ALERT_WEBHOOK_URL`` set, delivered as a
signed callback (``timers.alerts``).
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min

from scheduler_project.core import metrics
from scheduler_project.core.models import OperationsAlert, SweepRecord, WorkerHeartbeat

logger = logging.getLogger(__name__)

# The beat entry whose last run says whether beat is alive: it runs every interval.
BEAT_PULSE = "sweep_timers"


def offline_after() -> timedelta:
    return timedelta(seconds=settings.WORKER_OFFLINE_AFTER_SECS)


def beat_last_seen(now: datetime) -> datetime | None:
    """When beat last showed it is alive: its pulse's last run, or, before any, the start of
    the longest-running online worker (beat is expected from then on)."""
    pulse = SweepRecord.objects.filter(kind=BEAT_PULSE).values_list("last_at", flat=True).first()
    if pulse is not None:
        return pulse
    online = WorkerHeartbeat.objects.online(now=now, offline_after=offline_after())
    return online.aggregate(first=Min("started_at"))["first"]


def beat_is_stale(now: datetime, seen: datetime | None) -> bool:
    """Whether ``seen`` (``beat_last_seen``) is longer ago than BEAT_STALE_AFTER_SECS."""
    return seen is not None and now - seen > timedelta(seconds=settings.BEAT_STALE_AFTER_SECS)


def dead_letters() -> int:
    """Withdrawals whose retries ran out (the admin's dead letters)."""
    return int(apps.get_model("withdrawals", "ScheduledRequest").objects.dead_letters().count())


def alert(event: str, message: str, data: dict[str, Any]) -> None:
    # Imported when an alert is first raised: every process loads this module (OpsConfig),
    # and only a worker's heartbeat raises alerts.
    from timers.alerts import send_alert

    logger.warning("alert %s: %s", event, message)
    metrics.ALERTS.labels(event=event).inc()
    send_alert(event, message, data)


def check_after_heartbeat(*, now: datetime, **_: Any) -> None:
    """The receiver of ``core.signals.heartbeat_written``."""
    check(now=now)


def check(*, now: datetime) -> None:
    """Raise what is due to be raised, once each."""
    _workers_offline(now)
    _clocks(now)
    _beat(now)
    _dead_letters(now)


def _workers_offline(now: datetime) -> None:
    """A worker unseen for WORKER_OFFLINE_AFTER_SECS that did not shut down cleanly."""
    missing = WorkerHeartbeat.objects.filter(
        stopped_at__isnull=True, offline_alerted_at__isnull=True, last_seen_at__lt=now - offline_after()
    )
    for worker in missing:
        # Only the check whose update matches sends it.
        if WorkerHeartbeat.objects.filter(pk=worker.pk, offline_alerted_at__isnull=True).update(
            offline_alerted_at=now
        ):
            alert(
                "worker.offline",
                f"worker {worker.name} unseen since {worker.last_seen_at.isoformat()}",
                {"worker": worker.name, "host": worker.host, "last_seen_at": worker.last_seen_at.isoformat()},
            )


def _clocks(now: datetime) -> None:
    """An online worker whose clock is off the database's by more than
    WORKER_MAX_CLOCK_OFFSET_SECS (it claims nothing meanwhile), and again when it is back."""
    limit_ms = settings.WORKER_MAX_CLOCK_OFFSET_SECS * 1000
    online = WorkerHeartbeat.objects.online(now=now, offline_after=offline_after())
    skewed = {w.name: w for w in online if abs(w.clock_offset_ms or 0) > limit_ms}
    for name, worker in skewed.items():
        if _raise_once(_clock_key(name), 0, now):
            off = (worker.clock_offset_ms or 0) / 1000
            alert(
                "worker.clock_skew",
                f"the clock of worker {name} is off the database's by {off:.3f} s; it claims nothing",
                {"worker": name, "host": worker.host, "clock_offset_secs": off},
            )
    raised = OperationsAlert.objects.filter(key__startswith=CLOCK_ALERT).values_list("key", flat=True)
    for key in set(raised) - {_clock_key(name) for name in skewed}:
        if OperationsAlert.objects.filter(key=key).delete()[0]:
            alert("worker.clock_recovered", f"the clock of worker {key[len(CLOCK_ALERT) :]} is back", {})


CLOCK_ALERT = "clock:"


def _clock_key(worker: str) -> str:
    return (CLOCK_ALERT + worker)[:64]


def _raise_once(key: str, value: int, now: datetime) -> bool:
    try:
        with transaction.atomic():
            OperationsAlert.objects.create(key=key, value=value, raised_at=now)
    except IntegrityError:
        return False
    return True


def _beat(now: datetime) -> None:
    seen = beat_last_seen(now)
    if beat_is_stale(now, seen):
        if _raise_once("beat", 0, now):
            assert seen is not None
            alert("beat.stale", f"no sweep since {seen.isoformat()}", {"last_sweep_at": seen.isoformat()})
    elif OperationsAlert.objects.filter(key="beat").delete()[0]:
        alert("beat.recovered", "sweeps run again", {"last_sweep_at": seen.isoformat() if seen else None})


def _dead_letters(now: datetime) -> None:
    """An alert each time the count grows past the last count alerted; a count that went
    down (requeued, cancelled) is noted without one."""
    count = dead_letters()
    if not count:
        OperationsAlert.objects.filter(key="dead_letters").delete()
        return
    if _raise_once("dead_letters", count, now):
        grew = True
    else:
        OperationsAlert.objects.filter(key="dead_letters", value__gt=count).update(value=count)
        grew = bool(OperationsAlert.objects.filter(key="dead_letters", value__lt=count).update(value=count))
    if grew:
        alert("dead_letters.growing", f"{count} withdrawals failed for good", {"dead_letters": count})
