"""A small HTTP server that receives timer callbacks: for the local tour, tests and benchmarks.

It records every request (arrival time, path, headers, body), can verify
Standard Webhooks signatures, and answers with a status, delay and headers
chosen per path, so tests can script slow, failing or redirecting targets.
"""

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from standardwebhooks import Webhook

from scheduler_project.core.http import LocalHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    arrived: float  # time.time() on arrival
    peer: str = ""  # the sender's address

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    body: str = "ok"


class CallbackReceiver:
    """A threaded loopback HTTP server; ``url(path)`` gives the address of a path."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True) -> None:
        self.received: list[Received] = []
        self.replies: dict[str, list[Reply]] = {}
        self.on_receive: Callable[[Received], None] | None = None
        self._lock = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # A reply leaves in one segment, not headers then body: a client that delays its
            # ACK (Linux, 40 ms) would otherwise wait that long for the body.
            wbufsize = 64 * 1024
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                item = Received(
                    self.path, dict(self.headers.items()), self.rfile.read(length), time.time(),
                    peer=self.client_address[0],
                )  # fmt: skip
                reply = receiver._record(item)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.body.encode()
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST  # a condition job's source is polled with GET

            def log_message(self, format: str, *args: Any) -> None:
                if not quiet:
                    super().log_message(format, *args)

        self.server = LocalHTTPServer((host, port), Handler)
        address = self.server.server_address
        self.host, self.port = str(address[0]), int(address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/hook") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def script(self, path: str, *replies: Reply) -> None:
        """Answer the next requests to ``path`` with these replies, in order (then 200)."""
        with self._lock:
            self.replies[path] = list(replies)

    def _record(self, item: Received) -> Reply:
        with self._lock:
            self.received.append(item)
            queue = self.replies.get(item.path.split("?")[0]) or []
            reply = queue.pop(0) if queue else Reply()
            self._lock.notify_all()
        if self.on_receive:
            self.on_receive(item)
        return reply

    def wait_for(self, count: int, *, path: str | None = None, timeout: float = 30.0) -> list[Received]:
        """Block until ``count`` requests (to ``path``, if given) arrived; return them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                hits = [r for r in self.received if path is None or r.path == path]
                if len(hits) >= count:
                    return hits
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return hits
                self._lock.wait(remaining)

    def start(self) -> "CallbackReceiver":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "CallbackReceiver":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def verify(secret: str, item: Received) -> Any:
    """Verify a received callback's Standard Webhooks signature; raise if it does not match."""
    return Webhook(secret).verify(item.body, item.headers)
