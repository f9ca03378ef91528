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

Every transition is one conditional UPDATE whose row count says who won. An
attempt is named by the token and its number (``attempts`` after the claim):
once a lease is taken back and the row claimed again, the first attempt's
finish matches nothing and can only be logged.
"""

import functools
import logging
import threading
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from celery.exceptions import Retry
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from scheduler_project.core import clock, metrics
from scheduler_project.core.database import reconnecting
from scheduler_project.core.models import ScheduledWork, ScheduledWorkQuerySet

logger = logging.getLogger(__name__)

# How long before its due time a row may be claimed, by the database's clock: an attempt
# claimed ahead waits for its time (core.batches), and a worker's knowledge of that clock
# is as good as its last reading (core.clock). The claim checks it on the database's own
# clock where it has one (PostgreSQL), so a worker whose clock is fast cannot claim early.
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


def claim_batch(
    queryset: models.QuerySet, *, order_by: str, batch_size: int, fields: tuple[str, ...] = ()
) -> list:
    """Inside the caller's transaction: lock and return up to ``batch_size`` of the first
    rows of ``queryset`` that no other sweep holds (their values of ``fields``, or the rows).

    ``SKIP LOCKED`` lets two sweeps take disjoint batches on PostgreSQL; on SQLite the
    immediate transaction serialises them. Every sweep claims through here.
    """
    # of=self: rows joined in (a job's tenant) stay unlocked, for other sweeps and writes.
    locked = queryset.select_for_update(skip_locked=True, of=("self",)).order_by(order_by)
    return list(locked.values_list(*fields)[:batch_size] if fields else locked[:batch_size])


CLEANUP_BATCH = 500
CLEANUP_MAX_BATCHES = 20


def in_batches(
    queryset: models.QuerySet, *, order_by: str, kind: str, apply: Callable[[models.QuerySet], Any]
) -> int:
    """A periodic cleanup: ``apply`` (a delete or an update) to the rows of ``queryset``,
    at most ``CLEANUP_BATCH`` at a time, each batch claimed and changed in its own short
    transaction (rows another sweep holds are skipped), so no table is locked for long;
    at most ``CLEANUP_MAX_BATCHES`` a run, the next run goes on. Returns the rows done."""
    done = 0
    for _ in range(CLEANUP_MAX_BATCHES):
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            batch = claim_batch(queryset, order_by=order_by, batch_size=CLEANUP_BATCH, fields=("pk",))
            if batch:
                apply(queryset.model._default_manager.filter(pk__in=[pk for (pk,) in batch]))
        done += len(batch)
        if len(batch) < CLEANUP_BATCH:
            break
    metrics.CLEANUP_REMOVED.labels(kind=kind).inc(done)
    return done


def lease_due_batch(model: type[ScheduledWork], *, now: datetime, batch_size: int) -> list[Claimed]:
    """Lease up to ``batch_size`` of the earliest rows due within the lookahead."""
    with transaction.atomic():
        leased = claim_batch(
            rows(model).ready_to_dispatch(now=now, horizon=lookahead()),
            order_by="due_at",
            batch_size=batch_size,
            fields=("pk", "dispatch_token", "due_at"),
        )
        if leased:
            rows(model).filter(pk__in=[row[0] for row in leased]).update(
                lease_until=Greatest(F("due_at"), Value(now, output_field=models.DateTimeField()))
                + dispatch_lease()
            )
    return [Claimed(pk, token, due_at) for pk, token, due_at in leased]


def dispatch_due(
    model: type[ScheduledWork], send: Callable[[Claimed], bool], *, batch_size: int | None = None
) -> int:
    """Lease due rows batch after batch and send each batch together (``send_together``);
    returns how many were sent.

    Leased rows cannot be leased again until their lease passes, so the loop
    ends when the due work does. If the broker refuses a send, the sweep ends
    there: the next one tries again.
    """
    batch_size = batch_size or settings.SCHEDULER_BATCH_SIZE
    total = 0
    while True:
        claimed = lease_due_batch(model, now=clock.now(), batch_size=batch_size)
        sent = send_together(model, send, claimed)
        total += sent
        if sent < len(claimed) or len(claimed) < batch_size:
            return total


def send_together(
    model: type[ScheduledWork], send: Callable[[Claimed], bool], claimed: Sequence[Claimed]
) -> int:
    """``send`` each leased row, their messages going to the broker together
    (``publishing_together``); returns how many were sent. If the broker refuses one,
    the rest are let go too; if it refuses them all at once, all are let go: either
    way the next sweep sends them, not a lease later."""
    sent = 0
    # One message goes at once: a batch's producer and pipeline would cost as much again.
    together = publishing_together() if len(claimed) > 1 else nullcontext()
    try:
        with together:
            for item in claimed:
                if not send(item):  # its own lease was let go
                    break
                sent += 1
    except Exception as exc:  # whatever the broker's client raised: the batch was not taken
        logger.warning("could not send %d %s tasks: %s; a sweep sends them", len(claimed), model.__name__,
                       exc)  # fmt: skip
        _release_quietly(model, [item.pk for item in claimed])
        return 0
    _release_quietly(model, [unsent.pk for unsent in claimed[sent + 1 :]])
    return sent


_publishing = threading.local()


@contextmanager
def publishing_together() -> Iterator[None]:
    """Inside the block, ``send_task`` publishes through one producer whose messages go to
    the broker together when the block ends: one pipelined round trip to Redis for a
    sweep's batch, instead of one per message (which was half of a sweep's time). Brokers
    without batches (RabbitMQ, the embedded one) publish each message at once. A failure
    to send the batch is raised when the block ends; nested blocks join the outer one."""
    if getattr(_publishing, "producer", None) is not None:
        yield
        return
    from scheduler_project.celery import app

    with app.producer_or_acquire() as producer, producer.batch():
        _publishing.producer = producer
        try:
            yield
        finally:
            _publishing.producer = None


def release_leases(model: type[ScheduledWork], pks: Collection[Any]) -> int:
    """Let the next sweep send these pending rows again: the broker refused their message.

    A row whose message did survive is then sent twice, which is harmless: only
    one task can claim it.
    """
    if not pks:
        return 0
    return rows(model).filter(pk__in=list(pks), status=model.PENDING).update(lease_until=None)


def release_dispatched(model: type[ScheduledWork]) -> int:
    """Let every sent, unstarted row go (its lease), so that the next sweep sends it again:
    after a broker connection broke, any of their messages may be lost. Every such row
    is due within the lookahead (nothing later is ever sent), which the index serves."""
    now = clock.now()
    pending = rows(model).filter(status=model.PENDING, due_at__lte=now + lookahead())
    return pending.filter(lease_until__isnull=False).update(lease_until=None)


def _holder() -> uuid.UUID | None:
    from scheduler_project.core import heartbeat

    return heartbeat.instance()


def scheduled_models() -> list[type[ScheduledWork]]:
    """Every kind of scheduled work (timers, withdrawals)."""
    return [m for m in apps.get_models() if issubclass(m, ScheduledWork)]


def take_back_from(instance: uuid.UUID, *, now: datetime) -> tuple[dict[str, int], dict[str, int]]:
    """The work a worker process held when it stopped or died, made available again now
    rather than when its leases pass: its running attempts' leases end now (the app's
    reaper, run next, settles them), and every sent, unstarted row is let go (the next
    sweep sends it again; any message of it that did survive, in the broker or in a live
    worker, is then a second copy that cannot claim the row twice). Returns, per model,
    the running attempts taken back and the sent rows let go."""
    running, sent = {}, {}
    for model in scheduled_models():
        held = rows(model).filter(status=model.RUNNING, holder=instance)
        running[model.__name__] = held.update(lease_until=now - timedelta(microseconds=1))
        sent[model.__name__] = release_dispatched(model)
    return running, sent


def lease_if_near(due_at: datetime, *, now: datetime | None = None) -> datetime | None:
    """The lease a row due at ``due_at`` gets when it is sent now, or None if it is not
    due within the lookahead (then a later sweep sends it)."""
    now = now or clock.now()
    if due_at > now + lookahead():
        return None
    return max(due_at, now) + dispatch_lease()


def send_on_commit(
    model: type[ScheduledWork], send: Callable[[Claimed], bool], claimed: Sequence[Claimed]
) -> None:
    """Send these rows together once their leases are committed (at once outside a
    transaction).

    A send the broker refuses lets the leases go (see ``send_together``): the rows
    are stored, and the first sweep after the broker is back sends them.
    """
    if claimed:
        transaction.on_commit(lambda: send_together(model, send, claimed), robust=True)


def lease_one_on_commit(model: type[ScheduledWork], pk: Any, send: Callable[[Claimed], bool]) -> None:
    """If the row is due within the lookahead, lease it now and send it after commit.

    Used by update and requeue so that near work does not wait for a sweep (create
    sets the lease in its INSERT instead).
    """
    now = clock.now()
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
    send_on_commit(model, send, [Claimed(*row)])


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
        # start_attempt's claim; its parameters: running, lease, holder, pk, pending, token, due by.
        self.claim = (
            f"UPDATE {self.name} "  # noqa: S608
            f"SET {self.column('status')} = %s, {self.column('lease_until')} = %s, "
            f"{self.column('holder')} = %s, {attempts} = {attempts} + 1 "
            f"WHERE {self.pk} = %s AND {self.column('status')} = %s "
            f"AND {self.column('dispatch_token')} = %s AND {self.column('due_at')} <= %s "
            f"{self.due_by_database('')}"
            f"RETURNING {returning}"
        )
        # What an attempt's finish matches: the row, still running, in this very attempt.
        self.attempt_match = (
            f"{self.pk} = %s AND {self.column('status')} = %s "
            f"AND {self.column('dispatch_token')} = %s AND {attempts} = %s"
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

    @functools.cached_property
    def claim_many(self) -> str:
        """The claim of many rows, each by its key and token, in one statement of the same
        text whatever their number (PostgreSQL: parsed once, prepared); parameters:
        running, lease, holder, the keys, the tokens (two arrays), pending, due by."""
        meta = self.model._meta
        returning = ", ".join(f"{self.name}.{self.quote(str(f.column))}" for f in meta.concrete_fields)
        attempts = self.column("attempts")
        return (
            f"UPDATE {self.name} "  # noqa: S608
            f"SET {self.column('status')} = %s, {self.column('lease_until')} = %s, "
            f"{self.column('holder')} = %s, {attempts} = {self.name}.{attempts} + 1 "
            f"FROM unnest({self.array(meta.pk.name)}, {self.array('dispatch_token')}) AS v (key, token) "
            f"WHERE {self.name}.{self.pk} = v.key AND {self.name}.{self.column('status')} = %s "
            f"AND {self.name}.{self.column('dispatch_token')} = v.token "
            f"AND {self.name}.{self.column('due_at')} <= %s "
            f"{self.due_by_database(self.name + '.')}"
            f"RETURNING {returning}"
        )

    def due_by_database(self, prefix: str) -> str:
        """The claim's due condition on the database's own clock (PostgreSQL), beside the
        one on the worker's reading of it."""
        if self.vendor != "postgresql":
            return ""
        lead = START_TOLERANCE.total_seconds()
        return f"AND {prefix}{self.column('due_at')} <= clock_timestamp() + interval '{lead} seconds' "

    def array(self, name: str) -> str:
        """A parameter holding an array of the field's values, typed as its column."""
        return f"CAST(%s AS {_column_type(self.fields[name], connections[self.alias])}[])"

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


