"""A broker restart and a database restart under load, against servers of the tests' own:
every worker recovers by itself, no timer is lost or delivered twice, and timers due
during the outage fire within seconds of the server's return (not a lease later)."""

import time
from dataclasses import replace
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings

from scheduler_project.core.middleware import IN_DOUBT
from tests.e2e.conftest import Created, Load, Stack, delivered_once_each, migrate, tally

# These start whole stacks of processes: one pytest worker runs them one after another, so
# they do not load the two cores together (make test uses --dist loadgroup).
pytestmark = pytest.mark.xdist_group("whole-stack")

# Timers due during an outage arrive within this many seconds of the server's return.
# The dispatch lease is 30 s: anything that waited for it would miss this by far.
RECOVERY_SECS = 8.0
NOT_STORED = "database unavailable; try again shortly"


def test_a_redis_restart_under_load_loses_nothing_and_every_worker_reconnects(
    processes, private_redis, receiver, fault_report
):
    env = {"REDIS_URL": private_redis.url, "CELERY_BROKER_URL": private_redis.url}
    stack = Stack(processes, env, settings.API_KEY).start()
    load = Load(stack, receiver, rate=30, seconds=9, ahead=3).start()

    time.sleep(4)
    private_redis.stop()
    time.sleep(3)
    private_redis.start()
    back_at = time.time()
    created = load.join()

    # The rate limit's cache is this Redis too: creates were stored and answered 201.
    refused = [(c.status, c.body) for c in created if c.status != 201]
    assert refused == []
    hits = delivered_once_each(receiver, created, timeout=60)
    due_during_outage = [n for n, c in enumerate(created) if c.due < back_at]
    assert len(due_during_outage) > 30
    for n in due_during_outage:
        arrived = hits[f"/load/{n}"].arrived
        assert arrived - max(created[n].due, back_at) <= RECOVERY_SECS, (n, arrived - back_at)
    assert all(worker.poll() is None for worker in stack.workers), processes.logs()[-3000:]
    assert "Connection to broker lost" in processes.logs()
    fault_report(tally("Redis stopped for 3 s", receiver, created))


def test_a_postgresql_restart_under_load_answers_503_and_then_delivers_every_stored_timer_once(
    processes, private_postgres, receiver, fault_report
):
    env = {"DATABASE_URL": private_postgres.url}
    migrate(processes, env)
    stack = Stack(processes, env, settings.API_KEY).start()
    load = Load(stack, receiver, rate=30, seconds=11, ahead=4).start()

    time.sleep(4)
    down_at = time.time()
    private_postgres.stop(mode="immediate")
    time.sleep(5)
    private_postgres.start()
    back_at = time.time()
    created = load.join()

    assert {c.status for c in created} == {201, 503}
    for unavailable in (c for c in created if c.status == 503):
        assert unavailable.body["code"] == 1
        assert unavailable.body["message"] in (NOT_STORED, IN_DOUBT)
        assert int(unavailable.headers["retry-after"]) > 0
    stored = [c for c in created if c.status == 201]
    # The database may have committed a create whose answer the outage cut off: its 503
    # says so, and the retry with its Idempotency-Key tells which.
    in_doubt = [c for c in created if c.status == 503 and c.body["message"] == IN_DOUBT]
    with psycopg.connect(private_postgres.url.replace("postgres://", "postgresql://")) as db:
        (rows,) = db.execute("SELECT count(*) FROM timers_timer").fetchone()
    assert len(stored) <= rows <= len(stored) + len(in_doubt)  # a plain 503 left nothing behind
    for doubt in in_doubt:
        retried = stack.post("/timers", doubt.request, {"Idempotency-Key": doubt.key})
        assert retried.status_code == 201, retried.text
        stored.append(replace(doubt, status=201, body=retried.json()))
    with psycopg.connect(private_postgres.url.replace("postgres://", "postgresql://")) as db:
        (rows,) = db.execute("SELECT count(*) FROM timers_timer").fetchone()
    assert rows == len(stored)

    hits = delivered_once_each(receiver, stored, timeout=90)
    assert set(hits) == {path_of(c) for c in stored}
    # Created before the outage, due during it: they waited in the deliverer (or, created
    # in doubt, were sent again by the retry).
    due_during_outage = [c for c in stored if down_at < c.due < back_at]
    assert len(due_during_outage) >= 10
    for timer in due_during_outage:
        assert hits[path_of(timer)].arrived - back_at <= RECOVERY_SECS
    assert all(worker.poll() is None for worker in stack.workers), processes.logs()[-3000:]
    fault_report(tally("PostgreSQL stopped for 5 s", receiver, created))


def path_of(created: Created) -> str:
    return urlsplit(created.body["data"]["callback_url"]).path
