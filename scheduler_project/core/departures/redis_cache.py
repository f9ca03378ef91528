"""Django's Redis cache, changed: served from this process's memory while Redis cannot be
reached.

A cache outage must not fail a write: with the stock backend every request that
touched the cache (the rate limit, so every API request) answered 500 while
Redis was down. Here each call that cannot reach Redis is served from a
per-process memory cache instead, and the outage is logged (at most once a
minute per process). The rate limits' counters are not (``core.rate_counts``):
a process's memory would make one limit as many limits as there are web
processes.

Decision record: docs/decisions/0006-redis-cache-memory-fallback.md.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
LOG_EVERY_SECS = 60.0
FALLBACK_MEMORY = "redis-fallback"  # the name of the process memory a Redis outage falls back on


def _fallback(name: str) -> Callable[..., Any]:
    """The cache method ``name``: Redis's, or the memory cache's while Redis is unreachable."""

    def method(self: "FallbackRedisCache", *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except RedisError as exc:
            self.unreachable(exc)
            return getattr(self._memory, name)(*args, **kwargs)

    method.__name__ = name
    return method


class FallbackRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._memory = LocMemCache(FALLBACK_MEMORY, {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._logged_at = -LOG_EVERY_SECS

    def redis_client(self, *, write: bool = False) -> Any:
        """The redis-py client of this cache's servers (reads, or ``write``s): for what the
        cache's own methods do not do, such as a pipeline. It raises ``RedisError`` while
        Redis is unreachable; say so with ``unreachable``."""
        return self._cache.get_client(write=write)

    def unreachable(self, exc: Exception) -> None:
        """Log that Redis could not be reached (at most every ``LOG_EVERY_SECS``)."""
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
