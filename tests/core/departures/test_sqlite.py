"""Upgrade tests of the SQLite options (settings.py; docs/decisions/0009-sqlite-wal-immediate.md):
Django's SQLite backend still opens a rollback-journal database and begins deferred
transactions unless told otherwise, and SQLite still fails a deferred transaction's write at
once, whatever the busy timeout, when another connection wrote after it read."""

import sqlite3
import time

import pytest
from django.db.utils import ConnectionHandler


def test_stock_backend_uses_a_rollback_journal_and_deferred_transactions(tmp_path, django_db_blocker):
    """docs/decisions/0009-sqlite-wal-immediate.md: what Django does without the options."""
    stock = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "db"}})
    with django_db_blocker.unblock():  # a database of its own, not the tests'
        try:
            with stock["default"].cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone() == ("delete",)
            assert stock["default"].transaction_mode is None  # BEGIN, that is DEFERRED
        finally:
            stock.close_all()


def test_a_deferred_transaction_that_read_fails_its_write_at_once_after_another_wrote(tmp_path):
    """docs/decisions/0009-sqlite-wal-immediate.md: the bug with stock's deferred
    transactions (in WAL mode): the busy timeout does not help a transaction whose snapshot
    another writer moved on; with ``BEGIN IMMEDIATE`` the second writer waits its turn."""
    path = tmp_path / "db"
    writer = sqlite3.connect(path, timeout=5, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (x)")
    reader = sqlite3.connect(path, timeout=5, isolation_level=None)

    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM t").fetchall()
    writer.execute("INSERT INTO t VALUES (1)")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        reader.execute("INSERT INTO t VALUES (2)")
    assert time.monotonic() - started < 1  # failed at once: the 5 s timeout did not apply
    reader.execute("ROLLBACK")

    reader.execute("BEGIN IMMEDIATE")  # the write lock at BEGIN: others wait for it
    waiting = sqlite3.connect(path, timeout=0.2, isolation_level=None)
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        waiting.execute("BEGIN IMMEDIATE")
    assert time.monotonic() - started >= 0.2  # it waited its busy timeout
    reader.execute("ROLLBACK")
    for connection in (writer, reader, waiting):
        connection.close()
