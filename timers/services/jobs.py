"""Writes to jobs: create, update, pause, resume, delete, and firing a run (the task a job
creates for it, sent as any timer is)."""

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.exceptions import NotFound

from scheduler_project.core import metrics, scheduling
from scheduler_project.core.envelope import Conflict
from scheduler_project.core.models import Tenant
from timers import schedules
from timers.metrics import JOB_MANUAL_RUNS
from timers.models import Job, JobStatus, ScheduleType, Timer, TimerStatus
from timers.services.timers import create_timer, replay

logger = logging.getLogger(__name__)

# The replaced trigger service's retry policy for jobs: 3 attempts, backing off 1 s, 2 s, 4 s.
JOB_RETRY_BASE_SECS = 1.0
MAX_FIRINGS_PER_SWEEP = 100
# create_task's default: the task posts the job's own callback payload.
JOB_PAYLOAD: Any = object()
SCHEDULE_FIELDS = {
    "schedule_type", "cron_expression", "interval_secs", "run_at", "timezone", "start_at", "end_at",
    "poll_interval_secs",
}  # fmt: skip
# What a run's times are counted by; end_at only ends them.
CADENCE_FIELDS = SCHEDULE_FIELDS - {"start_at", "end_at"}


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
    a condition job is first evaluated at once. Event and chain jobs are driven by events
    and polls, not planned: never completed here, and without a next run at creation (a
    debounce or a batch sets one when it holds events)."""
    if job.schedule_type in (ScheduleType.EVENT, ScheduleType.CHAIN_EVENT):
        job.next_run_at = job.held_events_due() if job.status == JobStatus.ACTIVE else None
        return
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
            return replay(existing, request_hash)
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
        return replay(Job.objects.get(tenant=tenant, idempotency_key=idempotency_key), request_hash)
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


def _drop_unsent_tasks(job: Job, *, manual_too: bool = False) -> int:
    """Delete the job's tasks created ahead that no attempt has started: they belong to a
    schedule that changed or stopped. A message already sent for one finds no row. A run
    asked for by hand (run now) answers a request, not the schedule: only a delete drops it."""
    unsent = job.tasks.filter(status=TimerStatus.PENDING, attempts=0)
    deleted, _ = (unsent if manual_too else unsent.filter(run_by="")).delete()
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
    """Stop creating tasks. Tasks of a schedule not yet sent are dropped; those an event or
    a log already fired are sent (they answer what happened, not what is planned), and an
    event job keeps the events it holds for a debounce or a batch until it is resumed."""
    with transaction.atomic():
        job = _locked_job(tenant, job_id)
        if job.status not in (JobStatus.ACTIVE, JobStatus.PAUSED):
            raise Conflict(f"cannot pause a job with status '{job.status}'")
        job.status, job.next_run_at = JobStatus.PAUSED, None
        if job.schedule_type not in (ScheduleType.EVENT, ScheduleType.CHAIN_EVENT):
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
        _drop_unsent_tasks(job, manual_too=True)
        job.save(update_fields=["status", "next_run_at", "updated_at"])
    return job


def create_task(
    job: Job,
    *,
    scheduled_for: datetime | None,
    now: datetime,
    extra_headers: dict[str, str] | None = None,
    payload: Any = JOB_PAYLOAD,
    trigger_key: str | None = None,
    run_by: str = "",
) -> Timer | None:
    """The job's task for ``scheduled_for`` (sent at once if due within the lookahead), or
    None if one exists already: the unique (job, scheduled_for), or (job, trigger_key) for
    a task fired by an event or a log, is the last guard. ``payload`` replaces the job's
    own callback payload when given (an event's data, a log); a task without
    ``scheduled_for`` is due ``now``. ``run_by`` names who ran it by hand (run now)."""
    task_id = uuid.uuid4()
    ids = {"X-Scheduler-Job-Id": str(job.pk), "X-Scheduler-Task-Id": str(task_id)}
    if scheduled_for is not None:
        ids["X-Scheduler-Scheduled-For"] = rfc3339(scheduled_for)
    try:
        with transaction.atomic():  # a savepoint
            task, _ = create_timer(
                tenant=job.tenant,
                execute_at=max(scheduled_for or now, now),
                callback_url=job.callback_url,
                callback_headers={**job.callback_headers, **ids, **(extra_headers or {})},
                callback_payload=job.callback_payload if payload is JOB_PAYLOAD else payload,
                metadata=job.metadata,
                max_attempts=job.max_attempts,
                id=task_id,
                job=job,
                scheduled_for=scheduled_for,
                trigger_key=trigger_key,
                retry_base_secs=JOB_RETRY_BASE_SECS,
                run_by=run_by,
            )
    except IntegrityError:
        logger.warning("job %s: a task for %s exists already", job.pk, trigger_key or scheduled_for)
        return None
    return task


MANUAL_HEADER = "X-Scheduler-Manual"


def run_job_now(*, job: Job, actor: str) -> Timer:
    """Create one task of the job due at once, outside its schedule (Temporal's trigger):
    delivered, signed, retried and recorded as every run is. The job's next run does not
    move, and a paused (or completed) job runs too; a deleted one is not found.

    Every type sends the job's own callback body and headers, with ``X-Scheduler-Manual:
    true`` and no nominal time, observed value, event or log: none made this run. It
    counts in the job's ``manual_runs``, not in ``run_count`` nor towards ``max_runs``,
    and leaves ``last_run_at`` (a condition job's cooldown) alone. ``actor`` (who asked)
    is kept on the task."""
    if not actor:
        raise ValueError("run_job_now needs the actor who asked for the run")
    now = timezone.now()
    with transaction.atomic():
        # Locked as every change of the job is: a delete at the same moment either comes
        # after this run (and drops it, if it is still unsent) or finds it never made.
        locked = (
            Job.objects.select_for_update(of=("self",))
            .select_related("tenant")
            .filter(pk=job.pk)
            .exclude(status=JobStatus.DELETED)
            .first()
        )
        if locked is None:
            raise NotFound("job not found")
        task = create_task(
            locked, scheduled_for=None, now=now, extra_headers={MANUAL_HEADER: "true"}, run_by=actor
        )
        assert task is not None  # neither a nominal time nor a trigger: nothing it could collide with
        Job.objects.filter(pk=locked.pk).update(manual_runs=F("manual_runs") + 1, updated_at=now)
    JOB_MANUAL_RUNS.labels(schedule_type=locked.schedule_type).inc()
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
        task = create_task(job, scheduled_for=plan.scheduled_for, now=now)
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


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
