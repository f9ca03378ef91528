"""Celery's worker consumer, changed: it reconnects to a lost broker promptly and, when its
connection breaks, lets the sweep send again what it dropped.

Decision record: docs/decisions/0005-worker-consumer-broker-loss.md.
"""

from typing import Any

from celery.worker.consumer import Consumer as CeleryConsumer

from scheduler_project.core import worker
from scheduler_project.core.departures import batched_strategy

# How soon a worker tries its broker again after losing it, then how much longer each
# time, up to at most: a broker back after a restart is used within about a second.
RECONNECT_INTERVALS = {"interval_start": 0.5, "interval_step": 0.5, "interval_max": 2.0}


class Consumer(CeleryConsumer):
    """Celery's consumer, which reconnects promptly and, when its broker connection
    breaks, lets the sweep send again everything that was sent and not yet started.

    When the connection breaks, Celery drops every message it holds without having
    started it (those waiting for their ``eta``, and those reserved): they cannot
    be acknowledged on a new connection, and the broker hands them out again only
    after its visibility timeout (an hour), or never if it lost them in a restart,
    as it does messages still queued or on their way. Their rows are leased, so
    without this a sweep would send them again only when the lease passes. Here
    the leases of every pending row are let go at once, and the first sweep once
    the broker is back sends them again; a row whose message did survive (held by
    another worker) is then sent twice, which is harmless: one task claims it.

    Celery retries a lost broker after 2, 4, 6 ... seconds (kombu's defaults);
    here after at most ``RECONNECT_INTERVALS["interval_max"]``.
    """

    def ensure_connected(self, conn: Any) -> Any:
        ensure = conn.ensure_connection
        conn.ensure_connection = lambda *args, **kwargs: ensure(*args, **RECONNECT_INTERVALS, **kwargs)
        return super().ensure_connected(conn)

    def on_close(self) -> None:
        super().on_close()
        self.let_go("broker connection lost")

    def let_go(self, why: str) -> None:
        """Drop every message this worker holds and not yet started, and let their rows'
        leases go, so that the next sweep sends them to the others at once."""
        batched_strategy.forget_held()
        worker.release_after_broker_loss(self.app, why)
