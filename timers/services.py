"""Every write to timers: create, update, cancel, deliver, sweep, operator retry."""

import json
import logging
import random
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, router, transaction
from django.db.models import F, Q
from django.utils import timezone
from rest_framework.exceptions import NotFound

from scheduler_project.core import heartbeat, metrics, scheduling
from scheduler_project.core.database import reconnecting
from scheduler_project.core.envelope import Conflict
from scheduler_project.core.models import Tenant
from scheduler_project.core.recent import Recent
from scheduler_project.core.retry import backoff_delay, parse_retry_after
from timers import clients, conditions, hosts, schedules
from timers.models import (
    AttemptOutcome,
    Job,
    JobStatus,
    OverlapPolicy,
    ScheduleType,
    Timer,
    TimerAttempt,
    TimerStatus,
)

logger = logging.getLogger(__name__)

# Retry-After values beyond this are clamped: the timer is retried then.
MAX_RETRY_AFTER_SECS = 24 * 3600


def send_delivery(claimed: scheduling.Claimed) -> bool:
    """Send the Celery task that delivers one leased timer at its due time."""
    from timers.tasks import deliver_timer

    return scheduling.send_task(deliver_timer, claimed, str(claimed.pk))


# --- API writes ---------------------------------------------------------------------------


def _replay(existing: Any, request_hash: str) -> tuple[Any, bool]:
    """The timer or job a first request made with this Idempotency-Key, if the body matches."""
    if existing.request_hash != request_hash:
        raise Conflict("Idempotency-Key was already used with a different request body")
    return existing, True


def create_timer(
    *, tenant: Tenant, idempotency_key: str | None = None, request_hash: str = "", **fields: Any
) -> tuple[Timer, bool]:
    """Store a timer and, if it is due soon, send it now; returns (timer, replayed).

    ``fields`` are a timer's (``_new_timer``: ``execute_at``, ``callback_url`` and the
    optional ones), and for a job's task its task fields (see ``fire_job``). With an
    ``idempotency_key`` the same key and body return the timer created the first time
    (``replayed`` is True); the same key with another body is a conflict.
    """
    if idempotency_key:
        existing = Timer.objects.filter(tenant=tenant, idempotency_key=idempotency_key).first()
        if existing:
            return _replay(existing, request_hash)
    timer = _new_timer(tenant=tenant, idempotency_key=idempotency_key, request_hash=request_hash, **fields)
    # One INSERT, committed on its own unless the caller holds a transaction; a
    # near timer carries its lease in that INSERT and is sent once it is committed.
    try:
        scheduling.insert(timer)
    except IntegrityError:
        if not idempotency_key:
            raise
        existing = Timer.objects.get(tenant=tenant, idempotency_key=idempotency_key)
        return _replay(existing, request_hash)
    _send_if_near(timer)
    return timer, False


MAX_BATCH = 1000


def create_timers(*, tenant: Tenant, timers: list[dict[str, Any]]) -> list[Timer]:
    """Store many timers at once, all or none (one transaction, one multi-row INSERT); those
    due within the lookahead are sent once it is committed. In the order given."""
    created = [_new_timer(tenant=tenant, **fields) for fields in timers]
    with transaction.atomic():
        Timer.objects.bulk_create(created, batch_size=MAX_BATCH)
        _send_if_near(*created)
    return created


def _new_timer(
    *,
    tenant: Tenant,
    execute_at: datetime,
    callback_url: str,
    callback_headers: dict[str, str] | None = None,
    callback_payload: Any = None,
    metadata: Any = None,
    max_attempts: int | None = None,
    idempotency_key: str | None = None,
    request_hash: str = "",
    **task: Any,
) -> Timer:
    return Timer(
        tenant=tenant,
        execute_at=execute_at,
        due_at=execute_at,
        lease_until=scheduling.lease_if_near(execute_at),
        callback_url=callback_url,
        callback_headers=callback_headers or {},
        callback_payload=callback_payload,
        metadata=metadata,
        max_attempts=max_attempts or settings.TIMER_DEFAULT_MAX_ATTEMPTS,
        idempotency_key=idempotency_key or None,
        request_hash=request_hash,
        **task,  # a job's task: id, job, scheduled_for, retry_base_secs
    )


