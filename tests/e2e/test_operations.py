"""Operations with real workers and beat: heartbeats, detailed health, offline and stale
alerts (sent once, signed), keys revoked across web processes, sweeps kept out of the
task events Flower shows."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook

from scheduler_project.celery import app
from scheduler_project.testing.servers import eventually, free_port

ALERT_SECRET = "whsec_QWxlcnRTZWNyZXRGb3JUZXN0c09ubHkxMjM0NTY="
ADMIN_TOKEN = "admin-token-0123456789abcdefghijklmnopqrstuv"
FAST = {"WORKER_HEARTBEAT_SECS": "0.5", "WORKER_OFFLINE_AFTER_SECS": "3", "BEAT_STALE_AFTER_SECS": "3"}


def detailed() -> dict[str, Any]:
    response = APIClient().get("/health/detailed")
    assert response.status_code == 200, response.content
    return response.json()["data"]


def alerts(receiver: Any) -> list[dict[str, Any]]:
    """The alerts received, each checked against ALERT_WEBHOOK_SECRET's signature."""
    found = []
    for item in list(receiver.received):
        if item.path == "/alert":
            Webhook(ALERT_SECRET).verify(item.body, item.headers)
            found.append(json.loads(item.body))
    return found


def test_detailed_health_follows_beat_and_workers_and_each_alert_goes_out_once(
    processes, receiver, tee, relayer, settings
):
    settings.WORKER_OFFLINE_AFTER_SECS, settings.BEAT_STALE_AFTER_SECS = 3, 3
    settings.ADMIN_BEARER_TOKEN = ADMIN_TOKEN
    env = {**FAST, "ALERT_WEBHOOK_URL": receiver.url("/alert"), "ALERT_WEBHOOK_SECRET": ALERT_SECRET,
           "RELAYER_URL": relayer.url}  # fmt: skip
    beat = processes.beat(env=env)  # first: its sweeps are waiting when the workers are ready
    processes.worker(env=env, name="steady")
    doomed = processes.worker(env=env, name="doomed", queues="default")

    up = eventually(
        lambda: (h := detailed())["status"] == "up" and "sweep_timers" in h["beat"]["sweeps"] and h
    )
    assert {w["status"] for w in up["workers"]} == {"online"} and len(up["workers"]) == 2
    assert up["beat"]["status"] == "up" and "sweep_timers" in up["beat"]["sweeps"]
    assert (up["database"]["status"], up["broker"]["status"]) == ("up", "connected")
    assert (up["tee"]["status"], up["relayer"]["status"]) == ("connected", "connected")
    admin = APIClient(headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    rows = {w["name"]: w for w in admin.get("/api/admin/workers").json()["data"]}
    doomed_row = next(w for name, w in rows.items() if name.startswith("doomed"))
    assert (doomed_row["pid"], doomed_row["queues"], doomed_row["concurrency"]) == (
        doomed.pid,
        ["default"],
        8,
    )

    # Beat dies: degraded once its sweeps are stale, one alert; back: up, one "recovered".
    # (On a loaded machine a first sweep later than BEAT_STALE_AFTER_SECS is reported too, and
    # its recovery: let those arrive, then count from here.)
    time.sleep(2)
    before = len(alerts(receiver))
    beat.kill()  # as a crash or the out-of-memory killer ends it
    beat.wait(15)
    stale = eventually(lambda: (h := detailed())["beat"]["status"] == "stale" and h, timeout=20)
    assert stale["status"] == "degraded"
    eventually(lambda: [a["type"] for a in alerts(receiver)[before:]] == ["beat.stale"], timeout=20)
    time.sleep(2)  # several more heartbeats, each running the checks
    assert [a["type"] for a in alerts(receiver)[before:]] == ["beat.stale"]
    processes.beat(env=env)
    eventually(lambda: detailed()["status"] == "up", timeout=20)
    recovered = ["beat.stale", "beat.recovered"]
    eventually(lambda: [a["type"] for a in alerts(receiver)[before:]] == recovered, timeout=20)

    # A worker killed: offline after WORKER_OFFLINE_AFTER_SECS, degraded, one alert.
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait(10)
    offline = eventually(lambda: (h := detailed())["status"] == "degraded" and h, timeout=20)
    states = {w["name"].split("-")[0]: w["status"] for w in offline["workers"]}
    assert states == {"steady": "online", "doomed": "offline"}
    eventually(lambda: len(alerts(receiver)[before:]) == 3, timeout=20)
    time.sleep(2)
    sent = alerts(receiver)[before:]
    assert [a["type"] for a in sent] == ["beat.stale", "beat.recovered", "worker.offline"]
    assert sent[2]["data"]["worker"] == doomed_row["name"]
    public = APIClient().get("/public/workers").json()["data"]["workers"]
    assert [w["name"].split("-")[0] for w in public] == ["steady"]

    # Deregistered, it no longer degrades health.
    assert admin.delete(f"/api/admin/workers/{doomed_row['name']}").status_code == 200
    assert detailed()["status"] == "up"


def test_a_key_revoked_through_one_web_process_is_refused_at_once_by_another(processes):
    env = {"ADMIN_BEARER_TOKEN": ADMIN_TOKEN}
    ports = [free_port(), free_port()]
    for port in ports:
        processes.web(port, threads=2, env=env)
    one, other = (httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) for port in ports)
    bearer = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    assert one.post("/api/admin/tenants", json={"slug": "acme"}, headers=bearer).status_code == 201
    issued = one.post("/api/admin/tenants/acme/keys", json={"name": "ci"}, headers=bearer).json()["data"]
    key = {"X-API-Key": issued["key"]}
    assert other.get("/timers", headers=key).status_code == 200
    listed = one.get("/api/admin/tenants/acme/keys", headers=bearer).json()["data"]
    assert "key" not in listed[0] and listed[0]["prefix"] == issued["key"][:10]  # shown once only

    revoked = one.post(f"/api/admin/keys/{issued['api_key']['id']}/revoke", headers=bearer)
    assert revoked.status_code == 200 and revoked.json()["data"]["revoked_at"]
    refused = other.get("/timers", headers=key)
    assert refused.status_code == 401 and refused.json()["code"] != 0
    assert one.get("/api/admin/tenants", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_sweeps_send_no_task_events_while_every_worker_shows_online(processes, api, receiver):
    """What Flower shows: the work (deliveries), not two sweeps a second."""
    events: list[dict[str, Any]] = []
    receivers: list[Any] = []

    def listen() -> None:
        # One subscription for the whole test: one torn down and made again at every quiet
        # moment would miss what is sent in between.
        with app.connection_for_read() as conn:
            receivers.append(app.events.Receiver(conn, handlers={"*": events.append}))
            receivers[0].capture(limit=None, timeout=None, wakeup=False)

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    time.sleep(1)
    worker = processes.worker()
    enable = [sys.executable, "-m", "celery", "-A", "scheduler_project", "control", "enable_events"]
    done = subprocess.run(enable, env=processes.env(), capture_output=True, timeout=30, check=True)
    assert b"enabled" in done.stdout  # as Flower does when it starts
    processes.beat()
    execute_at = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    api.post("/timers", {"execute_at": execute_at, "callback_url": receiver.url("/seen")}, format="json")
    receiver.wait_for(1, path="/seen", timeout=20)
    time.sleep(3)  # at least four more sweeps
    receivers[0].should_stop = True
    listener.join(5)

    tasks = Counter(e.get("name") for e in events if e["type"] == "task-received")
    assert tasks == {"timers.tasks.deliver_timer": 1}, tasks
    assert any(e["type"] == "task-succeeded" for e in events)
    assert any(e["type"] == "worker-heartbeat" for e in events)
    assert worker.poll() is None
