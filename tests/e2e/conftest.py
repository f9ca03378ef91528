"""Fixtures for servers of the tests' own (``scheduler_project.testing.servers``), so
stopping and restarting them harms nobody, and the process layout of ``make run`` (web,
deliverer, sweeper, beat) against them."""

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from scheduler_project.testing.servers import PrivatePostgres, PrivateRedis, eventually, free_port
from tests.conftest import ROOT, Processes


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    cluster = PrivatePostgres()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Stack:
    """``make run``'s processes: the web server, a deliveries worker, a sweeps worker and beat."""

    processes: Processes
    env: dict[str, str]
    api_key: str
    port: int = 0
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self) -> "Stack":
        self.port = self.port or free_port()
        self.start_web()
        worker = self.processes.worker
        self.workers = [
            worker(queues="deliveries,withdrawals", concurrency=16, env=self.env, name="deliverer"),
            worker(queues="sweeps,default", concurrency=4, env=self.env, name="sweeper"),
        ]
        self.processes.beat(env=self.env)
        eventually(lambda: self.get("/health") is not None)
        return self

    def start_web(self) -> None:
        self.web = self.processes.web(self.port, env=self.env)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str) -> httpx.Response | None:
        try:
            return httpx.get(self.base_url + path, headers={"X-API-Key": self.api_key}, timeout=10)
        except httpx.TransportError:
            return None

    def post(
        self, path: str, body: Any, headers: dict[str, str] | None = None, *, timeout: float = 30
    ) -> httpx.Response:
        headers = {"X-API-Key": self.api_key, **(headers or {})}
        return httpx.post(self.base_url + path, json=body, headers=headers, timeout=timeout)


EMBEDDED_API_KEY = "embedded-api-key-0123456789abcdefghijklmnop"
# No database or broker server: what make run uses with an empty environment (plus a VAR_DIR).
EMBEDDED = {
    "DJANGO_SETTINGS_MODULE": "scheduler_project.settings",
    "DATABASE_URL": "",
    "REDIS_URL": "",
    "CELERY_BROKER_URL": "",
    "API_KEY": EMBEDDED_API_KEY,
}


