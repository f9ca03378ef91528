"""The shared cache (rate limits, the TEE's public key): Redis, and this process's memory
while Redis cannot be reached; and the rate limits' counters.

A cache outage must not fail a write: with the stock backend every request that
touched the cache (the rate limit, so every API request) answered 500 while
Redis was down. Here each call that cannot reach Redis is served from a
per-process memory cache instead, and the outage is logged (at most once a
minute per process). The rate limits' counters are not: a process's memory would
make one limit as many limits as there are web processes. They are counted in the
database instead, which every web process shares, as they are where there is no
Redis at all (the embedded default).
"""

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

from scheduler_project.core import services

logger = logging.getLogger(__name__)
LOG_EVERY_SECS = 60.0
FALLBACK_MEMORY = "redis-fallback"  # the name of the process memory a Redis outage falls back on


def _fallback(name: str) -> Callable[..., Any]:
    """The cache method ``name``: Redis's, or the memory cache's while Redis is unreachable."""

    def method(self: "FallbackRedisCache", *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except RedisError as exc:
            self._unreachable(exc)
            return getattr(self._memory, name)(*args, **kwargs)

    method.__name__ = name
    return method


class _ReusedClients(RedisCacheClient):
    """One redis-py client per connection pool, kept, instead of one built on every call
    (building one sets up its response callbacks: about 0.5 ms, twice per rate-limited
    request). A client is safe to share between threads: it takes a connection from its
    pool for each command."""

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        stock: Any = self  # Django's client class has no type hints
        index = stock._get_connection_pool_index(write)
        clients: dict[int, Any] = self.__dict__.setdefault("_clients", {})
        client = clients.get(index)
        if client is None:
            client = clients[index] = stock._client(connection_pool=stock._get_connection_pool(write))
        return client


@dataclass(frozen=True)
class Hit:
    """One request counted (see ``count_hit``)."""

    count: int  # this window's count, this request included
    before: int  # the previous window's count
    into: float  # seconds into this window
    uncount: Callable[[], None]  # takes this request back out of the count


def count_hit(cache: BaseCache, key: str, *, window: int, now: float) -> Hit:
    """Count one request under ``key`` in the current ``window`` seconds of the clock (fixed
    windows, each counter kept two windows), and read the previous window's count: what a
    sliding limit needs, in one round trip on Redis, whatever the limit (a counter, not a
    list of request times). Without Redis, in the database: one limit across processes."""
    number = int(now // window)
    count_in = getattr(cache, "count_in", services.count_request)  # Redis's, also through Django's proxy
    count, before, uncount = count_in(key, number, window)
    return Hit(count, before, now - number * window, uncount)


class FallbackRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ReusedClients  # Django's __init__ sets its own
        self._memory = LocMemCache(FALLBACK_MEMORY, {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._logged_at = -LOG_EVERY_SECS

    def count_in(self, key: str, window: int, length: int) -> tuple[int, int, Callable[[], None]]:
        """``services.count_request`` in Redis: add one to the counter of window number
        ``window`` (kept two windows), and read the previous one's: one pipelined round
        trip. While Redis is unreachable, in the database (and logged)."""
        current = f"{key}:{window}"
        try:
            keys = [self.make_and_validate_key(current), self.make_and_validate_key(f"{key}:{window - 1}")]
            client = self._cache.get_client(write=True)
            pipe = client.pipeline(transaction=False)
            pipe.incr(keys[0])
            pipe.expire(keys[0], 2 * length)
            pipe.get(keys[1])
            count, _, before = pipe.execute()
        except RedisError as exc:
            self._unreachable(exc)
            return services.count_request(key, window, length)
        return int(count), int(before or 0), lambda: self._uncount(current)

    def _uncount(self, counter: str) -> None:
        with contextlib.suppress(ValueError):  # gone meanwhile (Redis back empty, or down)
            self.decr(counter)

    def _unreachable(self, exc: Exception) -> None:
        if time.monotonic() - self._logged_at >= LOG_EVERY_SECS:
            self._logged_at = time.monotonic()
            logger.warning("cache: Redis unreachable (%s); using this process's memory meanwhile", exc)

    add = _fallback("add")
    get = _fallback("get")
    set = _fallback("set")
    touch = _fallback("touch")
    delete = _fallback("delete")
    get_many = _fallback("get_many")
    has_key = _fallback("has_key")
    incr = _fallback("incr")
    set_many = _fallback("set_many")
    delete_many = _fallback("delete_many")
    clear = _fallback("clear")
