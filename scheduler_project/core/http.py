"""One pooled httpx client per process, created on first use (so after a worker forks)."""

import threading
from typing import Any

import httpx


class LazyClient:
    def __init__(self, **options: Any) -> None:
        self._options = options
        self._lock = threading.Lock()
        self._client: httpx.Client | None = None

    def __call__(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(trust_env=False, **self._options)
            return self._client
