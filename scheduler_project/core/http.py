"""Pooled httpx clients and transports, one per process, created on first use (so after a
worker forks), whose requests end at a deadline.

httpx's timeouts bound each phase of a request (connect, each write, each read),
not the request: a server that sends one byte just inside the read timeout holds
the caller forever. ``deadline(seconds)`` bounds everything the calling thread
does through a ``DeadlineTransport`` in that block, from connecting to the last
byte read: every socket operation waits at most for what is left, and none
starts once the time is up (httpx then raises a timeout).
"""

import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from typing import Any, Generic, TypeVar

import httpcore
import httpx

from scheduler_project.core.departures.httpx_pools import PoolPerOrigin

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


_local = threading.local()


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Bound the requests this thread makes through a ``DeadlineTransport`` in this block
    to ``seconds`` in all (nested blocks keep the earlier deadline)."""
    outer = getattr(_local, "at", None)
    at = time.monotonic() + seconds
    _local.at = at if outer is None else min(outer, at)
    try:
        yield
    finally:
        _local.at = outer


def time_left() -> float | None:
    """Seconds left before this thread's deadline (never below 0), or None outside one."""
    at = getattr(_local, "at", None)
    return None if at is None else max(0.0, at - time.monotonic())


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    left = time_left()
    if left is None:
        return timeout
    if left <= 0:
        raise error("the request's deadline has passed")
    return left if timeout is None else min(timeout, left)


ROOM_CHECK_SECS = 0.05


class ConnectionBudget:
    """At most ``limit`` connections open at once, across every pool that shares it.

    A request that needs a new connection while the budget is spent asks
    ``make_room`` to close idle ones, every ``ROOM_CHECK_SECS`` until one closes
    or its deadline passes.
    """

    def __init__(self, limit: int, *, make_room: Callable[[], None] | None = None) -> None:
        self.limit = limit
        self._make_room = make_room
        self._open = 0
        self._changed = threading.Condition()

    @property
    def open(self) -> int:
        """Connections open right now."""
        return self._open

    def acquire(self) -> None:
        while True:
            with self._changed:
                if self._open < self.limit:
                    self._open += 1
                    return
                left = time_left()
                if left is not None and left <= 0:
                    raise httpcore.PoolTimeout(f"all {self.limit} connections stayed in use")
            # Connections fall idle without closing, so look again every little while.
            if self._make_room is not None:
                self._make_room()
            with self._changed:
                if self._open >= self.limit:
                    self._changed.wait(ROOM_CHECK_SECS if left is None else min(left, ROOM_CHECK_SECS))

    def release(self) -> None:
        with self._changed:
            self._open -= 1
            self._changed.notify()


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write waits at most until the thread's deadline,
    and which gives its slot back to the budget when closed."""

    def __init__(self, stream: httpcore.NetworkStream, budget: ConnectionBudget | None) -> None:
        self._stream = stream
        self._budget = budget

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        budget, self._budget = self._budget, None
        try:
            self._stream.close()
        finally:
            if budget is not None:
                budget.release()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        secured = self._stream.start_tls(
            ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)
        )
        # The TLS stream owns the same socket now, and with it the budget's slot.
        budget, self._budget = self._budget, None
        return _DeadlineStream(secured, budget)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, budget: ConnectionBudget | None) -> None:
        self._backend = httpcore.SyncBackend()
        self._budget = budget

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if self._budget is not None:
            self._budget.acquire()
        try:
            timeout = _bounded(timeout, httpcore.ConnectTimeout)
            stream = self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        except BaseException:
            if self._budget is not None:
                self._budget.release()
            raise
        return _DeadlineStream(stream, self._budget)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport over sockets that honour ``deadline()`` and, if given, a
    ``ConnectionBudget``. No proxy, no retries."""

    def __init__(
        self,
        *,
        limits: httpx.Limits,
        ssl_context: ssl.SSLContext | None = None,
        budget: ConnectionBudget | None = None,
    ) -> None:
        # httpx's own __init__ only builds its pool, which this one replaces. Without an
        # SSL context httpcore makes its default one when an https connection needs it.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_DeadlineBackend(budget),
        )

    def close_idle_connections(self) -> None:
        for connection in self._pool.connections:
            if connection.is_idle():
                connection.close()


class ThreadClient:
    """An httpx client for each thread, made on its first use there, whose requests honour
    ``deadline()``.

    For one service that many threads call at once (the relayer): a single client's
    pool is one lock, held while httpcore looks at every connection it keeps (a ``poll()``
    of each idle one) on each request and each response's close; with one relay in
    flight per thread, threads waited on that lock for more of an attempt than on the
    relayer. A thread's own client keeps its connection to itself, unlocked and
    unscanned by the others. ``limits`` are each thread's.
    """

    def __init__(self, *, limits: httpx.Limits, **options: Any) -> None:
        self._limits, self._options = limits, options
        self._local = threading.local()

    def __call__(self) -> httpx.Client:
        client = getattr(self._local, "client", None)
        if client is None:
            transport = DeadlineTransport(limits=self._limits)
            client = self._local.client = httpx.Client(trust_env=False, transport=transport, **self._options)
        return client


class LazyTransport(_Lazy["OriginPools"]):
    """Bare connection pools, one per origin: no cookie jar, redirects, auth or default headers.

    For requests to many unrelated parties (callbacks), where a client's cookie
    jar would carry one party's cookies to another. Options are those of
    ``OriginPools``, read when the pools are first used.
    """

    def __init__(self, options: Callable[[], dict[str, Any]]) -> None:
        super().__init__(lambda: OriginPools(**options()))


class OriginPools(PoolPerOrigin):
    """Callbacks' transport: a ``DeadlineTransport`` per origin (``PoolPerOrigin``, a
    departure from httpx's single pool: docs/decisions/0013-httpx-pool-per-origin.md).

    A pool with no request in flight that nobody used for ``idle_secs`` is closed on a
    later request. With ``max_open`` no more connections than that are open at once across
    all origins: when the cap is reached, the pools of origins with nothing in flight are
    closed, and a request that still finds no room waits until its deadline.
    """

    def __init__(
        self, *, limits: httpx.Limits | None = None, idle_secs: float = 5.0, max_open: int | None = None
    ) -> None:
        super().__init__(idle_secs=idle_secs)
        self._limits = limits or httpx.Limits()
        self.budget = ConnectionBudget(max_open, make_room=self.close_idle) if max_open else None

    def new_pool(self, ssl_context: ssl.SSLContext | None) -> DeadlineTransport:
        return DeadlineTransport(limits=self._limits, ssl_context=ssl_context, budget=self.budget)


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


class LocalHTTPServer(ThreadingHTTPServer):
    """The HTTP server of the local simulators and receivers: a thread per connection, and
    a listen backlog for bursts. socketserver's backlog of 5 overflowed when the attempt
    threads of two workers (48) connected at once, and relays failed with ``ReadError``."""

    request_queue_size = 1024
    daemon_threads = True
