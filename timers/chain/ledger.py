"""The simulated chain's state: blocks with their logs, balances, and the eth_getLogs
filter. No network and no clock of its own (``timestamp`` is given), so the simulator's
server and tests share one model of the chain."""

import hashlib
from dataclasses import dataclass, field
from typing import Any

BALANCE_OF = "0x70a08231"  # balanceOf(address)
ZERO_HASH = "0x" + "00" * 32


class RpcFault(Exception):
    """A JSON-RPC error object to answer."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def quantity(value: int) -> str:
    return hex(value)


def parse_quantity(value: Any) -> int:
    if isinstance(value, str) and value.startswith("0x"):
        try:
            return int(value, 16)
        except ValueError:
            pass
    raise RpcFault(-32602, f"invalid quantity {value!r}")


@dataclass
class Block:
    number: int
    hash: str
    parent_hash: str
    timestamp: int
    logs: list[dict[str, Any]] = field(default_factory=list)

    def header(self) -> dict[str, Any]:
        return {
            "number": quantity(self.number),
            "hash": self.hash,
            "parentHash": self.parent_hash,
            "timestamp": quantity(self.timestamp),
            "transactions": [log["transactionHash"] for log in self.logs],
        }


def _as_list(value: Any) -> list[str] | None:
    if value is None:
        return None
    return [str(v).lower() for v in (value if isinstance(value, list) else [value])]


def log_matches(log: dict[str, Any], addresses: list[str] | None, topics: list[Any]) -> bool:
    """eth_getLogs' filter: any of the addresses; topics by position, each null (any),
    one topic or a list of alternatives, positions AND-ed."""
    if addresses is not None and log["address"] not in addresses:
        return False
    for position, wanted in enumerate(topics):
        options = _as_list(wanted)
        if options is None:
            continue
        if position >= len(log["topics"]) or log["topics"][position] not in options:
            return False
    return True


class Ledger:
    """Blocks from ``start`` up (those below are empty, their hashes derived), the logs
    waiting for the next block, and balances."""

    def __init__(self, *, start: int, salt: str, now: int) -> None:
        self.base, self.salt, self.branch = start, salt, 0
        self.blocks: list[Block] = []
        self.pending: list[dict[str, Any]] = []
        self.balances: dict[str, int] = {}
        self.token_balances: dict[tuple[str, str], int] = {}
        self.transactions = 0
        self._append(now)

    @property
    def head(self) -> int:
        return self.base + len(self.blocks) - 1

    def _derived_hash(self, number: int) -> str:
        return "0x" + hashlib.sha256(f"{self.salt}:genesis:{number}".encode()).hexdigest()

    def block(self, number: int) -> Block | None:
        if number > self.head or number < 0:
            return None
        if number < self.base:
            parent = self._derived_hash(number - 1) if number else ZERO_HASH
            return Block(number, self._derived_hash(number), parent, 0)
        return self.blocks[number - self.base]

    def _append(self, now: int, logs: list[dict[str, Any]] | None = None) -> Block:
        number = self.base + len(self.blocks)
        parent = self.block(number - 1)
        parent_hash = parent.hash if parent else ZERO_HASH
        digest = hashlib.sha256(f"{parent_hash}:{number}:{self.salt}:{self.branch}".encode()).hexdigest()
        block = Block(number, "0x" + digest, parent_hash, now)
        for index, log in enumerate(logs or []):
            log.update(blockNumber=quantity(number), blockHash=block.hash, logIndex=quantity(index),
                       transactionIndex=quantity(index), removed=False)  # fmt: skip
            block.logs.append(log)
        self.blocks.append(block)
        return block

    def mine(self, now: int) -> Block:
        """One block holding the logs emitted since the last."""
        logs, self.pending = self.pending, []
        return self._append(now, logs)

    def emit(self, address: str, topics: list[str], data: str) -> dict[str, Any]:
        """A log for the next block; answers where it will be."""
        self.transactions += 1
        tx_hash = "0x" + hashlib.sha256(f"{self.salt}:tx:{self.transactions}".encode()).hexdigest()
        log = {
            "address": address.lower(),
            "topics": [str(t).lower() for t in topics],
            "data": data or "0x",
            "transactionHash": tx_hash,
        }
        self.pending.append(log)
        return {
            "blockNumber": quantity(self.head + 1),
            "transactionHash": tx_hash,
            "logIndex": quantity(len(self.pending) - 1),
        }

    def reorg(self, depth: int, *, keep_logs: bool, now: int) -> dict[str, Any]:
        """Replace the last ``depth`` blocks by a branch one block longer, its logs dropped
        (or kept, each at its height, in the new blocks)."""
        depth = max(1, min(depth, len(self.blocks) - 1))
        replaced = self.blocks[-depth:]
        del self.blocks[-depth:]
        self.branch += 1
        for old in replaced:
            kept = [{k: log[k] for k in ("address", "topics", "data", "transactionHash")} for log in old.logs]
            self._append(now, kept if keep_logs else [])
        self._append(now)
        return {"replaced": [quantity(replaced[0].number), quantity(replaced[-1].number)],
                "head": quantity(self.head)}  # fmt: skip

    def resolve(self, tag: Any) -> int:
        if tag in (None, "latest", "pending", "safe", "finalized"):
            return self.head
        if tag == "earliest":
            return 0
        return parse_quantity(tag)

    def logs(self, query: dict[str, Any], *, max_range: int) -> list[dict[str, Any]]:
        addresses = _as_list(query.get("address"))
        topics = query.get("topics") or []
        if not isinstance(topics, list):
            raise RpcFault(-32602, "topics must be a list")
        if query.get("blockHash") is not None:
            if "fromBlock" in query or "toBlock" in query:
                raise RpcFault(-32602, "blockHash cannot be combined with fromBlock or toBlock")
            found = next((b for b in self.blocks if b.hash == str(query["blockHash"]).lower()), None)
            if found is None:
                raise RpcFault(-32000, "unknown block")
            blocks = [found]
        else:
            first = self.resolve(query.get("fromBlock"))
            last = min(self.resolve(query.get("toBlock")), self.head)
            if first > last:
                return []
            if last - first + 1 > max_range:
                raise RpcFault(-32005, f"query exceeds max block range {max_range}")
            blocks = self.blocks[max(first, self.base) - self.base : last - self.base + 1]
        return [dict(log) for b in blocks for log in b.logs if log_matches(log, addresses, topics)]

    def call(self, call: dict[str, Any]) -> str:
        data = str(call.get("data") or call.get("input") or "").lower()
        if not data.startswith(BALANCE_OF) or len(data) != len(BALANCE_OF) + 64:
            raise RpcFault(-32000, "execution reverted")
        token, holder = str(call.get("to", "")).lower(), "0x" + data[-40:]
        return "0x" + format(self.token_balances.get((token, holder), 0), "064x")
