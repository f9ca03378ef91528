"""The retry schedule: full-jitter exponential backoff and Retry-After parsing."""

from datetime import UTC, datetime

import pytest

from scheduler_project.core.retry import backoff_delay, parse_retry_after


@pytest.mark.parametrize(("attempt", "ceiling"), [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (8, 30.0)])
def test_backoff_doubles_per_attempt_up_to_the_cap_with_full_jitter(attempt, ceiling):
    delays = [backoff_delay(attempt, base=1.0, cap=30.0) for _ in range(500)]

    assert all(0 <= d <= ceiling for d in delays)
    assert max(delays) > ceiling * 0.8  # spread over the whole range, not fixed
    assert min(delays) < ceiling * 0.2


def test_retry_after_in_seconds():
    assert parse_retry_after("120") == 120.0


def test_retry_after_as_an_http_date():
    now = datetime(2030, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Tue, 01 Jan 2030 12:00:30 GMT", now=now) == 30.0


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5"])
def test_unusable_retry_after_values_are_ignored(value):
    assert parse_retry_after(value) is None
