"""Reads for the console's Jobs pages: the list, and a job with its next runs in its own
time zone (days on which the zone's offset changes marked) and its latest tasks.

The runs come from the job's own schedule (``timers.schedules`` through
``services.schedule_of``), as the sweep computes them; nothing here computes a run.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from timers import schedules
from timers.models import TIMED_TYPES, Job, JobStatus, Timer
from timers.services import schedule_of

PAGE = 100
UPCOMING = 24
LATEST_TASKS = 20


def jobs(*, status: str = "", tenant: str = "") -> QuerySet[Job]:
    """Jobs, newest first; deleted ones only when asked for by status."""
    found = Job.objects.select_related("tenant").order_by("-created_at")
    found = found.filter(status=status) if status else found.exclude(status=JobStatus.DELETED)
    if tenant:
        found = found.filter(tenant__slug=tenant)
    return found


@dataclass
class Run:
    at: datetime  # UTC
    local: datetime  # in the job's zone
    dst_day: bool  # the zone's offset changes on this local day
    offset_change: str  # "+01:00 → +02:00" on such a day


def offset_change(day: date, zone: ZoneInfo) -> str:
    """How the zone's UTC offset changes over the local ``day`` ("" if it does not)."""
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    if start.utcoffset() == end.utcoffset():
        return ""
    return f"{_offset(start)} → {_offset(end)}"


def _offset(moment: datetime) -> str:
    minutes = int(moment.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def upcoming_runs(job: Job, *, now: datetime, count: int = UPCOMING) -> list[Run]:
    """The job's next ``count`` runs (none for a paused job, or one not run by time)."""
    if job.schedule_type not in TIMED_TYPES or job.status != JobStatus.ACTIVE:
        return []
    try:
        zone = schedules.zone(job.timezone)
    except schedules.ScheduleError:
        return []
    found = []
    for at in schedule_of(job).runs_after(now, count):
        local = at.astimezone(zone)
        change = offset_change(local.date(), zone)
        found.append(Run(at, local, bool(change), change))
    return found


def job(job_id: uuid.UUID) -> Job | None:
    return Job.objects.select_related("tenant").filter(pk=job_id).first()


def job_page(job_id: uuid.UUID, *, now: datetime) -> tuple[Job, list[Run], list[Timer]] | None:
    found = job(job_id)
    if found is None:
        return None
    tasks = list(Timer.objects.filter(job=found).order_by("-created_at")[:LATEST_TASKS])
    return found, upcoming_runs(found, now=now), tasks