def _send_if_near(*timers: Timer) -> None:
    """Timers leased at creation (due within the lookahead) are sent, together, once committed."""
    near = [
        scheduling.Claimed(t.pk, t.dispatch_token, t.execute_at) for t in timers if t.lease_until is not None
    ]
    scheduling.send_on_commit(Timer, send_delivery, near)


def _refuse(tenant: Tenant | None, timer_id: uuid.UUID | str, action: str) -> None:
    timers = Timer.objects.all() if tenant is None else Timer.objects.for_tenant(tenant)
    status = timers.filter(pk=timer_id).values_list("status", flat=True).first()
    if status is None:
        raise NotFound("timer not found")
    raise Conflict(f"cannot {action} timer with status '{status}'")


def update_timer(*, tenant: Tenant, timer_id: uuid.UUID | str, changes: dict[str, Any]) -> Timer:
    """Change a pending timer.

    A change of ``execute_at`` is a new schedule: the timer fires at the new time
    with its full ``max_attempts`` (a retry it was waiting for is dropped), under a
    new dispatch token that makes any earlier dispatch a no-op. Any other change
    (headers, payload, URL, metadata, ``max_attempts``) leaves the schedule as it
    is: a timer waiting for a retry keeps that retry and the attempts it used, and
    the attempt uses the new values.
    """
    fields = dict(changes, updated_at=timezone.now())
    if "execute_at" in fields:
        fields.update(
            due_at=fields["execute_at"],
            dispatch_token=uuid.uuid4(),
            lease_until=None,
            attempt_base=F("attempts"),
            last_error=None,
        )
    with transaction.atomic():
        updated = (
            Timer.objects.for_tenant(tenant).filter(pk=timer_id, status=TimerStatus.PENDING).update(**fields)
        )
        if not updated:
            _refuse(tenant, timer_id, "update")
        if "execute_at" in changes:
            scheduling.lease_one_on_commit(Timer, timer_id, send_delivery)
    return Timer.objects.get(pk=timer_id)


def cancel_timer(*, tenant: Tenant | None, timer_id: uuid.UUID | str) -> Timer:
    """Cancel a pending timer. Races with firing are settled by one conditional
    update: either the cancel wins and no attempt starts, or it gets a conflict."""
    timers = Timer.objects.all() if tenant is None else Timer.objects.for_tenant(tenant)
    updated = timers.filter(pk=timer_id, status=TimerStatus.PENDING).update(
        status=TimerStatus.CANCELED, lease_until=None, updated_at=timezone.now()
    )
    if not updated:
        _refuse(tenant, timer_id, "cancel")
    return Timer.objects.get(pk=timer_id)


def retry_timer_now(*, timer_id: uuid.UUID | str) -> Timer:
    """Operator action: send a failed (or waiting) timer again now, with fresh attempts."""
    with transaction.atomic():
        updated = Timer.objects.filter(
            pk=timer_id, status__in=[TimerStatus.FAILED, TimerStatus.PENDING]
        ).update(
            status=TimerStatus.PENDING,
            due_at=timezone.now(),
            attempt_base=F("attempts"),
            dispatch_token=uuid.uuid4(),
            lease_until=None,
            last_error=None,
            executed_at=None,
            updated_at=timezone.now(),
        )
        if not updated:
            _refuse(None, timer_id, "retry")
        scheduling.lease_one_on_commit(Timer, timer_id, send_delivery)
    return Timer.objects.get(pk=timer_id)


# --- jobs ---------------------------------------------------------------------------------

# Seed 003's retry policy for jobs: 3 attempts, backing off 1 s, 2 s, 4 s.
JOB_RETRY_BASE_SECS = 1.0
MAX_FIRINGS_PER_SWEEP = 100
SCHEDULE_FIELDS = {
    "schedule_type", "cron_expression", "interval_secs", "run_at", "timezone", "start_at", "end_at",
    "poll_interval_secs",
}  # fmt: skip
# What a run's times are counted by; end_at only ends them.
CADENCE_FIELDS = SCHEDULE_FIELDS - {"start_at", "end_at"}
TASK_HEADERS = ("X-Scheduler-Job-Id", "X-Scheduler-Task-Id", "X-Scheduler-Scheduled-For")


