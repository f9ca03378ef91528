"""A scheduled task whose messages a worker runs in batches: one message per row still,
but claimed and recorded many rows per statement.

Celery runs each message on its own: a request object, a timer entry for its
``eta``, the pool, the tracer, signals, and one claim and one record in the
database. Under a burst that is most of a delivery worker's CPU. A task given
``Phases`` (``scheduled_task(..., phases=...)``) is received by ``strategy``
instead, which keeps each message until its ``eta`` and hands it to this
process's ``Runner`` (the consumer's prefetch bounds only the messages that
are due and not yet claimed: see ``Runner._raise``):

* the dispatcher takes the messages that are due, or nearly (``CLAIM_LEAD_SECS``:
  the attempt thread then waits for the due time), as many as there are free
  attempt threads (``concurrency`` in all) and at most ``DELIVERY_BATCH_SIZE``,
  claims their rows in one statement (``Phases.claim``: a row another task,
  a cancel or a reschedule got first is not claimed, and its message is
  acknowledged), and gives each claimed row to an attempt thread at once: a
  claimed row is always an attempt under way, never one waiting for a thread
  (a worker that dies would otherwise take attempts with it that never began);
* each attempt (``Phases.attempt``: the callback) runs on its own thread, with
  its own deadline, so a slow target holds one thread, not the batch;
* the recorder takes the attempts that have ended, records them in one
  statement per kind of outcome (``Phases.record``), sends the retries that are
  due soon (with the same token, as Celery's retry would), and acknowledges
  their messages.

What a message guarantees is unchanged: the row is the truth, a claim is a
conditional update, an attempt is named by its token and number, a message is
acknowledged only once its attempt is recorded (or it claimed nothing), and a
worker that dies leaves its messages unacknowledged and its rows to be taken
back (``heartbeat.take_back_dead``). When the broker connection breaks, the
messages held here are dropped (they cannot be acknowledged on a new
connection; the consumer lets their rows' leases go so that the next sweep
sends them again); attempts in flight finish and are recorded. A warm shutdown
stops claiming and waits for the attempts in flight.

Decision record: docs/decisions/0003-batched-strategy.md.
"""

import heapq
import itertools
import logging
import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from celery.signals import worker_shutdown, worker_shutting_down
from celery.worker.strategy import default as default_strategy
from django.conf import settings

from scheduler_project.core import clock, heartbeat, scheduling
from scheduler_project.core.departures import database, redis_transport
from scheduler_project.core.departures.database import CONNECTION_ERRORS

logger = logging.getLogger(__name__)

# How often the consumer's loop turns at least (see ``strategy``).
CONSUMER_TURN_SECS = 0.05
# How long a warm shutdown waits, beyond the callbacks' deadline, for attempts in flight.
DRAIN_MARGIN_SECS = 5.0
# How long before their time rows are claimed: the attempt thread then waits for the due
# time, and the claim's round trip is not part of a callback's lateness. A dispatcher that
# wakes for the first message takes every one due within ``CLAIM_LEAD_SECS`` of it, so
# messages due close together are claimed in one statement, even at a low rate.
CLAIM_LEAD_SECS = 0.05
# How long the recorder lets ended attempts gather before it records them, unless a batch
# has ended: fewer statements at a low rate, at the cost of acknowledging a little later.
RECORD_LINGER_SECS = 0.05
# How often a dispatcher with every thread taken looks whether an attempt has been parked.
PARKED_LOOK_SECS = 0.1


@dataclass(frozen=True)
class Phases:
    """How a task's rows are attempted in batches: ``claim`` a list of (key, token) into
    a list of claimed rows (None where not claimed); ``attempt`` one claimed row into its
    outcome, on an attempt thread (writing to the database only what must be written
    before the attempt goes on, as a withdrawal's mark before its relay); ``record`` a
    list of outcomes into, for each, the delay after which its retry is to be sent now
    (or None); ``longest``, the seconds an attempt can take at most (a warm shutdown
    waits that long for those in flight); ``spare``, the attempt threads to start beyond
    the worker's concurrency (given it), for attempts that wait on others most of their
    time; ``parked``, how many attempts in flight are parked now (they wait on a target
    that hangs), of which up to ``parked_max`` do not count against the concurrency: as
    many more threads are started for them, and the others' attempts go on meanwhile
    without more of them running at once than the concurrency allows."""

    claim: Callable[[Sequence[tuple[Any, Any]]], Sequence[Any]]
    attempt: Callable[[Any], Any]
    record: Callable[[Sequence[Any]], Sequence[float | None]]
    longest: Callable[[], float]
    spare: Callable[[int], int] = lambda concurrency: 0
    parked: Callable[[], int] = lambda: 0
    parked_max: Callable[[], int] = lambda: 0


