"""JSON-RPC 2.0 over HTTP to an EVM node, through the callbacks' SSRF guard, pools and
deadline (``timers.clients.exchange``). Every failure is one ``RpcError``: the node could
not be reached, answered HTTP 429 or another status, a JSON-RPC error object, or an
answer of the wrong shape."""

import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

from timers import clients
from timers.chain.scan import endpoint_label, is_range_refusal
from timers.metrics import CHAIN_RPC_ERRORS, CHAIN_RPC_REQUESTS

# A node's answer is read up to this; a larger eth_getLogs answer counts as a range too
# wide (the node's own result-count limits are the same refusal, said differently).
ANSWER_LIMIT = 32 * 1024 * 1024
HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_ids = itertools.count(1)


class RpcError(Exception):
    """``kind``: unreachable, rate_limited, http, rpc (an error object), malformed, or
    range (the node refused a block range as too wide)."""

    def __init__(self, message: str, *, kind: str = "malformed", retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind, self.retry_after = kind, retry_after

    @property
    def range_refused(self) -> bool:
        return self.kind == "range"


def quantity(value: Any, what: str) -> int:
    if not isinstance(value, str) or not HEX.match(value):
        raise RpcError(f"malformed answer: {what} is not a hex quantity")
    return int(value, 16)


@dataclass(frozen=True)
class BlockRef:
    number: int
    hash: str


LOG_FIELDS = ("address", "topics", "data", "blockNumber", "blockHash", "transactionHash", "logIndex")


class RpcClient:
    def __init__(self, url: str, *, timeout: float) -> None:
        self.url, self.timeout, self.label = url, timeout, endpoint_label(url)

    def _post(self, body: Any, methods: list[str]) -> Any:
        for method in methods:
            CHAIN_RPC_REQUESTS.labels(endpoint=self.label, method=method).inc()
        try:
            return self._exchange(body)
        except RpcError as exc:
            CHAIN_RPC_ERRORS.labels(endpoint=self.label, kind=exc.kind).inc()
            raise

    def _exchange(self, body: Any) -> Any:
        result = clients.exchange(
            "POST", self.url, headers={"Content-Type": "application/json", "Accept": "application/json"},
            content=json.dumps(body).encode(), timeout=self.timeout, body_limit=ANSWER_LIMIT,
        )  # fmt: skip
        if result.status_code == 429:
            retry_after = _seconds(result.retry_after)
            raise RpcError(f"{self.label} answered HTTP 429", kind="rate_limited", retry_after=retry_after)
        if result.status_code is None:
            raise RpcError(f"{self.label}: {result.error}", kind="unreachable")
        if not result.ok:
            raise RpcError(f"{self.label}: {result.error}", kind="http")
        if len(result.body.encode()) >= ANSWER_LIMIT:
            raise RpcError(f"{self.label} answered more than {ANSWER_LIMIT} bytes", kind="range")
        try:
            return json.loads(result.body)
        except (ValueError, RecursionError) as exc:
            raise RpcError(f"malformed answer from {self.label}: not JSON") from exc

    def call(self, method: str, params: list[Any]) -> Any:
        answer = self._post(
            {"jsonrpc": "2.0", "id": next(_ids), "method": method, "params": params}, [method]
        )
        return self._result(answer, method)

    def batch(self, calls: list[tuple[str, list[Any]]]) -> list[Any]:
        """Several calls in one request; their results in the calls' order."""
        if not calls:
            return []
        ids = [next(_ids) for _ in calls]
        body = [
            {"jsonrpc": "2.0", "id": i, "method": m, "params": p}
            for i, (m, p) in zip(ids, calls, strict=True)
        ]
        answers = self._post(body, [method for method, _ in calls])
        if not isinstance(answers, list):
            self._result(answers, "a batch")  # one error object for the whole batch raises here
            raise RpcError(f"malformed answer from {self.label}: a batch answered with one object")
        by_id = {a.get("id"): a for a in answers if isinstance(a, dict)}
        if set(ids) - set(by_id):
            raise RpcError(f"malformed answer from {self.label}: a batch answer is missing")
        return [self._result(by_id[i], method) for i, (method, _) in zip(ids, calls, strict=True)]

    def _result(self, answer: Any, method: str) -> Any:
        if not isinstance(answer, dict):
            raise RpcError(f"malformed answer from {self.label} to {method}")
        error = answer.get("error")
        if error is not None:
            code = error.get("code") if isinstance(error, dict) else None
            message = str(error.get("message", error) if isinstance(error, dict) else error)
            code = code if isinstance(code, int) else None
            refused = method == "eth_getLogs" and is_range_refusal(code, message)
            raise RpcError(f"{method}: {message} (code {code})", kind="range" if refused else "rpc")
        if "result" not in answer:
            raise RpcError(f"malformed answer from {self.label} to {method}: no result")
        return answer["result"]

    def block_number(self) -> int:
        return quantity(self.call("eth_blockNumber", []), "eth_blockNumber")

    def block_hashes(self, numbers: list[int]) -> dict[int, str | None]:
        """The chain's hash at each height (None beyond its head), in one request."""
        wanted = sorted(set(numbers))
        blocks = self.batch([("eth_getBlockByNumber", [hex(n), False]) for n in wanted])
        hashes: dict[int, str | None] = {}
        for number, block in zip(wanted, blocks, strict=True):
            if block is None:
                hashes[number] = None
                continue
            if not isinstance(block, dict) or quantity(block.get("number"), "a block's number") != number:
                raise RpcError(f"malformed answer from {self.label}: block {number}")
            hashes[number] = _hash(block.get("hash"), "a block's hash")
        return hashes

    def get_logs(self, first: int, last: int, addresses: list[str] | None, topics: list[Any] | None
                 ) -> list[dict[str, Any]]:  # fmt: skip
        query: dict[str, Any] = {"fromBlock": hex(first), "toBlock": hex(last)}
        if addresses is not None:
            query["address"] = addresses
        if topics:
            query["topics"] = topics
        logs = self.call("eth_getLogs", [query])
        if not isinstance(logs, list):
            raise RpcError(f"malformed answer from {self.label} to eth_getLogs: not a list")
        return [_log(log, first, last) for log in logs]


def _hash(value: Any, what: str) -> str:
    if not isinstance(value, str) or not HEX.match(value):
        raise RpcError(f"malformed answer: {what} is not hex")
    return value.lower()


def _log(log: Any, first: int, last: int) -> dict[str, Any]:
    """A log as the poll fires it, checked and normalised (lowercase hex)."""
    if not isinstance(log, dict) or any(name not in log for name in LOG_FIELDS):
        raise RpcError("malformed answer: a log lacks a field")
    topics = log["topics"]
    if not isinstance(topics, list):
        raise RpcError("malformed answer: a log's topics are not a list")
    number = quantity(log["blockNumber"], "a log's blockNumber")
    if not first <= number <= last:
        raise RpcError(f"malformed answer: a log of block {number} outside {first}..{last}")
    quantity(log["logIndex"], "a log's logIndex")
    return {
        "address": _hash(log["address"], "a log's address"),
        "topics": [_hash(t, "a topic") for t in topics],
        "data": str(log["data"]).lower(),
        "blockNumber": hex(number),
        "blockHash": _hash(log["blockHash"], "a log's blockHash"),
        "transactionHash": _hash(log["transactionHash"], "a log's transactionHash"),
        "logIndex": hex(int(log["logIndex"], 16)),
        "removed": False,
    }


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: the back-off decides
