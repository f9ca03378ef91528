"""Condition jobs: poll each one's source on its cadence, record what was observed, and on
an edge create the job's task. The comparison and the state machine are the pure
``timers.conditions``; this module only polls, claims and stores."""

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from scheduler_project.core import metrics, scheduling
from timers import clients, conditions
from timers.models import Job, JobStatus, ScheduleType, Timer
from timers.services.jobs import create_task, rfc3339

logger = logging.getLogger(__name__)

CONDITION_BATCH = 200
CONDITION_FETCHERS = 16
SOURCE_BODY_LIMIT = 1_000_000
OBSERVED_HEADER_LIMIT = 1024
# Evaluations that end within this of each other are recorded in one statement.
RECORD_EVERY_SECS = 0.02
# A composite job's further sources, read beside its first; a pool of its own, as the
# evaluations that wait for them hold the batch's pool.
_composite_sources = ThreadPoolExecutor(max_workers=CONDITION_FETCHERS, thread_name_prefix="condition-source")


@dataclass(frozen=True)
class Observation:
    value: Any
    holds: bool | None  # None: the source failed or the value could not be compared
    error: str
    # The evaluation time on the job's cadence that the poll answers (None: when recorded).
    # Holds and cooldowns are measured between these, so when a poll happened to run (a
    # busy worker, a slow claim) never changes whether the same observations fire.
    at: datetime | None = None


@dataclass(frozen=True)
class Source:
    """What one fetch asks: clauses that ask the same are fetched once per evaluation."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: str | None  # the JSON sent with a POST

    @classmethod
    def of(cls, clause: dict[str, Any]) -> "Source":
        body = clause.get("source_body")
        return cls(
            method=clause.get("source_method") or "GET",
            url=clause["source_url"],
            headers=tuple(sorted((clause.get("source_headers") or {}).items())),
            body=None if body is None else json.dumps(body, sort_keys=True),
        )


@dataclass(frozen=True)
class Reading:
    document: Any
    error: str  # the source failed or did not answer JSON


class Readings:
    """The sources read for one batch of evaluations: jobs of one tenant that ask a source
    the same thing in the same batch (many rules over one price feed or one balance) share
    one fetch, made by the first to ask while the others wait for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fetches: dict[tuple[Any, Source, float], Future[Reading]] = {}

    def read(self, source: Source, job: Job) -> Reading:
        key = (job.tenant_id, source, job.source_timeout_secs)
        with self._lock:
            fetch = self._fetches.get(key)
            first = fetch is None
            if fetch is None:
                fetch = self._fetches[key] = Future()
        if first:
            fetch.set_result(_read(source, job))  # never raises
        return fetch.result()


def observe(job: Job, *, at: datetime | None = None, readings: Readings | None = None) -> Observation:
    """Poll the job's source (or each distinct source of its clauses) once for its
    evaluation at ``at`` (through ``readings``, shared with the jobs evaluated beside it);
    never raises."""
    read = (readings or Readings()).read
    if job.conditions is None:
        return replace(_judge(read(Source.of(single_source(job)), job), single_source(job)), at=at)
    return replace(_observe_composite(job, read), at=at)


def single_source(job: Job) -> dict[str, Any]:
    """The job's one source as a clause."""
    return {
        "source_url": job.source_url, "source_method": job.source_method, "source_body": job.source_body,
        "source_headers": job.source_headers, "value_pointer": job.value_pointer, "operator": job.operator,
        "target": job.target, "value_format": job.value_format,
    }  # fmt: skip


def _observe_composite(job: Job, read: Callable[[Source, Job], Reading]) -> Observation:
    """Every clause judged on its source's one reading, combined by the expression: a
    clause that cannot be judged leaves the whole unknown, and the error names it."""
    assert job.conditions is not None
    clauses = conditions.clauses(job.conditions)
    sources = list(dict.fromkeys(Source.of(clause) for clause in clauses))
    # The first source is read on this thread; the others at the same time, beside it.
    others = {source: _composite_sources.submit(read, source, job) for source in sources[1:]}
    readings = {sources[0]: read(sources[0], job)}
    readings.update({source: future.result() for source, future in others.items()})
    judged = {id(clause): _judge(readings[Source.of(clause)], clause) for clause in clauses}
    errors = [
        f"clause {n} ({clause['source_url']}): {judged[id(clause)].error}"
        for n, clause in enumerate(clauses, start=1)
        if judged[id(clause)].error
    ]
    if errors:
        return Observation(None, None, "; ".join(errors))
    verdict = conditions.combine(job.conditions, lambda clause: judged[id(clause)].holds)
    return Observation([judged[id(clause)].value for clause in clauses], verdict, "")


def _read(source: Source, job: Job) -> Reading:
    """One fetch of a source, its answer parsed as JSON; never raises."""
    result = clients.fetch_source(
        url=source.url,
        headers=dict(source.headers),
        timeout=job.source_timeout_secs,
        body_limit=SOURCE_BODY_LIMIT,
        method=source.method,
        body=None if source.body is None else json.loads(source.body),
    )
    if not result.ok:
        return Reading(None, result.error or f"HTTP {result.status_code}")
    try:
        return Reading(json.loads(result.body), "")
    except (ValueError, RecursionError):
        return Reading(None, "the source did not answer JSON")


def _judge(reading: Reading, clause: dict[str, Any]) -> Observation:
    """The clause's value in the reading and whether it holds; the value is kept as the
    source wrote it (a hex quantity as its text)."""
    if reading.error:
        return Observation(None, None, reading.error)
    try:
        value = conditions.read(reading.document, clause.get("value_pointer") or "")
        compared = conditions.quantity(value, clause.get("value_format") or "number")
        return Observation(value, conditions.holds(compared, clause["operator"], clause["target"]), "")
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
            readings = Readings()
            pending = {
                pool.submit(observe, job, at=_evaluation_at(job, claim_at), readings=readings): job
                for job in jobs
            }
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
    task = create_task(job, scheduled_for=at, now=now, extra_headers=headers)
    if task is not None:
        job.run_count += 1
        job.last_run_at = at  # the cooldown is measured from it, as the hold from ``since``
        metrics.JOB_TASKS_CREATED.labels(schedule_type=job.schedule_type).inc()
        if job.max_runs is not None and job.run_count >= job.max_runs:
            job.status, job.next_run_at = JobStatus.COMPLETED, None
    return task
