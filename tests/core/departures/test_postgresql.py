"""The PostgreSQL backend and options (core.departures.postgresql, settings.py;
docs/decisions/0008-postgresql-backend.md): PostgreSQL prepares the statements every delivery
repeats, unless turned off; a kept connection is checked before a request's first statement
without a round trip; and the upgrade tests, which pin what stock does instead."""

import inspect
import json
import os
import socket
import subprocess
import sys
import threading
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.base import Cursor as StockClientCursor
from django.db.backends.postgresql.base import DatabaseWrapper as StockWrapper
from django.db.backends.postgresql.base import ServerBindingCursor
from django.utils import timezone
from psycopg import pq

from scheduler_project.core import scheduling
from scheduler_project.testing.factories import TimerFactory
from scheduler_project.testing.servers import eventually
from timers.models import Timer


@pytest.mark.django_db(transaction=True)
def test_the_claim_is_prepared_after_a_few_runs() -> None:
    timers = TimerFactory.create_batch(7, execute_at=timezone.now() - timedelta(seconds=1))
    for timer in timers:
        assert scheduling.start_attempt(
            Timer, pk=timer.pk, token=timer.dispatch_token, run_lease=timedelta(seconds=30)
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(statement.startswith('UPDATE "timers_timer" SET "status"') for statement in prepared)


def _prepare_threshold(value: str | None) -> object:
    env = {k: v for k, v in os.environ.items() if k != "DB_PREPARE_THRESHOLD"}
    env["DJANGO_SETTINGS_MODULE"] = "scheduler_project.settings"
    if value is not None:
        env["DB_PREPARE_THRESHOLD"] = value
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


CONNECT = """
import json, time
from django.db import OperationalError, connection
started = time.monotonic()
try:
    connection.ensure_connection()
except OperationalError as exc:
    print(json.dumps({"seconds": time.monotonic() - started, "error": str(exc)}))
"""


@pytest.mark.parametrize(
    ("query", "variable", "at_most"), [("", "2", 5.0), ("?connect_timeout=4", "2", 7.0), ("", "", 8.0)]
)
def test_a_database_that_never_answers_is_given_up_within_seconds(query, variable, at_most) -> None:
    """A host that takes the connection and then says nothing (a hung server, a proxy whose
    database is gone): a new connection fails after DB_CONNECT_TIMEOUT seconds (5 unless
    set; the URL's own connect_timeout wins), so a request answers 503 and a task retries."""
    silent = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(silent.accept()[0]), daemon=True).start()
    env = {k: v for k, v in os.environ.items() if k != "DB_CONNECT_TIMEOUT"}
    port = silent.getsockname()[1]
    env.update(DJANGO_SETTINGS_MODULE="scheduler_project.settings",
               DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/silent{query}")  # fmt: skip
    if variable:
        env["DB_CONNECT_TIMEOUT"] = variable
    try:
        out = subprocess.run(
            [sys.executable, "-c", CONNECT], env=env, capture_output=True, text=True, timeout=60
        )
    finally:
        silent.close()
    assert out.returncode == 0 and out.stdout, out.stderr
    failed = json.loads(out.stdout.strip().splitlines()[-1])
    assert "timeout" in failed["error"], failed
    assert at_most - 3.5 <= failed["seconds"] <= at_most, failed


def test_preparing_is_on_by_default_and_zero_turns_it_off() -> None:
    assert _prepare_threshold(None) == 5
    assert _prepare_threshold("0") is None  # e.g. behind PgBouncer in transaction mode


def _server() -> psycopg.Connection:
    """Another connection to the same server, to look at (and end) the test's own."""
    params = connection.settings_dict
    address = {"host": params["HOST"], "port": params["PORT"] or 5432, "user": params["USER"]}
    return psycopg.connect(**address, dbname="postgres", autocommit=True)


@pytest.mark.django_db(transaction=True)
def test_a_healthy_connection_is_kept_without_a_round_trip_and_one_the_server_ended_is_replaced() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'before the check'")
    pid = connection.connection.info.backend_pid
    with _server() as server:
        assert connection.is_usable()
        (last,) = server.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
        assert last == "SELECT 'before the check'"  # the check sent nothing

        server.execute("SELECT pg_terminate_backend(%s)", [pid])
        eventually(lambda: not connection.is_usable(), timeout=5)

    # What a request does before its first statement: the ended connection is replaced.
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


# --- upgrade tests: the stock behaviour this departure relies on or corrects -------------------


@pytest.mark.django_db(transaction=True)
def test_stock_health_check_is_a_round_trip() -> None:
    """docs/decisions/0008-postgresql-backend.md: Django's PostgreSQL backend checks a kept
    connection with a ``SELECT 1`` sent to the server, so a check without one is still a gain."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'before the check'")
    pid = connection.connection.info.backend_pid
    assert StockWrapper.is_usable(connection)
    with _server() as server:
        (last,) = server.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    assert last == "SELECT 1"


def test_stock_backend_binds_on_the_client_and_prepares_nothing_unless_asked() -> None:
    """docs/decisions/0008-postgresql-backend.md: without the options settings.py sets, Django
    interpolates parameters on the client (a psycopg ``ClientCursor``) and turns psycopg's preparing
    off (``prepare_threshold`` None)."""
    params = {**connection.settings_dict, "OPTIONS": {}}
    stock = StockWrapper(params).get_connection_params()
    assert stock["cursor_factory"] is StockClientCursor
    assert stock["prepare_threshold"] is None
    ours = StockWrapper(connection.settings_dict).get_connection_params()
    assert ours["cursor_factory"] is ServerBindingCursor
    assert ours["prepare_threshold"] == 5


@pytest.mark.django_db(transaction=True)
def test_what_the_poll_check_reads_of_psycopg_is_still_there() -> None:
    """docs/decisions/0008-postgresql-backend.md: the connection state ``is_usable`` reads."""
    connection.ensure_connection()
    raw = connection.connection
    assert raw.broken is False and raw.closed is False
    assert raw.pgconn.status == pq.ConnStatus.OK
    assert raw.pgconn.transaction_status == pq.TransactionStatus.IDLE
    assert isinstance(raw.pgconn.socket, int)
    assert str(inspect.signature(StockWrapper.is_usable)) == "(self)"
