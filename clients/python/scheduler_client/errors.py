"""The service's errors as exceptions: each carries the envelope's ``code`` and ``message``,
the HTTP status and the envelope's ``data`` (a validation error's field messages)."""

from typing import Any

import httpx


class SchedulerError(Exception):
    """An answer the service refused or failed (any status but 2xx)."""

    def __init__(self, message: str, *, code: int | None, status: int, data: Any = None,
                 retry_after: float | None = None) -> None:  # fmt: skip
        super().__init__(f"HTTP {status} (code {code}): {message}")
        self.message = message
        self.code = code
        self.status = status
        self.data = data
        self.retry_after = retry_after


class ValidationError(SchedulerError):
    """400, 405 or 415 (code 2): ``errors`` maps each refused field to its messages."""

    @property
    def errors(self) -> dict[str, Any]:
        errors = self.data.get("errors") if isinstance(self.data, dict) else None
        return errors if isinstance(errors, dict) else {}


class Unauthorized(SchedulerError):
    """401 (code 4): no API key, or one the service does not know."""


class NotFound(SchedulerError):
    """404 (code 3)."""


class Conflict(SchedulerError):
    """409 (code 5): not pending any more, or an idempotency key reused with another body."""


class TooLarge(SchedulerError):
    """413 (code 7): the body is over the service's limit."""


class RateLimited(SchedulerError):
    """429 (code 6), still refused after the client's retries; ``retry_after`` in seconds."""


class Unavailable(SchedulerError):
    """503 (code 1), still unavailable after the client's retries; ``retry_after`` in seconds."""


BY_STATUS: dict[int, type[SchedulerError]] = {
    400: ValidationError,
    401: Unauthorized,
    404: NotFound,
    405: ValidationError,
    409: Conflict,
    413: TooLarge,
    415: ValidationError,
    429: RateLimited,
    503: Unavailable,
}


def retry_after(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds (the service writes whole seconds), if present and readable."""
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def error_for(response: httpx.Response) -> SchedulerError:
    """The exception for a refused answer, from its envelope (or its text, if it has none)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "message" in body:
        code, message, data = body.get("code"), str(body["message"]), body.get("data")
    else:
        code, message, data = None, response.text[:500] or response.reason_phrase, None
    kind = BY_STATUS.get(response.status_code, SchedulerError)
    return kind(message, code=code, status=response.status_code, data=data, retry_after=retry_after(response))
