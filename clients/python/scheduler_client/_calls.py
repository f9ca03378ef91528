"""Every operation of the API as a ``Call``: the request to send and how to read its answer.
``Client`` and ``AsyncClient`` send the same calls, one blocking, one awaiting."""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from scheduler_client import models

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

JobAnswer = (
    models.CronJob
    | models.IntervalJob
    | models.SpecificJob
    | models.ConditionJob
    | models.EventJob
    | models.ChainEventJob
)
JobRequest = (
    models.JobWrite
    | models.CronJobWrite
    | models.IntervalJobWrite
    | models.SpecificJobWrite
    | models.ConditionJobWrite
    | models.EventJobWrite
    | models.ChainEventJobWrite
    | Mapping[str, Any]
)


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request. ``safe_to_repeat``: whether a 503 may be retried without storing anything
    twice (reads, and writes the service recognises when sent again: a create with its
    ``Idempotency-Key``, an event with its ``id``, a withdrawal by its sealed payload)."""

    method: str
    path: str
    read: Callable[[Any], T]
    params: Mapping[str, Any] | None = None
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    safe_to_repeat: bool = True


def body_of(model: type[BaseModel], value: BaseModel | Mapping[str, Any]) -> Any:
    """``value`` checked against ``model`` and written as JSON, with only the fields given:
    a field set to ``None`` is sent as ``null`` (a PUT clearing it), one left out is not sent."""
    checked = value if isinstance(value, model) else model.model_validate(value)
    return checked.model_dump(mode="json", exclude_unset=True, by_alias=True)


def enveloped(envelope: type[BaseModel]) -> Callable[[Any], Any]:
    """Reads ``{"code", "message", "data"}`` with the envelope's model and returns ``data``."""
    return lambda answer: envelope.model_validate(answer).data  # type: ignore[attr-defined]


def job_of(answer: Any) -> JobAnswer:
    job: JobAnswer = models.JobEnvelope.model_validate(answer).data.root
    return job


def query(**params: Any) -> dict[str, Any]:
    return {name: str(value) for name, value in params.items() if value is not None}


def key_or_new(idempotency_key: str | None) -> dict[str, str]:
    return {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}


# --- timers ----------------------------------------------------------------------------


def create_timer(
    timer: models.TimerWrite | Mapping[str, Any], idempotency_key: str | None
) -> Call[models.TimerSummary]:
    return Call(
        "POST",
        "/timers",
        enveloped(models.TimerSummaryEnvelope),
        body=body_of(models.TimerWrite, timer),
        headers=key_or_new(idempotency_key),
    )


def create_timers(timers: list[models.TimerWrite | Mapping[str, Any]]) -> Call[list[models.TimerSummary]]:
    """A batch is all or none and takes no key: a 503 is retried only when the service says
    nothing was stored (see ``Retries``)."""
    body = {"timers": [body_of(models.TimerWrite, timer) for timer in timers]}
    return Call(
        "POST",
        "/timers/batch",
        lambda answer: models.TimerBatchCreatedEnvelope.model_validate(answer).data.timers,
        body=body,
        safe_to_repeat=False,
    )


def get_timer(timer_id: str) -> Call[models.TimerDetail]:
    return Call("GET", f"/timers/{timer_id}", enveloped(models.TimerDetailEnvelope))


def list_timers(
    *, status: str | None, sort: str | None, order: str | None, limit: int | None, offset: int | None
) -> Call[models.TimerList]:
    params = query(status=status, sort=sort, order=order, limit=limit, offset=offset)
    return Call("GET", "/timers", enveloped(models.TimerListEnvelope), params=params)


def update_timer(
    timer_id: str, change: models.PatchedTimerUpdate | Mapping[str, Any]
) -> Call[models.TimerSummary]:
    return Call(
        "PUT",
        f"/timers/{timer_id}",
        enveloped(models.TimerSummaryEnvelope),
        body=body_of(models.PatchedTimerUpdate, change),
    )


def cancel_timer(timer_id: str) -> Call[models.TimerSummary]:
    return Call("DELETE", f"/timers/{timer_id}", enveloped(models.TimerSummaryEnvelope))


def replay(request: models.ReplayRequest | Mapping[str, Any]) -> Call[models.ReplayAnswer]:
    """POST /timers/replay. Not sent again after a 503 that may have replayed (each call is
    recorded), only after one that stored nothing."""
    body = body_of(models.ReplayRequest, request)
    return Call(
        "POST", "/timers/replay", enveloped(models.ReplayAnswerEnvelope), body=body, safe_to_repeat=False
    )