@dataclass(eq=False)
class Held:
    """One message held by the runner: the row it names (key and token), when it is due
    (monotonic), the consumer's prefetch counter (see ``Runner._raise``), and once
    claimed, its row."""

    message: Any
    task_id: str
    key: str
    token: uuid.UUID
    due: float
    qos: Any = None
    generation: int = 0
    row: Any = field(default=None)
    raised: bool = False  # the prefetch counter is raised for it (waiting for its time, or claimed)


class Runner:
    """This process's runner of one batched task (see the module's docstring)."""

    def __init__(self, task: Any, phases: Phases) -> None:
        self.task, self.phases = task, phases
        self.events: Any = None
        self._lock = threading.Condition()  # guards what is held, and the attempts begun
        self._waiting: list[tuple[float, int, Held]] = []  # a heap by due time
        self._ready: deque[Held] = deque()
        self._order = itertools.count()
        self._generation = 0
        self._capacity = 0
        self._attempting = 0  # claimed, attempt not ended: at most _capacity
        self._unsettled = 0  # taken from what is held, not yet acknowledged
        self._stopping = False
        self._ended_changed = threading.Condition()
        self._ended: deque[tuple[Held, Any]] = deque()
        self._threads: list[threading.Thread] = []
        self._attempts: ThreadPoolExecutor | None = None

    def start(self, concurrency: int) -> None:
        """Start the dispatcher, the recorder and ``concurrency`` attempt threads, and one
        more for each attempt that may be parked (``Phases.parked_max``) (once)."""
        with self._lock:
            if self._attempts is not None:
                return
            self._capacity = concurrency
            threads = concurrency + self.phases.parked_max()
            self._attempts = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="attempt")
        for target, name in ((self._dispatch, "dispatcher"), (self._record, "recorder")):
            thread = threading.Thread(target=target, name=f"{self.task.name}-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    # --- from the consumer's thread ---------------------------------------------------------

    def receive(self, held: Held, *, now: float) -> None:
        """Hold a message until it is due (raising the prefetch while it waits)."""
        with self._lock:
            held.generation = self._generation
            if held.due > now:
                self._raise(held, True)
                heapq.heappush(self._waiting, (held.due, next(self._order), held))
            else:
                self._ready.append(held)
            self._lock.notify_all()

    @staticmethod
    def _raise(held: Held, raised: bool) -> None:
        """Raise (or lower again) the consumer's prefetch by one for ``held``, as Celery does
        for a message waiting for its ``eta``: the prefetch bounds the messages held ready
        and not yet claimed, while those waiting for their time and those whose attempt is
        under way (a target that hangs holds one for its whole deadline) keep none of it."""
        if held.qos is None or held.raised == raised:
            return
        held.raised = raised
        if raised:
            held.qos.increment_eventually()
        else:
            held.qos.decrement_eventually()

    def forget_held(self) -> int:
        """The broker connection broke: drop every message held and not yet claimed (it can
        no longer be acknowledged); attempts in flight go on. Returns how many."""
        with self._lock:
            dropped = len(self._waiting) + len(self._ready)
            self._waiting.clear()
            self._ready.clear()
            self._generation += 1
        return dropped

    # --- the dispatcher --------------------------------------------------------------------

    def _take_due(self) -> list[Held]:
        """Wait for due messages and a free attempt thread; return as many due messages as
        there are free threads, up to a batch (none once stopping). Nothing is claimed that
        no thread can attempt at once: a claimed row is an attempt under way."""
        with self._lock:
            while not self._stopping:
                now = time.monotonic()
                horizon = now + CLAIM_LEAD_SECS
                while self._waiting and self._waiting[0][0] <= horizon:
                    held = heapq.heappop(self._waiting)[2]
                    self._raise(held, False)
                    self._ready.append(held)
                parked = min(self.phases.parked(), self.phases.parked_max())
                free = min(settings.DELIVERY_BATCH_SIZE, self._capacity + parked - self._attempting)
                if self._ready and free > 0:
                    batch = [self._ready.popleft() for _ in range(min(free, len(self._ready)))]
                    self._attempting += len(batch)
                    self._unsettled += len(batch)
                    return batch
                # Woken when the first is due within half the lead, it takes those within the lead;
                # with every thread taken, when an attempt ends or another may have been parked.
                if free > 0:
                    timeout = self._waiting[0][0] - now - CLAIM_LEAD_SECS / 2 if self._waiting else None
                else:
                    timeout = PARKED_LOOK_SECS if self.phases.parked_max() else None
                self._lock.wait(timeout)
            return []

    def _dispatch(self) -> None:
        while batch := self._take_due():
            if clock.skewed():  # this worker stopped consuming; the others take these
                self._send_again(batch, f"this host's clock is off by {clock.offset():.3f} s", delay=0.0)
                self._attempt_ended(len(batch))
                self._settle(batch)
                continue
            database.renew_if_stale()
            try:
                rows = self._claim(batch)
            finally:
                database.close_if_broken()
            unclaimed = []
            for held, row in zip(batch, rows, strict=True):
                if row is None:
                    unclaimed.append(held)
                    continue
                held.row = row
                self._raise(held, True)
                heartbeat.count_started(1)
                self.event("task-started", held)
                assert self._attempts is not None
                self._attempts.submit(self._attempt, held)
            self._attempt_ended(len(unclaimed))
            self._settle(unclaimed)

    def _claim(self, batch: list[Held]) -> Sequence[Any]:
        """The rows of ``batch`` claimed (None for each not claimed: it is not this
        dispatch's any more, or it cannot be read; either way its message is done)."""
        items = [(held.key, held.token) for held in batch]
        try:
            return self.phases.claim(items)
        except CONNECTION_ERRORS as exc:
            self._send_again(batch, f"database unavailable ({exc})", delay=random.uniform(1, 5))
        except Exception:
            if len(batch) == 1:
                logger.exception("%s%s: cannot be started; dropped", self.task.name, items[0])
                return [None]
            return [row for held in batch for row in self._claim([held])]  # which one?
        return [None] * len(batch)

    def _send_again(self, batch: list[Held], why: str, *, delay: float) -> None:
        """Claim nothing of ``batch`` here: send each message again after ``delay`` seconds,
        as the task's own retry would (those the broker refuses stay unacknowledged)."""
        logger.warning("%s: %s; %d messages sent again", self.task.name, why, len(batch))
        for held in batch:
            due_at = scheduling.after(delay)
            if not scheduling.send_task(
                self.task, scheduling.Claimed(held.key, held.token, due_at), held.key
            ):
                held.generation = -1  # not to be acknowledged

    # --- the attempt threads ---------------------------------------------------------------

    def _attempt(self, held: Held) -> None:
        try:
            early = held.due - time.monotonic()
            if early > 0:  # claimed ahead of its time (CLAIM_LEAD_SECS)
                time.sleep(early)
            outcome = self.phases.attempt(held.row)
        except Exception:
            # A defect, not a failed callback: the row stays running and is taken back when
            # its lease passes, as when a task raised.
            logger.exception("%s(%s): the attempt failed", self.task.name, held.key)
            outcome = None
        finally:
            database.close_if_broken()
            self._attempt_ended(1)
        with self._ended_changed:
            self._ended.append((held, outcome))
            self._ended_changed.notify()

    def _attempt_ended(self, count: int) -> None:
        if count:
            with self._lock:
                self._attempting -= count
                self._lock.notify_all()

    # --- the recorder ----------------------------------------------------------------------

    def _take_ended(self) -> list[tuple[Held, Any]]:
        with self._ended_changed:
            while not self._ended:
                if self._stopping and not self._unsettled:
                    return []
                self._ended_changed.wait(0.5)
            batch = settings.DELIVERY_BATCH_SIZE
            linger = len(self._ended) < batch and not self._stopping
        if linger:
            time.sleep(RECORD_LINGER_SECS)
        with self._ended_changed:
            return [self._ended.popleft() for _ in range(min(batch, len(self._ended)))]

    def _record(self) -> None:
        while ended := self._take_ended():
            database.renew_if_stale()
            try:
                self._record_batch(ended)
            except Exception:
                logger.exception("%s: could not record %d attempts", self.task.name, len(ended))
            finally:
                database.close_if_broken()
                heartbeat.count_ended(len(ended))
                self._settle([held for held, _ in ended])

    def _record_batch(self, ended: list[tuple[Held, Any]]) -> None:
        recorded = [(held, outcome) for held, outcome in ended if outcome is not None]
        delays = self.phases.record([outcome for _, outcome in recorded]) if recorded else []
        for (held, _), delay in zip(recorded, delays, strict=True):
            if delay is not None:
                claimed = scheduling.Claimed(held.key, held.token, scheduling.after(delay))
                scheduling.send_task(self.task, claimed, held.key)
            self.event("task-succeeded", held, result="None", runtime=0.0)

    # --- common ----------------------------------------------------------------------------

    def _settle(self, helds: Sequence[Held]) -> None:
        """Acknowledge the messages of ``helds``: each has been claimed and recorded, or
        claimed nothing, or was sent again."""
        with self._lock:
            generation = self._generation
            self._unsettled -= len(helds)
        with redis_transport.acknowledging_together():
            for held in helds:
                self._raise(held, False)
                if held.generation != generation:
                    continue  # its connection is gone (the broker hands it out again), or it stays
                try:
                    held.message.ack()
                except Exception as exc:  # whatever the broker's client raised: it hands it out again
                    logger.warning("%s(%s): not acknowledged: %s", self.task.name, held.key, exc)
        if self._stopping:
            with self._ended_changed:
                self._ended_changed.notify_all()

    def event(self, kind: str, held: Held, **fields: Any) -> None:
        """A task event for Flower, if events are on (``celery control enable_events``)."""
        events = self.events
        if events is not None and events.enabled and self.task.send_events:
            try:
                events.send(kind, uuid=held.task_id, **fields)
            except Exception as exc:  # an event lost is no reason to lose the delivery
                logger.warning("%s(%s): %s event not sent: %s", self.task.name, held.key, kind, exc)

    def stop_claiming(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        with self._ended_changed:
            self._ended_changed.notify_all()

    def stop(self, *, wait: float) -> None:
        """Claim nothing more; wait up to ``wait`` seconds for the attempts in flight to be
        recorded."""
        self.stop_claiming()
        deadline = time.monotonic() + wait
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))


