"""httpx/httpcore's connection pool, changed: one pool per origin instead of one for all.

httpcore's pool looks at every connection it holds on each request and on each response's
close (a ``poll()`` of each idle one, and scans of the pool), all under one lock, so a single
pool for callbacks to many hosts makes every callback cost more the more hosts were called
recently (``make bench --only origins`` measures it against one pool). Here a request only
meets its own origin's connections.

Decision record: docs/decisions/0013-httpx-pool-per-origin.md.
"""

import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import httpx


class OriginPool(Protocol):
    """What ``PoolPerOrigin`` needs of each origin's pool."""

    def handle_request(self, request: httpx.Request) -> httpx.Response: ...

    def close(self) -> None: ...

    def close_idle_connections(self) -> None: ...


@dataclass
class _Origin:
    transport: OriginPool
    in_flight: int = 0
    last_used: float = 0.0


class PoolPerOrigin(httpx.BaseTransport):
    """An httpx transport that keeps one connection pool per origin (scheme, host, port and
    SNI host name), each made by ``new_pool``.

    A pool with no request in flight that nobody used for ``idle_secs`` (by default
    httpx's keep-alive expiry, so its connections could not be reused anyway) is closed on
    a later request, which keeps the sockets held open by requests to many hosts few.
    """

    def __init__(self, *, idle_secs: float = 5.0) -> None:
        self._idle_secs = idle_secs
        self._origins: dict[tuple[Any, ...], _Origin] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0
        self._ssl_context: ssl.SSLContext | None = None

    def new_pool(self, ssl_context: ssl.SSLContext | None) -> OriginPool:
        """A new origin's pool (``ssl_context``: the one shared by every https origin)."""
        raise NotImplementedError

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        key = (url.scheme, url.host, url.port, request.extensions.get("sni_hostname"))
        now = time.monotonic()
        with self._lock:
            origin = self._origins.get(key)
            if origin is None:
                if self._ssl_context is None and url.scheme == "https":
                    self._ssl_context = httpx.create_ssl_context(trust_env=False)
                origin = self._origins[key] = _Origin(self.new_pool(self._ssl_context))
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

    def close_idle(self) -> None:
        """Close every idle connection, and the pools of origins with nothing in flight.

        A request that took one of them in the instant between the check and the
        close finds it closed before use, and httpcore sends it on another.
        """
        with self._lock:
            idle = [key for key, origin in self._origins.items() if origin.in_flight == 0]
            closing = [self._origins.pop(key).transport for key in idle]
            busy = [origin.transport for origin in self._origins.values()]
        for transport in closing:
            transport.close()
        for transport in busy:
            transport.close_idle_connections()

    @property
    def origins(self) -> int:
        """Origins with a pool right now."""
        return len(self._origins)

    def _finished(self, origin: _Origin) -> None:
        with self._lock:
            origin.in_flight -= 1
            origin.last_used = time.monotonic()

    def _take_idle(self, now: float) -> list[OriginPool]:
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

    def __init__(self, stream: Any, pools: PoolPerOrigin, origin: _Origin) -> None:
        self._stream = stream
        self._pools: PoolPerOrigin | None = pools
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
