"""Reads beyond one row: what answers of jobs need besides the job's own row, made once for
a page of jobs (an event job's last tasks fired by events, a chain job's endpoint head),
and the dead letters (timers and tasks that ended undelivered), which a replay takes."""

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from scheduler_project.core.models import Tenant
from timers.models import ChainEndpoint, Job, JobStatus, ScheduleType, Timer, TimerQuerySet, TimerStatus

LAST_EVENTS = 10


def url_hash(url: str) -> str:
    """The key of a chain endpoint (``ChainEndpoint.url_hash``): sha256 of its URL, in hex."""
    return hashlib.sha256(url.encode()).hexdigest()


def with_answer_extras(jobs: Sequence[Job]) -> Sequence[Job]:
    """``jobs``, each event job with ``recent_event_tasks`` (its last tasks fired by events,
    the latest first) and each chain job with ``chain_head`` (its endpoint's head block, or
    None): one query for each kind present, whatever the number of jobs."""
    events = [job for job in jobs if job.schedule_type == ScheduleType.EVENT]
    if events:
        fired = Timer.objects.filter(trigger_key__isnull=False).order_by("-created_at", "-pk")
        recent = Prefetch("tasks", queryset=fired[:LAST_EVENTS], to_attr="recent_event_tasks")
        prefetch_related_objects(events, recent)
    chains = [job for job in jobs if job.schedule_type == ScheduleType.CHAIN_EVENT]
    if chains:
        keys = {url_hash(job.rpc_url) for job in chains}
        heads = dict(ChainEndpoint.objects.filter(url_hash__in=keys).values_list("url_hash", "head_block"))
        for job in chains:
            job.chain_head = heads.get(url_hash(job.rpc_url))  # type: ignore[attr-defined]
    return jobs


def chain_lag(job: Job) -> int | None:
    """How many blocks the chain job's scan is behind its endpoint's head (0 if ahead), from
    ``with_answer_extras``; None while either is unknown."""
    head = getattr(job, "chain_head", None)
    if head is None or job.last_processed_block is None:
        return None
    return max(0, head - job.last_processed_block)


# What a dead letter is: a timer or task that ended without being delivered. Canceled ones
# were called off on purpose, completed ones arrived: neither is replayed.
DEAD_STATUSES = (TimerStatus.FAILED, TimerStatus.SKIPPED)
DEAD_LETTER_FILTERS = {
    "status",
    "kind",
    "job_id",
    "callback_host",
    "error",
    "failed_after",
    "failed_before",
    "ids",
}


def dead_letters(*, tenant: Tenant | None = None, filters: Mapping[str, Any] | None = None) -> TimerQuerySet:
    """Timers and tasks that ended undelivered (``failed``, unless ``status`` names others of
    ``DEAD_STATUSES``), of ``tenant`` (None: every tenant's), narrowed by ``filters``:
    ``kind`` (``timer``: one-shot timers only, ``task``: jobs' tasks only), ``job_id``,
    ``callback_host`` (the URL's host, exactly, in any case), ``error`` (in ``last_error``,
    in any case), ``failed_after`` / ``failed_before`` (when it ended: its last change) and
    ``ids``. Tasks of deleted jobs are left out: a deleted job sends nothing more.
    ``ReplayFilterSerializer`` validates what a client sends into these values."""
    given = dict(filters or {})
    unknown = set(given) - DEAD_LETTER_FILTERS
    if unknown:
        raise ValueError(f"unknown dead letter filters: {sorted(unknown)}")
    statuses = list(given.get("status") or [TimerStatus.FAILED])
    if set(statuses) - set(DEAD_STATUSES):
        raise ValueError(f"dead letters are {', '.join(DEAD_STATUSES)}, not {statuses}")
    rows = Timer.objects.filter(status__in=statuses).exclude(job__status=JobStatus.DELETED)
    if tenant is not None:
        rows = rows.for_tenant(tenant)
    if given.get("kind") is not None:
        rows = rows.filter(job__isnull=given["kind"] == "timer")
    if given.get("job_id") is not None:
        rows = rows.filter(job_id=given["job_id"])
    if given.get("callback_host"):
        rows = rows.filter(callback_url__iregex=host_pattern(given["callback_host"]))
    if given.get("error"):
        rows = rows.filter(last_error__icontains=given["error"])
    if given.get("failed_after") is not None:
        rows = rows.filter(updated_at__gt=given["failed_after"])
    if given.get("failed_before") is not None:
        rows = rows.filter(updated_at__lt=given["failed_before"])
    if given.get("ids") is not None:
        rows = rows.filter(pk__in=given["ids"])
    return rows


def host_pattern(host: str) -> str:
    """A regular expression (PostgreSQL's and SQLite's alike) for URLs whose host is
    ``host``, whatever their scheme, user information, port, path or query."""
    return rf"^https?://([^/?#@]*@)?{re.escape(host)}(:[0-9]*)?([/?#]|$)"