def _execute(table: _Table, sql: str, params: list[Any], *, persist_secs: float = 0.0) -> Any:
    """Run one statement; returns the first row it returned, or its row count."""

    def run() -> Any:
        with connections[table.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() if cursor.description else cursor.rowcount

    return reconnecting(table.alias, run, persist_secs=persist_secs)


def _execute_all(table: _Table, sql: str, params: list[Any], *, persist_secs: float = 0.0) -> list[Any]:
    """Run one statement; returns every row it returned."""

    def run() -> list[Any]:
        with connections[table.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return reconnecting(table.alias, run, persist_secs=persist_secs)


def start_attempt(
    model: type[ScheduledWork], *, pk: Any, token: uuid.UUID | str, run_lease: timedelta
) -> Any | None:
    """Take the row pending -> running for one attempt and return it as it is now
    (``attempts`` is then this attempt's number); None if another task, a cancel or
    a reschedule got there first (then the caller does nothing).

    One ``UPDATE ... RETURNING`` both claims and reads the row: this is the hot path
    of every delivery. The row names this worker process as its holder (see
    ``take_back_from``).
    """
    return start_attempts(model, [(pk, token)], run_lease=run_lease)[0]


def start_attempts(
    model: type[ScheduledWork], items: Sequence[tuple[Any, uuid.UUID | str]], *, run_lease: timedelta
) -> list[Any]:
    """``start_attempt`` for each (key, token) of ``items``, all in one statement on
    PostgreSQL (a worker's batch, see ``core.batches``); each gets its row, or None. Two
    items for one row and token (a message sent twice) get it once."""
    table = _table(model)
    if len(items) > 1 and table.vendor == "postgresql":
        return _claim_together(table, run_lease, items)
    return [_claim_together(table, run_lease, [item])[0] for item in items]


def _claim_together(table: _Table, run_lease: timedelta, items: Sequence[tuple[Any, Any]]) -> list[Any]:
    """``start_attempt`` for each (pk, token) of ``items``, in one statement; each gets its
    row, or None. Two items for one row and token (a message sent twice) get it once."""
    model = table.model
    now = clock.now()
    head = [model.RUNNING, table.value("lease_until", now + run_lease), table.value("holder", _holder())]
    tail = [model.PENDING, table.value("due_at", now + START_TOLERANCE)]
    if len(items) == 1:
        pk, token = items[0]
        params = [*head, table.value(model._meta.pk.name, pk), tail[0], table.value("dispatch_token", token)]
        row = _execute(table, table.claim, [*params, tail[1]])
        return [table.instance(row) if row is not None else None]
    keys = [table.value(model._meta.pk.name, pk) for pk, _ in items]
    tokens = [table.value("dispatch_token", token) for _, token in items]
    claimed = _execute_all(table, table.claim_many, [*head, keys, tokens, *tail])
    rows = {(str(row.pk), str(row.dispatch_token)): row for row in map(table.instance, claimed)}
    return [rows.pop((str(key), str(token)), None) for key, token in zip(keys, tokens, strict=True)]


@dataclass(frozen=True)
class _Insert:
    sql: str
    fields: list[models.Field]
    # The same row as a SELECT list with explicit types, for an insert that depends
    # on another statement's outcome (PostgreSQL cannot infer a bare parameter's type).
    select: str


_inserts: dict[tuple[type[models.Model], str], _Insert] = {}


def _insert(instance: models.Model, alias: str) -> tuple[_Insert, list[Any]]:
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
        typed = ", ".join(f"CAST(%s AS {_column_type(f, connection)})" for f in fields)
        statement = _inserts[(model, alias)] = _Insert(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
            fields,
            f"INSERT INTO {table} ({columns}) SELECT {typed}",
        )
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in statement.fields]
    return statement, values


def _column_type(field: models.Field, connection: Any) -> str:
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    return str(target.db_type(connection))


def insert(instance: models.Model) -> None:
    """Save a new row with one prepared ``INSERT``: ``Model.objects.create`` without
    the ORM's query compiler (the create path of every timer). No signals are sent,
    and the primary key must come from a default (not from the database)."""
    alias = router.db_for_write(type(instance))
    statement, params = _insert(instance, alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(statement.sql, params)
    instance._state.adding = False
    instance._state.db = alias


@dataclass(frozen=True)
class Change:
    """One row's part of ``update_each``: its new ``values``, and the ``expected`` values
    it was read with (the row is changed only while they still hold)."""

    pk: Any
    values: Mapping[str, Any]
    expected: Mapping[str, Any] = field(default_factory=dict)


def update_each(
    model: type[models.Model], changes: Sequence[Change], *, where: Mapping[str, Any] | None = None
) -> set[Any]:
    """Many rows, each with its own values, in one ``UPDATE ... FROM (VALUES ...)``.

    Every change names the same fields. A row is changed only while its ``expected``
    values still hold (NULL matching NULL) and ``where``'s fields have those values, so
    a row another writer changed meanwhile is left alone. Returns the primary keys of
    the rows changed. The batch path of every sweep that records many rows.
    """
    if not changes:
        return set()
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta, quote = model._meta, connection.ops.quote_name
    table = quote(meta.db_table)
    setting, expecting = list(changes[0].values), list(changes[0].expected)
    fields: list[Any] = [meta.pk, *(meta.get_field(name) for name in (*setting, *expecting))]
    typed = connection.vendor == "postgresql"  # a bare parameter has no type there
    row = ", ".join(f"CAST(%s AS {_column_type(f, connection)})" if typed else "%s" for f in fields)
    params: list[Any] = []
    for change in changes:
        raw = [change.pk, *(change.values[n] for n in setting), *(change.expected[n] for n in expecting)]
        params += [f.get_db_prep_save(value, connection) for f, value in zip(fields, raw, strict=True)]
    column = [quote(str(f.column)) for f in fields]
    # VALUES names its columns column1, column2, ... on PostgreSQL and SQLite alike.
    assignments = ", ".join(f"{column[n]} = v.column{n + 1}" for n in range(1, 1 + len(setting)))
    conditions = [f"{table}.{column[0]} = v.column1"]
    conditions += [
        f"{table}.{column[n]} IS NOT DISTINCT FROM v.column{n + 1}"
        for n in range(1 + len(setting), len(fields))
    ]
    for name, value in (where or {}).items():
        found: Any = meta.get_field(name)
        conditions.append(f"{table}.{quote(str(found.column))} = %s")
        params.append(found.get_db_prep_save(value, connection))
    sql = (
        f"UPDATE {table} SET {assignments} "  # noqa: S608 (quoted identifiers only)
        f"FROM (VALUES {', '.join([f'({row})'] * len(changes))}) AS v "
        f"WHERE {' AND '.join(conditions)} RETURNING {table}.{column[0]}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _keys(model, alias, cursor.fetchall())


def _keys(model: type[models.Model], alias: str, returned: Sequence[Any]) -> set[Any]:
    """The primary keys in the first column of ``returned``, as the ORM reads them."""
    connection = connections[alias]
    meta = model._meta
    pk_col = meta.pk.get_col(meta.db_table)
    converters = [*connection.ops.get_db_converters(pk_col), *meta.pk.get_db_converters(connection)]
    changed = set()
    for key, *_ in returned:
        for convert in converters:
            key = convert(key, pk_col, connection)
        changed.add(key)
    return changed


@dataclass(frozen=True)
class Finish:
    """The end of one attempt, for ``finish_attempts``: as ``finish_attempt``'s arguments."""

    pk: Any
    token: uuid.UUID | str
    attempt: int
    log: models.Model | None
    fields: Mapping[str, Any]


def finish_attempt(
    model: type[ScheduledWork],
    *,
    pk: Any,
    token: uuid.UUID | str,
    attempt: int,
    log: models.Model | None = None,
    **fields: Any,
) -> bool:
    """Record the end of attempt number ``attempt``; False, and nothing written, if
    the row is no longer in that attempt (its lease was taken back, and perhaps a
    new attempt started).

    ``log``, an unsaved row (an attempt record), is inserted with it; on
    PostgreSQL both go in one statement. A dropped database connection is
    retried for up to ``SCHEDULER_LEASE_SECS``, the margin the run lease leaves
    after an attempt's deadline: the outcome is known and worth keeping.
    """
    return finish_attempts(model, [Finish(pk, token, attempt, log, fields)])[0]


def finish_attempts(model: type[ScheduledWork], finishes: Sequence[Finish]) -> list[bool]:
    """``finish_attempt`` for each of ``finishes``; on PostgreSQL, those that set the same
    fields (with logs of one model, or none) go in one statement (a worker's batch, see
    ``core.batches``). Returns, for each, whether it was recorded."""
    table = _table(model)
    persist = float(settings.SCHEDULER_LEASE_SECS)
    kept: dict[int, bool] = {}
    groups: dict[tuple[Any, ...], list[int]] = {}
    for n, finish in enumerate(finishes):
        if any(hasattr(value, "resolve_expression") for value in finish.fields.values()):
            kept[n] = _finish_with_orm(model, finish, persist)
        else:
            groups.setdefault((tuple(finish.fields), type(finish.log)), []).append(n)
    for members in groups.values():
        together = [finishes[n] for n in members]
        if len(together) > 1 and table.vendor == "postgresql":
            done = _finish_together(table, together, persist)
        else:
            done = [_finish_one(table, finish, persist) for finish in together]
        kept.update(zip(members, done, strict=True))
    return [kept[n] for n in range(len(finishes))]


def _finish_one(table: _Table, finish: Finish, persist: float) -> bool:
    model = table.model
    assignments = ", ".join(f"{table.column(name)} = %s" for name in finish.fields)
    sql = f"UPDATE {table.name} SET {assignments} WHERE {table.attempt_match}"  # noqa: S608
    params = [table.value(name, value) for name, value in finish.fields.items()]
    params += [
        table.value(model._meta.pk.name, finish.pk),
        model.RUNNING,
        table.value("dispatch_token", finish.token),
        finish.attempt,
    ]
    if finish.log is None:
        return bool(_execute(table, sql, params, persist_secs=persist) == 1)
    statement, log_params = _insert(finish.log, table.alias)
    if table.vendor == "postgresql":
        combined = f"WITH finished AS ({sql} RETURNING 1) {statement.select} FROM finished"
        return bool(_execute(table, combined, [*params, *log_params], persist_secs=persist) == 1)

    def update_then_log() -> bool:
        with transaction.atomic(using=table.alias):
            with connections[table.alias].cursor() as cursor:
                cursor.execute(sql, params)
                if cursor.rowcount != 1:
                    return False
                cursor.execute(statement.sql, log_params)
        return True

    return reconnecting(table.alias, update_then_log, persist_secs=persist)


def _finish_together(table: _Table, finishes: Sequence[Finish], persist: float) -> list[bool]:
    """Attempts that set the same fields (with logs of one model, or none), in one
    statement on PostgreSQL, whose text does not depend on their number (each value
    goes in an array per column): the rows still in their attempts are changed and their
    logs inserted; returns, for each, whether it was."""
    if len({str(f.pk) for f in finishes}) < len(finishes):
        return [_finish_one(table, finish, persist) for finish in finishes]
    model = table.model
    names = list(finishes[0].fields)
    key_name = model._meta.pk.name
    columns = [key_name, "dispatch_token", "attempts", *names]
    arrays = [
        [table.value(key_name, f.pk) for f in finishes],
        [table.value("dispatch_token", f.token) for f in finishes],
        [f.attempt for f in finishes],
        *([table.value(name, f.fields[name]) for f in finishes] for name in names),
    ]
    unnest = ", ".join(table.array(name) for name in columns)
    aliases = ", ".join(f"c{n}" for n in range(len(columns)))
    assignments = ", ".join(f"{table.column(name)} = v.c{n}" for n, name in enumerate(names, start=3))
    sql = (
        f"UPDATE {table.name} SET {assignments} "  # noqa: S608 (quoted identifiers only)
        f"FROM unnest({unnest}) AS v ({aliases}) "
        f"WHERE {table.name}.{table.pk} = v.c0 AND {table.name}.{table.column('status')} = %s "
        f"AND {table.name}.{table.column('dispatch_token')} = v.c1 "
        f"AND {table.name}.{table.column('attempts')} = v.c2 "
        f"RETURNING {table.name}.{table.pk}"
    )
    params: list[Any] = [*arrays, model.RUNNING]
    logs = [f.log for f in finishes if f.log is not None]
    if logs:
        sql, params = _logging(table, sql, params, logs)
    changed = _keys(model, table.alias, _execute_all(table, sql, params, persist_secs=persist))
    return [model._meta.pk.to_python(f.pk) in changed for f in finishes]


def _logging(table: _Table, update: str, params: list[Any], logs: list[models.Model]) -> tuple[str, list]:
    """``update`` (returning the keys of the rows it changed) with an ``INSERT`` of the logs
    of those rows, in one statement that returns the keys of the rows logged."""
    connection = connections[table.alias]
    statement, _ = _insert(logs[0], table.alias)
    fields = statement.fields
    link = next(n for n, f in enumerate(fields) if f.is_relation and f.related_model is table.model)
    rows = [_insert(log, table.alias)[1] for log in logs]
    arrays = [[row[n] for row in rows] for n in range(len(fields))]
    unnest = ", ".join(f"CAST(%s AS {_column_type(f, connection)}[])" for f in fields)
    aliases = ", ".join(f"c{n}" for n in range(len(fields)))
    into = statement.sql.split(" VALUES ", 1)[0]
    sql = (
        f"WITH finished AS ({update}) {into} SELECT {aliases} "  # noqa: S608 (quoted identifiers only)
        f"FROM unnest({unnest}) AS l ({aliases}) JOIN finished ON finished.{table.pk} = l.c{link} "
        f"RETURNING {connection.ops.quote_name(str(fields[link].column))}"
    )
    return sql, [*params, *arrays]


def _finish_with_orm(model: type[ScheduledWork], finish: Finish, persist: float) -> bool:
    """A finish whose fields hold expressions (``F("retry_count") + 1``), through the ORM."""

    def update() -> bool:
        with transaction.atomic(using=router.db_for_write(model)):
            matched = rows(model).filter(
                pk=finish.pk, status=model.RUNNING, dispatch_token=finish.token, attempts=finish.attempt
            )
            if matched.update(**finish.fields) != 1:
                return False
            if finish.log is not None:
                finish.log.save(force_insert=True)
        return True

    return reconnecting(router.db_for_write(model), update, persist_secs=persist)


def defer_attempt(
    model: type[ScheduledWork],
    *,
    pk: Any,
    token: uuid.UUID | str,
    attempt: int,
    delay: float,
    log: models.Model | None = None,
    **fields: Any,
) -> bool:
    """Put a running row back to pending, due again after ``delay`` seconds (``deferral``)."""
    return finish_attempt(
        model, pk=pk, token=token, attempt=attempt, log=log, **deferral(model, delay), **fields
    )


def deferral(model: type[ScheduledWork], delay: float) -> dict[str, Any]:
    """The fields that put a running row back to pending, due again after ``delay`` seconds.

    Within the lookahead the caller re-sends the task itself (a retry) and the lease
    stops a sweep from sending it twice; beyond it the row waits in the database,
    unleased, for a later sweep.
    """
    now = clock.now()
    due_at = now + timedelta(seconds=delay)
    lease_until = due_at + dispatch_lease() if due_at <= now + lookahead() else None
    return {"status": model.PENDING, "due_at": due_at, "lease_until": lease_until}


def retry_in_flight(delay: float) -> bool:
    """Whether a retry after ``delay`` seconds is sent now (else a sweep sends it later)."""
    return delay <= settings.SCHEDULER_LOOKAHEAD_SECS


def after(seconds: float) -> datetime:
    """The time ``seconds`` from now."""
    return clock.now() + timedelta(seconds=seconds)


def eta_for(due_at: datetime) -> datetime | None:
    return due_at if due_at > clock.now() else None


def model_of(task: Any) -> type[ScheduledWork]:
    """The model whose rows a task works on (its ``scheduled_model``, e.g. ``"timers.Timer"``)."""
    return cast("type[ScheduledWork]", apps.get_model(task.scheduled_model))


def send_task(task: Any, claimed: Claimed, pk: Any) -> bool:
    """Send ``task(pk, token)`` to run at the row's due time (at once if that has passed).

    If the broker refuses it, the row's lease is let go and False returned: a
    sweep sends it as soon as the broker is back, not when the lease passes.
    """
    args = (pk, str(claimed.token))
    try:
        # A plain repr for Flower: Celery's own safe repr costs more than the rest of the publish.
        task.apply_async(
            args=args,
            eta=eta_for(claimed.due_at),
            argsrepr=repr(args),
            kwargsrepr="{}",
            producer=getattr(_publishing, "producer", None),
        )
    except Exception as exc:  # whatever the broker's client raised: the message was not taken
        logger.warning(
            "could not send %s(%s): %s; a sweep sends it once the broker is back", task.name, pk, exc
        )
        _release_quietly(model_of(task), [claimed.pk])
        return False
    return True


def retry_task(task: Any, *, pk: Any, delay: float) -> None:
    """Send the running task again after ``delay`` seconds as a Celery retry (same
    arguments, so the same token); if the broker refuses it, let the row's lease go
    so that a sweep sends it once it is due and the broker is back."""
    try:
        task.retry(countdown=delay)
    except Retry:
        raise
    except Exception as exc:  # whatever the broker's client raised: the retry was not sent
        logger.warning("could not send the retry of %s(%s): %s; a sweep sends it", task.name, pk, exc)
        _release_quietly(model_of(task), [pk])


def _release_quietly(model: type[ScheduledWork], pks: Collection[Any]) -> None:
    try:
        release_leases(model, pks)
    except DatabaseError as exc:
        logger.warning("could not let go of %s leases (%s): they pass by themselves", model.__name__, exc)
