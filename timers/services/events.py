"""Events pushed to ``POST /events`` and the event jobs they fire.

An event is stored, matched against its tenant's active event jobs and taken by each
(fired at once, throttled, held for a debounce or added to a batch) in one transaction
before it is answered, so a crash after the answer loses nothing: its tasks are timers,
sent after commit or by the sweep. The sweep fires held debounces and batches when their
``next_run_at`` comes (``fire_due_event_jobs``).
"""

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from scheduler_project.core import metrics, scheduling
from scheduler_project.core.models import Tenant
from timers import conditions
from timers.metrics import EVENT_JOB_MATCHES, EVENT_TASKS_FIRED, EVENTS_DROPPED, EVENTS_RECEIVED
from timers.models import Event, Job, JobStatus, ScheduleType, Timer, TimerStatus
from timers.services.jobs import create_task, rfc3339
from timers.services.timers import replay, send_if_near

EVENT_ID_HEADER = "X-Scheduler-Event-Id"
EVENT_TYPE_HEADER = "X-Scheduler-Event-Type"
EVENT_COUNT_HEADER = "X-Scheduler-Event-Count"
TRIGGER_KEY_MAX = 255
# What a firing changes on the job's row, besides what ``save`` always sets.
EVENT_STATE_FIELDS = [
    "status", "next_run_at", "run_count", "last_run_at", "last_event_at", "pending_events",
    "throttle_window_start", "throttle_count", "dropped_events", "updated_at",
]  # fmt: skip


def idempotency_window() -> timedelta:
    return timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)