def schedule_of(job: Job) -> schedules.Schedule:
    return schedules.Schedule(
        kind=job.schedule_type,
        timezone=job.timezone,
        cron=job.cron_expression,
        interval_secs=job.interval_secs or 0,
        run_at=job.run_at,
        start_at=job.start_at,
        end_at=job.end_at,
    )


def _plan_from(job: Job, now: datetime) -> None:
    """Set the next run of an active job: the first strictly after ``now``, so never one
    that already passed. An interval job without ``start_at`` starts one interval from now;
    a condition job is first evaluated at once."""
    if job.schedule_type == ScheduleType.CONDITION:
        job.next_run_at = now if job.status == JobStatus.ACTIVE else None
        return
    if job.schedule_type == schedules.INTERVAL and job.start_at is None:
        job.start_at = now + timedelta(seconds=job.interval_secs or 0)
        job.start_at_defaulted = True
    job.next_run_at = schedule_of(job).next_after(now) if job.status == JobStatus.ACTIVE else None
    if job.status == JobStatus.ACTIVE and job.next_run_at is None:
        job.status = JobStatus.COMPLETED


def create_job(
    *, tenant: Tenant, idempotency_key: str | None = None, request_hash: str = "", **fields: Any
) -> tuple[Job, bool]:
    """Store a job and plan its first run; returns (job, replayed), with an
    ``Idempotency-Key`` as for timers."""
    if idempotency_key:
        existing = Job.objects.filter(tenant=tenant, idempotency_key=idempotency_key).first()
        if existing:
            return _replay(existing, request_hash)
    now = timezone.now()
    job = Job(tenant=tenant, idempotency_key=idempotency_key or None, request_hash=request_hash, **fields)
    # A specific time already past is due at once, as a timer's is.
    if job.run_at is not None and job.run_at <= now:
        job.run_at = now + timedelta(microseconds=1)
    _plan_from(job, now)
    try:
        with transaction.atomic():
            job.save(force_insert=True)
    except IntegrityError:
        if not idempotency_key:
            raise
        return _replay(Job.objects.get(tenant=tenant, idempotency_key=idempotency_key), request_hash)
    return job, False


def _locked_job(tenant: Tenant | None, job_id: uuid.UUID | str) -> Job:
    """The job, locked, to be changed; ``tenant`` None is an operator's (any tenant's job).
    A deleted job is kept to be read, not changed: a conflict, as a cancelled timer's."""
    jobs = Job.objects.all() if tenant is None else Job.objects.for_tenant(tenant)
    job = jobs.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise NotFound("job not found")
    if job.status == JobStatus.DELETED:
        raise Conflict("cannot change a deleted job")
    return job


def _drop_unsent_tasks(job: Job) -> int:
    """Delete the job's tasks created ahead that no attempt has started: they belong to a
    schedule that changed or stopped. A message already sent for one finds no row."""
    deleted, _ = job.tasks.filter(status=TimerStatus.PENDING, attempts=0).delete()
    return int(deleted)


def update_job(*, tenant: Tenant, job_id: uuid.UUID | str, changes: dict[str, Any]) -> Job:
    """Change a job. A schedule change takes effect at once: the next run is planned
    anew from now and tasks created for the old schedule but not yet sent are dropped;
    other changes apply to the tasks created from now on. A ``start_at`` the client gave
    keeps anchoring a new cadence; one that was only defaulted is defaulted anew."""
    with transaction.atomic():
        job = _locked_job(tenant, job_id)
        for name, value in changes.items():
            setattr(job, name, value)
        if "start_at" in changes:
            job.start_at_defaulted = False
        elif job.start_at_defaulted and CADENCE_FIELDS & set(changes):
            job.start_at, job.start_at_defaulted = None, False
        if SCHEDULE_FIELDS & set(changes):
            if job.status == JobStatus.COMPLETED:
                job.status = JobStatus.ACTIVE
            _drop_unsent_tasks(job)
            _plan_from(job, timezone.now())
        job.save()
    return job


