"""The Python client (clients/python) against a live service: web, a deliveries worker, a
sweeps worker and beat (``Stack``), started once per module, with a TEE simulator behind
/public_key and a loopback receiver for the callbacks."""

import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from django.conf import settings
from django.core.management import call_command

from scheduler_project.testing.factories import withdrawal_fields
from tee.attestation import TRUST_ANCHOR_FILE
from tee.simulator import TeeSimulator
from tests.conftest import ROOT, Processes
from tests.e2e.conftest import Stack
from timers.receiver import CallbackReceiver

CLIENT = ROOT / "clients" / "python"
# The client is its own distribution (pip install ./clients/python); the tests import it
# from the source tree, as an editable install would.
sys.path.insert(0, str(CLIENT))


# A withdrawal the TEE simulator would relay (fixed notes: none is relayed here).
WITHDRAWAL: dict[str, Any] = withdrawal_fields(nullifier_old=11, nullifier_new=12)


@dataclass
class Live:
    url: str
    api_key: str
    receiver: CallbackReceiver
    stack: Stack


@pytest.fixture(scope="module")
def live(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    """One stack for the module's tests, which share it (each makes rows of its own); the
    database is emptied after, as a transactional test's would be."""
    base = tmp_path_factory.mktemp("client-stack")
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    processes = Processes(base)
    with django_db_blocker.unblock():
        try:
            with TeeSimulator(key_dir=base / "tee") as tee, CallbackReceiver() as receiver:
                env = {
                    "TEE_HOST": tee.host,
                    "TEE_PORT": str(tee.port),
                    "TEE_KEY_DIR": str(base / "tee"),
                    "TEE_TRUST_ANCHOR": str(base / "tee" / TRUST_ANCHOR_FILE),
                }
                stack = Stack(processes, env, settings.API_KEY).start()
                yield Live(stack.base_url, settings.API_KEY, receiver, stack)
        finally:
            processes.stop_all()
            call_command("flush", verbosity=0, interactive=False)
            redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


@dataclass
class Refusal:
    status: int  # 429 or 503
    retry_after: str = "1"
    forward: bool = False  # send the request on first, then refuse (the answer lost on the way back)
    message: str = "database connection lost after a write was sent; retry with the same Idempotency-Key"


@dataclass
class Proxy:
    """A loopback proxy in front of the service that refuses the next requests as told (a
    429, or a 503 after the service may have stored the write) and passes on the rest;
    records each request's method, path and headers."""

    upstream: str
    refusals: list[Refusal] = field(default_factory=list)
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_one(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")
                }
                proxy.seen.append((self.command, self.path, headers))
                refusal = proxy.refusals.pop(0) if proxy.refusals else None
                if refusal is None or refusal.forward:
                    answer = httpx.request(
                        self.command, proxy.upstream + self.path, headers=headers, content=body
                    )
                if refusal is None:
                    self.reply(answer.status_code, answer.content, dict(answer.headers))
                    return
                code = 6 if refusal.status == 429 else 1
                envelope = httpx.Response(200, json={"code": code, "message": refusal.message, "data": None})
                self.reply(refusal.status, envelope.content, {"Retry-After": refusal.retry_after})

            do_GET = do_POST = do_PUT = do_DELETE = handle_one

            def reply(self, status: int, content: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() not in (
                        "content-length",
                        "content-type",
                        "transfer-encoding",
                        "connection",
                        "content-encoding",
                    ):
                        self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy(live: Live) -> Iterator[Proxy]:
    running = Proxy(live.url)
    try:
        yield running
    finally:
        running.close()


def load_example(name: str) -> Any:
    """An example of clients/python/examples/ as a module (the examples are not a package)."""
    import importlib.util

    path: Path = CLIENT / "examples" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"client_example_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
