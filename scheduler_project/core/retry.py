"""The retry schedule: exponential backoff with full jitter, and Retry-After."""

import random
from datetime import datetime
from email.utils import parsedate_to_datetime

from django.utils import timezone


def backoff_delay(attempt: int, *, base: float, cap: float) -> float:
    """Seconds to wait before the attempt after ``attempt`` (1-based).

    Full jitter: uniform in [0, min(cap, base * 2**(attempt-1))], so many
    failing deliveries spread out instead of returning in lockstep.
    """
    ceiling = min(cap, base * (2 ** max(attempt - 1, 0)))
    return random.uniform(0, ceiling)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or timezone.now())).total_seconds())
