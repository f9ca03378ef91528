"""Process control for the benchmarks: the bench's database and broker, made ready and
emptied between scenarios; the service's processes as ``make run`` starts them; the
loopback receiver in a process of its own. Every process started is stopped on the way
out, whatever happens.

Imported once ``bench.__main__`` has set the environment and set Django up.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from scheduler_project.celery import app
from scheduler_project.testing.servers import free_port
from timers.models import ChainEndpoint, Event, Job, Timer, TimerAttempt
from withdrawals.models import ScheduledRequest

ROOT = Path(__file__).resolve().parent.parent


LOGS = ROOT / "bench" / "results" / "logs"


def prepare_database() -> None:
    db = settings.DATABASES["default"]
    admin = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname=postgres"
    if db.get("PASSWORD"):
        admin += f" password={db['PASSWORD']}"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    call_command("migrate", verbosity=0)


def flush_broker() -> None:
    """Leave the bench's Redis database empty."""
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


def reset_state() -> None:
    tables = [
        TimerAttempt._meta.db_table,
        Timer._meta.db_table,
        Job._meta.db_table,
        Event._meta.db_table,
        ChainEndpoint._meta.db_table,
        ScheduledRequest._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
    flush_broker()
    connection.close()


# The bench's processes now running, by name: what ``cpu_seconds`` reads.
RUNNING: dict[str, subprocess.Popen[bytes]] = {}


@contextmanager
def processes(*commands: tuple[str, list[str]], env: dict[str, str] | None = None) -> Iterator[None]:
    """Start named Celery/manage.py processes; wait for workers to answer a ping; stop them all."""

    LOGS.mkdir(parents=True, exist_ok=True)
    running: list[subprocess.Popen[bytes]] = []
    full_env = {**os.environ, **(env or {})}
    try:
        for name, args in commands:
            log = (LOGS / f"{name}.log").open("wb")
            proc = subprocess.Popen(args, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
            running.append(proc)
            RUNNING[name] = proc
        workers = [name for name, args in commands if "celery" in args and "worker" in args]
        deadline = time.monotonic() + 60
        while workers and time.monotonic() < deadline:
            answered = {next(iter(reply)) for reply in app.control.ping(timeout=0.5)}
            if all(any(a.startswith(f"{w}@") for a in answered) for w in workers):
                break
        else:
            if workers:
                raise RuntimeError(f"workers did not start; see {LOGS}")
        yield
    finally:
        for name, _ in commands:
            RUNNING.pop(name, None)
        for proc in running:
            proc.send_signal(signal.SIGTERM)
        for proc in running:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def celery(name: str, *args: str) -> tuple[str, list[str]]:
    return (name, [sys.executable, "-m", "celery", "-A", "scheduler_project", *args])


def worker(name: str, queues: str, concurrency: int, *extra: str) -> tuple[str, list[str]]:
    return celery(
        name, "worker", "-Q", queues, "-P", "threads", "-c", str(concurrency), "-n", f"{name}@%h",
        "--without-mingle", "--without-gossip", "-l", "warning", *extra,
    )  # fmt: skip


# The niceness the Procfile gives the sweeps worker and beat.
HOUSEKEEPING_NICE = "5"


def service_processes(**env: str) -> Any:
    """The service as ``make run`` starts it; ``BENCH_DELIVERY_WORKERS`` delivery processes,
    on this machine or, with ``BENCH_DELIVERY_HOSTS`` (network namespaces, comma-separated),
    that many on each of those hosts."""
    threads = int(os.environ.get("BENCH_DELIVERY_CONCURRENCY", 16))
    count = int(os.environ.get("BENCH_DELIVERY_WORKERS", 2))
    deliverers = []
    for host in [h for h in os.environ.get("BENCH_DELIVERY_HOSTS", "").split(",") if h] or [""]:
        for n in range(count):
            name = f"deliverer{n}-{host}" if host else f"deliverer{n}"
            name, args = worker(name, "deliveries,withdrawals", threads)
            if host:
                args = ["ip", "netns", "exec", host, "env", f"WORKER_HOST={host}", *args]
            deliverers.append((name, args))
    # As the Procfile starts them: the sweeps and beat yield the CPU to the deliveries.
    niced = ["nice", "-n", os.environ.get("BENCH_HOUSEKEEPING_NICE", HOUSEKEEPING_NICE)]
    sweeper, beat = (
        worker("sweeper", "sweeps,default", 4),
        celery("beat", "beat", "-l", "warning", "--max-interval", "1", "-s", str(LOGS / "beat-schedule")),
    )
    return processes(*deliverers, *((name, [*niced, *args]) for name, args in (sweeper, beat)), env=env)


@contextmanager
def web_server(**env: str) -> Iterator[str]:
    """The web server as ``make run`` starts it (``scheduler_project.serve``) on a free
    loopback port, with ``env``; yields its base URL."""
    port = free_port()
    served = {"BIND_ADDRESS": "127.0.0.1", "PUBLIC_PORT": str(port), **env}
    with processes(("web", [sys.executable, "-m", "scheduler_project.serve"]), env=served):
        wait_listening("127.0.0.1", port)
        yield f"http://127.0.0.1:{port}"


class Receiver:
    """The loopback receiver, in its own process so it does not share the producer's GIL."""

    def __init__(self) -> None:
        self.host = os.environ.get("BENCH_RECEIVER_HOST", "127.0.0.1")
        self.port = free_port()
        self.log = LOGS / "arrivals.txt"

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def arrivals(self) -> list[tuple[str, float]]:
        if not self.log.exists():
            return []
        rows = []
        for line in self.log.read_text().splitlines():
            path, _, arrived = line.partition(" ")
            rows.append((path, float(arrived)))
        return rows

    def measured(self) -> int:
        """Callbacks that count (not warm-up ones, not a condition source's polls)."""
        return sum(
            1
            for path, _ in self.arrivals()
            if not path.startswith("/source") and not path.rsplit("/", 1)[1].startswith("-")
        )

    def wait_for(self, count: int, timeout: float) -> None:
        deadline = time.time() + timeout
        while self.measured() < count and time.time() < deadline:
            time.sleep(0.5)
        time.sleep(1.0)  # let late duplicates show


@contextmanager
def receiver_process() -> Iterator[Receiver]:
    receiver = Receiver()
    LOGS.mkdir(parents=True, exist_ok=True)
    receiver.log.unlink(missing_ok=True)
    command = (
        "receiver",
        [sys.executable, "-m", "bench.receiver_process", str(receiver.port), str(receiver.log),
         receiver.host],
    )  # fmt: skip
    with processes(command):
        wait_listening(receiver.host, receiver.port)
        yield receiver


def wait_listening(host: str, port: int, timeout: float = 30.0) -> None:
    """Wait until a process just started accepts connections (a slow moment of the VM makes
    Django's start take seconds)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