_runners: dict[str, Runner] = {}
_runners_lock = threading.Lock()


def runner_of(task: Any) -> Runner:
    with _runners_lock:
        found = _runners.get(task.name)
        if found is None:
            found = _runners[task.name] = Runner(task, task.phases)
        return found


def strategy(task: Any, app: Any, consumer: Any, **_: Any) -> Callable[..., None]:
    """Celery's task strategy for a batched task: messages go to this process's runner
    (started with the worker's concurrency) instead of one request each. Made anew on
    every broker connection."""
    if not settings.DELIVERY_BATCH_SIZE:
        return default_strategy(task, app, consumer, **_)
    runner = runner_of(task)
    runner.events = consumer.event_dispatcher
    _keep_turning(consumer)
    concurrency = int(getattr(consumer.controller, "concurrency", 0) or consumer.pool.limit or 1)
    runner.start(concurrency + task.phases.spare(concurrency))

    def task_message_handler(message: Any, *_: Any, **__: Any) -> None:
        headers = message.headers
        try:
            args, _kwargs, _embed = message.decode()
            key, token = str(args[0]), uuid.UUID(str(args[1]))
            eta = headers.get("eta")
            due = datetime.fromisoformat(eta).timestamp() if eta else None
        except Exception as exc:  # not a message of this task: nothing to run, ever
            logger.error("%s: dropped a message that names no row: %r (%s)", task.name, message.body, exc)
            message.ack()
            return
        now = time.monotonic()
        due = now if due is None else now + (due - clock.time())  # the due time by the database's clock
        held = Held(message, headers["id"], key, token, due, qos=consumer.qos)
        runner.event(
            "task-received", held, name=task.name, args=repr(tuple(args)), kwargs="{}",
            retries=headers.get("retries", 0), eta=eta,
        )  # fmt: skip
        runner.receive(held, now=now)

    return task_message_handler