def pause_job(*, tenant: Tenant | None, job_id: uuid.UUID | str) -> Job:
    """Stop creating tasks; tasks not yet sent are dropped."""
    with transaction.atomic():
        job = _locked_job(tenant, job_id)
        if job.status not in (JobStatus.ACTIVE, JobStatus.PAUSED):
            raise Conflict(f"cannot pause a job with status '{job.status}'")
        job.status, job.next_run_at = JobStatus.PAUSED, None
        _drop_unsent_tasks(job)
        job.save(update_fields=["status", "next_run_at", "updated_at"])
    return job


def resume_job(*, tenant: Tenant | None, job_id: uuid.UUID | str) -> Job:
    """Create tasks again from the first run after now: what passed while paused is not replayed."""
    with transaction.atomic():
        job = _locked_job(tenant, job_id)
        if job.status not in (JobStatus.ACTIVE, JobStatus.PAUSED):
            raise Conflict(f"cannot resume a job with status '{job.status}'")
        if job.status == JobStatus.PAUSED:
            job.status = JobStatus.ACTIVE
            _plan_from(job, timezone.now())
            job.save(update_fields=["status", "next_run_at", "start_at", "start_at_defaulted", "updated_at"])
    return job


def delete_job(*, tenant: Tenant | None, job_id: uuid.UUID | str) -> Job:
    """Soft delete: status ``deleted``, kept with its tasks, hidden from lists."""
    with transaction.atomic():
        job = _locked_job(tenant, job_id)
        job.status, job.next_run_at = JobStatus.DELETED, None
        _drop_unsent_tasks(job)
        job.save(update_fields=["status", "next_run_at", "updated_at"])
    return job


def _create_task(
    job: Job, *, scheduled_for: datetime, now: datetime, extra_headers: dict[str, str] | None = None
) -> Timer | None:
    """The job's task for ``scheduled_for`` (sent at once if due within the lookahead), or
    None if one exists already: the unique (job, scheduled_for) is the last guard."""
    task_id = uuid.uuid4()
    ids = dict(zip(TASK_HEADERS, (str(job.pk), str(task_id), rfc3339(scheduled_for)), strict=True))
    try:
        with transaction.atomic():  # a savepoint
            task, _ = create_timer(
                tenant=job.tenant,
                execute_at=max(scheduled_for, now),
                callback_url=job.callback_url,
                callback_headers={**job.callback_headers, **ids, **(extra_headers or {})},
                callback_payload=job.callback_payload,
                metadata=job.metadata,
                max_attempts=job.max_attempts,
                id=task_id,
                job=job,
                scheduled_for=scheduled_for,
                retry_base_secs=JOB_RETRY_BASE_SECS,
            )
    except IntegrityError:
        logger.warning("job %s: a task for %s exists already", job.pk, scheduled_for)
        return None
    return task


def fire_job(job: Job, *, now: datetime) -> Timer | None:
    """Create the task for the job's next run (inside the caller's transaction, the job
    locked) and plan the run after it. Returns the task, or None if none was due (a
    misfire skipped). Whether an ``overlap_policy: skip`` run overlaps another is known
    only when its attempt is to start (``claim_deliveries``): the sweep creates the runs
    ahead, before any of them is in flight."""
    assert job.next_run_at is not None
    plan = schedules.firing(
        schedule_of(job),
        due=job.next_run_at,
        now=now,
        policy=job.misfire_policy,
        grace_secs=job.misfire_grace_secs,
    )
    task = None
    if plan.scheduled_for is None:
        metrics.JOB_RUNS_SKIPPED.labels(reason="misfire").inc()
    else:
        task = _create_task(job, scheduled_for=plan.scheduled_for, now=now)
        if task is not None:
            job.run_count += 1
            job.last_run_at = plan.scheduled_for
            metrics.JOB_TASKS_CREATED.labels(schedule_type=job.schedule_type).inc()
    job.next_run_at = plan.next_run_at
    if job.max_runs is not None and job.run_count >= job.max_runs:
        job.next_run_at = None
    if job.next_run_at is None:
        job.status = JobStatus.COMPLETED
    job.save(update_fields=["next_run_at", "status", "run_count", "last_run_at", "updated_at"])
    return task


