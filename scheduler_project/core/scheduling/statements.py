"""The hot path's SQL, written out once per model from its metadata (``Table``: the claim
of one row or many, an attempt's finish), a prepared ``INSERT`` (``insert``, and
``insert_many`` for a batch of new rows), and many rows
updated each with its own values in one statement (``update_each``): on these paths the
ORM's query compiler cost more CPU than the statements themselves."""

import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

from scheduler_project.core.departures.database import reconnecting
from scheduler_project.core.models import ScheduledWork
from scheduler_project.core.scheduling.leases import START_TOLERANCE


class Table:
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
        self.same = "IS NOT DISTINCT FROM" if self.vendor == "postgresql" else "IS"  # NULL-safe =
        self.name = self.quote(meta.db_table)
        self.fields: dict[str, models.Field] = {}
        for found in meta.concrete_fields:
            assert isinstance(found, models.Field)
            self.fields[found.name] = self.fields[found.attname] = found
        self.pk = self.column(meta.pk.name)
        returning = ", ".join(self.quote(str(f.column)) for f in meta.concrete_fields)
        attempts = self.column("attempts")
        # start_attempt's claim; its parameters: running, lease, holder, pending, pk, token,
        # pending, due by, running, holder, lease (see ``claim_condition``).
        self.claim = (
            f"UPDATE {self.name} "  # noqa: S608
            f"SET {self.claim_assignments('')} "
            f"WHERE {self.pk} = %s AND {self.column('dispatch_token')} = %s "
            f"AND {self.claim_condition('')}"
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
        running, lease, holder, pending, the keys, the tokens (two arrays), pending, due by,
        running, holder, lease."""
        meta = self.model._meta
        returning = ", ".join(f"{self.name}.{self.quote(str(f.column))}" for f in meta.concrete_fields)
        return (
            f"UPDATE {self.name} "  # noqa: S608
            f"SET {self.claim_assignments(self.name + '.')} "
            f"FROM unnest({self.array(meta.pk.name)}, {self.array('dispatch_token')}) AS v (key, token) "
            f"WHERE {self.name}.{self.pk} = v.key AND {self.name}.{self.column('dispatch_token')} = v.token "
            f"AND {self.claim_condition(self.name + '.')}"
            f"RETURNING {returning}"
        )

    def claim_assignments(self, prefix: str) -> str:
        """What a claim sets: running, its lease and holder, one attempt more (not on the
        claim's own second run, see ``claim_condition``)."""
        attempts = self.column("attempts")
        return (
            f"{self.column('status')} = %s, {self.column('lease_until')} = %s, {self.column('holder')} = %s, "
            f"{attempts} = CASE WHEN {prefix}{self.column('status')} = %s "
            f"THEN {prefix}{attempts} + 1 ELSE {prefix}{attempts} END"
        )

    def claim_condition(self, prefix: str) -> str:
        """Which rows a claim takes: pending and due; or already taken by this very claim
        (running, with its holder and its lease to the microsecond). A claim whose answer a
        dropped connection lost may have been committed: run again on a new connection, it
        gets its rows back, rather than finding them running and leaving them to their lease.

        Spelt so that no index but the primary key's serves it: the status is tested inside
        a ``CASE``, which no index matches and which proves no partial index's predicate
        (``status = 'pending' AND due_at <= ...`` would prove the due index's, and a bare
        ``status IN (...)`` matches the tenant's index on status). The statistics lag a burst
        (autovacuum analyzes a table once a tenth of it has changed, and a new table not for
        its first minute), and a planner that believed few rows pending read every due row
        through one of those for each claim of a few."""
        status, same = f"{prefix}{self.column('status')}", self.same
        due, holder, lease = (f"{prefix}{self.column(name)}" for name in ("due_at", "holder", "lease_until"))
        return (
            f"CASE WHEN {status} = %s THEN {due} <= %s {self.due_by_database(prefix)}"
            f"WHEN {status} = %s THEN {holder} {same} %s AND {lease} = %s ELSE false END "
        )

    def unclaim(self, count: int) -> str:
        """Rows of one claim back to pending, unleased, the attempt it counted uncounted;
        parameters: pending, ``count`` keys, running, the claim's lease and holder."""
        attempts, keys = self.column("attempts"), ", ".join(["%s"] * count)
        return (
            f"UPDATE {self.name} SET {self.column('status')} = %s, "  # noqa: S608
            f"{self.column('lease_until')} = NULL, {attempts} = {attempts} - 1 "
            f"WHERE {self.pk} IN ({keys}) AND {self.column('status')} = %s "
            f"AND {self.column('lease_until')} = %s AND {self.column('holder')} {self.same} %s"
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
        return f"CAST(%s AS {column_type(self.fields[name], connections[self.alias])}[])"

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


_tables: dict[tuple[type[ScheduledWork], str], Table] = {}


def table_for(model: type[ScheduledWork]) -> Table:
    alias = router.db_for_write(model)
    found = _tables.get((model, alias))
    if found is None:
        found = _tables[(model, alias)] = Table(model, alias)
    return found


def execute(table: Table, sql: str, params: list[Any], *, persist_secs: float = 0.0) -> Any:
    """Run one statement; returns the first row it returned, or its row count."""

    def run() -> Any:
        with connections[table.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone() if cursor.description else cursor.rowcount

    return reconnecting(table.alias, run, persist_secs=persist_secs)


def execute_all(table: Table, sql: str, params: list[Any], *, persist_secs: float = 0.0) -> list[Any]:
    """Run one statement; returns every row it returned."""

    def run() -> list[Any]:
        with connections[table.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return reconnecting(table.alias, run, persist_secs=persist_secs)


@dataclass(frozen=True)
class InsertStatement:
    sql: str
    fields: list[models.Field]
    # The same row as a SELECT list with explicit types, for an insert that depends
    # on another statement's outcome (PostgreSQL cannot infer a bare parameter's type).
    select: str


_inserts: dict[tuple[type[models.Model], str], InsertStatement] = {}


def insert_statement(instance: models.Model, alias: str) -> tuple[InsertStatement, list[Any]]:
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
        typed = ", ".join(f"CAST(%s AS {column_type(f, connection)})" for f in fields)
        statement = _inserts[(model, alias)] = InsertStatement(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
            fields,
            f"INSERT INTO {table} ({columns}) SELECT {typed}",
        )
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in statement.fields]
    return statement, values


def column_type(field: models.Field, connection: Any) -> str:
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    return str(target.db_type(connection))


def insert(instance: models.Model) -> None:
    """Save a new row with one prepared ``INSERT``: ``Model.objects.create`` without
    the ORM's query compiler (the create path of every timer). No signals are sent,
    and the primary key must come from a default (not from the database)."""
    alias = router.db_for_write(type(instance))
    statement, params = insert_statement(instance, alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(statement.sql, params)
    instance._state.adding = False
    instance._state.db = alias


def build_many(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> list[Any]:
    """Unsaved instances of ``model``, one per mapping of attribute names (``tenant_id``, not
    ``tenant``) to values. Built positionally, as the ORM builds the rows it reads:
    ``Model(**fields)`` looks up every field's default and descriptor again for each row.
    A field a mapping leaves out takes its default, a callable one called for each row."""
    plan = []
    for found in model._meta.concrete_fields:
        if found.has_default() and callable(found.default):
            plan.append((found.attname, found.get_default, True))
        else:
            plan.append((found.attname, found.get_default(), False))
    return [
        model(
            *[row[name] if name in row else (default() if each else default) for name, default, each in plan]
        )
        for row in rows
    ]


def insert_many(instances: Sequence[models.Model]) -> None:
    """Save new rows of one model: ``insert``'s statement run for each row, all of them in one
    pipeline (psycopg's ``executemany``), where ``bulk_create`` compiled one statement through
    the ORM (a batch of timers). As ``insert``: no signals, primary keys from defaults. A value
    that is the very same object in every row (the tenant, the status, a shared ``None``) is
    prepared once; ``auto_now`` fields take one time for all rows."""
    if not instances:
        return
    model = type(instances[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    statement = insert_statement(instances[0], alias)[0]
    now = timezone.now()
    for found in statement.fields:
        if getattr(found, "auto_now", False) or getattr(found, "auto_now_add", False):
            for instance in instances:
                setattr(instance, found.attname, now)
    columns: list[Iterable[Any]] = []
    for found in statement.fields:
        values = [getattr(instance, found.attname) for instance in instances]
        first = values[0]
        if all(value is first for value in values):
            columns.append(itertools.repeat(found.get_db_prep_save(first, connection), len(values)))
        else:
            columns.append([found.get_db_prep_save(value, connection) for value in values])
    with connections[alias].cursor() as cursor:
        cursor.executemany(statement.sql, list(zip(*columns, strict=True)))
    for instance in instances:
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
    row = ", ".join(f"CAST(%s AS {column_type(f, connection)})" if typed else "%s" for f in fields)
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
        return returned_keys(model, alias, cursor.fetchall())


def returned_keys(model: type[models.Model], alias: str, returned: Sequence[Any]) -> set[Any]:
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
