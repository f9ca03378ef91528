"""Writes to one-shot timers: create (one or a batch), update, cancel, an operator's retry.

Also the Idempotency-Key replay that jobs share: a job is created under the same rule.
"""

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.exceptions import NotFound

from scheduler_project.core import scheduling
from scheduler_project.core.envelope import Conflict
from scheduler_project.core.models import Tenant
from timers.models import Timer, TimerStatus
from timers.services import delivery


def replay(existing: Any, request_hash: str) -> tuple[Any, bool]:
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
            return _replay_timer(existing, request_hash)
    timer = _new_timer(tenant=tenant, idempotency_key=idempotency_key, request_hash=request_hash, **fields)
    # One INSERT, committed on its own unless the caller holds a transaction; a
    # near timer carries its lease in that INSERT and is sent once it is committed.
    try:
        scheduling.insert(timer)
    except IntegrityError:
        if not idempotency_key:
            raise
        existing = Timer.objects.get(tenant=tenant, idempotency_key=idempotency_key)
        return _replay_timer(existing, request_hash)
    send_if_near(timer)
    return timer, False


def _replay_timer(existing: Timer, request_hash: str) -> tuple[Timer, bool]:
    """``replay``, and a near timer still waiting is sent once more: the first request's
    answer may have been cut off with its send (the database committed, the connection
    was lost: a 503 that says the timer may be stored), and it would otherwise wait for its
    lease to pass. A second message of it cannot claim it twice."""
    timer, replayed = replay(existing, request_hash)
    if timer.status == TimerStatus.PENDING:
        send_if_near(timer)
    return timer, replayed


def create_timers(*, tenant: Tenant, timers: list[dict[str, Any]]) -> list[Timer]:
    """Store many timers at once, all or none (one transaction, one pipelined INSERT for all
    rows); those due within the lookahead are sent once it is committed. In the order given."""
    created = scheduling.build_many(
        Timer, [{"tenant_id": tenant.pk, **_timer_fields(**fields)} for fields in timers]
    )
    with transaction.atomic():
        scheduling.insert_many(created)
        send_if_near(*created)
    return created


def _new_timer(*, tenant: Tenant, **fields: Any) -> Timer:
    return Timer(tenant=tenant, **_timer_fields(**fields))


def _timer_fields(
    *,
    execute_at: datetime,
    callback_url: str,
    callback_headers: dict[str, str] | None = None,
    callback_payload: Any = None,
    metadata: Any = None,
    max_attempts: int | None = None,
    idempotency_key: str | None = None,
    request_hash: str = "",
    **task: Any,
) -> dict[str, Any]:
    return {
        "execute_at": execute_at,
        "due_at": execute_at,
        "lease_until": scheduling.lease_if_near(execute_at),
        "callback_url": callback_url,
        "callback_headers": callback_headers or {},
        "callback_payload": callback_payload,
        "metadata": metadata,
        "max_attempts": max_attempts or settings.TIMER_DEFAULT_MAX_ATTEMPTS,
        "idempotency_key": idempotency_key or None,
        "request_hash": request_hash,
        **task,  # a job's task: id, job, scheduled_for, retry_base_secs
    }


def send_if_near(*timers: Timer) -> None:
    """Timers leased at creation (due within the lookahead) are sent, together, once committed."""
    near = [
        scheduling.Claimed(t.pk, t.dispatch_token, t.execute_at) for t in timers if t.lease_until is not None
    ]
    scheduling.send_on_commit(Timer, delivery.send_delivery, near)


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
            scheduling.lease_one_on_commit(Timer, timer_id, delivery.send_delivery)
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
        scheduling.lease_one_on_commit(Timer, timer_id, delivery.send_delivery)
    return Timer.objects.get(pk=timer_id)