def fire_due_jobs(*, now: datetime) -> int:
    """Create the tasks of every active job whose next run falls within the lookahead,
    batch after batch; each task is then sent like any timer. Returns the tasks created."""
    created = 0
    horizon = now + scheduling.lookahead()
    while True:
        with transaction.atomic():
            jobs = scheduling.claim_batch(
                Job.objects.timed().due(before=horizon).select_related("tenant"),
                order_by="next_run_at",
                batch_size=settings.SCHEDULER_BATCH_SIZE,
            )
            for job in jobs:
                # Every run inside the lookahead (a job every second has several), bounded.
                for _ in range(MAX_FIRINGS_PER_SWEEP):
                    if job.status != JobStatus.ACTIVE or job.next_run_at is None or job.next_run_at > horizon:
                        break
                    created += fire_job(job, now=now) is not None
        if len(jobs) < settings.SCHEDULER_BATCH_SIZE:
            return created


# --- condition jobs -------------------------------------------------------------------------

CONDITION_BATCH = 200
CONDITION_FETCHERS = 16
SOURCE_BODY_LIMIT = 1_000_000
OBSERVED_HEADER_LIMIT = 1024
# Evaluations that end within this of each other are recorded in one statement.
RECORD_EVERY_SECS = 0.02


@dataclass(frozen=True)
class Observation:
    value: Any
    holds: bool | None  # None: the source failed or the value could not be compared
    error: str
    # The evaluation time on the job's cadence that the poll answers (None: when recorded).
    # Holds and cooldowns are measured between these, so when a poll happened to run (a
    # busy worker, a slow claim) never changes whether the same observations fire.
    at: datetime | None = None


def observe(job: Job, *, at: datetime | None = None) -> Observation:
    """Poll the job's source once for its evaluation at ``at``; never raises."""
    return replace(_poll_source(job), at=at)


def _poll_source(job: Job) -> Observation:
    """Poll the job's source once and compare the value it points at; never raises."""
    result = clients.fetch_source(
        url=job.source_url,
        headers=job.source_headers,
        timeout=job.source_timeout_secs,
        body_limit=SOURCE_BODY_LIMIT,
    )
    if not result.ok:
        return Observation(None, None, result.error or f"HTTP {result.status_code}")
    try:
        document = json.loads(result.body)
    except (ValueError, RecursionError):
        return Observation(None, None, "the source did not answer JSON")
    try:
        value = conditions.read(document, job.value_pointer)
        return Observation(value, conditions.holds(value, job.operator, job.target), "")
    except conditions.Unreadable as exc:
        return Observation(None, None, str(exc))


def send_evaluation() -> None:
    """Ask a sweeps worker to evaluate the due condition jobs: one message per sweep that
    finds any due, however many they are, and none while none is."""
    from timers.tasks import evaluate_conditions

    try:
        evaluate_conditions.apply_async(expires=settings.SCHEDULER_INTERVAL_SECS * 2)
    except Exception:
        logger.warning("could not send the condition evaluation; the next sweep will", exc_info=True)


