"""Each worker process writes its own heartbeat row (``WorkerHeartbeat``) every
``WORKER_HEARTBEAT_SECS``, from a thread of its own: operators see every worker,
online or not, without an event monitor, and the record outlives restarts. After
each heartbeat the worker sends ``heartbeat_written``, on which the operations checks run
(``ops.monitoring``), so they go on while beat is down, which is one of the things they
check.

A worker process that dies (``kill -9``, out of memory) leaves its attempts running
and its prefetched messages unacknowledged; their leases would bring them back only
when they pass. ``take_back_dead`` notices at once instead: a heartbeat row of this
host whose process is gone has its work taken back (``scheduling.take_back_from``).
It runs with every sweep, in every worker between its heartbeats (as often as sweeps
run: a host whose workers run no sweeps notices a dead one as soon), and when a worker
starts. A worker started again under its predecessor's name (as supervisors do) takes
that row over with its first write, once the predecessor's work was taken back, and
clears the row's ``leases_taken_at``: its own death is then noticed in turn, however
often the name comes back. Only this host's processes can be known dead for sure; a
worker on another host that vanishes is covered by its leases.
"""

import logging
import os
import threading
import time
import uuid
from datetime import datetime
from typing import Any

import celery
from celery.signals import task_postrun, task_prerun, worker_ready, worker_shutdown
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from scheduler_project.core import clock, metrics, scheduling
from scheduler_project.core.models import WorkerHeartbeat
from scheduler_project.core.signals import heartbeat_written

logger = logging.getLogger(__name__)


class Beating:
    """This process's worker: what its heartbeat says, counted as tasks start and end."""

    def __init__(self, consumer: Any) -> None:
        self.consumer = consumer
        self.paused = False  # not consuming: this host's clock is off (see ``keep_time``)
        self.name = str(consumer.hostname)
        self.queues = sorted(q.name for q in consumer.task_consumer.queues) if consumer.task_consumer else []
        self.concurrency = int(getattr(consumer.controller, "concurrency", 0) or 0)
        self.started_at = timezone.now()
        self.instance = uuid.uuid4()
        self.in_flight = 0
        self.done = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.taken_over = False  # whether this instance's row is written yet

    def row(self, *, stopped: bool = False) -> WorkerHeartbeat:
        with self.lock:
            in_flight, done = self.in_flight, self.done
        now = timezone.now()
        return WorkerHeartbeat(
            name=self.name, host=settings.WORKER_HOST, pid=os.getpid(), queues=self.queues,
            concurrency=self.concurrency, version=celery.__version__, started_at=self.started_at,
            last_seen_at=now, tasks_in_flight=in_flight, tasks_done=done,
            stopped_at=now if stopped else None, offline_alerted_at=None,
            instance=self.instance, leases_taken_at=None, clock_offset_ms=round(clock.offset() * 1000, 3),
        )  # fmt: skip

    def beat(self, *, stopped: bool = False) -> None:
        """Write this worker's row: one upsert. The first takes the row of its name over
        for this instance, after the work of every dead process of this host (a predecessor
        under the same name included) was taken back, and clears ``leases_taken_at``; later
        ones keep it, which only ``take_back_dead`` writes (a predecessor's mark kept by the
        new instance would hide its own death)."""
        if not self.taken_over:
            take_back_dead(now=timezone.now())
        kept = ("id", "name", "leases_taken_at") if self.taken_over else ("id", "name")
        fields = [f.name for f in WorkerHeartbeat._meta.concrete_fields if f.name not in kept]
        WorkerHeartbeat.objects.bulk_create(
            [self.row(stopped=stopped)], update_conflicts=True, unique_fields=["name"], update_fields=fields
        )
        self.taken_over = True

    def keep_time(self) -> None:
        """Read the database's clock again; stop consuming while this host's clock is off
        by more than the limit, and consume again once it is back within it."""
        offset = clock.measure()
        if clock.skewed() == self.paused:
            return
        self.paused = not self.paused
        if self.paused:
            logger.error(
                "the clock of %s is off the database's by %.3f s (limit WORKER_MAX_CLOCK_OFFSET_SECS=%s): "
                "it claims nothing until it is back within the limit", self.name, offset,
                settings.WORKER_MAX_CLOCK_OFFSET_SECS,
            )  # fmt: skip
        else:
            logger.warning("the clock of %s is back within the limit (%.3f s): it claims again", self.name,
                           offset)  # fmt: skip
        # The consumer's own thread changes what it consumes, as a control command would.
        self.consumer.timer.call_after(0, self._consume if not self.paused else self._stop_consuming)

    def _stop_consuming(self) -> None:
        """Consume nothing more, and let what this worker holds go to the others at once, as
        when its broker connection breaks (``departures.worker_consumer.Consumer.let_go``)."""
        for queue in self.queues:
            self.consumer.cancel_task_queue(queue)
        self.consumer.let_go("this host's clock is off")

    def _consume(self) -> None:
        for queue in self.queues:
            self.consumer.add_task_queue(queue)

    def run(self) -> None:
        """Beat every ``WORKER_HEARTBEAT_SECS``; between beats, as often as sweeps run, take
        back the work of this host's dead processes."""
        tick = min(settings.WORKER_HEARTBEAT_SECS, settings.SCHEDULER_INTERVAL_SECS)
        next_beat = time.monotonic() + settings.WORKER_HEARTBEAT_SECS
        while not self.stopping.wait(tick):
            self.watch()
            if time.monotonic() < next_beat:
                continue
            next_beat = time.monotonic() + settings.WORKER_HEARTBEAT_SECS
            try:
                self.keep_time()
                self.beat()
                heartbeat_written.send(sender=Beating, now=timezone.now())
            except DatabaseError as exc:
                metrics.HEARTBEAT_FAILURES.inc()
                logger.warning("heartbeat of %s not written: %s", self.name, exc)
                connection.close()
            except Exception:
                metrics.HEARTBEAT_FAILURES.inc()
                logger.exception("heartbeat of %s failed", self.name)

    def watch(self) -> None:
        try:
            take_back_dead(now=timezone.now())
        except DatabaseError:
            connection.close()  # the next heartbeat reports the outage
        except Exception:
            logger.exception("%s could not look for dead workers of its host", self.name)


