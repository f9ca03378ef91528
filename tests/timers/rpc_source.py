"""A loopback JSON-RPC node for condition sources: ``eth_getBalance`` answers the balance
set for an address, ``eth_call`` of ``balanceOf(address)`` the token balance set for a
contract and holder, both as 0x quantities. It records every request and how many were in
flight at once; a path can be made to fail."""

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from scheduler_project.core.http import LocalHTTPServer

BALANCE_OF = "0x70a08231"


def balance_of_data(holder: str) -> str:
    """The ``eth_call`` data of ``balanceOf(holder)``: the selector, then the address
    left-padded to 32 bytes."""
    return BALANCE_OF + holder.lower().removeprefix("0x").rjust(64, "0")


@dataclass
class RpcRequest:
    path: str
    method: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class RpcSource:
    def __init__(self, *, delay: float = 0.0) -> None:
        self.balances: dict[str, int] = {}
        self.tokens: dict[tuple[str, str], int] = {}
        self.failing: set[str] = set()  # paths answered 503
        self.requests: list[RpcRequest] = []
        self.in_flight = self.most_in_flight = 0
        self.delay = delay
        self._lock = threading.Lock()
        node = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = RpcRequest(self.path, self.command, dict(self.headers.items()), body)
                with node._lock:
                    node.requests.append(request)
                    node.in_flight += 1
                    node.most_in_flight = max(node.most_in_flight, node.in_flight)
                try:
                    time.sleep(node.delay)
                    status, answer = node.answer(request)
                finally:
                    with node._lock:
                        node.in_flight -= 1
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = LocalHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/rpc") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, request: RpcRequest) -> tuple[int, Any]:
        if request.path in self.failing:
            return 503, {"error": "unavailable"}
        call = request.json()
        method, params = call["method"], call["params"]
        if method == "eth_getBalance":
            result = hex(self.balances.get(params[0].lower(), 0))
        elif method == "eth_call" and params[0]["data"].startswith(BALANCE_OF):
            holder = "0x" + params[0]["data"][-40:]
            result = "0x" + format(self.tokens.get((params[0]["to"].lower(), holder), 0), "064x")
        else:
            return 200, {"jsonrpc": "2.0", "id": call["id"], "error": {"code": -32601, "message": "no"}}
        return 200, {"jsonrpc": "2.0", "id": call["id"], "result": result}

    def __enter__(self) -> "RpcSource":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
