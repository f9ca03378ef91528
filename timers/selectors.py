"""Reads that answers of jobs need beyond the job's own row, made once for a page of jobs:
an event job's last tasks fired by events, a chain job's endpoint head."""

import hashlib
from collections.abc import Sequence

from django.db.models import Prefetch, prefetch_related_objects

from timers.models import ChainEndpoint, Job, ScheduleType, Timer

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
