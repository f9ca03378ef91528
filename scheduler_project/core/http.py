"""Pooled httpx clients and transports, one per process, created on first use (so after a
worker forks)."""

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


class LazyTransport(_Lazy["OriginPools"]):
    """Bare connection pools, one per origin: no cookie jar, redirects, auth or default headers.

    For requests to many unrelated parties (callbacks), where a client's cookie
    jar would carry one party's cookies to another.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(lambda: OriginPools(**options))


@dataclass
class _Origin:
    transport: httpx.HTTPTransport
    in_flight: int = 0
    last_used: float = 0.0


class OriginPools(httpx.BaseTransport):
    """An httpx transport that keeps one connection pool per origin.

    httpcore's pool looks at every connection it holds on each request (a
    ``poll()`` of each idle one, and a scan of the pool for each), so a single
    pool for callbacks to many hosts makes every callback cost more the more
    hosts were called recently (``make bench --only origins``: 2.9 ms of CPU
    per request with 128 hosts in one pool, 0.6 ms with a pool each). Here a
    request only meets its own origin's connections. A pool with no request in
    flight that nobody used for ``idle_secs`` (by default httpx's keep-alive
    expiry, so its connections could not be reused anyway) is closed on a later
    request, which keeps the sockets held open by callbacks to many hosts few.
    """

    def __init__(self, *, idle_secs: float = 5.0, **options: Any) -> None:
        self._options = options
        self._idle_secs = idle_secs
        self._origins: dict[tuple[Any, ...], _Origin] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        key = (url.scheme, url.host, url.port, request.extensions.get("sni_hostname"))
        now = time.monotonic()
        with self._lock:
            origin = self._origins.get(key)
            if origin is None:
                origin = self._origins[key] = _Origin(httpx.HTTPTransport(retries=0, **self._options))
            origin.in_flight += 1
            origin.last_used = now
            idle = self._take_idle(now)
        for stale in idle:
            stale.close()
        try:
            response = origin.transport.handle_request(request)
        except BaseException:
            self._finished(origin)
            raise
        response.stream = _Tracked(response.stream, self, origin)
        return response

    def close(self) -> None:
        with self._lock:
            origins, self._origins = list(self._origins.values()), {}
        for origin in origins:
            origin.transport.close()

    @property
    def origins(self) -> int:
        """Origins with a pool right now."""
        return len(self._origins)

    def _finished(self, origin: _Origin) -> None:
        with self._lock:
            origin.in_flight -= 1
            origin.last_used = time.monotonic()

    def _take_idle(self, now: float) -> list[httpx.HTTPTransport]:
        """Remove the pools left idle for ``idle_secs``, looking at most once in that time."""
        if now < self._next_prune:
            return []
        self._next_prune = now + self._idle_secs
        idle = [
            key
            for key, origin in self._origins.items()
            if origin.in_flight == 0 and now - origin.last_used >= self._idle_secs
        ]
        return [self._origins.pop(key).transport for key in idle]


class _Tracked(httpx.SyncByteStream):
    """A response body that tells its pools, once, when it is closed."""

    def __init__(self, stream: Any, pools: OriginPools, origin: _Origin) -> None:
        self._stream = stream
        self._pools: OriginPools | None = pools
        self._origin = origin

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            pools, self._pools = self._pools, None
            if pools is not None:
                pools._finished(self._origin)


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
