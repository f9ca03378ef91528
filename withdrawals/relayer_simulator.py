"""A relayer for local runs and tests: quotes a fee, relays, deduplicates.

It deduplicates by idempotency key (same key, same transaction) and by
nullifier (a note relayed under one key is refused under another), and can be
told to fail, slow down, hang on lookups or answer nonsense through
``POST /control`` (``malformed`` maps ``quote``, ``fee_address``, ``relay`` or
``lookup`` to a raw body answered with 200).
"""

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from scheduler_project.core.http import LocalHTTPServer


@dataclass
class RelayerState:
    fee: int
    fail_next: int = 0
    delay_ms: int = 0
    lookup_delay_ms: int = 0
    malformed: dict[str, str] = field(default_factory=dict)
    relays: dict[str, dict[str, Any]] = field(default_factory=dict)  # by idempotency key
    keys_by_nullifier: dict[str, str] = field(default_factory=dict)
    submissions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class RelayerSimulator:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, fee: int = 10**15) -> None:
        self.state = RelayerState(fee=fee)
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # An answer leaves in one segment, not headers then body: a client that delays its
            # ACK (Linux, 40 ms) would otherwise wait that long for the body of every relay.
            wbufsize = 64 * 1024
            disable_nagle_algorithm = True

            def _send(self, status: int, body: Any) -> None:
                self._send_raw(status, json.dumps(body))

            def _send_raw(self, status: int, body: str) -> None:
                payload = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _body(self) -> Any:
                length = int(self.headers.get("Content-Length") or 0)
                return json.loads(self.rfile.read(length) or b"{}")

            def _failing(self) -> bool:
                with state.lock:
                    if state.fail_next > 0:
                        state.fail_next -= 1
                        return True
                return False

            def _nonsense(self, route: str) -> bool:
                """Answer the route's scripted malformed body, if it has one."""
                with state.lock:
                    body = state.malformed.get(route)
                if body is not None:
                    self._send_raw(200, body)
                return body is not None

            def do_GET(self) -> None:
                route = "lookup" if self.path.startswith("/relay/") else self.path.strip("/")
                if route == "lookup" and state.lookup_delay_ms:
                    time.sleep(state.lookup_delay_ms / 1000)
                if self._nonsense(route):
                    return
                if self.path == "/fee_address":
                    self._send(200, {"address": "0x" + "fe" * 20})
                elif self.path == "/relays":
                    with state.lock:
                        self._send(
                            200, {"submissions": state.submissions, "relays": list(state.relays.values())}
                        )
                elif self.path.startswith("/relay/"):
                    with state.lock:
                        relayed = state.relays.get(self.path.removeprefix("/relay/"))
                    self._send(200, relayed) if relayed else self._send(404, {"error": "unknown key"})
                else:
                    self._send(404, {"error": "not found"})

            def do_POST(self) -> None:
                body = self._body()
                if self.path == "/control":
                    with state.lock:
                        for name in ("fee", "fail_next", "delay_ms", "lookup_delay_ms"):
                            if name in body:
                                setattr(state, name, int(body[name]))
                        if "malformed" in body:
                            state.malformed = dict(body["malformed"])
                    self._send(200, {"ok": True})
                elif self._failing():
                    self._send(503, {"error": "relayer told to fail"})
                elif self.path == "/quote_fees":
                    if not self._nonsense("quote"):
                        self._send(200, {"fee": str(state.fee)})
                elif self.path == "/relay":
                    self._relay(body)
                else:
                    self._send(404, {"error": "not found"})

            def _relay(self, body: dict[str, Any]) -> None:
                key = self.headers.get("Idempotency-Key") or ""
                nullifier = str(body.get("calldata", {}).get("nullifier_hash", ""))
                if not key or not nullifier:
                    self._send(400, {"error": "Idempotency-Key and calldata.nullifier_hash are required"})
                    return
                with state.lock:
                    state.submissions += 1
                    relayed = state.relays.get(key)
                    owner = state.keys_by_nullifier.get(nullifier)
                    if relayed is None and owner is None:
                        tx_hash = "0x" + hashlib.sha256(f"{key}:{nullifier}".encode()).hexdigest()
                        relayed = {"tx_hash": tx_hash, "idempotency_key": key, "nullifier_hash": nullifier}
                        state.relays[key] = relayed
                        state.keys_by_nullifier[nullifier] = key
                    delay = state.delay_ms / 1000
                if relayed is None:
                    self._send(409, {"error": "nullifier already relayed"})
                    return
                # The relay is on chain before the answer leaves: a slow answer is
                # how tests lose a worker between relaying and recording.
                time.sleep(delay)
                try:
                    if not self._nonsense("relay"):
                        self._send(200, {"tx_hash": relayed["tx_hash"]})
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = LocalHTTPServer((host, port), Handler)
        address = self.server.server_address
        self.host, self.port = str(address[0]), int(address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "RelayerSimulator":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "RelayerSimulator":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
