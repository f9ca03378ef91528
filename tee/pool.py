"""A bounded pool of persistent connections to the TEE, shared by every thread of a process.

The TEE answers one request at a time per connection, so concurrency is the
number of connections: at most ``capacity``, opened on demand and kept for
reuse. A caller waits at most ``acquire_timeout`` for a free one and at most
``compute_timeout`` for the whole answer (a TEE that sends it a byte at a time is
cut off there, as is one that never answers). A connection that failed in any way is
closed, never returned to the pool; an idle one the TEE closed meanwhile is
noticed and replaced without the caller seeing an error.
"""

import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

from tee.errors import PoolExhausted, TeeError, TeeTimeout, TeeUnavailable
from tee.metrics import TEE_ACQUIRE_WAIT, TEE_CALL_DURATION, TEE_ERRORS, TEE_POOL_CAPACITY, TEE_POOL_IN_USE
from tee.protocol import ConnectionClosed, FrameError, encode_frame, read_frame, request_kind

__all__ = [
    "PoolExhausted",
    "TeeError",
    "TeePool",
    "TeeTimeout",
    "TeeUnavailable",
    "get_pool",
    "pool_from_settings",
    "reset_pool",
]


class _DeadlineReader:
    """Reads a socket so that every read ends by one deadline: however the answer is
    split, it must all arrive by then (``TimeoutError`` otherwise)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.deadline = 0.0

    def read(self, n: int, /) -> bytes:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the answer did not arrive in time")
        self.sock.settimeout(left)
        return self.sock.recv(n)


class _Connection:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.reader = _DeadlineReader(sock)

    def exchange(self, frame: bytes, deadline: float) -> Any:
        """Send a frame and read the answer, both done by ``deadline`` (monotonic)."""
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no time left to ask")
        self.sock.settimeout(left)  # sendall: the whole send within the time left
        try:
            self.sock.sendall(frame)
        except ConnectionError as exc:
            raise ConnectionClosed(f"the TEE closed the connection: {exc}") from exc
        self.reader.deadline = deadline
        return read_frame(self.reader)

    def looks_alive(self) -> bool:
        """False if the peer has closed this idle connection (or sent something unasked)."""
        self.sock.settimeout(0.0)
        try:
            self.sock.recv(1, socket.MSG_PEEK)
        except BlockingIOError:
            return True
        except ConnectionError:
            return False
        except OSError:
            return True  # peeking unsupported: a dead connection is caught by the retry instead
        return False  # end of stream, or bytes nobody asked for: either way unusable

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


class TeePool:
    """Up to ``capacity`` connections from ``connect``; ``request`` sends a message and returns the answer."""

    def __init__(
        self,
        connect: Callable[[], socket.socket],
        *,
        capacity: int,
        acquire_timeout: float,
        compute_timeout: float,
        single_use: bool = False,
    ) -> None:
        """``single_use``: one request per connection (the original enclave closes each
        connection after its answer, and on an error instead of answering)."""
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.single_use = single_use
        self._connect = connect
        self.capacity = capacity
        self.acquire_timeout = acquire_timeout
        self.compute_timeout = compute_timeout
        self._idle: list[_Connection] = []
        self._open = 0  # idle + checked out, including ones being connected
        self._in_use = 0
        self._closed = False
        self._available = threading.Condition()
        TEE_POOL_CAPACITY.set(capacity)

    @property
    def in_use(self) -> int:
        """Connections checked out by callers right now."""
        return self._in_use

    @property
    def size(self) -> int:
        """Connections open right now (idle and in use)."""
        return self._open

    def request(self, message: Any, *, timeout: float | None = None) -> Any:
        """Send ``message`` and return the TEE's answer; raise PoolExhausted, TeeTimeout or TeeUnavailable.

        ``timeout``, if shorter, replaces both the pool's wait for a free connection
        and its wait for the answer (a health check must not wait a minute).
        """
        frame = encode_frame(message)
        acquire_timeout, compute_timeout = self.acquire_timeout, self.compute_timeout
        if timeout is not None:
            acquire_timeout, compute_timeout = min(acquire_timeout, timeout), min(compute_timeout, timeout)
        with TEE_CALL_DURATION.labels(request_kind(message)).time():
            try:
                return self._request(frame, acquire_timeout, compute_timeout)
            except PoolExhausted:
                TEE_ERRORS.labels("exhausted").inc()
                raise
            except TeeTimeout:
                TEE_ERRORS.labels("timeout").inc()
                raise
            except TeeUnavailable:
                TEE_ERRORS.labels("unavailable").inc()
                raise

    def _request(self, frame: bytes, acquire_timeout: float, compute_timeout: float) -> Any:
        conn, reused = self._checkout(acquire_timeout)
        deadline = time.monotonic() + compute_timeout
        try:
            try:
                response = conn.exchange(frame, deadline)
            except ConnectionClosed:
                if not reused:
                    raise
                # An idle connection the TEE dropped: nothing was answered, so ask again on a
                # new one, within the same deadline.
                conn.close()
                conn = self._open_connection()
                response = conn.exchange(frame, deadline)
        except TimeoutError as exc:
            self._discard(conn)
            raise TeeTimeout(f"the TEE did not answer within {compute_timeout:g}s") from exc
        except (OSError, FrameError) as exc:
            self._discard(conn)
            raise TeeUnavailable(f"TEE connection failed: {exc}") from exc
        except BaseException:
            self._discard(conn)
            raise
        if self.single_use:
            self._discard(conn)
        else:
            self._release(conn)
        return response

    def _checkout(self, acquire_timeout: float) -> tuple[_Connection, bool]:
        """A connection for one call, and whether it was reused; the caller owns one slot."""
        started = time.monotonic()
        deadline = started + acquire_timeout
        with self._available:
            while True:
                if self._closed:
                    raise TeeUnavailable("the TEE pool is closed")
                if self._idle or self._open < self.capacity:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise PoolExhausted(
                        f"all {self.capacity} TEE connections stayed busy for {acquire_timeout:g}s"
                    )
                self._available.wait(remaining)
            idle = self._idle.pop() if self._idle else None
            if idle is None:
                self._open += 1
            self._in_use += 1
        TEE_POOL_IN_USE.inc()
        TEE_ACQUIRE_WAIT.observe(time.monotonic() - started)
        if idle is not None:
            if idle.looks_alive():
                return idle, True
            idle.close()
        try:
            return self._open_connection(), False
        except BaseException:
            self._discard(None)
            raise

    def _open_connection(self) -> _Connection:
        try:
            return _Connection(self._connect())
        except OSError as exc:
            raise TeeUnavailable(f"cannot connect to the TEE: {exc}") from exc

    def _release(self, conn: _Connection) -> None:
        with self._available:
            if self._closed:
                self._open -= 1
                conn.close()
            else:
                self._idle.append(conn)
            self._in_use -= 1
            self._available.notify()
        TEE_POOL_IN_USE.dec()

    def _discard(self, conn: _Connection | None) -> None:
        if conn is not None:
            conn.close()
        with self._available:
            self._open -= 1
            self._in_use -= 1
            self._available.notify()
        TEE_POOL_IN_USE.dec()

    def close(self) -> None:
        """Close idle connections now and the others when their calls end; later calls fail."""
        with self._available:
            self._closed = True
            idle, self._idle = self._idle, []
            self._open -= len(idle)
            self._available.notify_all()
        for conn in idle:
            conn.close()


def pool_from_settings() -> TeePool:
    """A new pool to the TEE named by the TEE_* settings (vsock if TEE_CID is set, else TCP)."""
    cid, host, port = settings.TEE_CID, settings.TEE_HOST, settings.TEE_PORT
    connect_timeout = max(settings.TEE_TASK_POOL_TIMEOUT_SECS, 1.0)

    def connect() -> socket.socket:
        if cid:
            sock = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
            try:
                sock.settimeout(connect_timeout)
                sock.connect((cid, port))
            except BaseException:
                sock.close()
                raise
            return sock
        sock = socket.create_connection((host, port), timeout=connect_timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    return TeePool(
        connect,
        capacity=settings.TEE_TASK_POOL_CAPACITY,
        acquire_timeout=settings.TEE_TASK_POOL_TIMEOUT_SECS,
        compute_timeout=settings.TEE_COMPUTE_TIMEOUT_SECS,
        single_use=settings.TEE_PROTOCOL == "shielder",
    )


_pool: TeePool | None = None
_pool_lock = threading.Lock()


def get_pool() -> TeePool:
    """The process-wide pool, made on first use (so after a worker has forked)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = pool_from_settings()
        return _pool


def reset_pool() -> None:
    """Close the process-wide pool; the next ``get_pool`` builds a new one from settings."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.close()


def _forget_pool_in_child() -> None:
    # The parent's connections belong to the parent: a child must not share them, nor the lock.
    global _pool, _pool_lock
    _pool = None
    _pool_lock = threading.Lock()


def _reset_on_tee_setting(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("TEE_"):
        reset_pool()


os.register_at_fork(after_in_child=_forget_pool_in_child)
setting_changed.connect(_reset_on_tee_setting, dispatch_uid="tee.pool.reset_on_tee_setting")
