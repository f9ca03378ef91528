"""The OpenAPI document against the running service: a fuzzer finds no answer it does not
describe, and models generated from it parse real answers."""

import base64
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from django.conf import settings

from scheduler_project.testing.factories import sealed_withdrawal
from scheduler_project.testing.servers import free_port
from tee.attestation import TRUST_ANCHOR_FILE
from tee.simulator import TeeSimulator
from tests.conftest import ROOT
from timers.models import Timer
from withdrawals.models import WithdrawalStatus

BIN = Path(sys.executable).parent
# Random examples per operation in the fuzzing and stateful phases, bounded so the suite keeps
# its time budget (the coverage phase's boundary and negative cases of every field all run
# whatever this is); SCHEMATHESIS_MAX_EXAMPLES=1000 digs deeper.
MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "40")
# A fixed seed keeps make test repeatable; set SCHEMATHESIS_SEED to explore other inputs.
SEED = os.environ.get("SCHEMATHESIS_SEED", "20261201")

# The fuzzer runs in parts, each against a web server of its own, so the pytest workers
# share it out: the jobs (whose shapes are the largest: their boundary and negative cases,
# of the collection and of one job, apart from their random and stateful ones), timers with
# their tasks, and everything else.
# Every phase runs on every operation.
ALL_PHASES = "examples,coverage,fuzzing,stateful"
PARTS = {
    "jobs-coverage": (["--include-path-regex", "^/jobs$"], "examples,coverage"),
    "job-items-coverage": (["--include-path-regex", "^/jobs/"], "examples,coverage"),
    "jobs-fuzzing": (["--include-path-regex", "^/jobs"], "fuzzing,stateful"),
    "timers-and-tasks": (["--include-path-regex", "^/(timers|tasks)"], ALL_PHASES),
    "the-rest": (["--exclude-path-regex", "^/(jobs|timers|tasks)"], ALL_PHASES),
}


ADMIN_TOKEN = "fuzzed-admin-token-0123456789abcdefghijklmnop"


@pytest.fixture
def service(processes: Any, tmp_path: Path) -> Iterator[str]:
    """The web server on the test database, with a TEE simulator behind /public_key."""
    key_dir = tmp_path / "tee"
    with TeeSimulator(key_dir=key_dir) as tee:
        port = free_port()
        env = {
            "TEE_HOST": tee.host,
            "TEE_PORT": str(tee.port),
            "TEE_KEY_DIR": str(key_dir),
            "TEE_TRUST_ANCHOR": str(key_dir / TRUST_ANCHOR_FILE),
            "API_RATE_LIMIT": "1000000/min",  # the fuzzer sends thousands of requests a minute
            "PUBLIC_RATE_LIMIT": "1000000/min",
            "ADMIN_BEARER_TOKEN": ADMIN_TOKEN,  # the admin API is fuzzed too
        }
        processes.web(port, workers=1, threads=4, env=env)  # the fuzzer sends one request at a time
        yield f"http://127.0.0.1:{port}"


@pytest.mark.timeout(400)  # the fuzzer runs up to 300 s while the other pytest workers load the cores
@pytest.mark.parametrize("part", PARTS)
def test_schemathesis_finds_no_failure_with_every_check_and_phase(service: str, part: str) -> None:
    command = [
        str(BIN / "schemathesis"), "run", f"{service}/api/schema/",
        # Every check but use_after_free: DELETE cancels and the timer stays readable, the
        # contract of the services replaced (see schemathesis.toml).
        "--checks", "all", "--exclude-checks", "use_after_free",
        "--phases", PARTS[part][1],
        "--max-examples", MAX_EXAMPLES, "--seed", SEED, "--no-color",
        "--header", f"X-API-Key: {settings.API_KEY}", "--header", f"Authorization: Bearer {ADMIN_TOKEN}",
        *PARTS[part][0],
    ]  # fmt: skip
    # Run from the project root so schemathesis.toml (its documented exceptions) applies.
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-20000:]