def _evaluation_at(job: Job, now: datetime) -> datetime:
    """The last evaluation time at or before ``now`` on the job's cadence (anchored at its
    due time, no drift): the one a poll claimed at ``now`` answers."""
    interval = timedelta(seconds=job.poll_interval_secs or 1)
    due = job.next_run_at or now
    return due + interval * ((now - due) // interval)


def _next_evaluation(job: Job, now: datetime) -> datetime:
    """The first evaluation time after ``now`` on the job's cadence."""
    return _evaluation_at(job, now) + timedelta(seconds=job.poll_interval_secs or 1)


def evaluate_due_conditions(*, now: datetime | None = None, budget_secs: float = 1.0) -> int:
    """Evaluate the condition jobs that are due, batch after batch for up to ``budget_secs``
    (the next periodic run, on another thread, takes over): one claim per batch (each
    job's next evaluation advanced in it, so no other sweep takes it), the sources polled
    concurrently, and the results recorded as they come, those in hand together in one
    statement, so a slow source delays no other job. Returns how many were evaluated."""
    started, evaluated = time.monotonic(), 0
    with ThreadPoolExecutor(max_workers=CONDITION_FETCHERS) as pool:
        while True:
            claim_at = now or timezone.now()
            with transaction.atomic():
                jobs = scheduling.claim_batch(
                    Job.objects.conditions().due(before=claim_at),
                    order_by="next_run_at",
                    batch_size=CONDITION_BATCH,
                )
                scheduling.update_each(
                    Job,
                    [
                        scheduling.Change(job.pk, {"next_run_at": _next_evaluation(job, claim_at)})
                        for job in jobs
                    ],
                )
            pending = {pool.submit(observe, job, at=_evaluation_at(job, claim_at)): job for job in jobs}
            while pending:
                done, _ = wait(pending, timeout=RECORD_EVERY_SECS, return_when=FIRST_COMPLETED)
                if len(done) < len(pending):  # gather what else ends soon: fewer statements
                    done |= wait(pending, timeout=RECORD_EVERY_SECS)[0]
                results = [(pending.pop(future), future.result()) for future in done]
                record_evaluations(results, now=now or timezone.now())
            evaluated += len(jobs)
            metrics.CONDITION_EVALUATIONS.inc(len(jobs))
            if len(jobs) < CONDITION_BATCH or time.monotonic() - started > budget_secs:
                return evaluated


def _step(job: Job, observation: Observation, now: datetime) -> conditions.Step:
    return conditions.step(
        state=job.condition_state,
        since=job.condition_since,
        last_fired_at=job.last_run_at,
        observed=observation.holds,
        now=observation.at or now,
        for_secs=job.for_secs,
        cooldown_secs=job.cooldown_secs,
    )


def record_evaluations(results: list[tuple[Job, Observation]], *, now: datetime) -> None:
    """Store evaluations of jobs as the claim read them. Those that fire nothing go in one
    statement per kind (a value read, an error), each row only if the job's state is
    still the one the claim read; the rest (an edge, or a job changed meanwhile) take
    the locked path, together."""
    quiet: dict[bool, list[scheduling.Change]] = {True: [], False: []}
    observed: dict[Any, Observation] = {}
    locked: list[Any] = []
    for seen, observation in results:
        observed[seen.pk] = observation
        result = _step(seen, observation, now)
        if result.fires:
            locked.append(seen.pk)
            continue
        values = {
            "condition_state": result.state,
            "condition_since": result.since,
            "last_evaluated_at": now,
            "last_error": observation.error,
            "updated_at": now,
        }
        if not observation.error:
            values["last_value"] = observation.value
        expected = {
            "condition_state": seen.condition_state,
            "condition_since": seen.condition_since,
            "last_run_at": seen.last_run_at,
        }
        quiet[bool(observation.error)].append(scheduling.Change(seen.pk, values, expected))
    for failed, changes in quiet.items():
        stored = scheduling.update_each(Job, changes, where={"status": JobStatus.ACTIVE})
        if failed:
            metrics.CONDITION_ERRORS.inc(len(stored))
        locked += [change.pk for change in changes if change.pk not in stored]
    if locked:
        record_locked({job_id: observed[job_id] for job_id in locked}, now=now)


def record_evaluation(*, job_id: uuid.UUID, observation: Observation, now: datetime) -> Timer | None:
    """Store one evaluation and, on an edge, create the task (see ``record_locked``)."""
    key = Job._meta.pk.to_python(job_id)
    return record_locked({key: observation}, now=now).get(key)


def record_locked(observed: dict[Any, Observation], *, now: datetime) -> dict[Any, Timer]:
    """Store evaluations and, on an edge, create the task, under the jobs' row locks (taken
    together, in key order), so two evaluations of one job never fire twice for one
    transition. Returns the tasks created, by job (keyed as ``observed``, by primary key)."""
    tasks: dict[Any, Timer] = {}
    with transaction.atomic():
        jobs = (
            Job.objects.select_for_update(of=("self",))
            .select_related("tenant")
            .filter(pk__in=list(observed), status=JobStatus.ACTIVE, schedule_type=ScheduleType.CONDITION)
            .order_by("pk")
        )
        for job in jobs:
            observation = observed[job.pk]
            result = _step(job, observation, now)
            job.condition_state, job.condition_since = result.state, result.since
            job.last_evaluated_at, job.last_error = now, observation.error
            if observation.error:
                metrics.CONDITION_ERRORS.inc()
            else:
                job.last_value = observation.value
            task = _fire_condition(job, observation, now) if result.fires else None
            if task is not None:
                tasks[job.pk] = task
            job.save(update_fields=EVALUATION_FIELDS)
    return tasks


EVALUATION_FIELDS = [
    "condition_state", "condition_since", "last_evaluated_at", "last_error", "last_value",
    "run_count", "last_run_at", "status", "next_run_at", "updated_at",
]  # fmt: skip


def _fire_condition(job: Job, observation: Observation, now: datetime) -> Timer | None:
    at = observation.at or now
    observed = json.dumps(observation.value, separators=(",", ":"))
    headers = {"X-Scheduler-Evaluated-At": rfc3339(now)}
    if len(observed) <= OBSERVED_HEADER_LIMIT:
        headers["X-Scheduler-Observed-Value"] = observed
    task = _create_task(job, scheduled_for=at, now=now, extra_headers=headers)
    if task is not None:
        job.run_count += 1
        job.last_run_at = at  # the cooldown is measured from it, as the hold from ``since``
        metrics.JOB_TASKS_CREATED.labels(schedule_type=job.schedule_type).inc()
        if job.max_runs is not None and job.run_count >= job.max_runs:
            job.status, job.next_run_at = JobStatus.COMPLETED, None
    return task


FINISHED = (TimerStatus.COMPLETED, TimerStatus.FAILED, TimerStatus.CANCELED, TimerStatus.SKIPPED)


def remove_old_tasks(*, now: datetime) -> int:
    """Delete finished tasks (and their attempts) last changed more than
    ``TASK_RETENTION_DAYS`` ago, in small batches (``scheduling.in_batches``). One-shot
    timers are not removed (their old attempts are, see ``clean_up``)."""
    cutoff = now - timedelta(days=settings.TASK_RETENTION_DAYS)
    removed = scheduling.in_batches(
        Timer.objects.filter(job__isnull=False, status__in=FINISHED, updated_at__lt=cutoff),
        order_by="updated_at",
        kind="tasks",
        apply=lambda rows: rows.delete(),
    )
    metrics.TASKS_REMOVED.inc(removed)
    return removed


def clean_up(*, now: datetime) -> int:
    """The timers' periodic cleanups: finished tasks past retention; attempt records of
    finished one-shot timers past retention (the timer stays); Idempotency-Keys older than
    ``IDEMPOTENCY_KEY_TTL_HOURS`` (the same key then creates anew). Returns rows changed."""
    retention = now - timedelta(days=settings.TASK_RETENTION_DAYS)
    keys_expired = now - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    done = remove_old_tasks(now=now)
    done += scheduling.in_batches(
        TimerAttempt.objects.filter(started_at__lt=retention, timer__status__in=FINISHED),
        order_by="started_at",
        kind="attempts",
        apply=lambda rows: rows.delete(),
    )
    for model in (Timer, Job):
        done += scheduling.in_batches(
            model.objects.filter(idempotency_key__isnull=False, created_at__lt=keys_expired),
            order_by="created_at",
            kind="idempotency_keys",
            apply=lambda rows: rows.update(idempotency_key=None, request_hash=""),
        )
    return done


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --- delivery -----------------------------------------------------------------------------

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


def _run_lease() -> timedelta:
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
    return _skip_overlapping(scheduling.start_attempts(Timer, items, run_lease=_run_lease()))


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


# --- sweep ----------------------------------------------------------------------------------


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
        run_lease = _run_lease()
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
    """One sweep: take back the work of dead workers, reap lost attempts, fail missed
    timers, send everything due soon."""
    started = time.monotonic()
    now = timezone.now()
    heartbeat.take_back_dead(now=now)
    reap_lost_attempts(now=now)
    fail_missed(now=now)
    fire_due_jobs(now=now)
    sent = scheduling.dispatch_due(Timer, send_delivery)
    if Job.objects.conditions().due(before=now).exists():
        send_evaluation()
    metrics.SWEEP_DURATION.labels(kind="timers").observe(time.monotonic() - started)
    metrics.SWEEP_CLAIMED.labels(kind="timers").observe(sent)
    return sent
