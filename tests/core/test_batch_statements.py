"""A worker's batch: many attempts claimed in one statement and recorded in one statement,
each still getting exactly its own answer."""

import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scheduler_project.core import clock, scheduling
from scheduler_project.testing.factories import TenantFactory, TimerFactory
from timers.models import AttemptOutcome, Timer, TimerAttempt, TimerStatus

pytestmark = pytest.mark.django_db
RUN_LEASE = timedelta(seconds=60)


def due_timers(count: int) -> list[Timer]:
    now = timezone.now()
    return TimerFactory.create_batch(count, execute_at=now, due_at=now)


def test_claims_of_a_batch_go_in_one_statement_and_a_message_sent_twice_claims_once():
    timers = due_timers(5)
    items = [(t.pk, t.dispatch_token) for t in timers] * 2  # every message twice

    with CaptureQueriesContext(connection) as queries:
        claimed = scheduling.start_attempts(Timer, items, run_lease=RUN_LEASE)

    assert len(queries) == 1
    assert [row.pk for row in claimed[:5]] == [t.pk for t in timers]
    assert claimed[5:] == [None] * 5
    assert all(row.attempts == 1 and row.status == TimerStatus.EXECUTING for row in claimed[:5])
    assert Timer.objects.filter(status=TimerStatus.EXECUTING, attempts=1).count() == 5


def test_a_claim_with_another_token_or_not_yet_due_gets_nothing_in_a_batch():
    due = due_timers(1)[0]
    later = TimerFactory(execute_at=timezone.now() + timedelta(hours=1))

    claimed = scheduling.start_attempts(
        Timer,
        [(due.pk, uuid.uuid4()), (later.pk, later.dispatch_token), (str(due.pk), str(due.dispatch_token))],
        run_lease=RUN_LEASE,
    )

    assert claimed[0] is None and claimed[1] is None and claimed[2].pk == due.pk
    later.refresh_from_db()
    assert (later.status, later.attempts) == (TimerStatus.PENDING, 0)


def finish(row: Timer, n: int, *, now) -> scheduling.Finish:
    log = TimerAttempt(
        timer_id=row.pk, number=row.attempts, started_at=now, duration_ms=n, status_code=200,
        response_body=f"answer {n}", error="", outcome=AttemptOutcome.SUCCESS,
    )  # fmt: skip
    fields = {
        "status": TimerStatus.COMPLETED, "executed_at": now, "last_error": None, "lease_until": None,
        "updated_at": now,
    }  # fmt: skip
    return scheduling.Finish(row.pk, row.dispatch_token, row.attempts, log, fields)


def test_finishes_of_a_batch_go_in_one_statement_and_a_taken_back_attempt_records_nothing():
    rows = scheduling.start_attempts(
        Timer, [(t.pk, t.dispatch_token) for t in due_timers(6)], run_lease=RUN_LEASE
    )
    stale = rows[0]
    Timer.objects.filter(pk=stale.pk).update(attempts=2)  # taken back, and begun anew
    now = timezone.now()

    with CaptureQueriesContext(connection) as queries:
        kept = scheduling.finish_attempts(Timer, [finish(row, n, now=now) for n, row in enumerate(rows)])

    assert len(queries) == 1
    assert kept == [False] + [True] * 5
    completed = set(Timer.objects.filter(status=TimerStatus.COMPLETED).values_list("pk", flat=True))
    assert completed == {row.pk for row in rows[1:]}
    logs = {a.timer_id: a for a in TimerAttempt.objects.all()}
    assert TimerAttempt.objects.count() == 5 and stale.pk not in logs
    assert [logs[row.pk].response_body for row in rows[1:]] == [f"answer {n}" for n in range(1, 6)]
    assert Timer.objects.get(pk=stale.pk).status == TimerStatus.EXECUTING