def migrate(processes: Processes, env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT,
                          env=processes.env(env), capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr


def wait_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


@dataclass
class Created:
    """One create request of a load: its answer and the time the timer was due."""

    status: int
    body: dict[str, Any]
    due: float
    headers: dict[str, str]
    request: dict[str, Any] = field(default_factory=dict)  # the body sent
    key: str = ""  # its Idempotency-Key


class Load:
    """Timers created over HTTP at a steady rate, each due ``ahead`` seconds later, each to
    its own path on the receiver (``/load/<n>``)."""

    def __init__(
        self, stack: Stack, receiver: Any, *, rate: float, seconds: float, ahead: float, beside: Any = ()
    ) -> None:
        """``beside``: other callback URLs, one of which gets a timer after every tenth of the load's."""
        self.stack, self.receiver = stack, receiver
        self.rate, self.seconds, self.ahead = rate, seconds, ahead
        self.beside = list(beside)
        self.results: list[Created] = []
        self._pool = ThreadPoolExecutor(max_workers=16)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "Load":
        self.started = time.time()
        self._thread.start()
        return self

    def join(self) -> list[Created]:
        self._thread.join()
        return self.results

    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        futures = []
        for n in range(int(self.rate * self.seconds)):
            wait_until(self.started + n / self.rate)
            futures.append(self._pool.submit(self._create, n))
            if self.beside and n % 10 == 0:
                self._pool.submit(self._create, n, self.beside[n // 10 % len(self.beside)])
        self.results = [future.result() for future in futures]
        self._pool.shutdown()

    def _create(self, n: int, url: str | None = None) -> Created:
        due = time.time() + self.ahead
        execute_at = datetime.fromtimestamp(due, UTC).isoformat().replace("+00:00", "Z")
        body = {"execute_at": execute_at, "callback_url": url or self.receiver.url(f"/load/{n}")}
        key = f"load-{n}-{due}"  # as a careful client sends, so a retry is safe
        try:
            response = self.stack.post("/timers", body, {"Idempotency-Key": key})
        except httpx.TransportError as exc:
            return Created(0, {"error": repr(exc)}, due, {}, body, key)
        return Created(response.status_code, response.json(), due, dict(response.headers), body, key)


class EventLoad(Load):
    """Events of type ``order.paid`` pushed over HTTP at a steady rate, each with an id of
    its own (``evt-<n>``, the ``key`` of its ``Created``), as a careful client sends, so a
    retry is safe; ``due`` is when it was answered (a match fires at once). A client
    time-out is status 0."""

    def __init__(self, stack: Stack, *, rate: float, seconds: float, timeout: float = 10) -> None:
        super().__init__(stack, None, rate=rate, seconds=seconds, ahead=0)
        self.timeout = timeout

    def _create(self, n: int, url: str | None = None) -> Created:
        body = {"type": "order.paid", "data": {"n": n}, "id": f"evt-{n}"}
        try:
            response = self.stack.post("/events", body, timeout=self.timeout)
        except httpx.TransportError as exc:
            return Created(0, {"error": repr(exc)}, time.time(), {}, body, body["id"])
        return Created(response.status_code, response.json(), time.time(), dict(response.headers), body,
                       body["id"])  # fmt: skip


def delivered_once_each(receiver: Any, created: list[Created], *, timeout: float) -> dict[str, Any]:
    """Wait until every stored timer's callback arrived, then a quiet while for any
    duplicate; return the callbacks by path. Fails on a missing or repeated callback."""
    hits = receiver.wait_for(len(created), path=None, timeout=timeout)
    assert len(hits) >= len(created), f"{len(hits)} of {len(created)} callbacks arrived"
    hits = receiver.wait_for(len(created) + 1, timeout=3)  # waits the whole 3 s unless one more comes
    paths = [hit.path for hit in hits]
    assert len(paths) == len(set(paths)) == len(created), "a timer was delivered twice"
    return {hit.path: hit for hit in hits}


def tally(name: str, receiver: Any, created: list[Created], *, timeout: float = 90) -> dict[str, Any]:
    """A fault scenario's outcome: what was stored (answered 201) and refused, what arrived
    once, lost, repeated (with the same ``webhook-id``, or another), and the lateness of
    each stored timer's first callback."""
    stored = {urlsplit(c.body["data"]["callback_url"]).path: c for c in created if c.status == 201}
    deadline = time.monotonic() + timeout

    def arrived() -> int:
        return len({h.path for h in receiver.received} & stored.keys())

    while time.monotonic() < deadline and arrived() < len(stored):
        time.sleep(0.2)
    time.sleep(3)  # late duplicates
    first: dict[str, Any] = {}
    same = other = 0
    for hit in list(receiver.received):
        if hit.path not in stored:
            continue
        if hit.path not in first:
            first[hit.path] = hit
        elif hit.headers.get("webhook-id") == first[hit.path].headers.get("webhook-id"):
            same += 1
        else:
            other += 1
    late = sorted(max(0.0, first[p].arrived - stored[p].due) for p in first)

    def quantile(q: float) -> float:
        return round(late[min(len(late) - 1, int(q * len(late)))], 3) if late else 0.0

    return {
        "scenario": name,
        "scheduled": len(stored),
        "refused": len(created) - len(stored),
        "delivered": len(first),
        "lost": len(stored) - len(first),
        "duplicate_same_id": same,
        "duplicate_other_id": other,
        "p50_late_s": quantile(0.5),
        "p99_late_s": quantile(0.99),
        "max_late_s": round(late[-1], 3) if late else 0.0,
    }


FAULTS_REPORT = os.environ.get("FAULTS_REPORT", "")


@pytest.fixture
def fault_report() -> Any:
    """Print a scenario's row and, with ``FAULTS_REPORT`` set (``make faults``), add it to
    that JSON-lines file; returns the row."""

    def report(row: dict[str, Any]) -> dict[str, Any]:
        print("\nfault scenario:", json.dumps(row))
        if FAULTS_REPORT:
            with open(FAULTS_REPORT, "a") as out:
                out.write(json.dumps(row) + "\n")
        return row

    return report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """With ``FAULTS_REPORT`` (``make faults``): the scenarios' rows as a table."""
    if not FAULTS_REPORT or not os.path.exists(FAULTS_REPORT):
        return
    with open(FAULTS_REPORT) as rows:
        table = [json.loads(line) for line in rows if line.strip()]
    columns = ["scheduled", "refused", "delivered", "lost", "duplicate_same_id", "duplicate_other_id",
               "p50_late_s", "p99_late_s", "max_late_s"]  # fmt: skip
    heads = ["scheduled", "refused", "delivered", "lost", "dup same id", "dup other id",
             "p50 s", "p99 s", "max s"]  # fmt: skip
    terminalreporter.section("fault scenarios")
    terminalreporter.write_line(f"{'scenario':<42}" + "".join(f"{h:>13}" for h in heads))
    for row in table:
        terminalreporter.write_line(f"{row['scenario']:<42}" + "".join(f"{row[c]:>13}" for c in columns))
