"""What the blocking and the awaiting client share: configuration and reading answers."""

import os
from typing import Any, TypeVar

import httpx

from scheduler_client._calls import Call
from scheduler_client._retry import Retries
from scheduler_client.errors import error_for

T = TypeVar("T")

DEFAULT_URL = "http://127.0.0.1:3000"
# Most pages the list endpoints give (their limit is 1..200).
PAGE_SIZE = 200


def settings(base_url: str | None, api_key: str | None) -> tuple[str, dict[str, str]]:
    """The service's URL and the headers of every request: arguments first, then the
    SCHEDULER_URL and API_KEY environment variables, then make run's address."""
    url = base_url or os.environ.get("SCHEDULER_URL") or DEFAULT_URL
    key = api_key if api_key is not None else os.environ.get("API_KEY", "")
    headers = {"Accept": "application/json", "User-Agent": "scheduler-client"}
    if key:
        headers["X-API-Key"] = key
    return url.rstrip("/"), headers


def request_of(call: Call[Any]) -> dict[str, Any]:
    """``call`` as httpx's request arguments."""
    arguments: dict[str, Any] = {"params": call.params, "headers": dict(call.headers)}
    if call.body is not None:
        arguments["json"] = call.body
    return arguments


def answer_of(call: Call[T], response: httpx.Response) -> T:
    """The answer's model, or the error the service gave, raised."""
    if not response.is_success:
        raise error_for(response)
    return call.read(response.json())


__all__ = ["PAGE_SIZE", "Retries", "answer_of", "request_of", "settings"]
