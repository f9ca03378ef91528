"""Celery's worker request and task base, changed: a request lets go of its ``eta`` timer
entry once it starts, and every task runs on a database connection known to be alive.

Decision record: docs/decisions/0004-worker-request-drops-eta-entry.md.
"""

from typing import Any

from celery import Task
from celery.worker.request import Request

from scheduler_project.core.departures import database


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
    connection that is known to be alive (see ``departures.database``)."""

    Request = f"{__name__}:ScheduledRequest"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        database.renew_if_stale()
        try:
            return super().__call__(*args, **kwargs)
        finally:
            database.close_if_broken()
