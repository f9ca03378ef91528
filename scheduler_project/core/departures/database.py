"""Database connections that survive a database restart, in every worker thread.

Django replaces a broken connection only around web requests; Celery's fixup
only every ``CELERY_DB_REUSE_MAX`` tasks, and in the thread it happens to run
in. After a restart of the database every pooled connection is dead, so each
delivery thread would fail every task until the worker was restarted. Here:

* a statement of the hot path that meets a dropped connection closes it and runs
  once more on a new one (``reconnecting``);
* after each task, a connection that saw an error and is broken is closed, and
  every other thread of the process closes its own before its next task (they
  were almost certainly cut off by the same restart).

Decision record: docs/decisions/0007-database-reconnecting.md.
"""

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)
T = TypeVar("T")

# What a dropped or refused database connection raises; the statement did not run, ran in
# a transaction the database rolled back, or (its answer lost) was committed: a statement
# run again must be safe to repeat (a claim is: core.scheduling.statements.claim_condition).
CONNECTION_ERRORS = (OperationalError, InterfaceError)


def unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database could not be reached or used (busy, locked, gone),
    rather than that a statement was wrong. SQLite raises OperationalError for both; a
    statement it refuses (malformed JSON, no such column) is its generic SQLITE_ERROR."""
    if not isinstance(exc, CONNECTION_ERRORS):
        return False
    code = getattr(exc.__cause__, "sqlite_errorcode", None)
    return code is None or code & 0xFF != sqlite3.SQLITE_ERROR


_generation = 0  # bumped whenever a thread finds its connection broken
_local = threading.local()


def _close(connection: object) -> None:
    try:
        connection.close()  # type: ignore[attr-defined]
    except DatabaseError:
        pass


def _broken(alias: str) -> None:
    """Close this thread's broken connection and tell the other threads to renew theirs."""
    global _generation
    _close(connections[alias])
    _generation += 1
    _local.generation = _generation


def reconnecting(alias: str, work: Callable[[], T], *, persist_secs: float = 0.0) -> T:
    """``work()``, run once more on a new connection if the one it found had been dropped.

    Outside a transaction, a connection error closes the connection and ``work``
    (one self-contained statement, or a few that are safe to repeat) runs again
    at once; with ``persist_secs`` it keeps trying, backing off, for that long (an
    attempt's outcome is worth waiting for), then the error is raised.
    """
    connection = connections[alias]
    deadline = time.monotonic() + persist_secs
    pause, tries = 0.1, 0
    while True:
        try:
            return work()
        except CONNECTION_ERRORS:
            if connection.in_atomic_block:
                raise
            tries += 1
            _broken(alias)
            if tries > 1:
                if time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 2.0)


def renew_if_stale() -> None:
    """Before a task: if another thread found the database gone since this thread's last
    task, close this thread's connections too (the next statement opens new ones)."""
    if getattr(_local, "generation", 0) == _generation:
        return
    _local.generation = _generation
    for connection in connections.all(initialized_only=True):
        _close(connection)


def close_if_broken() -> None:
    """After a task: close a connection that saw an error and is no longer usable."""
    for connection in connections.all(initialized_only=True):
        raw = connection.connection
        if raw is None or not connection.errors_occurred:
            continue
        # psycopg marks a connection the server dropped as broken (or closed).
        if getattr(raw, "broken", False) or getattr(raw, "closed", False):
            logger.warning("database connection %s was lost; reconnecting on the next task", connection.alias)
            _broken(connection.alias)
        else:
            connection.errors_occurred = False
