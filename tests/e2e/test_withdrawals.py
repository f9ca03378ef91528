"""Withdrawals end to end: API → sweep/dispatch → worker → TEE simulator → relayer, exactly once."""

import base64
import math
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.test import APIClient

from scheduler_project.env import parse_pcrs
from scheduler_project.testing.factories import sealed_withdrawal
from scheduler_project.testing.servers import eventually, free_port
from tee.attestation import TRUST_ANCHOR_FILE
from tests.conftest import Processes
from withdrawals import services
from withdrawals.models import ScheduledRequest, WithdrawalStatus
from withdrawals.relayer_simulator import RelayerSimulator


@dataclass
class Pipeline:
    processes: Processes
    relayer: RelayerSimulator
    env: dict[str, str]
    client: APIClient

    def worker(self, **extra: str) -> Any:
        return self.processes.worker(env={**self.env, **extra})

    def beat(self, **extra: str) -> Any:
        return self.processes.beat(env={**self.env, **extra})

    def schedule(self, *, relay_in: float, **sealed: Any) -> dict[str, Any]:
        """Seal a withdrawal to the key /public_key serves, and schedule it through the API."""
        public_key = base64.b64decode(self.client.get("/public_key").json()["public_key"])
        relay_after = math.ceil(time.time() + relay_in)  # at least relay_in ahead: sealing takes time
        envelope = sealed_withdrawal(public_key, relay_after=relay_after, **sealed)
        response = self.client.post(
            "/schedule_withdraw",
            {
                "payload": base64.b64encode(envelope.to_payload()).decode(),
                "last_note_index": "12345",
                "max_relayer_fee": str(10**18),
                "relay_after": relay_after,
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        return {**response.json(), "relay_after": relay_after}

    def status(self, token: str) -> dict[str, Any]:
        return self.client.get(f"/withdrawals/{token}").json()


@pytest.fixture
def pipeline(processes: Processes, tmp_path: Path, settings: Any) -> Iterator[Pipeline]:
    key_dir = tmp_path / "tee"
    port = free_port()
    env = {
        "TEE_PORT": str(port),
        "TEE_KEY_DIR": str(key_dir),
        "TEE_TRUST_ANCHOR": str(key_dir / TRUST_ANCHOR_FILE),
    }
    processes.manage("tee_simulator", "--port", str(port), ready="TEE simulator listening", env=env)
    with RelayerSimulator() as relayer:
        env["RELAYER_URL"] = relayer.url
        settings.TEE_PORT = port
        settings.TEE_KEY_DIR = key_dir
        settings.TEE_TRUST_ANCHOR = key_dir / TRUST_ANCHOR_FILE
        settings.RELAYER_URL = relayer.url
        yield Pipeline(processes, relayer, env, APIClient())


def test_a_scheduled_withdrawal_is_relayed_once_after_relay_after(pipeline):
    pipeline.worker()
    pipeline.beat()
    scheduled = pipeline.schedule(relay_in=2)

    status = eventually(
        lambda: (s := pipeline.status(scheduled["status_token"]))["status"] == "completed" and s, timeout=30
    )

    (relayed,) = pipeline.relayer.state.relays.values()
    assert status["tx_hash"] == relayed["tx_hash"]
    assert pipeline.relayer.state.submissions == 1
    request = ScheduledRequest.objects.get(pk=scheduled["request_id"])
    assert request.processed_at.timestamp() >= scheduled["relay_after"]
    assert bytes(request.payload) == b""


def test_a_worker_killed_between_relay_and_record_relays_exactly_once(pipeline):
    short = {
        "TEE_TASK_POOL_TIMEOUT_SECS": "1",
        "TEE_COMPUTE_TIMEOUT_SECS": "2",
        "RELAYER_TIMEOUT_SECS": "4",
        "SCHEDULER_LEASE_SECS": "1",
    }
    doomed = pipeline.worker(**short)
    pipeline.relayer.state.delay_ms = 3000  # relayed at once, answered late
    scheduled = pipeline.schedule(relay_in=1)
    eventually(lambda: pipeline.relayer.state.submissions == 1, interval=0.02)

    doomed.kill()
    doomed.wait()
    assert pipeline.status(scheduled["status_token"])["status"] == "processing"
    pipeline.relayer.state.delay_ms = 0
    pipeline.worker(**short)
    pipeline.beat(**short)

    status = eventually(
        lambda: (s := pipeline.status(scheduled["status_token"]))["status"] == "completed" and s, timeout=60
    )
    (relayed,) = pipeline.relayer.state.relays.values()
    assert status["tx_hash"] == relayed["tx_hash"]
    assert pipeline.relayer.state.submissions == 1


def test_a_cancel_racing_with_processing_either_wins_or_gets_a_conflict(pipeline):
    pipeline.worker()
    scheduled = [pipeline.schedule(relay_in=3) for _ in range(12)]
    due = scheduled[0]["relay_after"]

    def cancel(token: str) -> bool:
        time.sleep(max(0.0, due - time.time() + random.uniform(-0.05, 0.05)))
        try:
            services.cancel_withdrawal(status_token=token)
            return True
        except APIException:
            return False
        finally:
            connection.close()

    tokens = [s["status_token"] for s in scheduled]
    with ThreadPoolExecutor(max_workers=12) as pool:
        won = dict(zip(tokens, pool.map(cancel, tokens), strict=True))

    lost = [token for token, ok in won.items() if not ok]
    eventually(lambda: all(pipeline.status(t)["status"] == "completed" for t in lost), timeout=60)
    time.sleep(2)  # room for a cancelled withdrawal to be wrongly relayed
    assert pipeline.relayer.state.submissions == len(lost)
    for token, ok in won.items():
        assert pipeline.status(token)["status"] == ("cancelled" if ok else "completed")


@pytest.mark.parametrize("batch_size", ["50", "0"], ids=["in batches", "one task each"])
def test_retries_end_in_the_dead_letters_and_a_requeue_completes(pipeline, admin_client, batch_size):
    """Whether a worker runs relays in batches or each as a plain Celery task
    (``DELIVERY_BATCH_SIZE=0``): a relayer that refuses is tried again until the attempts
    run out, and the requeued request is relayed once."""
    pipeline.worker(SCHEDULER_MAX_RETRY_COUNT="3", DELIVERY_BATCH_SIZE=batch_size)
    pipeline.relayer.state.fail_next = 3
    scheduled = pipeline.schedule(relay_in=1)

    failed = eventually(
        lambda: (s := pipeline.status(scheduled["status_token"]))["status"] == "failed" and s, timeout=60
    )
    assert failed["error_message"].startswith("gave up after 3 attempts: relayer answered HTTP 503")
    assert failed["retry_count"] == 2
    dead_letters = admin_client.get("/admin/withdrawals/deadletter/").content.decode()
    assert f">{scheduled['request_id']}<" in dead_letters

    admin_client.post(
        "/admin/withdrawals/deadletter/",
        {"action": "requeue_requests", "_selected_action": [scheduled["request_id"]]},
    )

    eventually(lambda: pipeline.status(scheduled["status_token"])["status"] == "completed", timeout=30)
    assert pipeline.relayer.state.submissions == 1


def test_sigterm_lets_an_in_flight_withdrawal_finish(pipeline):
    worker = pipeline.worker()
    pipeline.relayer.state.delay_ms = 2000
    scheduled = pipeline.schedule(relay_in=1)
    eventually(lambda: pipeline.relayer.state.submissions == 1, interval=0.02)

    worker.send_signal(signal.SIGTERM)

    eventually(lambda: pipeline.status(scheduled["status_token"])["status"] == "completed", timeout=20)
    assert worker.wait(timeout=20) == 0
    assert ScheduledRequest.objects.get(pk=scheduled["request_id"]).status == WithdrawalStatus.COMPLETED


@pytest.mark.parametrize("relayer_fault", ["hangs", "answers nonsense"])
def test_lost_requests_the_relayer_cannot_settle_never_hold_up_due_withdrawals(
    pipeline, settings, relayer_fault
):
    """Four requests lost after relaying wait for the relayer's word on them; while its
    lookups hang (or answer nonsense), withdrawals that come due are still relayed on time."""
    no_lookahead = {"SCHEDULER_LOOKAHEAD_SECS": "0"}  # due work goes through the sweep
    settings.SCHEDULER_LOOKAHEAD_SECS = 0
    if relayer_fault == "hangs":
        pipeline.relayer.state.lookup_delay_ms = 60_000
    else:
        pipeline.relayer.state.malformed = {"lookup": '["not", "an", "object"]'}
    long_ago = timezone.now() - timedelta(minutes=5)
    lost = [
        ScheduledRequest.objects.create(
            payload=b"sealed", last_note_index="1", max_relayer_fee="1", relay_after=long_ago,
            due_at=long_ago, status=WithdrawalStatus.PROCESSING, attempts=1, relay_started_at=long_ago,
            lease_until=long_ago,
        )
        for _ in range(4)
    ]  # fmt: skip
    pipeline.worker(**no_lookahead)
    pipeline.beat(**no_lookahead)

    scheduled = [pipeline.schedule(relay_in=2) for _ in range(3)]

    for item in scheduled:
        status = eventually(
            lambda item=item: (s := pipeline.status(item["status_token"]))["status"] == "completed" and s,
            timeout=30,
        )
        processed_at = datetime.fromisoformat(status["processed_at"].replace("Z", "+00:00")).timestamp()
        assert processed_at - item["relay_after"] <= 3.0
    for request in lost:
        request.refresh_from_db()
        assert request.status == WithdrawalStatus.PROCESSING
    lost_now = ScheduledRequest.objects.filter(pk__in=[r.pk for r in lost])
    # .all(): a fresh query each time (an evaluated queryset keeps its first rows).
    eventually(lambda: all("asking the relayer again" in r.error_message for r in lost_now.all()), timeout=30)


def test_the_whole_pipeline_speaks_the_original_enclaves_protocol(processes, tmp_path, settings):
    """TEE_PROTOCOL=shielder: the simulator in the original's protocol with a Nitro-format
    document; the web process verifies it for /public_key, the worker relays through it."""
    key_dir, port = tmp_path / "tee", free_port()
    pcrs = processes_output(["manage.py", "tee_simulator", "--print-pcrs"], processes)
    simulator = {"TEE_PORT": str(port), "TEE_KEY_DIR": str(key_dir)}
    processes.manage("tee_simulator", "--port", str(port), "--protocol", "shielder",
                     ready="TEE simulator listening", env=simulator)  # fmt: skip
    with RelayerSimulator() as relayer:
        env = {**simulator, "TEE_PROTOCOL": "shielder", "TEE_PCRS": pcrs, "RELAYER_URL": relayer.url,
               "TEE_TRUST_ANCHOR": str(key_dir / "nitro-root.pem")}  # fmt: skip
        settings.TEE_PROTOCOL, settings.TEE_PCRS, settings.TEE_PORT = "shielder", parse_pcrs(pcrs), port
        settings.TEE_TRUST_ANCHOR, settings.RELAYER_URL = key_dir / "nitro-root.pem", relayer.url
        pipeline = Pipeline(processes, relayer, env, APIClient())
        pipeline.worker()
        pipeline.beat()
        scheduled = pipeline.schedule(relay_in=2)

        status = eventually(
            lambda: (s := pipeline.status(scheduled["status_token"]))["status"] == "completed" and s,
            timeout=30,
        )
        (relayed,) = relayer.state.relays.values()
        assert status["tx_hash"] == relayed["tx_hash"]
        assert relayer.state.submissions == 1


def processes_output(args: list[str], processes: Processes) -> str:
    """What a manage.py command prints, run as the test's processes are."""
    done = subprocess.run(
        [sys.executable, *args], env=processes.env(), capture_output=True, text=True, check=True
    )
    return done.stdout.strip()
