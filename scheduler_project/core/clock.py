"""The database's clock is the reference for every due time.

A host's clock can be off: a VM resumed, NTP not yet synced, a container's clock. A
worker that compared ``due_at`` with its own clock would fire early when its clock is
fast (a withdrawal relayed before its ``relay_after``) and late when it is slow. So each
worker reads the database's clock when it starts and with every heartbeat, and keeps it
as an anchor on its monotonic clock (which a step of the wall clock does not move):
``time()`` and ``now()`` are the database's time as this process knows it. The claim
itself also compares ``due_at`` with the database's own clock (``scheduling``), so
whatever a worker believes, no row is claimed before its time by more than the claim's
tolerance, and the attempt then waits for the due time on this clock.

A worker whose clock is off by more than ``WORKER_MAX_CLOCK_OFFSET_SECS`` claims nothing
(it stops consuming, and what it holds is sent again for the others) until it is back
within the limit; the operations check raises ``worker.clock_skew`` for it.

A process that never measured (the web server, a shell, SQLite, whose clock is the
process's own) uses its own clock as is.
"""

import time as _time
from datetime import UTC, datetime

from django.conf import settings
from django.db import connections

_anchor: float | None = None  # the database's epoch seconds minus this process's monotonic clock


def time() -> float:
    """The database's time in epoch seconds, as this process knows it."""
    if _anchor is None:
        return _time.time()
    return _time.monotonic() + _anchor


def now() -> datetime:
    """``time()`` as an aware UTC datetime."""
    return datetime.fromtimestamp(time(), UTC)


def offset() -> float:
    """How far this host's clock is ahead of the database's, in seconds (0 if unmeasured)."""
    return 0.0 if _anchor is None else _time.time() - time()


def skewed() -> bool:
    """Whether this host's clock is off by more than ``WORKER_MAX_CLOCK_OFFSET_SECS``."""
    return abs(offset()) > settings.WORKER_MAX_CLOCK_OFFSET_SECS


def measure(using: str = "default") -> float:
    """Read the database's clock (PostgreSQL), anchor this process's time on it, and
    return the offset. The reading is taken as made at the end of the round trip (it was
    made at some moment during it): this process's time is then never ahead of the
    database's, so nothing fires early by it, and at most a round trip behind. SQLite's
    clock is this process's own: nothing to do."""
    global _anchor
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT extract(epoch FROM clock_timestamp())")
        after = _time.monotonic()
        (database_time,) = cursor.fetchone()
    _anchor = float(database_time) - after
    return offset()


def forget() -> None:
    """Use this host's clock again (tests)."""
    global _anchor
    _anchor = None
