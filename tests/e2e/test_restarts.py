"""A broker restart and a database restart under load, against servers of the tests' own:
every worker recovers by itself, no timer, event or chain log is lost or delivered twice,
and what came due during the outage fires within seconds of the server's return (not a
lease later)."""

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest
from django.conf import settings

from scheduler_project.core.middleware import IN_DOUBT
from scheduler_project.testing.servers import PrivatePostgres, eventually
from tests.conftest import exactly
from tests.e2e.conftest import Created, EventLoad, Load, Stack, delivered_once_each, migrate, tally
from tests.e2e.test_chain_jobs import TOKEN, TRANSFER, call, header, start_chain
from timers.services.chains import POLL_LEASE

# These start whole stacks of processes: one pytest worker runs them one after another, so
# they do not load the two cores together (make test uses --dist loadgroup).
pytestmark = pytest.mark.xdist_group("whole-stack")

# Timers due during an outage arrive within this many seconds of the server's return (alone
# on the machine, within a few). The dispatch lease is 30 s (a chain poll's 35 s):
# anything that waited for it would miss this by far. The margin is for the other pytest
# workers: when several start stacks of their own at once, the two cores hold every
# process of this one back for seconds.
RECOVERY_SECS = 15.0
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


def test_a_postgresql_restart_under_load_answers_503_and_loses_no_timer_event_nor_chain_log(
    processes, private_postgres, receiver, fault_report
):
    """Timers created at 30 a second, events pushed at 20 and chain logs emitted through a
    5 s outage: every create and push is answered 201 or 202, or a 503 in the envelope (a
    plain 503 stored nothing; one in doubt may have, and its retry with the same key tells);
    everything stored fires once, what came due during the outage within seconds of the
    return, and a chain poll the outage cut short goes on at once, not when its lease
    (``POLL_LEASE``) passes."""
    env = {"DATABASE_URL": private_postgres.url}
    migrate(processes, env)
    steady, busy = start_chain(processes), start_chain(processes, block_time="0")
    call(busy, "sim_mine", {"blocks": 2000})  # caught up one block a range: its poll always runs
    stack = Stack(processes, env, settings.API_KEY).start()
    chain_job = {"schedule_type": "chain_event", "address": TOKEN, "topics": [TRANSFER], "confirmations": 0,
                 "poll_interval_secs": 1}  # fmt: skip
    for job in (
        {"schedule_type": "event", "event_type": "order.paid", "callback_url": receiver.url("/event")},
        {**chain_job, "rpc_url": steady, "from_block": int(call(steady, "eth_blockNumber"), 16) + 1,
         "callback_url": receiver.url("/steady")},
        {**chain_job, "rpc_url": busy, "from_block": 1, "max_block_range": 1,
         "callback_url": receiver.url("/busy")},
    ):  # fmt: skip
        assert stack.post("/jobs", job).status_code == 201
    emitted, emitting = [], threading.Event()

    def emit() -> None:
        while not emitting.wait(0.25):
            try:
                log = call(steady, "sim_emitLog", {"address": TOKEN, "topics": [TRANSFER], "data": "0x"})
            except httpx.TransportError:
                return  # the test failed and its processes were stopped
            emitted.append((time.time(), f"{log['transactionHash']}:{int(log['logIndex'], 16)}"))

    emitter = threading.Thread(target=emit, daemon=True)
    emitter.start()
    load = Load(stack, receiver, rate=30, seconds=11, ahead=4).start()
    pushes = EventLoad(stack, rate=20, seconds=11).start()
    time.sleep(2)
    # Stopped while the busy endpoint's poll runs, claimed under a second ago.
    eventually(lambda: lease_left(private_postgres, busy) > POLL_LEASE.total_seconds() - 1, timeout=20,
               interval=0.05)  # fmt: skip
    down_at = time.time()
    private_postgres.stop(mode="immediate")
    time.sleep(5)
    private_postgres.start()
    back_at = time.time()
    cut_at = checkpoint(private_postgres, busy)
    eventually(lambda: checkpoint(private_postgres, busy) > cut_at, timeout=POLL_LEASE.total_seconds() + 10)
    print(f"\nthe cut poll went on {time.time() - back_at:.1f} s after PostgreSQL's return")
    assert time.time() - back_at <= RECOVERY_SECS
    created, pushed = load.join(), pushes.join()
    emitting.set()
    emitter.join()

    stored = timers_stored(private_postgres, stack, created)
    accepted = events_accepted(stack, pushed)
    hits = exactly(receiver, len(stored) + len(accepted) + len(emitted), timeout=90, quiet=3)
    timers = {hit.path: hit for hit in hits if hit.path.startswith("/load/")}
    assert timers.keys() == {path_of(c) for c in stored}  # each once: as many hits as paths
    # Created before the outage, due during it: they waited in the deliverer (or, created
    # in doubt, were sent again by the retry).
    due_during_outage = [c for c in stored if down_at < c.due < back_at]
    assert len(due_during_outage) >= 10
    for timer in due_during_outage:
        assert timers[path_of(timer)].arrived - back_at <= RECOVERY_SECS, path_of(timer)
    events = {header(hit, "X-Scheduler-Event-Id"): hit.arrived for hit in hits if hit.path == "/event"}
    assert events.keys() == accepted.keys()
    for key, event in accepted.items():
        assert events[key] - max(event.due, back_at) <= RECOVERY_SECS, key
    logs = Counter(header(hit, "X-Scheduler-Log-Id") for hit in hits if hit.path == "/steady")
    assert logs == Counter(log_id for _, log_id in emitted)
    arrived = {header(hit, "X-Scheduler-Log-Id"): hit.arrived for hit in hits if hit.path == "/steady"}
    for emitted_at, log_id in emitted:
        assert arrived[log_id] - max(emitted_at, back_at) <= RECOVERY_SECS, log_id
    assert all(worker.poll() is None for worker in stack.workers), processes.logs()[-3000:]
    fault_report(tally("PostgreSQL stopped for 5 s", receiver, created))


