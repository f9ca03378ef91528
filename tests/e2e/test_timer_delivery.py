"""A timer created through the API fires at its time through a real worker and beat."""

from datetime import UTC, datetime, timedelta

from tests.conftest import eventually
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
