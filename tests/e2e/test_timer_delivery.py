"""A timer created through the API fires at its time through a real worker and beat."""

import json
import signal
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from scheduler_project.testing.servers import eventually, free_port
from tests.conftest import exactly
from timers.models import Timer, TimerStatus
from timers.receiver import Reply, verify


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

    (hit,) = exactly(receiver, 1, timeout=30)
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


@pytest.mark.parametrize("batch_size", ["50", "0"], ids=["in batches", "one task each"])
def test_a_failed_attempt_is_retried_with_the_same_webhook_id(processes, api, receiver, batch_size):
    """Whether a worker runs deliveries in batches or each as a plain Celery task
    (``DELIVERY_BATCH_SIZE=0``): an attempt the target refuses is retried soon after, under
    the same webhook-id, and both attempts are in the timer's history."""
    env = {"DELIVERY_BATCH_SIZE": batch_size, "TIMER_RETRY_BASE_SECS": "0.2"}
    receiver.script("/flaky", Reply(503))
    processes.worker(env=env)
    processes.beat(env=env)
    execute_at = datetime.now(UTC) + timedelta(seconds=2)
    response = api.post("/timers", {"execute_at": iso(execute_at), "callback_url": receiver.url("/flaky")},
                        format="json")  # fmt: skip
    timer_id = response.json()["data"]["id"]

    first, second = exactly(receiver, 2, timeout=30)

    assert first.headers["webhook-id"] == second.headers["webhook-id"] == f"msg_{timer_id.replace('-', '')}"
    assert first.arrived >= execute_at.timestamp() - 0.001
    eventually(lambda: Timer.objects.filter(pk=timer_id, status=TimerStatus.COMPLETED).exists())
    attempts = api.get(f"/timers/{timer_id}").json()["data"]["attempts"]
    assert [(a["outcome"], a["status_code"]) for a in attempts] == [("retry", 503), ("success", 200)]


def test_a_timer_created_while_the_broker_is_down_is_stored_and_delivered_later(processes, receiver, tenant):
    """The API answers 201 without a broker; the sweep sends the timer once its lease passes."""
    port = free_port()
    dead_broker = f"redis://127.0.0.1:{free_port()}/0"
    lease = {"SCHEDULER_LEASE_SECS": "2"}
    processes.web(port, env={**lease, "CELERY_BROKER_URL": dead_broker})
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


def test_each_tenants_callbacks_verify_with_that_tenants_secret_only(processes, api, other_api, receiver):
    """Standard Webhooks, as a receiver checks it: a callback of the second tenant verifies
    with its own secret and not with the default tenant's (nor the other way round)."""
    processes.worker()
    execute_at = iso(datetime.now(UTC) + timedelta(seconds=1))
    for client, path in ((api, "/default"), (other_api, "/other")):
        body = {"execute_at": execute_at, "callback_url": receiver.url(path), "callback_payload": {"p": path}}
        assert client.post("/timers", body, format="json").status_code == 201
    secrets = {path: client.get("/signing_secret").json()["data"]["webhook_secret"]
               for client, path in ((api, "/default"), (other_api, "/other"))}  # fmt: skip
    assert secrets["/default"] != secrets["/other"]

    hits = {hit.path: hit for hit in exactly(receiver, 2, timeout=30)}

    for path, hit in hits.items():
        assert Webhook(secrets[path]).verify(hit.body, hit.headers) == {"p": path}
        stranger = secrets["/other" if path == "/default" else "/default"]
        with pytest.raises(WebhookVerificationError):
            Webhook(stranger).verify(hit.body, hit.headers)


def test_sigterm_to_the_web_server_lets_an_arriving_create_finish_then_it_exits(processes, receiver):
    """A client is halfway through sending its POST when the web server is told to stop:
    the request is answered 201, the timer is stored and delivered once, new connections
    are refused, and the server exits 0."""
    port = free_port()
    web = processes.web(port, threads=4)
    processes.worker()
    eventually(lambda: _answers(port))
    body = json.dumps({"execute_at": iso(datetime.now(UTC) + timedelta(seconds=4)),
                       "callback_url": receiver.url("/in-flight")}).encode()  # fmt: skip
    head = (f"POST /timers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {settings.API_KEY}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n")  # fmt: skip

    with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        client.sendall(head.encode() + body[:10])
        time.sleep(0.5)  # the request is being read
        web.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
        client.sendall(body[10:])
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk

    assert answer.startswith(b"HTTP/1.1 201"), answer[:200]
    timer_id = json.loads(answer.partition(b"\r\n\r\n")[2])["data"]["id"]
    assert web.wait(timeout=30) == 0
    assert Timer.objects.filter(callback_url=receiver.url("/in-flight")).count() == 1
    (hit,) = exactly(receiver, 1, timeout=30, quiet=3)
    assert hit.headers["webhook-id"] == f"msg_{timer_id.replace('-', '')}"


@pytest.mark.parametrize("moment", ["serving", "starting"])
def test_the_workers_of_a_web_server_killed_outright_end_by_themselves(processes, moment):
    """``kill -9`` of the web server, once it serves or while its workers still load Django:
    its workers end within two seconds, rather than answering on with the old code beside
    the server started in its place."""
    port = free_port()
    web = processes.web(port, workers=2)
    if moment == "serving":
        eventually(lambda: _answers(port))
    eventually(lambda: len(_children(web.pid)) == 2, interval=0.01)
    workers = _children(web.pid)
    web.kill()
    web.wait()
    killed = time.monotonic()
    # Its workers end (the port itself may be taken by another test's server meanwhile).
    eventually(lambda: not any(_running(pid) for pid in workers), timeout=10, interval=0.05)
    assert time.monotonic() - killed < 2


def _running(pid: int) -> bool:
    """Whether ``pid`` still runs (an ended process waiting to be reaped does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200
    except httpx.TransportError:
        return False
