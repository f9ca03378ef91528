"""Upgrade tests of the worker request (core.departures.worker_request,
docs/decisions/0004-worker-request-drops-eta-entry.md): Celery's stock strategy still hangs a
timer entry on a request waiting for its ``eta`` that holds the request (a reference cycle),
and its ``Request.on_accepted`` still keeps that entry; ours lets go of it."""

import inspect
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import Mock

from celery import Celery
from celery.contrib.testing.mocks import TaskMessage
from celery.worker import state
from celery.worker.request import Request
from celery.worker.strategy import default
from kombu.asynchronous.timer import Timer

from scheduler_project.core.departures.worker_request import ScheduledRequest


def waiting_request(request_class: type) -> Iterator[Any]:
    """A request of class ``request_class`` that Celery's stock strategy made for a message
    due in five minutes, as a worker holds it (its timer entry not fired: the timer is not
    running)."""
    app = Celery("tests.departures", set_as_current=False)

    @app.task(shared=False, Request=f"{request_class.__module__}:{request_class.__qualname__}")
    def waits() -> None: ...

    consumer = Mock(timer=Timer(), disable_rate_limits=True, task_buckets={}, event_dispatcher=None, app=app)
    consumer.controller.state.revoked = set()
    handler = default(waits, app, consumer)
    message = TaskMessage(waits.name, eta=(datetime.now(UTC) + timedelta(minutes=5)).isoformat())
    handler(message, None, message.ack, message.reject, [])
    (request,) = [r for r in state.scheduled_requests if r.id == message.headers["id"]]
    try:
        yield request
    finally:
        state.scheduled_requests.discard(request)
        state.task_ready(request)


def test_stock_strategy_makes_the_eta_entry_and_its_request_refer_to_each_other():
    """docs/decisions/0004-worker-request-drops-eta-entry.md: the cycle. If an upgrade stops
    the timer entry holding the request, or the request holding its entry, the departure has
    nothing left to do."""
    for request in waiting_request(Request):
        entry = request._eta_timer_entry
        assert entry is not None
        assert request in entry.args  # the entry holds the request, the request its entry


def test_stock_request_keeps_its_eta_entry_once_accepted_and_ours_lets_go():
    """docs/decisions/0004-worker-request-drops-eta-entry.md: stock ``on_accepted`` keeps the
    entry (so the cycle lives as long as the request); ours drops it, and calls stock's."""
    for request in waiting_request(Request):
        request.on_accepted(1, time.monotonic())
        assert request._eta_timer_entry is not None
    for request in waiting_request(ScheduledRequest):
        assert isinstance(request, ScheduledRequest)
        request.on_accepted(1, time.monotonic())
        assert request._eta_timer_entry is None
        assert request.time_start is not None  # stock's on_accepted ran


def test_the_stock_hooks_keep_their_signatures():
    """docs/decisions/0004-worker-request-drops-eta-entry.md: what ``worker_request`` overrides."""
    assert str(inspect.signature(Request.on_accepted)) == "(self, pid, time_accepted)"
    assert "_eta_timer_entry" in vars(Request)
    from celery import Task

    assert str(inspect.signature(Task.__call__)) == "(self, *args, **kwargs)"
    assert Task.Request == "celery.worker.request:Request"
