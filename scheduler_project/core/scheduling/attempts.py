"""Attempts: a row taken pending -> running, then its outcome recorded, many rows a
statement on PostgreSQL (a worker's batch, see ``core.departures.batched_strategy``).

An attempt is named by the token and its number (``attempts`` after the claim): once a
lease is taken back and the row claimed again, the first attempt's finish matches
nothing and can only be logged.
"""

import logging
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction

from scheduler_project.core import clock
from scheduler_project.core.departures.database import CONNECTION_ERRORS, reconnecting
from scheduler_project.core.models import ScheduledWork
from scheduler_project.core.scheduling.leases import START_TOLERANCE, deferral, holder, rows
from scheduler_project.core.scheduling.statements import (
    Table,
    column_type,
    execute,
    execute_all,
    insert_statement,
    returned_keys,
    table_for,
)

logger = logging.getLogger(__name__)


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
    PostgreSQL (a worker's batch, see ``core.departures.batched_strategy``); each gets its row, or None. Two
    items for one row and token (a message sent twice) get it once."""
    table = table_for(model)
    if len(items) > 1 and table.vendor == "postgresql":
        return _claim_together(table, run_lease, items)
    return [_claim_together(table, run_lease, [item])[0] for item in items]


def _claim_together(table: Table, run_lease: timedelta, items: Sequence[tuple[Any, Any]]) -> list[Any]:
    """``start_attempt`` for each (pk, token) of ``items``, in one statement; each gets its
    row, or None. Two items for one row and token (a message sent twice) get it once."""
    model = table.model
    now = clock.now()
    lease, holding = table.value("lease_until", now + run_lease), table.value("holder", holder())
    head = [model.RUNNING, lease, holding, model.PENDING]
    due_by = table.value("due_at", now + START_TOLERANCE)
    tail = [model.PENDING, due_by, model.RUNNING, holding, lease]
    keys = [table.value(model._meta.pk.name, pk) for pk, _ in items]
    tokens = [table.value("dispatch_token", token) for _, token in items]
    release_unconfirmed()
    try:
        if len(items) == 1:
            row = execute(table, table.claim, [*head, keys[0], tokens[0], *tail])
            return [table.instance(row) if row is not None else None]
        claimed = execute_all(table, table.claim_many, [*head, keys, tokens, *tail])
    except CONNECTION_ERRORS:
        with _unconfirmed_lock:
            _unconfirmed.append(Unconfirmed(model, keys, lease, holding))
        raise
    rows = {(str(row.pk), str(row.dispatch_token)): row for row in map(table.instance, claimed)}
    return [rows.pop((str(key), str(token)), None) for key, token in zip(keys, tokens, strict=True)]


@dataclass(frozen=True)
class Unconfirmed:
    """A claim that failed on a lost connection: the database may have committed it."""

    model: type[ScheduledWork]
    keys: list[Any]
    lease: Any
    holder: Any


# Claims of this process that may have been committed unseen, to be let go (``release_unconfirmed``).
_unconfirmed: list[Unconfirmed] = []
_unconfirmed_lock = threading.Lock()


def release_unconfirmed() -> None:
    """Put the rows of this process's unconfirmed claims back to pending, before its next
    claim: a claim the database committed but whose answer was lost would otherwise hold
    its rows, running and never attempted, until the run lease passed. A claim is matched
    by its holder and its lease to the microsecond, so no other claim's rows are touched;
    its messages were sent again (or stay unacknowledged), and the sweep sends the rows
    too (no lease): whichever comes first claims them, once. Raises if the database is
    still unavailable (the claims stay to be let go)."""
    if not _unconfirmed:
        return
    with _unconfirmed_lock:
        while _unconfirmed:
            claim = _unconfirmed[0]
            table = table_for(claim.model)
            params = [claim.model.PENDING, *claim.keys, claim.model.RUNNING, claim.lease, claim.holder]
            released = execute(table, table.unclaim(len(claim.keys)), params)
            if released:
                logger.warning(
                    "%d %s rows claimed as the database connection was lost went back to pending",
                    released, claim.model.__name__,
                )  # fmt: skip
            _unconfirmed.pop(0)


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
    ``core.departures.batched_strategy``). Returns, for each, whether it was recorded."""
    table = table_for(model)
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


def _finish_one(table: Table, finish: Finish, persist: float) -> bool:
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
        return bool(execute(table, sql, params, persist_secs=persist) == 1)
    statement, log_params = insert_statement(finish.log, table.alias)
    if table.vendor == "postgresql":
        combined = f"WITH finished AS ({sql} RETURNING 1) {statement.select} FROM finished"
        return bool(execute(table, combined, [*params, *log_params], persist_secs=persist) == 1)

    def update_then_log() -> bool:
        with transaction.atomic(using=table.alias):
            with connections[table.alias].cursor() as cursor:
                cursor.execute(sql, params)
                if cursor.rowcount != 1:
                    return False
                cursor.execute(statement.sql, log_params)
        return True

    return reconnecting(table.alias, update_then_log, persist_secs=persist)


def _finish_together(table: Table, finishes: Sequence[Finish], persist: float) -> list[bool]:
    """Attempts that set the same fields (with logs of one model, or none), in one
    statement on PostgreSQL, whose text does not depend on their number (each value
    goes in an array per column): the rows still in their attempts are changed and their
    logs inserted; returns, for each, whether it was. The status is tested inside a
    ``CASE`` so that the rows are read by their keys, never through an index on the status
    (see ``Table.claim_condition``): in a burst every leased row is running."""
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
        f"WHERE {table.name}.{table.pk} = v.c0 AND CASE WHEN {table.name}.{table.column('status')} = %s "
        f"THEN {table.name}.{table.column('dispatch_token')} = v.c1 "
        f"AND {table.name}.{table.column('attempts')} = v.c2 ELSE false END "
        f"RETURNING {table.name}.{table.pk}"
    )
    params: list[Any] = [*arrays, model.RUNNING]
    logs = [f.log for f in finishes if f.log is not None]
    if logs:
        sql, params = _logging(table, sql, params, logs)
    changed = returned_keys(model, table.alias, execute_all(table, sql, params, persist_secs=persist))
    return [model._meta.pk.to_python(f.pk) in changed for f in finishes]


def _logging(table: Table, update: str, params: list[Any], logs: list[models.Model]) -> tuple[str, list]:
    """``update`` (returning the keys of the rows it changed) with an ``INSERT`` of the logs
    of those rows, in one statement that returns the keys of the rows logged."""
    connection = connections[table.alias]
    statement, _ = insert_statement(logs[0], table.alias)
    fields = statement.fields
    link = next(n for n, f in enumerate(fields) if f.is_relation and f.related_model is table.model)
    rows = [insert_statement(log, table.alias)[1] for log in logs]
    arrays = [[row[n] for row in rows] for n in range(len(fields))]
    unnest = ", ".join(f"CAST(%s AS {column_type(f, connection)}[])" for f in fields)
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
