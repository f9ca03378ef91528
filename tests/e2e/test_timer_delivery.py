"""A timer created through the API fires at its time through a real worker and beat."""

import sys
from datetime import UTC, datetime, timedelta

import httpx
from django.conf import settings

from tests.conftest import eventually, free_port
from timers.models import Timer, TimerStatus
from timers.receiver import verify


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def test_timer_fires_at_its_time_with_a_verifiable_signature(processes, api, receiver, tenant):
    processes.worker()
    processes.beat()
    execute_at = datetime.now(UTC) + timedelta(seconds=2)
    response = api.post(
        "/timers",
        {"execute_at": iso(execute_at), "callback_url": receiver.url("/hook"), "callback_payload": {"n": 1}},
        format="json",
    )
    assert response.status_code == 201
    timer_id = response.json()["data"]["id"]

    (hit,) = receiver.wait_for(1, timeout=30)
    assert hit.arrived >= execute_at.timestamp() - 0.001
    assert hit.json() == {"n": 1}
    assert verify(tenant.webhook_secret, hit) == {"n": 1}
    assert hit.headers["webhook-id"] == f"msg_{timer_id.replace('-', '')}"

    timer = eventually(lambda: Timer.objects.filter(pk=timer_id, status=TimerStatus.COMPLETED).first())
    assert timer.executed_at is not None
    detail = api.get(f"/timers/{timer_id}").json()["data"]
    assert detail["status"] == "completed"
    assert [a["outcome"] for a in detail["attempts"]] == ["success"]
    assert detail["attempts"][0]["status_code"] == 200


def test_a_timer_created_while_the_broker_is_down_is_stored_and_delivered_later(processes, receiver, tenant):
    """The API answers 201 without a broker; the sweep sends the timer once its lease passes."""
    port = free_port()
    dead_broker = f"redis://127.0.0.1:{free_port()}/0"
    web = [sys.executable, "-m", "gunicorn", "scheduler_project.wsgi", "--bind", f"127.0.0.1:{port}",
           "--workers", "1"]  # fmt: skip
    lease = {"SCHEDULER_LEASE_SECS": "2"}
    processes.start(web, ready="Booting worker", env={**lease, "CELERY_BROKER_URL": dead_broker}, name="web")
    execute_at = datetime.now(UTC) + timedelta(seconds=5)  # the first request loads Django
    response = httpx.post(
        f"http://127.0.0.1:{port}/timers",
        json={"execute_at": iso(execute_at), "callback_url": receiver.url("/late")},
        headers={"X-API-Key": settings.API_KEY},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    timer_id = response.json()["data"]["id"]
    assert Timer.objects.get(pk=timer_id).status == TimerStatus.PENDING

    processes.worker(env=lease)
    processes.beat(env=lease)
    (hit,) = receiver.wait_for(1, path="/late", timeout=30)
    assert hit.headers["webhook-id"] == f"msg_{timer_id.replace('-', '')}"
    assert eventually(lambda: Timer.objects.filter(pk=timer_id, status=TimerStatus.COMPLETED).exists())
