"""The rate limits' counters: fixed windows counted in Redis (the shared cache's), or in the
database where there is no Redis and while it is unreachable, so that one limit is one limit
across every web process (a process's memory would make it as many limits as processes)."""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import BaseCache
from redis.exceptions import RedisError

from scheduler_project.core import services


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
    count, before, uncount = _count_in(cache, key, number, window)
    return Hit(count, before, now - number * window, uncount)


def _count_in(cache: Any, key: str, window: int, length: int) -> tuple[int, int, Callable[[], None]]:
    """``services.count_request`` in Redis, if ``cache`` is the Redis cache (also through
    Django's proxy): add one to the counter of window number ``window`` (kept two windows),
    and read the previous one's: one pipelined round trip. While Redis is unreachable, in
    the database (and logged)."""
    redis_client = getattr(cache, "redis_client", None)
    if redis_client is None:
        return services.count_request(key, window, length)
    current = f"{key}:{window}"
    try:
        keys = [cache.make_and_validate_key(current), cache.make_and_validate_key(f"{key}:{window - 1}")]
        pipe = redis_client(write=True).pipeline(transaction=False)
        pipe.incr(keys[0])
        pipe.expire(keys[0], 2 * length)
        pipe.get(keys[1])
        count, _, before = pipe.execute()
    except RedisError as exc:
        cache.unreachable(exc)
        return services.count_request(key, window, length)
    return int(count), int(before or 0), lambda: _uncount(cache, current)


def _uncount(cache: Any, counter: str) -> None:
    with contextlib.suppress(ValueError):  # gone meanwhile (Redis back empty, or down)
        cache.decr(counter)