def test_finishes_of_different_kinds_in_one_batch_each_get_their_own_fields():
    rows = scheduling.start_attempts(
        Timer, [(t.pk, t.dispatch_token) for t in due_timers(4)], run_lease=RUN_LEASE
    )
    now = timezone.now()
    deferred = {**scheduling.deferral(Timer, 1.0), "attempts": F("attempts") - 1}
    kinds = [
        finish(rows[0], 0, now=now),
        scheduling.Finish(rows[1].pk, rows[1].dispatch_token, 1, None, {**scheduling.deferral(Timer, 1.0)}),
        finish(rows[2], 2, now=now),
        scheduling.Finish(rows[3].pk, rows[3].dispatch_token, 1, None, deferred),  # through the ORM
    ]

    kept = scheduling.finish_attempts(Timer, kinds)

    assert kept == [True] * 4
    states = dict(Timer.objects.values_list("pk", "status"))
    assert [states[row.pk] for row in rows] == [
        TimerStatus.COMPLETED, TimerStatus.PENDING, TimerStatus.COMPLETED, TimerStatus.PENDING,
    ]  # fmt: skip
    assert Timer.objects.get(pk=rows[3].pk).attempts == 0
    assert TimerAttempt.objects.count() == 2


@pytest.mark.parametrize("count", [1, 2])
def test_a_worker_whose_clock_runs_fast_cannot_claim_before_the_database_says_it_is_due(count, monkeypatch):
    """The worker believes it is 5 s later than it is; rows due in 3 s by the database's
    clock stay unclaimed, alone or in a batch."""
    soon = timezone.now() + timedelta(seconds=3)
    timers = TimerFactory.create_batch(count, execute_at=soon, due_at=soon)
    monkeypatch.setattr(clock, "time", lambda: time.time() + 5)

    items = [(t.pk, t.dispatch_token) for t in timers]
    claimed = scheduling.start_attempts(Timer, items, run_lease=RUN_LEASE)

    assert claimed == [None] * count
    assert Timer.objects.filter(status=TimerStatus.PENDING, attempts=0).count() == count


def rows_read(table: str) -> int:
    """The rows this transaction has read from ``table`` so far, by any scan: sequential
    and bitmap scans count on the table, index scans on each index."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_stat_get_xact_tuples_fetched(%(t)s::regclass)"
            " + pg_stat_get_xact_tuples_returned(%(t)s::regclass)"
            " + (SELECT coalesce(sum(pg_stat_get_xact_tuples_fetched(indexrelid)), 0)"
            " FROM pg_index WHERE indrelid = %(t)s::regclass)",
            {"t": table},
        )
        return int(cursor.fetchone()[0])


def forget_statistics(table: str) -> None:
    """``table`` as PostgreSQL sees a table never analyzed (a new deployment's, or one
    truncated): no column statistics and no row count. Rolled back with the test."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pg_statistic WHERE starelid = %s::regclass", [table])
        cursor.execute("UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE oid = %s::regclass", [table])


@pytest.mark.parametrize("statistics", ["taken when nothing was pending", "never taken"])
def test_a_claim_and_a_finish_read_only_their_own_rows_however_many_are_due_and_whatever_the_statistics(
    statistics,
):
    """A burst on a table whose statistics lag it (autovacuum analyzes a table once a tenth
    of it has changed, and a new one not in its first minute): each claim of a few, and
    each finish of a few, must still read those few by key, not every due or running row
    through an index on the status."""
    tenant = TenantFactory()
    Timer.objects.bulk_create(TimerFactory.build_batch(3000, tenant=tenant, status=TimerStatus.COMPLETED))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE timers_timer")
    if statistics == "never taken":
        forget_statistics("timers_timer")
    now = timezone.now()
    Timer.objects.update(status=TimerStatus.PENDING, execute_at=now, due_at=now)
    keys = list(Timer.objects.values_list("pk", "dispatch_token"))
    scheduling.start_attempts(Timer, keys[:1500], run_lease=RUN_LEASE)  # half the burst running
    some = keys[1500:1516]
    before = rows_read("timers_timer")

    claimed = scheduling.start_attempts(Timer, some, run_lease=RUN_LEASE)

    assert all(row is not None for row in claimed)
    assert rows_read("timers_timer") - before <= 3 * len(some)

    before = rows_read("timers_timer")
    kept = scheduling.finish_attempts(Timer, [finish(row, n, now=now) for n, row in enumerate(claimed)])

    assert kept == [True] * len(some)
    assert rows_read("timers_timer") - before <= 3 * len(some)
