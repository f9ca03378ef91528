"""How Celery's worker holds our tasks."""

import functools
import logging
from collections.abc import Callable
from typing import Any

from celery import Task, shared_task
from celery.worker.consumer import Consumer as CeleryConsumer
from celery.worker.request import Request
from django.apps import apps

from scheduler_project.core import database
from scheduler_project.core.database import CONNECTION_ERRORS

logger = logging.getLogger(__name__)


class ScheduledRequest(Request):
    """A worker request that lets go of its ``eta`` timer entry once it starts.

    Celery keeps the timer entry on the request (to cancel it if the broker
    connection is lost before it fires), and the entry's arguments hold the
    request: a reference cycle, so the request, its message and their promises
    outlive the task until a full garbage collection. With thousands of tasks
    waiting for their time, those collections took 40-130 ms every few seconds.
    Once the pool has accepted the task the entry has fired and is not needed.
    """

    def on_accepted(self, pid: Any, time_accepted: float) -> None:
        self._eta_timer_entry = None
        super().on_accepted(pid, time_accepted)


class ScheduledTask(Task):
    """The base of every task here (``Celery(task_cls=...)``): each runs on a database
    connection that is known to be alive (see ``core.database``)."""

    Request = f"{__name__}:ScheduledRequest"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        database.renew_if_stale()
        try:
            return super().__call__(*args, **kwargs)
        finally:
            database.close_if_broken()


# How soon a worker tries its broker again after losing it, then how much longer each
# time, up to at most: a broker back after a restart is used within about a second.
RECONNECT_INTERVALS = {"interval_start": 0.5, "interval_step": 0.5, "interval_max": 2.0}


def scheduled_task(model: str, *, phases: Any = None) -> Any:
    """The decorator of a task that runs one attempt of a row of ``model`` (an app label,
    e.g. ``"timers.Timer"``), called with the row's key and dispatch token.

    Acknowledged late and given back if its worker is lost; retried by the task itself
    (``scheduling.retry_task``) or, when the database could not be reached before the
    attempt started, after 1-5 s: the claim makes any second run harmless. With
    ``phases`` (``core.batches.Phases``) a worker runs its messages in batches.
    """
    batched = {"phases": phases, "Strategy": "scheduler_project.core.batches:strategy"} if phases else {}
    return shared_task(
        base=ScheduledTask,
        bind=True,
        acks_late=True,
        reject_on_worker_lost=True,
        max_retries=None,
        ignore_result=True,
        autoretry_for=CONNECTION_ERRORS,
        retry_backoff=1,
        retry_backoff_max=5,
        scheduled_model=model,
        **batched,
    )


def periodic_task(kind: str) -> Callable[[Callable[[], int]], Any]:
    """The decorator of periodic work (a beat entry's task, and the condition evaluations a
    sweep sends): run at most once, never retried (the next period runs it again); it
    sends no task events, so Flower's task list shows the work (deliveries, relays) and
    not two sweeps a second; and each run is recorded (``SweepRecord``: detailed health
    and the beat check read it)."""

    def decorate(run: Callable[[], int]) -> Any:
        @functools.wraps(run)
        def task() -> int:
            from django.utils import timezone

            from scheduler_project.core.services import record_sweep

            count = run()
            record_sweep(kind, int(count or 0), now=timezone.now())
            return count

        return shared_task(ignore_result=True, acks_late=False, send_events=False)(task)

    return decorate


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
        from scheduler_project.core import batches

        super().on_close()
        batches.forget_held()
        release_after_broker_loss(self.app)


def release_after_broker_loss(app: Any, why: str = "broker connection lost") -> None:
    """Let the next sweep send again every sent, unstarted row of the models tasks run on."""
    from scheduler_project.core import scheduling

    labels = sorted(
        {task.scheduled_model for task in app.tasks.values() if getattr(task, "scheduled_model", None)}
    )
    for label in labels:
        try:
            released = scheduling.release_dispatched(apps.get_model(label))
        except Exception as exc:  # the database may be down too: the leases then pass by themselves
            logger.warning("%s; kept the %s leases: %s", why, label, exc)
        else:
            logger.warning("%s; %d %s rows sent again by the next sweep", why, released, label)
