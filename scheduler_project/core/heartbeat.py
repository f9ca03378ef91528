"""Each worker process writes its own heartbeat row (``WorkerHeartbeat``) every
``WORKER_HEARTBEAT_SECS``, from a thread of its own: operators see every worker,
online or not, without an event monitor, and the record outlives restarts. After
each heartbeat the worker also runs the operations checks (``core.monitoring``), so
they go on while beat is down, which is one of the things they check.
"""

import logging
import os
import socket
import threading
from typing import Any

import celery
from celery.signals import task_postrun, task_prerun, worker_ready, worker_shutdown
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from scheduler_project.core import metrics, monitoring
from scheduler_project.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class Beating:
    """This process's worker: what its heartbeat says, counted as tasks start and end."""

    def __init__(self, consumer: Any) -> None:
        self.name = str(consumer.hostname)
        self.queues = sorted(q.name for q in consumer.task_consumer.queues) if consumer.task_consumer else []
        self.concurrency = int(getattr(consumer.controller, "concurrency", 0) or 0)
        self.started_at = timezone.now()
        self.in_flight = 0
        self.done = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def row(self, *, stopped: bool = False) -> WorkerHeartbeat:
        with self.lock:
            in_flight, done = self.in_flight, self.done
        now = timezone.now()
        return WorkerHeartbeat(
            name=self.name, host=socket.gethostname(), pid=os.getpid(), queues=self.queues,
            concurrency=self.concurrency, version=celery.__version__, started_at=self.started_at,
            last_seen_at=now, tasks_in_flight=in_flight, tasks_done=done,
            stopped_at=now if stopped else None, offline_alerted_at=None,
        )  # fmt: skip

    def beat(self, *, stopped: bool = False) -> None:
        """Write this worker's row: one upsert."""
        fields = [f.name for f in WorkerHeartbeat._meta.concrete_fields if f.name not in ("id", "name")]
        WorkerHeartbeat.objects.bulk_create(
            [self.row(stopped=stopped)], update_conflicts=True, unique_fields=["name"], update_fields=fields
        )

    def run(self) -> None:
        while not self.stopping.wait(settings.WORKER_HEARTBEAT_SECS):
            try:
                self.beat()
                monitoring.check(now=timezone.now())
            except DatabaseError as exc:
                metrics.HEARTBEAT_FAILURES.inc()
                logger.warning("heartbeat of %s not written: %s", self.name, exc)
                connection.close()
            except Exception:
                metrics.HEARTBEAT_FAILURES.inc()
                logger.exception("heartbeat of %s failed", self.name)


_beating: Beating | None = None


@worker_ready.connect
def start_heartbeat(sender: Any = None, **_: Any) -> None:
    global _beating
    _beating = Beating(sender)
    try:
        _beating.beat()  # at once: a worker is listed as soon as it is ready
    except DatabaseError as exc:
        logger.warning("first heartbeat of %s not written: %s", _beating.name, exc)
    finally:
        connection.close()
    threading.Thread(target=_beating.run, name="heartbeat", daemon=True).start()


@worker_shutdown.connect
def stop_heartbeat(**_: Any) -> None:
    """A clean shutdown says so: the worker is then stopped, not missing."""
    if _beating is None:
        return
    _beating.stopping.set()
    try:
        _beating.beat(stopped=True)
    except DatabaseError as exc:
        logger.warning("last heartbeat of %s not written: %s", _beating.name, exc)


@task_prerun.connect
def _started(**_: Any) -> None:
    if _beating is not None:
        with _beating.lock:
            _beating.in_flight += 1


@task_postrun.connect
def _ended(**_: Any) -> None:
    if _beating is not None:
        with _beating.lock:
            _beating.in_flight = max(0, _beating.in_flight - 1)
            _beating.done += 1
