"""How Celery's worker holds our tasks: the decorators of the tasks that run an attempt of a
row and of periodic work, and what a worker does with its rows when it loses its broker.
Where these change Celery itself (the request, the task base, the consumer) is in
``core.departures``."""

import functools
import logging
from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.apps import apps

from scheduler_project.core.departures.database import CONNECTION_ERRORS
from scheduler_project.core.departures.worker_request import ScheduledTask

logger = logging.getLogger(__name__)


def scheduled_task(model: str, *, phases: Any = None) -> Any:
    """The decorator of a task that runs one attempt of a row of ``model`` (an app label,
    e.g. ``"timers.Timer"``), called with the row's key and dispatch token.

    Acknowledged late and given back if its worker is lost; retried by the task itself
    (``scheduling.retry_task``) or, when the database could not be reached before the
    attempt started, after 1-5 s: the claim makes any second run harmless. With
    ``phases`` (``core.departures.batched_strategy.Phases``) a worker runs its messages in batches.
    """
    batched = (
        {"phases": phases, "Strategy": "scheduler_project.core.departures.batched_strategy:strategy"}
        if phases
        else {}
    )
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
