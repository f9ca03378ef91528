"""Pooled httpx clients and transports, one per process, created on first use (so after a
worker forks)."""

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import httpx

T = TypeVar("T")


class _Lazy(Generic[T]):
    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._made: T | None = None

    def __call__(self) -> T:
        with self._lock:
            if self._made is None:
                self._made = self._factory()
            return self._made


class LazyClient(_Lazy[httpx.Client]):
    def __init__(self, **options: Any) -> None:
        super().__init__(lambda: httpx.Client(trust_env=False, **options))


class LazyTransport(_Lazy[httpx.HTTPTransport]):
    """A bare connection pool: no cookie jar, redirects, auth or default headers.

    For requests to many unrelated parties (callbacks), where a client's cookie
    jar would carry one party's cookies to another.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(lambda: httpx.HTTPTransport(retries=0, **options))


def read_at_most(response: httpx.Response, limit: int) -> bytes:
    """Up to ``limit`` bytes of a streamed response body; the rest is never read."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_raw():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]
