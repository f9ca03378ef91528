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
from django.db import connections, models, router, transaction
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
    """Send once the row's lease is committed (at once outside a transaction).

    A send that fails (broker unreachable) is logged, not raised: the row is
    stored and leased, and the first sweep after the lease passes sends it.
    """
    transaction.on_commit(lambda: send(claimed), robust=True)


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


class _Table:
    """The hot path's statements for one model, written out once from its metadata.

    Every delivery runs a claim and a finish; building them through the ORM's
    query compiler cost more CPU than the statements themselves. Only quoted
    identifiers from the model's own metadata are interpolated; values are
    prepared by each field and passed as parameters.
    """

    def __init__(self, model: type[ScheduledWork], alias: str) -> None:
        connection = connections[alias]
        meta = model._meta
        self.model, self.alias, self.vendor = model, alias, connection.vendor
        self.quote = connection.ops.quote_name
        self.name = self.quote(meta.db_table)
        self.fields: dict[str, models.Field] = {}
        for found in meta.concrete_fields:
            assert isinstance(found, models.Field)
            self.fields[found.name] = self.fields[found.attname] = found
        self.pk = self.column(meta.pk.name)
        returning = ", ".join(self.quote(str(f.column)) for f in meta.concrete_fields)
        attempts = self.column("attempts")
        # start_attempt's claim; its parameters: running, lease, pk, pending, token, due by.
        self.claim = (
            f"UPDATE {self.name} "  # noqa: S608
            f"SET {self.column('status')} = %s, {self.column('lease_until')} = %s, "
            f"{attempts} = {attempts} + 1 "
            f"WHERE {self.pk} = %s AND {self.column('status')} = %s "
            f"AND {self.column('dispatch_token')} = %s AND {self.column('due_at')} <= %s "
            f"RETURNING {returning}"
        )
        self.attnames = [f.attname for f in meta.concrete_fields]
        # What the ORM applies to each value it reads (JSON decoding, SQLite's types).
        self.converters: list[tuple[int, Any, list[Any]]] = []
        for index, found in enumerate(meta.concrete_fields):
            expression = found.get_col(meta.db_table)
            converters = [*connection.ops.get_db_converters(expression), *found.get_db_converters(connection)]
            if converters:
                self.converters.append((index, expression, converters))

    def column(self, name: str) -> str:
        return self.quote(str(self.fields[name].column))

    def value(self, name: str, raw: Any) -> Any:
        return self.fields[name].get_db_prep_save(raw, connections[self.alias])

    def instance(self, row: Any) -> Any:
        """A model instance from a row the claim returned (every concrete column),
        as the ORM would read it."""
        values = list(row)
        connection = connections[self.alias]
        for index, expression, converters in self.converters:
            for convert in converters:
                values[index] = convert(values[index], expression, connection)
        return self.model.from_db(self.alias, self.attnames, values)


_tables: dict[tuple[type[ScheduledWork], str], _Table] = {}


def _table(model: type[ScheduledWork]) -> _Table:
    alias = router.db_for_write(model)
    found = _tables.get((model, alias))
    if found is None:
        found = _tables[(model, alias)] = _Table(model, alias)
    return found


def start_attempt(
    model: type[ScheduledWork], *, pk: Any, token: uuid.UUID | str, run_lease: timedelta
) -> Any | None:
    """Take the row pending -> running for one attempt and return it as it is now;
    None if another task, a cancel or a reschedule got there first (then the caller
    does nothing).

    One ``UPDATE ... RETURNING`` both claims and reads the row: this is the hot path
    of every delivery.
    """
    now = timezone.now()
    table = _table(model)
    params = [
        model.RUNNING,
        table.value("lease_until", now + run_lease),
        table.value(model._meta.pk.name, pk),
        model.PENDING,
        table.value("dispatch_token", token),
        table.value("due_at", now + START_TOLERANCE),
    ]
    with connections[table.alias].cursor() as cursor:
        cursor.execute(table.claim, params)
        row = cursor.fetchone()
    return table.instance(row) if row is not None else None


@dataclass(frozen=True)
class _Insert:
    sql: str
    fields: list[models.Field]


_inserts: dict[tuple[type[models.Model], str], _Insert] = {}


def _insert(instance: models.Model, alias: str) -> tuple[str, list[Any]]:
    """``INSERT`` of an unsaved instance, its automatic primary key left to the database.

    The statement is written once per model; values go through each field's
    ``pre_save`` (``auto_now``) and ``get_db_prep_save``, as the ORM's own insert does.
    """
    model = type(instance)
    statement = _inserts.get((model, alias))
    connection = connections[alias]
    if statement is None:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        table = connection.ops.quote_name(meta.db_table)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        statement = _inserts[(model, alias)] = _Insert(sql, fields)
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in statement.fields]
    return statement.sql, values


def insert(instance: models.Model) -> None:
    """Save a new row with one prepared ``INSERT``: ``Model.objects.create`` without
    the ORM's query compiler (the create path of every timer). No signals are sent,
    and the primary key must come from a default (not from the database)."""
    alias = router.db_for_write(type(instance))
    sql, params = _insert(instance, alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
    instance._state.adding = False
    instance._state.db = alias


def finish_attempt(
    model: type[ScheduledWork],
    *,
    pk: Any,
    token: uuid.UUID | str,
    log: models.Model | None = None,
    **fields: Any,
) -> bool:
    """Record the end of the running attempt that holds the token; False if the
    attempt no longer holds it (its lease was taken back).

    ``log``, an unsaved row (an attempt record), is inserted whatever the outcome:
    the attempt did happen. On PostgreSQL both go in one statement.
    """
    if any(hasattr(value, "resolve_expression") for value in fields.values()):
        if log is not None:
            log.save(force_insert=True)
        updated = rows(model).filter(pk=pk, status=model.RUNNING, dispatch_token=token).update(**fields)
        return bool(updated == 1)
    table = _table(model)
    assignments = ", ".join(f"{table.column(name)} = %s" for name in fields)
    sql = (
        f"UPDATE {table.name} SET {assignments} "  # noqa: S608
        f"WHERE {table.pk} = %s AND {table.column('status')} = %s AND {table.column('dispatch_token')} = %s"
    )
    params = [table.value(name, value) for name, value in fields.items()]
    params += [table.value(model._meta.pk.name, pk), model.RUNNING, table.value("dispatch_token", token)]
    if log is not None:
        if table.vendor == "postgresql":
            insert, insert_params = _insert(log, table.alias)
            sql, params = f"WITH logged AS ({insert}) {sql}", [*insert_params, *params]
        else:
            log.save(force_insert=True)
    with connections[table.alias].cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.rowcount == 1)


def defer_attempt(
    model: type[ScheduledWork],
    *,
    pk: Any,
    token: uuid.UUID | str,
    delay: float,
    log: models.Model | None = None,
    **fields: Any,
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
        log=log,
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


def send_task(task: Any, claimed: Claimed, pk: Any) -> None:
    """Send ``task(pk, token)`` to run at the row's due time (at once if that has passed)."""
    args = (pk, str(claimed.token))
    # A plain repr for Flower: Celery's own safe repr costs more than the rest of the publish.
    task.apply_async(args=args, eta=eta_for(claimed.due_at), argsrepr=repr(args), kwargsrepr="{}")