def timers_stored(cluster: PrivatePostgres, stack: Stack, created: list[Created]) -> list[Created]:
    """The timers stored: those answered 201, and those whose 503 said they may have been,
    retried with their Idempotency-Key (which answers 201 either way); a plain 503 stored
    nothing."""
    assert {c.status for c in created} == {201, 503}
    for unavailable in (c for c in created if c.status == 503):
        assert unavailable.body["code"] == 1
        assert unavailable.body["message"] in (NOT_STORED, IN_DOUBT)
        assert int(unavailable.headers["retry-after"]) > 0
    stored = [c for c in created if c.status == 201]
    in_doubt = [c for c in created if c.status == 503 and c.body["message"] == IN_DOUBT]
    assert len(stored) <= timer_rows(cluster) <= len(stored) + len(in_doubt)
    for doubt in in_doubt:
        retried = stack.post("/timers", doubt.request, {"Idempotency-Key": doubt.key})
        assert retried.status_code == 201, retried.text
        stored.append(replace(doubt, status=201, body=retried.json()))
    assert timer_rows(cluster) == len(stored)
    return stored


def events_accepted(stack: Stack, pushed: list[Created]) -> dict[str, Created]:
    """The events accepted, by id: those answered 202, every one whose 503 said it may have
    been stored and a tenth of the others, retried with their ids (a plain 503 stored
    nothing: one not retried never fires)."""
    assert {c.status for c in pushed} == {202, 503}  # no 500, no client time-out
    accepted = {c.key: c for c in pushed if c.status == 202}
    refused = [c for c in pushed if c.status == 503]
    assert {(c.body["code"], c.body["message"] in (NOT_STORED, IN_DOUBT)) for c in refused} == {(1, True)}
    retry = [c for n, c in enumerate(refused) if c.body["message"] == IN_DOUBT or n % 10 == 0]
    with ThreadPoolExecutor(max_workers=8) as pool:
        retried = list(pool.map(lambda c: stack.post("/events", c.request), retry))
    assert {answer.status_code for answer in retried} == {202}
    return accepted | {c.key: replace(c, status=202, due=time.time()) for c in retry}


def timer_rows(cluster: PrivatePostgres) -> int:
    """The one-shot timers stored (a job's tasks, the events' and the logs', aside)."""
    return int(value(cluster, "SELECT count(*) FROM timers_timer WHERE job_id IS NULL"))


def path_of(created: Created) -> str:
    return urlsplit(created.body["data"]["callback_url"]).path


def value(cluster: PrivatePostgres, sql: str, *params: Any) -> Any:
    """The first column of the first row ``sql`` finds in ``cluster`` (None if none)."""
    with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as db:
        row = db.execute(sql, params).fetchone()
    return row[0] if row else None


def lease_left(cluster: PrivatePostgres, url: str) -> float:
    """Seconds left of the endpoint's poll's lease (0 while no poll holds it)."""
    sql = (
        "SELECT extract(epoch FROM next_poll_at - now()) FROM timers_chainendpoint"
        " WHERE url = %s AND holder IS NOT NULL"
    )
    return float(value(cluster, sql, url) or 0)


def checkpoint(cluster: PrivatePostgres, url: str) -> int:
    return int(value(cluster, "SELECT last_processed_block FROM timers_job WHERE rpc_url = %s", url) or 0)