def test_an_idempotency_key_the_server_cannot_read_is_refused_not_taken_for_none(service: str) -> None:
    """The web server hands a header value of other than ASCII characters on as an empty one:
    the create is refused (400, in the envelope) rather than stored without its key, which a
    retry would then create twice; the same with an empty value."""
    port = int(service.rsplit(":", 1)[1])
    url = "http://127.0.0.1:9/unreadable-key"
    body = json.dumps({"execute_at": "2099-01-01T00:00:00Z", "callback_url": url}).encode()
    for value in ("caf\u00e9".encode(), b"\x80abc", b""):
        head = (f"POST /timers HTTP/1.1\r\nHost: x\r\nX-API-Key: {settings.API_KEY}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n")  # fmt: skip
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            client.sendall(head.encode() + b"Idempotency-Key: " + value + b"\r\n\r\n" + body)
            answer = b""
            while chunk := client.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 400"), (value, answer[:300])
        refused = json.loads(answer.partition(b"\r\n\r\n")[2])
        assert refused["code"] == 2 and "Idempotency-Key" in refused["message"], refused
    assert not Timer.objects.filter(callback_url=url).exists()


@pytest.fixture
def models(service: str, tmp_path: Path) -> Iterator[ModuleType]:
    """Pydantic models generated from the live /api/schema/, as the README says."""
    output = tmp_path / "scheduler_models.py"
    subprocess.run(
        [str(BIN / "datamodel-codegen"), "--url", f"{service}/api/schema/", "--input-file-type", "openapi",
         "--allow-private-network", "--output-model-type", "pydantic_v2.BaseModel", "--formatters", "builtin",
         "--output", str(output)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    spec = importlib.util.spec_from_file_location("scheduler_models", output)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the models' forward references there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def test_models_generated_from_the_schema_parse_real_answers(service: str, models: ModuleType) -> None:
    api = httpx.Client(base_url=service, headers={"X-API-Key": settings.API_KEY}, timeout=10)
    body = models.TimerWrite(
        execute_at="2099-01-01T00:00:00Z",
        callback_url="https://api.example.com/webhook",
        callback_headers={"Authorization": "Bearer token123"},
        callback_payload={"event": "timer_triggered", "user_id": "user123", "n": [1, None]},
        metadata={"client_ref": "order-456"},
    )
    created = models.TimerSummaryEnvelope.model_validate(
        api.post("/timers", content=body.model_dump_json(exclude_none=True),
                 headers={"Content-Type": "application/json"}).json()
    )  # fmt: skip
    assert created.code == 0 and created.data.status.value == "pending"
    timer_id = created.data.id

    detail = models.TimerDetailEnvelope.model_validate(api.get(f"/timers/{timer_id}").json())
    assert detail.data.callback_headers == {"Authorization": "Bearer token123"}
    assert detail.data.metadata is not None and detail.data.webhook_id.startswith("msg_")
    listed = models.TimerListEnvelope.model_validate(api.get("/timers", params={"status": "pending"}).json())
    assert timer_id in [timer.id for timer in listed.data.timers]
    updated = models.TimerSummaryEnvelope.model_validate(
        api.put(f"/timers/{timer_id}", json={"execute_at": "2099-06-01T00:00:00Z"}).json()
    )
    assert updated.data.execute_at.year == 2099 and updated.data.execute_at.month == 6
    canceled = models.TimerSummaryEnvelope.model_validate(api.delete(f"/timers/{timer_id}").json())
    assert canceled.data.status.value == "canceled"

    conflict = models.ConflictError.model_validate(api.delete(f"/timers/{timer_id}").json())
    assert conflict.code == 5
    invalid = models.ValidationErrorError.model_validate(api.post("/timers", json={}).json())
    assert set(invalid.data.errors) == {"execute_at", "callback_url"}
    missing = models.NotFoundError.model_validate(
        api.get(f"/timers/{'0' * 8}-0000-0000-0000-{'0' * 12}").json()
    )
    assert missing.code == 3
    refused = models.UnauthorizedError.model_validate(httpx.get(f"{service}/timers").json())
    assert refused.code == 4

    jobs_of_each_type(api, models)

    health = models.HealthEnvelope.model_validate(httpx.get(f"{service}/health").json())
    assert health.data.status.value == "up"
    secret = models.SigningSecretEnvelope.model_validate(api.get("/signing_secret").json())
    assert secret.data.webhook_secret.startswith("whsec_")

    key = models.TeePublicKey.model_validate(httpx.get(f"{service}/public_key").json())
    sealed = sealed_withdrawal(base64.b64decode(key.public_key))
    request = models.ScheduleWithdraw(
        payload=base64.b64encode(sealed.to_payload()).decode(),
        last_note_index="12345",
        max_relayer_fee=str(10**18),
        relay_after=int(time.time()) + 3600,
    )
    scheduled = models.Scheduled.model_validate(
        httpx.post(f"{service}/schedule_withdraw", content=request.model_dump_json(),
                   headers={"Content-Type": "application/json"}).json()
    )  # fmt: skip
    status = models.WithdrawalStatus.model_validate(
        httpx.get(f"{service}/withdrawals/{scheduled.status_token}").json()
    )
    assert status.status.value == WithdrawalStatus.PENDING
    cancelled = models.WithdrawalStatus.model_validate(
        httpx.delete(f"{service}/withdrawals/{scheduled.status_token}").json()
    )
    assert cancelled.status.value == WithdrawalStatus.CANCELLED


def jobs_of_each_type(api: httpx.Client, models: ModuleType) -> None:
    """Jobs written with the generated request shapes, their answers read as the union of
    the job shapes: each parses as its own type."""
    callback = "https://api.example.com/webhook"
    bodies = [
        models.CronJobWrite(schedule_type="cron", cron_expression="*/5 * * * *", callback_url=callback),
        models.EventJobWrite(
            schedule_type="event", event_type="order.paid", callback_url=callback, debounce_secs=30,
            event_filter={"any": [{"value_pointer": "/amount", "operator": ">", "target": 100}]},
        ),
        models.ChainEventJobWrite(
            schedule_type="chain_event", rpc_url="https://rpc.example.org/", address=["0x" + "Ab" * 20],
            topics=["0x" + "0e" * 32, None], from_block="latest", callback_url=callback,
        ),
        models.ConditionJobWrite(
            schedule_type="condition", poll_interval_secs=60, callback_url=callback,
            conditions={"all": [{"source_url": "https://rpc.example.org/", "source_method": "POST",
                                 "source_body": {"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber"},
                                 "value_pointer": "/result", "value_format": "hex", "operator": ">",
                                 "target": 0}]},
        ),
    ]  # fmt: skip
    created = []
    for body in bodies:
        answer = api.post(
            "/jobs", content=models.JobWrite(body).model_dump_json(exclude_none=True),
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        job = models.JobEnvelope.model_validate(answer.json()).data.root
        assert job.schedule_type == body.schedule_type and type(job).__name__ + "Write" == type(body).__name__
        created.append(job)
    _, event, chain, condition = created
    assert event.debounce_secs == 30 and event.last_events == []
    assert [item.root for item in chain.address] == ["0x" + "ab" * 20]
    assert chain.from_block.value == "latest" and chain.lag is None
    assert condition.last_value is None and condition.conditions is not None
    listed = models.JobListEnvelope.model_validate(api.get("/jobs", params={"limit": 200}).json())
    kinds = {job.root.id: type(job.root).__name__ for job in listed.data.jobs}
    assert {kinds[job.id] for job in created} == {"CronJob", "EventJob", "ChainEventJob", "ConditionJob"}
