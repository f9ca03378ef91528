"""The local receiver ``make run`` starts: what it prints for each callback."""

import json

import httpx
from django.utils import timezone

from scheduler_project.core.services import default_tenant
from scheduler_project.testing.servers import eventually, free_port
from timers import clients


def test_the_receiver_prints_a_tasks_identity_and_checks_its_signature(processes):
    secret = default_tenant().webhook_secret
    port = free_port()
    proc = processes.manage("callback_receiver", "--port", str(port), ready="receiving callbacks")
    body, now = json.dumps({"report": "minutely"}), timezone.now()
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": clients.sign(secret=secret, msg_id="msg_1", timestamp=now, body=body),
        "X-Scheduler-Job-Id": "job-7",
        "X-Scheduler-Observed-Value": "101.5",
        "Content-Type": "application/json",
    }

    assert httpx.post(f"http://127.0.0.1:{port}/alert", content=body, headers=headers).status_code == 200
    httpx.post(f"http://127.0.0.1:{port}/forged", content=body, headers={**headers, "webhook-id": "msg_2"})

    log = processes.logs
    line = eventually(lambda: next((x for x in log().splitlines() if "callback /alert" in x), None))
    assert "webhook-id=msg_1" in line and "signature ok" in line
    assert "X-Scheduler-Job-Id=job-7" in line and "X-Scheduler-Observed-Value=101.5" in line
    forged = eventually(lambda: next((x for x in log().splitlines() if "callback /forged" in x), None))
    assert "signature NOT verified" in forged
    assert proc.poll() is None
