"""RabbitMQ as the broker instead of Redis: the same workers and beat, on a virtual host of
the test's own (created and deleted with ``rabbitmqctl``, so the machine's broker keeps
nothing). A timer sent by the sweep is delivered at its time, and its retry (a Celery retry
with a countdown) goes through the broker too."""

import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from scheduler_project.testing.servers import eventually
from tests.conftest import exactly
from timers.models import Timer, TimerStatus
from timers.receiver import Reply


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture
def rabbitmq() -> Iterator[str]:
    vhost = f"scheduler-test-{uuid.uuid4().hex[:12]}"
    rabbitmqctl("add_vhost", vhost)
    try:
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        rabbitmqctl("delete_vhost", vhost)


def test_with_rabbitmq_as_the_broker_a_timer_is_delivered_at_its_time_and_retried(
    processes, api, receiver, rabbitmq
):
    env = {"CELERY_BROKER_URL": rabbitmq, "SCHEDULER_LOOKAHEAD_SECS": "2"}
    processes.worker(env=env)
    processes.beat(env=env)
    receiver.script("/rabbit", Reply(503), Reply(200))
    # Beyond this process's lookahead: the sweep, on RabbitMQ, sends it.
    due = datetime.now(UTC) + timedelta(seconds=12)
    body = {"execute_at": due.isoformat().replace("+00:00", "Z"), "callback_url": receiver.url("/rabbit")}
    response = api.post("/timers", body, format="json")
    assert response.status_code == 201, response.json()
    timer_id = response.json()["data"]["id"]

    first, second = exactly(receiver, 2, timeout=45)

    assert due.timestamp() - 0.001 <= first.arrived <= due.timestamp() + 2
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    timer = eventually(lambda: Timer.objects.filter(pk=timer_id, status=TimerStatus.COMPLETED).first())
    assert [a.outcome for a in timer.attempt_log.all()] == ["retry", "success"]
    assert "transport:   amqp://guest:**@127.0.0.1:5672/scheduler-test-" in processes.logs()