def request_hash_of(event_type: str, data: Any) -> str:
    """What an id's replay must repeat: the type and the data (not the id itself)."""
    body = json.dumps({"type": event_type, "data": data}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def receive_event(
    *, tenant: Tenant, event_type: str, data: Any = None, event_id: str | None = None
) -> tuple[Event, bool]:
    """Store an event and let every job it matches take it; returns (event, replayed).

    The event, the tasks it fires at once and every job's new state are written in one
    transaction. The same ``event_id`` within ``IDEMPOTENCY_KEY_TTL_HOURS`` returns the
    event stored the first time and fires nothing; with another type or data it is a
    conflict. An id seen longer ago than that is a new event.
    """
    now = timezone.now()
    request_hash = request_hash_of(event_type, data)
    expired = None
    if event_id is not None:
        existing = Event.objects.filter(tenant=tenant, event_id=event_id).first()
        if existing is not None and existing.received_at > now - idempotency_window():
            return _replay_event(existing, request_hash)
        expired = existing
    try:
        with transaction.atomic():
            if expired is not None:
                expired.delete()  # the cleanup had not come to it yet
            jobs = _locked_matches(tenant, event_type, data)
            event = Event(
                tenant=tenant,
                type=event_type,
                data=data,
                received_at=now,
                matched=len(jobs),
                request_hash=request_hash,
            )
            event.event_id = event_id or f"evt_{event.pk.hex}"
            event.save(force_insert=True)
            for job in jobs:
                take_event(job, event)
    except IntegrityError:
        # The same id, stored by a request that held the matched jobs first.
        if event_id is None:
            raise
        return replay(Event.objects.get(tenant=tenant, event_id=event_id), request_hash)
    EVENTS_RECEIVED.inc()
    EVENT_JOB_MATCHES.inc(len(jobs))
    return event, False


def _replay_event(existing: Event, request_hash: str) -> tuple[Event, bool]:
    """``replay``, and the tasks the event fired that still wait are sent once more, as a
    replayed timer is: the first request's answer may have been cut off with their send
    (the database committed, the connection was lost: a 503 that says the event may be
    stored), and they would otherwise wait for their lease to pass. An event's tasks are
    its tenant's event jobs' tasks due when it was received; a second message of one
    cannot claim it twice."""
    event, replayed = replay(existing, request_hash)
    if event.matched:
        jobs = Job.objects.events().filter(tenant_id=event.tenant_id)
        waiting = Timer.objects.filter(job__in=jobs, execute_at=event.received_at, status=TimerStatus.PENDING)
        send_if_near(*waiting)
    return event, replayed


def passes(expression: Any, data: Any) -> bool:
    """Whether an event's data passes a job's filter (None passes everything). A clause
    whose pointer finds nothing, or whose value cannot be compared, is false."""
    if expression is None:
        return True
    return conditions.combine(expression, lambda clause: _clause_holds(clause, data)) is True


def _clause_holds(clause: Any, data: Any) -> bool:
    if not isinstance(clause, dict) or clause.get("operator") not in conditions.OPERATORS:
        return False
    try:
        value = conditions.read(data, clause.get("value_pointer", ""))
        return conditions.holds(value, clause["operator"], clause.get("target"))
    except conditions.Unreadable:
        return False


def _locked_matches(tenant: Tenant, event_type: str, data: Any) -> list[Job]:
    """The tenant's active event jobs of this type whose filter the data passes, locked in
    primary key order (so two events for the same jobs wait for each other instead of
    deadlocking). Only the jobs that match are locked; a job paused or deleted while this
    waited for its lock is no longer active, and drops out."""
    candidates = Job.objects.for_tenant(tenant).events()
    candidates = candidates.filter(status=JobStatus.ACTIVE, event_type=event_type)
    filters = candidates.values_list("pk", "event_filter")
    wanted = [pk for pk, expression in filters if passes(expression, data)]
    if not wanted:
        return []
    jobs = [
        job
        for job in candidates.filter(pk__in=wanted).select_for_update().order_by("pk")
        if passes(job.event_filter, data)
    ]
    for job in jobs:
        job.tenant = tenant  # the tasks are the event's tenant's; no query per job
    return jobs


def mode_of(job: Job) -> str:
    if job.debounce_secs:
        return "debounce"
    if job.batch_max:
        return "batch"
    if job.throttle_max and job.throttle_window_secs:
        return "throttle"
    return "none"


def held_item(event: Event) -> dict[str, Any]:
    """An event as a debounce or batch holds it, and as a batch's body lists it."""
    received_at = rfc3339(event.received_at)
    return {"id": event.event_id, "type": event.type, "data": event.data, "received_at": received_at}


def take_event(job: Job, event: Event) -> None:
    """One job's part of an event (the job locked, inside the event's transaction), by its
    mode: fire at once; fire unless the throttle's window is full; hold it as the last event
    of a debounce; or add it to the batch, fired at once when full."""
    now = event.received_at
    job.last_event_at = now
    mode = mode_of(job)
    if mode == "debounce":
        job.pending_events = [held_item(event)]
        job.next_run_at = job.held_events_due()
    elif mode == "batch":
        job.pending_events = [*job.pending_events, held_item(event)]
        job.next_run_at = job.held_events_due()
        if len(job.pending_events) >= (job.batch_max or 1):
            fire_held_events(job, now=now)
    elif mode == "throttle":
        _throttled(job, event, now)
    else:
        _fire_one(job, held_item(event), now=now, mode=mode)
    job.save(update_fields=EVENT_STATE_FIELDS)


def _throttled(job: Job, event: Event, now: datetime) -> None:
    """A fixed window, opened by the first event after the last window ended."""
    window = timedelta(seconds=job.throttle_window_secs or 0)
    if job.throttle_window_start is None or now >= job.throttle_window_start + window:
        job.throttle_window_start, job.throttle_count = now, 0
    if job.throttle_count >= (job.throttle_max or 0):
        job.dropped_events += 1
        EVENTS_DROPPED.inc()
        return
    if _fire_one(job, held_item(event), now=now, mode="throttle") is not None:
        job.throttle_count += 1


def _fire_one(job: Job, item: dict[str, Any], *, now: datetime, mode: str) -> Timer | None:
    """A task whose body is one event's data; the event's id is its trigger, so one event
    never fires a job twice."""
    headers = {EVENT_ID_HEADER: item["id"], EVENT_TYPE_HEADER: item["type"]}
    return _fire(job, now=now, mode=mode, payload=item["data"], trigger_key=item["id"], headers=headers)


def batch_trigger_key(first_event_id: str) -> str:
    """``batch:<first event id>``; an id too long for the column is hashed."""
    key = f"batch:{first_event_id}"
    if len(key) <= TRIGGER_KEY_MAX:
        return key
    return f"batch:sha256:{hashlib.sha256(first_event_id.encode()).hexdigest()}"


def fire_held_events(job: Job, *, now: datetime) -> Timer | None:
    """Fire what a debounce or batch job holds (the job locked; the caller saves it): the
    last event of a debounce, or the batch as ``{"events": [...]}`` in the order received."""
    held = job.pending_events
    job.pending_events, job.next_run_at = [], None
    if not held:
        return None
    if mode_of(job) == "debounce":
        return _fire_one(job, held[-1], now=now, mode="debounce")
    headers = {
        EVENT_ID_HEADER: held[0]["id"],
        EVENT_TYPE_HEADER: held[0]["type"],
        EVENT_COUNT_HEADER: str(len(held)),
    }
    key = batch_trigger_key(held[0]["id"])
    return _fire(job, now=now, mode="batch", payload={"events": held}, trigger_key=key, headers=headers)


def _fire(
    job: Job, *, now: datetime, mode: str, payload: Any, trigger_key: str, headers: dict[str, str]
) -> Timer | None:
    """The task, due now (None if this trigger fired the job already), and the job's count;
    ``max_runs`` reached completes the job."""
    task = create_task(
        job, scheduled_for=None, now=now, payload=payload, trigger_key=trigger_key, extra_headers=headers
    )
    if task is None:
        return None
    job.run_count += 1
    job.last_run_at = now
    if job.max_runs is not None and job.run_count >= job.max_runs:
        job.status, job.next_run_at, job.pending_events = JobStatus.COMPLETED, None, []
    metrics.JOB_TASKS_CREATED.labels(schedule_type=ScheduleType.EVENT).inc()
    EVENT_TASKS_FIRED.labels(mode=mode).inc()
    return task


def fire_due_event_jobs(*, now: datetime) -> int:
    """Fire every debounce whose quiet period has passed and every batch whose window has
    ended, batch after batch of jobs claimed with ``SKIP LOCKED`` (two sweeps take disjoint
    jobs; a job an event holds waits for the next sweep). Returns the tasks created."""
    fired = 0
    while True:
        with transaction.atomic():
            jobs = scheduling.claim_batch(
                Job.objects.events().due(before=now).select_related("tenant"),
                order_by="next_run_at",
                batch_size=settings.SCHEDULER_BATCH_SIZE,
            )
            for job in jobs:
                fired += fire_held_events(job, now=now) is not None
                job.save(update_fields=EVENT_STATE_FIELDS)
        if len(jobs) < settings.SCHEDULER_BATCH_SIZE:
            return fired
