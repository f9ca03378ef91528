"""The chain poll's pure logic: which blocks each job still needs, the shared eth_getLogs
ranges and filters over the jobs of one endpoint, matching a log to a job, and where a
reorganisation began. No database, no network and no clock: the service feeds it what it
read and stores what it decides."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

RANGE_REFUSALS = re.compile(r"range|limit|too many|too large|exceed|more than", re.IGNORECASE)


def endpoint_label(url: str) -> str:
    """host:port of an RPC URL: its metrics' label and what errors name (the whole URL may
    hold an API key in its path or query)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"


def is_range_refusal(code: int | None, message: str) -> bool:
    """Whether an eth_getLogs error says the range was too wide (or held too many logs):
    providers say it with -32005 or in words, each their own."""
    return code == -32005 or bool(RANGE_REFUSALS.search(message))


def log_id(log: dict[str, Any]) -> str:
    return f"{log['transactionHash']}:{int(log['logIndex'], 16)}"


def block_of(log: dict[str, Any]) -> int:
    return int(log["blockNumber"], 16)


@dataclass(frozen=True)
class Cursor:
    """One job as a scan sees it: its checkpoint and the last block it may take now."""

    key: Any
    checkpoint: int
    target: int  # head - confirmations
    addresses: tuple[str, ...]  # empty: any address
    topics: tuple[Any, ...]  # eth_getLogs positions
    max_range: int

    def needs(self, first: int, last: int) -> bool:
        """Whether any block of first..last is one this job has yet to take."""
        return self.checkpoint < last and self.target >= first and self.checkpoint < self.target

    def takes(self, first: int, last: int) -> tuple[int, int]:
        """The blocks of first..last this job takes (its checkpoint moves to the second)."""
        return max(first, self.checkpoint + 1), min(last, self.target)


def _options(wanted: Any) -> set[str] | None:
    if wanted is None:
        return None
    return {str(t).lower() for t in (wanted if isinstance(wanted, list | tuple) else [wanted])}


def matches(log: dict[str, Any], cursor: Cursor) -> bool:
    """The job's filter, as eth_getLogs applies it (the shared request may be wider)."""
    if cursor.addresses and log["address"] not in cursor.addresses:
        return False
    for position, wanted in enumerate(cursor.topics):
        options = _options(wanted)
        if options is not None and (position >= len(log["topics"]) or log["topics"][position] not in options):
            return False
    return True


def next_range(cursors: Sequence[Cursor], *, width: int) -> tuple[int, int] | None:
    """The next block range to fetch for the jobs that still need blocks: from the lowest
    checkpoint, no wider than ``width`` (the node's limit) nor than any of those jobs' own,
    and not beyond the highest target. None when no job needs a block."""
    behind = [c for c in cursors if c.checkpoint < c.target]
    if not behind:
        return None
    first = min(c.checkpoint for c in behind) + 1
    width = min([width, *(c.max_range for c in behind)])
    last = min(first + max(1, width) - 1, max(c.target for c in behind))
    return first, last


def shared_filter(cursors: Iterable[Cursor]) -> tuple[list[str] | None, list[Any] | None]:
    """The one eth_getLogs filter for these jobs: the union of their addresses (None: any,
    when one job takes any address), and their topics when all share them (None: every
    topic, each job's matched here)."""
    cursors = list(cursors)
    if any(not c.addresses for c in cursors):
        addresses = None
    else:
        addresses = sorted({a for c in cursors for a in c.addresses})
    topics = {c.topics for c in cursors}
    return addresses, (list(topics.pop()) or None) if len(topics) == 1 else None


def common_ancestor(
    *, checkpoint: int, depth: int, seen: dict[int, str], chain: dict[int, str | None]
) -> int:
    """Where a job whose checkpoint's block left the chain scans again from: the highest
    block at or below its checkpoint, within ``depth`` of it, whose hash as seen (``seen``)
    is the chain's now (``chain``), or ``depth`` blocks down when none is."""
    floor = max(0, checkpoint - depth)
    for number in sorted((n for n in seen if floor <= n <= checkpoint), reverse=True):
        if chain.get(number) == seen[number]:
            return number
    return floor
