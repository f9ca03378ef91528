"""The shared claim/lease mechanism for scheduled work (timers, withdrawals).

The database is the source of truth. A row moves through:

* pending, no lease: waiting; nothing in the broker.
* pending, leased: a sweep (or the create/update path, for work due inside the
  lookahead horizon) sent one Celery task with ``eta = due_at``; the lease
  lasts until ``max(due_at, now) + SCHEDULER_LEASE_SECS``. If it passes and the
  row is still pending (the message was lost with its worker), the next sweep
  sends it again with the same token.
* running: a task won the conditional update pending -> running (token must
  match, so a task for an older schedule does nothing); the lease covers the
  attempt. A row whose running lease passed belonged to a worker that died; the
  app's reaper decides what happens to it.

Every transition is one conditional UPDATE whose row count says who won.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from scheduler_project.core.models import ScheduledWork, ScheduledWorkQuerySet

# A task may start a little before its row's due time: ETA clocks and the
# database clock are read separately.
START_TOLERANCE = timedelta(seconds=1)


@dataclass(frozen=True)
class Claimed:
    pk: Any
    token: uuid.UUID
    due_at: datetime


def rows(model: type[ScheduledWork]) -> ScheduledWorkQuerySet:
    return cast(ScheduledWorkQuerySet, model._default_manager.all())


def lookahead() -> timedelta:
    return timedelta(seconds=settings.SCHEDULER_LOOKAHEAD_SECS)


def dispatch_lease() -> timedelta:
    return timedelta(seconds=settings.SCHEDULER_LEASE_SECS)


def lease_due_batch(model: type[ScheduledWork], *, now: datetime, batch_size: int) -> list[Claimed]:
    """Lease up to ``batch_size`` of the earliest rows due within the lookahead.

    ``SKIP LOCKED`` lets two sweeps take disjoint batches on PostgreSQL; on
    SQLite the immediate transaction serialises them.
    """
    with transaction.atomic():
        leased = list(
            rows(model)
            .select_for_update(skip_locked=True)
            .ready_to_dispatch(now=now, horizon=lookahead())
            .order_by("due_at")
            .values_list("pk", "dispatch_token", "due_at")[:batch_size]
        )
        if leased:
            rows(model).filter(pk__in=[row[0] for row in leased]).update(
                lease_until=Greatest(F("due_at"), Value(now, output_field=models.DateTimeField()))
                + dispatch_lease()
            )
    return [Claimed(pk, token, due_at) for pk, token, due_at in leased]


def dispatch_due(
    model: type[ScheduledWork], send: Callable[[Claimed], None], *, batch_size: int | None = None
) -> int:
    """Lease due rows batch after batch and send each; returns how many were sent.

    Leased rows cannot be leased again until their lease passes, so the loop
    ends when the due work does.
    """
    batch_size = batch_size or settings.SCHEDULER_BATCH_SIZE
    total = 0
    while True:
        claimed = lease_due_batch(model, now=timezone.now(), batch_size=batch_size)
        for item in claimed:
            send(item)
        total += len(claimed)
        if len(claimed) < batch_size:
            return total


def lease_if_near(due_at: datetime, *, now: datetime | None = None) -> datetime | None:
    """The lease a row due at ``due_at`` gets when it is sent now, or None if it is not
    due within the lookahead (then a later sweep sends it)."""
    now = now or timezone.now()
    if due_at > now + lookahead():
        return None
    return max(due_at, now) + dispatch_lease()


def send_on_commit(send: Callable[[Claimed], None], claimed: Claimed) -> None:
    transaction.on_commit(lambda: send(claimed))


def lease_one_on_commit(model: type[ScheduledWork], pk: Any, send: Callable[[Claimed], None]) -> None:
    """If the row is due within the lookahead, lease it now and send it after commit.

    Used by update and requeue so that near work does not wait for a sweep (create
    sets the lease in its INSERT instead).
    """
    now = timezone.now()
    row = (
        rows(model)
        .ready_to_dispatch(now=now, horizon=lookahead())
        .filter(pk=pk)
        .values_list("pk", "dispatch_token", "due_at")
        .first()
    )
    if row is None:
        return
    rows(model).filter(pk=pk).update(lease_until=lease_if_near(row[2], now=now))
    send_on_commit(send, Claimed(*row))


def start_attempt(
    model: type[ScheduledWork], *, pk: Any, token: uuid.UUID | str, run_lease: timedelta
) -> Any | None:
    """Take the row pending -> running for one attempt and return it as it is now;
    None if another task, a cancel or a reschedule got there first (then the caller
    does nothing).

    One ``UPDATE ... RETURNING`` both claims and reads the row: this is the hot path
    of every delivery. ``raw()`` maps the returned columns through the model's fields.
    """
    now = timezone.now()
    meta = model._meta
    connection = connections[rows(model).db]

    def field(name: str) -> models.Field:
        found = meta.get_field(name)
        assert isinstance(found, models.Field)
        return found

    def column(name: str) -> str:
        return connection.ops.quote_name(str(field(name).column))

    def value(name: str, raw: Any) -> Any:
        return field(name).get_db_prep_value(raw, connection)

    attempts = column("attempts")
    # Only quoted identifiers from the model's own metadata are interpolated; values are parameters.
    sql = (
        f"UPDATE {connection.ops.quote_name(meta.db_table)} "  # noqa: S608
        f"SET {column('status')} = %s, {column('lease_until')} = %s, {attempts} = {attempts} + 1 "
        f"WHERE {column(meta.pk.name)} = %s AND {column('status')} = %s "
        f"AND {column('dispatch_token')} = %s AND {column('due_at')} <= %s RETURNING *"
    )
    params = [
        model.RUNNING,
        value("lease_until", now + run_lease),
        value(meta.pk.name, pk),
        model.PENDING,
        value("dispatch_token", token),
        value("due_at", now + START_TOLERANCE),
    ]
    claimed = list(model._default_manager.raw(sql, params))
    return claimed[0] if claimed else None


def finish_attempt(model: type[ScheduledWork], *, pk: Any, token: uuid.UUID | str, **fields: Any) -> bool:
    """Record the end of the running attempt that holds the token."""
    updated = (
        rows(model)
        .filter(
            pk=pk,
            status=model.RUNNING,
            dispatch_token=token,
        )
        .update(**fields)
    )
    return bool(updated == 1)


def defer_attempt(
    model: type[ScheduledWork], *, pk: Any, token: uuid.UUID | str, delay: float, **fields: Any
) -> bool:
    """Put a running row back to pending, due again after ``delay`` seconds.

    Within the lookahead the caller re-sends the task itself (a Celery retry)
    and the lease stops a sweep from sending it twice; beyond it the row waits
    in the database, unleased, for a later sweep.
    """
    now = timezone.now()
    due_at = now + timedelta(seconds=delay)
    lease_until = due_at + dispatch_lease() if due_at <= now + lookahead() else None
    return finish_attempt(
        model,
        pk=pk,
        token=token,
        status=model.PENDING,
        due_at=due_at,
        lease_until=lease_until,
        **fields,
    )


def retry_in_flight(delay: float) -> bool:
    """Whether a retry after ``delay`` seconds is sent now (else a sweep sends it later)."""
    return delay <= settings.SCHEDULER_LOOKAHEAD_SECS


def eta_for(due_at: datetime) -> datetime | None:
    return due_at if due_at > timezone.now() else None
