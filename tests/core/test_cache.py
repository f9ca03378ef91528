"""The shared cache: a Redis outage serves from process memory and fails no request."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

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