_tick: Any = None  # the consumer's timer entry that turns its loop


def _keep_turning(consumer: Any) -> None:
    """The consumer looks for messages again only when its loop turns: after
    acknowledgements made on other threads have room for more, a turn at least every
    ``CONSUMER_TURN_SECS``, as Celery's own timer entries (one per message waiting for
    its time) would make. One entry per consumer, whatever the batched tasks."""
    global _tick
    if _tick is not None:
        _tick.cancel()
    _tick = consumer.timer.call_repeatedly(CONSUMER_TURN_SECS, _turn)


def _turn() -> None:
    """Nothing: the consumer's loop turns, and consumes if it has room."""


def forget_held() -> None:
    """The broker connection broke: every runner of this process drops what it holds."""
    for runner in list(_runners.values()):
        dropped = runner.forget_held()
        if dropped:
            logger.warning("broker connection lost; %s let go of %d held messages", runner.task.name, dropped)


@worker_shutting_down.connect
def _stop_claiming(**_: Any) -> None:
    for runner in list(_runners.values()):
        runner.stop_claiming()


@worker_shutdown.connect
def _drain(**_: Any) -> None:
    runners = list(_runners.values())
    if runners:
        deadline = time.monotonic() + max(runner.phases.longest() for runner in runners) + DRAIN_MARGIN_SECS
        for runner in runners:
            runner.stop(wait=max(0.0, deadline - time.monotonic()))
