"""Shared fixtures: API clients per tenant, a loopback receiver, real Celery processes, the
TEE and relayer simulators."""

import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIClient

from scheduler_project.core.departures.redis_cache import FALLBACK_MEMORY
from scheduler_project.core.services import create_api_key, default_tenant, forget_configured_tenants
from scheduler_project.testing.servers import eventually
from tee.attestation import TRUST_ANCHOR_FILE
from tee.simulator import TeeSimulator
from timers.hosts import host_slots
from timers.receiver import CallbackReceiver
from timers.services import forget_signing_secrets
from withdrawals import clients
from withdrawals.relayer_simulator import RelayerSimulator

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The end-to-end tests first: xdist hands tests out in this order (after the groups), and
    one of them (tens of seconds, most of it waiting) handed out last would leave the other
    workers idle at the end; the short in-process tests fill the time the others wait."""
    items.sort(key=lambda item: not item.nodeid.startswith("tests/e2e/"))


@pytest.fixture(scope="session", autouse=True)
def _clean_broker() -> Iterator[None]:
    """The test broker database starts and ends empty."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.flushdb()
    yield
    client.flushdb()


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Each test starts with empty caches: the shared one, the memory it falls back on
    while Redis is down, and this process's (a test database's tenants are not the
    previous test's, nor a receiver's port the same host)."""
    cache.clear()
    LocMemCache(FALLBACK_MEMORY, {}).clear()  # one store per name, shared by every instance
    forget_configured_tenants()
    forget_signing_secrets()
    host_slots.forget_answers()  # a receiver may get the port of an earlier test's


@pytest.fixture
def tenant(db: Any) -> Any:
    return default_tenant()


@pytest.fixture
def api(tenant: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=settings.API_KEY)
    return client


@pytest.fixture
def other_api(db: Any) -> APIClient:
    """A client of a second tenant, with its own API key."""
    _, raw_key = create_api_key(tenant_slug="other", name="tests")
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw_key)
    return client


@pytest.fixture
def receiver() -> Iterator[CallbackReceiver]:
    with CallbackReceiver() as running:
        yield running


def exactly(receiver: CallbackReceiver, count: int, *, path: str | None = None, timeout: float = 30.0,
            quiet: float = 2.0) -> list[Any]:  # fmt: skip
    """The callbacks once ``count`` have arrived (to ``path``, if given), after waiting
    ``quiet`` more seconds in which no other may arrive: a duplicate fails the test."""
    hits = receiver.wait_for(count, path=path, timeout=timeout)
    assert len(hits) >= count, f"{len(hits)} of {count} callbacks arrived"
    hits = receiver.wait_for(count + 1, path=path, timeout=quiet)
    assert len(hits) == count, f"{len(hits) - count} more callbacks than the {count} expected"
    return hits


def listening(port: int) -> bool:
    """Whether something on this machine accepts connections on ``port`` (loopback)."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def subprocess_database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


# How long the Celery processes a test started may take to stop after it (``Processes.stop_all``).
STOP_GRACE_SECS = 3.0


