"""When a refused request is sent again, and after how long."""

from dataclasses import dataclass
from typing import Any

import httpx

from scheduler_client._calls import Call
from scheduler_client.errors import retry_after

# The service's 503 for a request it never began to store: safe to send again whatever it was.
NOTHING_STORED = "database unavailable"


@dataclass(frozen=True)
class Retries:
    """``attempts``: at most this many sends of one request (1: never retried). A 429 is
    retried always (the service counted nothing); a 503 only when sending again cannot store
    anything twice: reads, creates with their ``Idempotency-Key`` (the same key on every
    attempt), events with their ``id``, withdrawals (recognised by their sealed payload), or
    any request the service says it stored nothing of. The wait is ``Retry-After`` when the
    service sends it, else ``backoff`` doubling; a wait over ``max_wait`` is not waited:
    the error is raised at once."""

    attempts: int = 4
    backoff: float = 0.5
    max_wait: float = 30.0

    def wait(self, call: Call[Any], response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before sending ``call`` again after ``response`` to its
        ``attempt``-th send (from 1), or None if it is not to be sent again."""
        if attempt >= self.attempts or not self.retryable(call, response):
            return None
        delay = retry_after(response)
        if delay is None:
            delay = self.backoff * 2 ** (attempt - 1)
        return delay if delay <= self.max_wait else None

    @staticmethod
    def retryable(call: Call[Any], response: httpx.Response) -> bool:
        if response.status_code == 429:
            return True
        if response.status_code != 503:
            return False
        return call.safe_to_repeat or NOTHING_STORED in response.text