# --- jobs and tasks --------------------------------------------------------------------


def create_job(job: JobRequest, idempotency_key: str | None) -> Call[JobAnswer]:
    return Call(
        "POST",
        "/jobs",
        job_of,
        body=body_of(models.JobWrite, job_write(job)),
        headers=key_or_new(idempotency_key),
    )


def job_write(job: JobRequest) -> models.JobWrite | Mapping[str, Any]:
    if isinstance(job, models.JobWrite | Mapping):
        return job
    return models.JobWrite(job)


def get_job(job_id: str, upcoming: int | None) -> Call[JobAnswer]:
    return Call("GET", f"/jobs/{job_id}", job_of, params=query(upcoming=upcoming))


def list_jobs(
    *,
    status: str | None,
    schedule_type: str | None,
    metadata_key: str | None,
    metadata_value: str | None,
    sort: str | None,
    order: str | None,
    limit: int | None,
    offset: int | None,
) -> Call[models.JobList]:
    params = query(
        status=status,
        schedule_type=schedule_type,
        metadata_key=metadata_key,
        metadata_value=metadata_value,
        sort=sort,
        order=order,
        limit=limit,
        offset=offset,
    )
    return Call("GET", "/jobs", enveloped(models.JobListEnvelope), params=params)


def update_job(job_id: str, change: models.PatchedJobUpdate | Mapping[str, Any]) -> Call[JobAnswer]:
    return Call("PUT", f"/jobs/{job_id}", job_of, body=body_of(models.PatchedJobUpdate, change))


def job_action(job_id: str, action: str) -> Call[JobAnswer]:
    """pause, resume (POST) or delete (DELETE): each answers the job."""
    if action == "delete":
        return Call("DELETE", f"/jobs/{job_id}", job_of)
    return Call("POST", f"/jobs/{job_id}/{action}", job_of)


def run_now(job_id: str) -> Call[models.TaskDetail]:
    """POST /jobs/{id}/run: each call is one more run, so a 503 that may have stored it is
    not sent again."""
    return Call("POST", f"/jobs/{job_id}/run", enveloped(models.TaskDetailEnvelope), safe_to_repeat=False)


def list_job_tasks(
    job_id: str, *, status: str | None, order: str | None, limit: int | None, offset: int | None
) -> Call[models.TaskList]:
    params = query(status=status, order=order, limit=limit, offset=offset)
    return Call("GET", f"/jobs/{job_id}/tasks", enveloped(models.TaskListEnvelope), params=params)


def get_task(task_id: str) -> Call[models.TaskDetail]:
    return Call("GET", f"/tasks/{task_id}", enveloped(models.TaskDetailEnvelope))


# --- events, secrets, health -----------------------------------------------------------


def send_event(event: models.EventWrite | Mapping[str, Any]) -> Call[models.EventAccepted]:
    """An event without an ``id`` gets one here (the form the service gives), so a retry of
    the same call is the same event, never a second one."""
    body = body_of(models.EventWrite, event)
    body.setdefault("id", f"evt_{uuid.uuid4().hex}")
    return Call("POST", "/events", enveloped(models.EventAcceptedEnvelope), body=body)


def signing_secret() -> Call[str]:
    return Call(
        "GET",
        "/signing_secret",
        lambda answer: models.SigningSecretEnvelope.model_validate(answer).data.webhook_secret,
    )


def health() -> Call[models.Health]:
    return Call("GET", "/health", enveloped(models.HealthEnvelope))


# --- withdrawals (no API key; flat answers) --------------------------------------------


def flat(model: type[M]) -> Callable[[Any], M]:
    return model.model_validate


def public_key() -> Call[models.TeePublicKey]:
    return Call("GET", "/public_key", flat(models.TeePublicKey))


def schedule_withdrawal(request: models.ScheduleWithdraw | Mapping[str, Any]) -> Call[models.Scheduled]:
    return Call(
        "POST", "/schedule_withdraw", flat(models.Scheduled), body=body_of(models.ScheduleWithdraw, request)
    )


def get_withdrawal(status_token: str) -> Call[models.WithdrawalStatus]:
    return Call("GET", f"/withdrawals/{status_token}", flat(models.WithdrawalStatus))


def cancel_withdrawal(status_token: str) -> Call[models.WithdrawalStatus]:
    return Call("DELETE", f"/withdrawals/{status_token}", flat(models.WithdrawalStatus))
