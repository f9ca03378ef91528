"""A database that cannot be used answers 503 with Retry-After; a statement it refused is
the service's own error, never presented as an outage."""

import sqlite3

from django.db import OperationalError
from django.test import RequestFactory

from scheduler_project.core.middleware import DatabaseUnavailableMiddleware


def answer_to(error: sqlite3.OperationalError) -> int | None:
    """The middleware's answer to SQLite's ``error`` as Django raises it (its own
    OperationalError, caused by sqlite3's); None: left to the 500 handler."""
    try:
        raise OperationalError(*error.args) from error
    except OperationalError as wrapped:
        middleware = DatabaseUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type, return-value]
        response = middleware.process_exception(RequestFactory().get("/jobs"), wrapped)
    return None if response is None else response.status_code


def refused(statement: str, connection: sqlite3.Connection) -> sqlite3.OperationalError:
    try:
        connection.execute(statement)
    except sqlite3.OperationalError as error:
        return error
    raise AssertionError(f"{statement} ran")


def test_a_statement_sqlite_refuses_is_not_answered_as_an_outage() -> None:
    error = refused("SELECT JSON_EXTRACT('not json', '$')", sqlite3.connect(":memory:"))

    assert answer_to(error) is None


def test_a_locked_sqlite_database_is_answered_503(tmp_path) -> None:
    path = tmp_path / "db.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")

    error = refused("INSERT INTO t VALUES (1)", sqlite3.connect(path, timeout=0))

    assert answer_to(error) == 503
