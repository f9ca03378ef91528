"""The API's rate limits: counted in Redis, exactly, at any rate, across threads and windows."""

import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from scheduler_project.core.auth import TenantRateThrottle
from scheduler_project.core.models import RateCount
from scheduler_project.core.services import count_request, forget_old_rate_counts
from tests.conftest import ROOT
from tests.core.departures.test_redis_cache import unreachable_redis_cache  # noqa: F401 (a fixture)


@pytest.fixture
def limit(monkeypatch: pytest.MonkeyPatch):
    def set_to(rate: str) -> None:
        # DRF copies the rates onto the throttle class when it is defined.
        monkeypatch.setattr(TenantRateThrottle, "THROTTLE_RATES", {"tenant": rate})

    return set_to


def answers(client: APIClient, count: int) -> list[int]:
    return [client.get("/timers").status_code for _ in range(count)]


def from_eight_threads_at_once(requests_each: int) -> list[int]:
    codes: list[int] = []

    def client() -> None:
        api = APIClient()
        api.credentials(HTTP_X_API_KEY=settings.API_KEY)
        try:
            codes.extend(answers(api, requests_each))
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


@pytest.mark.django_db(transaction=True)  # the clients run on threads of their own
def test_requests_from_many_threads_at_once_are_all_counted(limit):
    """Eight clients at once, 240 requests against 100 a minute: exactly 100 pass. A limit
    that reads its history, adds to it and writes it back loses the requests of the others
    that wrote in between, and lets more through."""
    limit("100/min")

    codes = from_eight_threads_at_once(30)

    assert sorted(set(codes)) == [200, 429]
    assert codes.count(200) == 100


@pytest.mark.django_db(transaction=True)
def test_without_redis_requests_from_many_threads_at_once_are_all_counted_in_the_database(limit, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    limit("100/min")

    codes = from_eight_threads_at_once(30)

    assert codes.count(200) == 100
    assert RateCount.objects.get().count == 100


def test_the_window_slides_the_previous_minute_counts_less_as_it_recedes(api, limit, time_machine):
    limit("4/min")
    start = datetime(2026, 12, 1, 9, 0, 50, tzinfo=UTC)  # 50 s into a minute
    time_machine.move_to(start, tick=False)
    assert answers(api, 5) == [200, 200, 200, 200, 429]

    # 10 s into the next minute, five sixths of the last one still count: 3.3 + 1 > 4, and
    # from 15 s in (3 + 1) a request fits again.
    time_machine.move_to(start + timedelta(seconds=20), tick=False)
    refused = api.get("/timers")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 5

    # 45 s into it, a quarter does: 1 + 1, 1 + 2 and 1 + 3 fit, 1 + 4 does not.
    time_machine.move_to(start + timedelta(seconds=55), tick=False)
    assert answers(api, 4) == [200, 200, 200, 429]

    # Two minutes on, nothing of the first minute counts any more.
    time_machine.move_to(start + timedelta(seconds=130), tick=False)
    assert api.get("/timers").status_code == 200


def test_a_refused_request_is_not_counted(api, limit, time_machine):
    limit("2/min")
    start = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)
    time_machine.move_to(start, tick=False)
    assert answers(api, 10) == [200, 200] + [429] * 8

    # The next minute, half of the first still counts: 2 x 0.5 + 1 fits, had the eight
    # refusals counted it would not.
    time_machine.move_to(start + timedelta(seconds=90), tick=False)
    assert api.get("/timers").status_code == 200


def test_while_redis_is_down_the_limit_is_counted_in_the_database_every_process_shares(
    api,
    limit,
    unreachable_redis_cache,  # noqa: F811
    caplog,
):
    limit("3/min")

    assert answers(api, 4) == [200, 200, 200, 429]
    assert "Redis unreachable" in caplog.text
    assert RateCount.objects.get().count == 3


def test_the_cleanup_removes_the_databases_rate_counts_of_windows_gone_by(db):
    minute = int(time.time() // 60)
    count_request("throttle:ip:gone", minute - 2, 60)
    count_request("throttle:ip:recent", minute - 1, 60)  # still weighs on this minute

    assert forget_old_rate_counts(now=timezone.now()) == 1
    assert list(RateCount.objects.values_list("key", flat=True)) == ["throttle:ip:recent"]


def _rate_setting(value: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "scheduler_project.settings", "API_RATE_LIMIT": value}
    script = "from django.conf import settings; print(repr(settings.API_RATE_LIMIT))"
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, cwd=ROOT)


def test_the_limit_is_turned_off_with_off_kept_at_its_default_when_empty_and_checked_at_start():
    assert _rate_setting("off").stdout.strip() == "''"
    assert _rate_setting("").stdout.strip() == "'60000/min'"
    assert _rate_setting("250/s").stdout.strip() == "'250/s'"
    wrong = _rate_setting("lots")
    assert wrong.returncode != 0 and "API_RATE_LIMIT must be a rate such as 6000/min" in wrong.stderr
