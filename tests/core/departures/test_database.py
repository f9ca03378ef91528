"""Upgrade tests of the connection handling in workers (core.departures.database,
docs/decisions/0007-database-reconnecting.md): Django replaces a broken connection only around
a request, and Celery's fixup only every ``CELERY_DB_REUSE_MAX`` tasks, so outside a request
a connection the server ended fails every statement until someone closes it."""

import inspect
from unittest.mock import Mock

import psycopg
import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.core import signals
from django.db import InterfaceError, OperationalError, close_old_connections, connection

from scheduler_project.core.departures import database


def _end_this_connection() -> None:
    pid = connection.connection.info.backend_pid
    params = connection.settings_dict
    address = {"host": params["HOST"], "port": params["PORT"] or 5432, "user": params["USER"]}
    with psycopg.connect(**address, dbname="postgres", autocommit=True) as server:
        server.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.django_db(transaction=True)
def test_outside_a_request_django_keeps_a_broken_connection_and_ours_replaces_it():
    """docs/decisions/0007-database-reconnecting.md: the bug on stock. After the server ended
    the connection (a database restart), every statement on it fails, the second as the
    first: nothing outside a request closes it. ``close_if_broken`` does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    _end_this_connection()

    for _ in range(2):
        with pytest.raises((OperationalError, InterfaceError)), connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    database.close_if_broken()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_django_closes_broken_connections_only_around_requests():
    """docs/decisions/0007-database-reconnecting.md: ``close_old_connections`` is connected to
    the request signals only; a worker sends neither."""
    for signal in (signals.request_started, signals.request_finished):
        assert any(entry[1]() is close_old_connections for entry in signal.receivers)


def test_celerys_fixup_closes_connections_only_every_so_many_tasks():
    """docs/decisions/0007-database-reconnecting.md: Celery's Django fixup closes the
    connections after a task only once every ``CELERY_DB_REUSE_MAX`` tasks (counted twice: on
    pre- and post-run), in whichever thread runs that task."""
    fixup = DjangoWorkerFixup(Mock(conf={"CELERY_DB_REUSE_MAX": 3}))
    fixup._close_database = Mock()  # type: ignore[method-assign]
    assert str(inspect.signature(DjangoWorkerFixup.close_database)) == "(self, **kwargs: Any) -> None"
    for _ in range(6):
        fixup.close_database()
    fixup._close_database.assert_not_called()
    fixup.close_database()
    fixup._close_database.assert_called_once()