_beating: Beating | None = None


def instance() -> uuid.UUID | None:
    """This worker process's instance (None outside a worker): what its attempts name
    as their holder (``scheduling.hold_as``)."""
    return scheduling.holder()


def process_gone(pid: int, *, started_by: datetime | None = None) -> bool:
    """Whether process ``pid`` of this host has ended (a zombie has: it runs no more). With
    ``started_by``: a process with that pid started later is another one (the pid was
    reused, as after a container's restart), so the first has ended too."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return True
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    if fields[0] in ("Z", "X"):
        return True
    if started_by is None:
        return False
    started = _boot_time() + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    return started > started_by.timestamp() + 1.0  # the boot time is known to a second


def _boot_time() -> float:
    with open("/proc/stat") as stat:
        return float(next(line.split()[1] for line in stat if line.startswith("btime ")))


def take_back_dead(*, now: datetime) -> int:
    """Take back the work of every worker process of this host that has ended without
    its work being taken back; returns how many processes. Each is taken back once:
    only the caller whose conditional update matches does it, in the same transaction as
    the taking back: if that fails (a deadlock with a claim or a sweep, the database
    gone), the mark goes with it and the next look tries again, rather than leaving the
    work to its leases."""
    host, mine, done = settings.WORKER_HOST, instance(), 0
    holding = WorkerHeartbeat.objects.holding(host=host)
    for worker in holding.only("pk", "name", "pid", "instance", "started_at"):
        if worker.instance == mine or not process_gone(worker.pid, started_by=worker.started_at):
            continue
        assert worker.instance is not None
        try:
            with transaction.atomic():
                if not WorkerHeartbeat.objects.filter(
                    pk=worker.pk, instance=worker.instance, leases_taken_at__isnull=True
                ).update(leases_taken_at=now):
                    continue
                running, sent = scheduling.take_back_from(worker.instance, now=now)
        except DatabaseError as exc:
            logger.warning("the work of worker %s (pid %s) is not taken back yet: %s", worker.name,
                           worker.pid, exc)  # fmt: skip
            continue
        done += 1
        logger.warning(
            "worker %s (pid %s) has ended; its work is taken back (running: %s; sent, not started: %s)",
            worker.name, worker.pid, _counts(running), _counts(sent),
        )  # fmt: skip
    return done


def _counts(by_model: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in by_model.items())


@worker_ready.connect
def start_heartbeat(sender: Any = None, **_: Any) -> None:
    global _beating
    _beating = Beating(sender)
    scheduling.hold_as(_beating.instance)
    try:
        _beating.keep_time()
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


def count_started(count: int) -> None:
    """``count`` tasks of this worker began (what its heartbeat says is in flight)."""
    if _beating is not None:
        with _beating.lock:
            _beating.in_flight += count


def count_ended(count: int) -> None:
    """``count`` tasks of this worker ended."""
    if _beating is not None:
        with _beating.lock:
            _beating.in_flight = max(0, _beating.in_flight - count)
            _beating.done += count


@task_prerun.connect
def _started(**_: Any) -> None:
    count_started(1)


@task_postrun.connect
def _ended(**_: Any) -> None:
    count_ended(1)
