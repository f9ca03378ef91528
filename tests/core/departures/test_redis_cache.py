"""The shared cache (core.departures.redis_cache, docs/decisions/0006-redis-cache-memory-fallback.md):
a Redis outage serves from process memory and fails no request; and the upgrade tests, which
pin the stock behaviour it corrects."""

import inspect
from datetime import timedelta

import pytest
import redis
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils import timezone
from django.utils.functional import cached_property
from redis.exceptions import RedisError

from scheduler_project.core.departures.redis_cache import FallbackRedisCache
from scheduler_project.testing.servers import free_port
from timers.models import Timer


@pytest.fixture
def unreachable_redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "scheduler_project.core.departures.redis_cache.FallbackRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_a_create_is_stored_and_answered_201_while_the_rate_limits_redis_is_down(
    api, unreachable_redis_cache, caplog
):
    execute_at = (timezone.now() + timedelta(minutes=5)).isoformat()

    responses = [
        api.post(
            "/timers", {"execute_at": execute_at, "callback_url": f"https://example.com/{n}"}, format="json"
        )
        for n in range(3)
    ]

    assert [r.status_code for r in responses] == [201, 201, 201]
    assert Timer.objects.filter(callback_url__startswith="https://example.com/").count() == 3
    assert "Redis unreachable" in caplog.text


def test_while_redis_is_down_the_cache_keeps_values_in_process_memory(unreachable_redis_cache):
    cache.set("key", {"a": 1}, 30)

    assert cache.get("key") == {"a": 1}
    assert cache.add("key", "other") is False
    cache.set("counter", 1)
    assert cache.incr("counter") == 2


# --- upgrade tests: the stock behaviour this departure relies on or corrects -------------------


def test_stock_redis_cache_raises_while_redis_is_unreachable():
    """docs/decisions/0006-redis-cache-memory-fallback.md: the bug on stock. Django's
    ``RedisCache`` lets the client's error out of every call, so every request that touches
    the cache (the rate limit: every API request) answered 500 while Redis was down."""
    stock = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})
    with pytest.raises(RedisError):
        stock.get("key")
    with pytest.raises(RedisError):
        stock.set("key", 1)


def test_the_private_attributes_used_are_still_there():
    """docs/decisions/0006-redis-cache-memory-fallback.md: ``_cache`` is still a cached
    property holding Django's client class, whose ``get_client`` ``redis_client()`` calls."""
    assert isinstance(inspect.getattr_static(RedisCache, "_cache"), cached_property)
    assert str(inspect.signature(RedisCacheClient.get_client)) == "(self, key=None, *, write=False)"
    ours = FallbackRedisCache("redis://127.0.0.1:6379/0", {})
    assert isinstance(ours._cache, RedisCacheClient)
    assert isinstance(ours.redis_client(write=True), redis.Redis)