def wait_or_kill(proc: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """Wait for a process told to stop; kill it if it has not stopped within ``timeout``."""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Processes:
    """Real Celery workers, beats and other manage.py processes against the test database."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.running: list[tuple[subprocess.Popen[bytes], Path]] = []

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="tests.settings",
            DATABASE_URL=subprocess_database_url(),
            PYTHONUNBUFFERED="1",
            C_FORCE_ROOT="1",
        )
        env.update(extra or {})
        return env

    def start(
        self, args: list[str], *, ready: str, env: dict[str, str] | None = None, name: str = "proc"
    ) -> subprocess.Popen[bytes]:
        log = self.tmp_path / f"{name}-{len(self.running)}.log"
        handle = log.open("wb")
        proc = subprocess.Popen(args, cwd=ROOT, env=self.env(env), stdout=handle, stderr=subprocess.STDOUT)
        self.running.append((proc, log))
        eventually(lambda: ready in log.read_text(errors="replace") or proc.poll() is not None, timeout=60)
        if proc.poll() is not None:
            raise AssertionError(f"{name} exited early:\n{log.read_text(errors='replace')}")
        return proc

    def worker(
        self,
        *,
        concurrency: int = 8,
        env: dict[str, str] | None = None,
        name: str = "worker",
        queues: str = "sweeps,deliveries,withdrawals,default",
        netns: str = "",
        node: str = "",
        clock: float = 0.0,
    ) -> subprocess.Popen[bytes]:
        """``netns``: run it in that network namespace (a test host,
        ``scheduler_project.testing.servers.TestHosts``); ``node``: its whole node name
        (``deliverer@%h``), the same each time it is started, as a supervisor's restart gives
        it; by default each worker started gets a name of its own; ``clock``: its wall clock
        that many seconds ahead (behind, if negative), as on a host whose clock drifted
        (``tests/drifted_clock``)."""
        args = [
            *(["ip", "netns", "exec", netns] if netns else []),
            sys.executable, "-m", "celery", "-A", "scheduler_project", "worker",
            "-Q", queues, "-P", "threads", "-c", str(concurrency),
            "-n", node or f"{name}-{len(self.running)}@%h",
            "--without-mingle", "--without-gossip", "-l", "info",
        ]  # fmt: skip
        if clock:
            drifted = str(ROOT / "tests" / "drifted_clock")
            path = os.pathsep.join(filter(None, [drifted, os.environ.get("PYTHONPATH")]))
            env = {**(env or {}), "TEST_CLOCK_OFFSET_SECS": str(clock), "PYTHONPATH": path}
        return self.start(args, ready=" ready.", env=env, name=name)

    def web(
        self, port: int, *, workers: int = 1, threads: int = 8, env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        """The web process as ``make run`` starts it (``scheduler_project.serve``), on loopback;
        returned once every worker has loaded the app."""
        served = {"BIND_ADDRESS": "127.0.0.1", "PUBLIC_PORT": str(port), "WEB_WORKERS": str(workers),
                  "WEB_THREADS": str(threads), **(env or {})}  # fmt: skip
        args = [sys.executable, "-m", "scheduler_project.serve"]
        return self.start(args, ready=f"Started worker-{workers}", env=served, name="web")

    def beat(self, *, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        schedule = self.tmp_path / f"beat-{len(self.running)}"
        args = [
            sys.executable, "-m", "celery", "-A", "scheduler_project", "beat",
            "-l", "info", "--max-interval", "1", "-s", str(schedule),
        ]  # fmt: skip
        return self.start(args, ready="beat: Starting", env=env, name="beat")

    def manage(self, *args: str, ready: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        return self.start([sys.executable, "manage.py", *args], ready=ready, env=env, name=args[0])

    def logs(self) -> str:
        return "\n".join(log.read_text(errors="replace") for _, log in self.running)

    def stop_all(self) -> None:
        """Ask every process to stop, and kill a Celery process still running after a short
        grace: a worker's warm shutdown waits for the callbacks in flight (a test's hanging
        target would hold it for their deadline), and the tests that need a warm shutdown
        ask for one themselves. A Celery process has no children to leave behind; the
        others (honcho, the web server) get the time to stop theirs."""
        for proc, _ in self.running:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _ in self.running:
            celery = "celery" in [str(arg) for arg in proc.args]
            wait_or_kill(proc, timeout=STOP_GRACE_SECS if celery else 15)


@pytest.fixture
def processes(transactional_db: Any, tmp_path: Path) -> Iterator[Processes]:
    """Start real processes; all are stopped after the test, and the broker is emptied before."""
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    procs = Processes(tmp_path)
    try:
        yield procs
    finally:
        procs.stop_all()


class DrippingServer:
    """A loopback server that reads one request and answers a byte every ``interval``
    seconds: the target (or relayer, or TEE) that sends just enough to beat every
    per-read timeout. Records when each connection opened and closed."""

    def __init__(
        self, answer: bytes, *, interval: float, read_request: Callable[[socket.socket], None]
    ) -> None:
        self.answer, self.interval, self.read_request = answer, interval, read_request
        self.connections: list[dict[str, float | None]] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        record: dict[str, float | None] = {"opened": time.time(), "closed": None}
        self.connections.append(record)
        with conn:
            try:
                self.read_request(conn)
                for byte in self.answer:
                    conn.sendall(bytes([byte]))
                    # Wait out the interval, but notice at once when the client hangs up.
                    if select.select([conn], [], [], self.interval)[0] and not conn.recv(1):
                        break
                else:
                    conn.recv(1)  # until the client goes
            except OSError:
                pass
        record["closed"] = time.time()

    def __enter__(self) -> "DrippingServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def read_http_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)  # fmt: skip
    while len(body) < length:
        body += conn.recv(65536)


def read_tee_frame(conn: socket.socket) -> None:
    header = conn.recv(4, socket.MSG_WAITALL)
    conn.recv(int.from_bytes(header, "big"), socket.MSG_WAITALL)


DRIPPED_HTTP_ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + b" " * 40


# The TEE simulator and the relayer simulator, both real, on loopback.
@pytest.fixture
def tee(tmp_path: Path, settings: Any) -> Iterator[TeeSimulator]:
    key_dir = tmp_path / "tee"
    with TeeSimulator(key_dir=key_dir) as running:
        settings.TEE_HOST = running.host
        settings.TEE_PORT = running.port
        settings.TEE_KEY_DIR = key_dir
        settings.TEE_TRUST_ANCHOR = key_dir / TRUST_ANCHOR_FILE
        yield running


@pytest.fixture
def relayer(settings: Any) -> Iterator[RelayerSimulator]:
    with RelayerSimulator() as running:
        settings.RELAYER_URL = running.url
        clients.forget_cached()
        yield running
