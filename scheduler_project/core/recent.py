"""This process's memory of slow reads that many calls share (a tenant's signing secrets,
a relayer's fee quote), each kept for a while and then read again."""

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Recent(Generic[K, V]):
    """Values by key, each read by its ``fetch`` and reused for ``ttl`` seconds."""

    def __init__(self, ttl: float = 0.0) -> None:
        self.ttl = ttl
        self._kept: dict[K, tuple[float, V]] = {}

    def get(self, key: K, fetch: Callable[[], V], *, ttl: float | None = None) -> V:
        kept = self._kept.get(key)
        if kept is not None and kept[0] > time.monotonic():
            return kept[1]
        value = fetch()
        self._kept[key] = (time.monotonic() + (self.ttl if ttl is None else ttl), value)
        return value

    def forget(self) -> None:
        """Read everything anew (in this process; others within their ``ttl``)."""
        self._kept.clear()
