"""The peers, on the same load as ours: plain Celery ETA tasks, APScheduler 3 (one
process, SQLAlchemy job store on PostgreSQL) and procrastinate 3 (a worker, jobs deferred
with ``schedule_at``).

Imported once ``bench.__main__`` has set the environment and set Django up.
"""

import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import psycopg
from django.conf import settings

from bench.control import LOGS, Receiver, processes, receiver_process, reset_state, worker
from bench.measure import WARMUP_SECS, lateness_row, paced_lateness

# The peers, on the same load: plain Celery ETA tasks, APScheduler 3 (one process, SQLAlchemy
# job store on PostgreSQL) and procrastinate 3 (a worker, jobs deferred with schedule_at).
# A plan is [(add_at, key, due), ...]: when the job is handed over, its name, when it is due.
Plan = list[tuple[float, str, float]]


PEER_THREADS = 64


def paced_plan(rate: int, duration: float, lead: float) -> tuple[Plan, int]:
    """``paced``'s load as a plan: warm-up jobs (negative keys, not measured), then the rest."""
    warmup, total = int(rate * WARMUP_SECS), int(rate * duration)
    start = time.time() + 3
    plan = [
        (start + step / rate, str(step - warmup), start + step / rate + lead)
        for step in range(warmup + total)
    ]
    return plan, total


def burst_plan(count: int, lead: float) -> tuple[Plan, int]:
    now = time.time()
    moment = float(int(now + lead))
    return [(now, str(n), moment) for n in range(count)], count


def follow(plan: Plan, hand_over: Callable[[str, float], None]) -> None:
    for add_at, key, due in plan:
        pause = add_at - time.time()
        if pause > 0:
            time.sleep(pause)
        hand_over(key, due)


def peer_row(name: str, receiver: Receiver, plan: Plan, sent: int) -> dict[str, Any]:
    due = {key: at for _, key, at in plan if not key.startswith("-")}
    receiver.wait_for(sent, timeout=max(at for _, _, at in plan) - time.time() + 120)
    row = lateness_row(name, receiver, due, sent)
    moment = min(due.values())
    measured = [at for path, at in receiver.arrivals() if not path.rsplit("/", 1)[1].startswith("-")]
    last = max(measured, default=0.0)
    if len(set(due.values())) == 1:  # a burst
        row["last_after_due_s"] = round(last - moment, 2) if last else None
    return row


def baseline_scenario(name: str, rate: int, duration: float, lead: float) -> dict[str, Any]:
    """The same load through plain ``apply_async(eta=...)``: precise, but not durable."""
    from bench.baseline_tasks import post_callback

    reset_state()
    due: dict[str, float] = {}
    with (
        receiver_process() as receiver,
        processes(worker("baseline", "baseline", 64, "-I", "bench.baseline_tasks")),
    ):

        def make(n: int, slot: float) -> None:
            eta = datetime.fromtimestamp(slot + lead, tz=UTC)
            due[str(n)] = eta.timestamp()
            post_callback.apply_async((receiver.url(f"/b/{n}"),), eta=eta, queue="baseline")

        return paced_lateness(name, receiver, due, (rate, duration, lead), make)


def celery_eta_peer(name: str, plan: Plan, sent: int) -> dict[str, Any]:
    from bench.baseline_tasks import post_callback

    reset_state()
    with (
        receiver_process() as receiver,
        processes(worker("baseline", "baseline", PEER_THREADS, "-I", "bench.baseline_tasks")),
    ):
        follow(plan, lambda key, due: post_callback.apply_async(
            (receiver.url(f"/b/{key}"),), eta=datetime.fromtimestamp(due, tz=UTC), queue="baseline"
        ))  # fmt: skip
        return peer_row(name, receiver, plan, sent)


def _peer_database(name: str) -> str:
    """A database of the peer's own on the bench's PostgreSQL, made empty."""
    db = settings.DATABASES["default"]
    server = f"host={db['HOST']} port={db['PORT']} user={db['USER']}"
    with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server} dbname={name}"


def apscheduler_peer(name: str, plan: Plan, sent: int) -> dict[str, Any]:
    dsn = _peer_database("bench_apscheduler")
    url = "postgresql+psycopg://" + "{user}@{host}:{port}/{dbname}".format(
        **dict(part.split("=", 1) for part in dsn.split())
    )
    reset_state()
    plan_file = LOGS / "apscheduler-plan.json"
    with receiver_process() as receiver:
        plan_file.write_text(
            json.dumps([(add_at, receiver.url(f"/a/{key}"), due) for add_at, key, due in plan])
        )
        command = (
            "apscheduler",
            [sys.executable, "-m", "bench.peer_tasks", str(plan_file), url, str(PEER_THREADS)],
        )
        with processes(command):
            return peer_row(name, receiver, plan, sent)


def procrastinate_peer(name: str, plan: Plan, sent: int) -> dict[str, Any]:
    dsn = _peer_database("bench_procrastinate")
    env = {"PEER_PROCRASTINATE_DSN": dsn}
    os.environ.update(env)
    from bench import peer_tasks

    peer_tasks.app.connector.conninfo = dsn  # type: ignore[attr-defined]
    with peer_tasks.app.open():
        peer_tasks.app.schema_manager.apply_schema()
    reset_state()
    options = ["--concurrency", str(PEER_THREADS), "--fetch-job-polling-interval", "0.1", "-q", "callbacks"]
    arguments = ["-m", "procrastinate", "--app=bench.peer_tasks.app", "worker", *options]
    command = ("procrastinate", [sys.executable, *arguments])
    with receiver_process() as receiver, processes(command, env=env), peer_tasks.app.open():
        time.sleep(3)

        def hand_over(key: str, due: float) -> None:
            peer_tasks.post_callback.configure(schedule_at=datetime.fromtimestamp(due, tz=UTC)).defer(
                url=receiver.url(f"/p/{key}")
            )

        follow(plan, hand_over)
        return peer_row(name, receiver, plan, sent)
