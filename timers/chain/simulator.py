"""A local EVM chain over JSON-RPC 2.0 (HTTP POST, single requests and batches), for runs
and tests: ``manage.py chain_simulator``, or ``ChainSimulator`` in a test's process.

It mines a block every ``block_time`` seconds (0: only when told), answers the reads a log
poll and a balance condition make, and takes control calls, methods prefixed ``sim_``
(see docs/chains.md): emit a log, set balances, reorganise, mine, fail, narrow the
eth_getLogs range, and count the calls it answered (``sim_stats``)."""

import json
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler
from typing import Any

from scheduler_project.core.http import LocalHTTPServer
from timers.chain.ledger import Ledger, RpcFault, parse_quantity, quantity

FAIL_MODES = ("429", "error", "down", "off")


class ChainSimulator:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        block_time: float = 1.0,
        max_range: int = 1000,
        start: int = 0,
        chain_id: int = 31337,
        salt: str = "local",
    ) -> None:
        self.block_time, self.max_range, self.chain_id = block_time, max_range, chain_id
        self.ledger = Ledger(start=start, salt=salt, now=int(time.time()))
        self.calls: Counter[str] = Counter()  # answered, by method (control calls aside)
        self.requests = 0  # HTTP requests with at least one chain method
        self.fail_mode = "off"
        self.fail_count = 0
        self.fail_until = 0.0
        self.retry_after = 1  # seconds, in a 429's Retry-After
        self.lock = threading.RLock()
        self._stopped = threading.Event()
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 64 * 1024
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    self._send(200, _error(None, -32700, "parse error"))
                    return
                failure = simulator._failure(body)
                if failure == "down":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if failure == "429":
                    retry_after = {"Retry-After": str(simulator.retry_after)}
                    self._send(429, {"error": "rate limited"}, retry_after)
                    return
                if failure == "error":
                    self._send(200, _error(_first_id(body), -32603, "internal error (simulated)"))
                    return
                self._send(200, simulator.answer(body))

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = LocalHTTPServer((host, port), Handler)
        address = self.server.server_address
        self.host, self.port = str(address[0]), int(address[1])
        self._threads = [threading.Thread(target=self.server.serve_forever, daemon=True)]
        if block_time > 0:
            self._threads.append(threading.Thread(target=self._mine_on_time, daemon=True))

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def head(self) -> int:
        with self.lock:
            return self.ledger.head

    def start(self) -> "ChainSimulator":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "ChainSimulator":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _mine_on_time(self) -> None:
        while not self._stopped.wait(self.block_time):
            with self.lock:
                self.ledger.mine(int(time.time()))

    def _failure(self, body: Any) -> str:
        """The failure to answer this request with, if one was asked for (control calls
        always pass, so a failure can be ended)."""
        calls = body if isinstance(body, list) else [body]
        if all(isinstance(c, dict) and str(c.get("method", "")).startswith("sim_") for c in calls):
            return ""
        with self.lock:
            if self.fail_mode == "off":
                return ""
            if self.fail_count > 0:
                self.fail_count -= 1
                return self.fail_mode
            if time.monotonic() < self.fail_until:
                return self.fail_mode
            self.fail_mode = "off"
            return ""

    def answer(self, body: Any) -> Any:
        """The JSON-RPC answer to a request or a batch."""
        if isinstance(body, list):
            if not body:
                return _error(None, -32600, "empty batch")
            answers = [self._one(call) for call in body]
        else:
            answers = [self._one(body)]
        with self.lock:
            if any(isinstance(c, dict) and not str(c.get("method", "")).startswith("sim_")
                   for c in (body if isinstance(body, list) else [body])):  # fmt: skip
                self.requests += 1
        return answers if isinstance(body, list) else answers[0]

    def _one(self, call: Any) -> dict[str, Any]:
        if not isinstance(call, dict) or not isinstance(call.get("method"), str):
            return _error(None, -32600, "invalid request")
        method, params = call["method"], call.get("params") or []
        handler = getattr(self, "rpc_" + method, None)
        if handler is None:
            return _error(call.get("id"), -32601, f"the method {method} does not exist")
        try:
            with self.lock:
                result = handler(params)
                if not method.startswith("sim_"):
                    self.calls[method] += 1
        except RpcFault as fault:
            return _error(call.get("id"), fault.code, fault.message)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
            return _error(call.get("id"), -32602, f"invalid params: {exc}")
        return {"jsonrpc": "2.0", "id": call.get("id"), "result": result}

    # The chain's reads.
    def rpc_eth_chainId(self, params: list[Any]) -> str:
        return quantity(self.chain_id)

    def rpc_eth_blockNumber(self, params: list[Any]) -> str:
        return quantity(self.ledger.head)

    def rpc_eth_getBlockByNumber(self, params: list[Any]) -> dict[str, Any] | None:
        block = self.ledger.block(self.ledger.resolve(params[0]))
        return block.header() if block else None

    def rpc_eth_getLogs(self, params: list[Any]) -> list[dict[str, Any]]:
        return self.ledger.logs(params[0] if params else {}, max_range=self.max_range)

    def rpc_eth_getBalance(self, params: list[Any]) -> str:
        return quantity(self.ledger.balances.get(str(params[0]).lower(), 0))

    def rpc_eth_call(self, params: list[Any]) -> str:
        return self.ledger.call(params[0])

    # Control calls: one object of named parameters each (or none).
    def rpc_sim_emitLog(self, params: list[Any]) -> dict[str, Any]:
        log = _named(params)
        topics = list(log.get("topics") or [])
        return self.ledger.emit(str(log["address"]), topics, str(log.get("data") or "0x"))

    def rpc_sim_setBalance(self, params: list[Any]) -> bool:
        given = _named(params)
        balance = _amount(given["balance"])
        if "token" in given:
            self.ledger.token_balances[(str(given["token"]).lower(), str(given["holder"]).lower())] = balance
        else:
            self.ledger.balances[str(given["address"]).lower()] = balance
        return True

    def rpc_sim_reorg(self, params: list[Any]) -> dict[str, Any]:
        given = _named(params)
        return self.ledger.reorg(int(given.get("depth", 1)), keep_logs=bool(given.get("keep_logs")),
                                 now=int(time.time()))  # fmt: skip

    def rpc_sim_mine(self, params: list[Any]) -> str:
        for _ in range(int(_named(params).get("blocks", 1))):
            self.ledger.mine(int(time.time()))
        return quantity(self.ledger.head)

    def rpc_sim_fail(self, params: list[Any]) -> bool:
        given = _named(params)
        mode = str(given.get("mode", "off"))
        if mode not in FAIL_MODES:
            raise RpcFault(-32602, f"mode must be one of {', '.join(FAIL_MODES)}")
        self.fail_mode = mode
        self.fail_count = int(given.get("count", 0))
        self.fail_until = time.monotonic() + float(given.get("secs", 0))
        self.retry_after = int(given.get("retry_after", 1))
        if mode != "off" and not self.fail_count and "secs" not in given:
            self.fail_count = 1
        return True

    def rpc_sim_setMaxRange(self, params: list[Any]) -> bool:
        self.max_range = max(1, int(_named(params)["max_range"]))
        return True

    def rpc_sim_stats(self, params: list[Any]) -> dict[str, Any]:
        return {"head": self.ledger.head, "requests": self.requests, "calls": dict(self.calls)}

    def control(self, method: str, **params: Any) -> Any:
        """A control call from the simulator's own process (a test's)."""
        answer = self._one({"jsonrpc": "2.0", "id": 1, "method": method, "params": [params]})
        if "error" in answer:
            raise RpcFault(answer["error"]["code"], answer["error"]["message"])
        return answer["result"]


def _named(params: Any) -> dict[str, Any]:
    if isinstance(params, dict):
        return params
    return dict(params[0]) if params else {}


def _amount(value: Any) -> int:
    return parse_quantity(value) if isinstance(value, str) and value.startswith("0x") else int(value)


def _first_id(body: Any) -> Any:
    first = body[0] if isinstance(body, list) and body else body
    return first.get("id") if isinstance(first, dict) else None


def _error(call_id: Any, code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": call_id, "error": {"code": code, "message": message}}
