"""Upgrade tests of the worker consumer (core.departures.worker_consumer,
docs/decisions/0005-worker-consumer-broker-loss.md): Celery's stock consumer still retries a
lost broker with kombu's default intervals (2 s, then 2 s more each time, up to 30 s), and
still drops the messages it holds when its connection closes, sending nothing again."""

import inspect
from typing import Any
from unittest.mock import Mock

from celery.worker import state
from celery.worker.consumer import Consumer as CeleryConsumer
from kombu import Connection

from scheduler_project.core.departures.worker_consumer import RECONNECT_INTERVALS, Consumer


def test_stock_consumer_retries_a_lost_broker_with_kombus_default_intervals():
    """docs/decisions/0005-worker-consumer-broker-loss.md: stock passes no intervals to
    ``ensure_connection``, whose defaults wait 2, 4, 6 ... up to 30 s; ours passes its own."""
    defaults = inspect.signature(Connection._ensure_connection).parameters
    assert {name: defaults[name].default for name in RECONNECT_INTERVALS} == {
        "interval_start": 2, "interval_step": 2, "interval_max": 30,
    }  # fmt: skip

    for consumer_class, expected in ((CeleryConsumer, {}), (Consumer, RECONNECT_INTERVALS)):
        asked: dict[str, Any] = {}
        conn = Mock()
        conn.ensure_connection = lambda *args, **kwargs: asked.update(kwargs) or conn
        consumer = consumer_class.__new__(consumer_class)  # what ensure_connected reads, no more
        consumer.app, consumer.first_connection_attempt = Mock(), False
        consumer.ensure_connected(conn)
        assert {k: v for k, v in asked.items() if k.startswith("interval_")} == expected


def test_stock_consumer_drops_the_requests_waiting_for_their_eta_when_its_connection_closes():
    """docs/decisions/0005-worker-consumer-broker-loss.md: on a broken connection stock
    cancels and forgets every request waiting for its time (the broker hands its message out
    again only after the visibility timeout); nothing makes their rows due again sooner."""
    request = Mock(id="tests.waiting", _eta_timer_entry=Mock())
    state.scheduled_requests.add(request)
    state.requests[request.id] = request
    consumer = Mock(controller=None, task_buckets={}, pool=None)
    try:
        CeleryConsumer.on_close(consumer)
    finally:
        state.requests.pop(request.id, None)
    assert request not in state.scheduled_requests
    assert request.id not in state.requests
    consumer.timer.cancel.assert_called_once_with(request._eta_timer_entry)


def test_the_stock_hooks_keep_their_signatures():
    """docs/decisions/0005-worker-consumer-broker-loss.md: what ``worker_consumer`` overrides."""
    assert str(inspect.signature(CeleryConsumer.ensure_connected)) == "(self, conn)"
    assert str(inspect.signature(CeleryConsumer.on_close)) == "(self)"
    assert str(inspect.signature(Connection.ensure_connection)) == "(self, *args, **kwargs)"
