"""The embedded default that ``make run`` starts with no settings: SQLite and the
filesystem broker, with real web, worker and beat processes."""

import json
import os
import signal
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from scheduler_project.core.departures.filesystem_transport import IDLE_AFTER_SECS, REAP_EVERY_SECS
from scheduler_project.testing.servers import eventually, free_port
from tests.conftest import exactly
from tests.e2e.conftest import EMBEDDED, migrate
from tests.e2e.conftest import EMBEDDED_API_KEY as API_KEY
from timers.receiver import Reply

# These start whole stacks of processes: one pytest worker runs them one after another, so
# they do not load the two cores together (make test uses --dist loadgroup).
pytestmark = pytest.mark.xdist_group("whole-stack")

EVENT_TTL_SECS = 5.0  # Celery's event_queue_ttl


def test_embedded_mode_fires_timers_and_retries_them(processes, receiver, tmp_path):
    env = {**EMBEDDED, "VAR_DIR": str(tmp_path / "var")}
    migrate(processes, env)
    port = free_port()
    processes.web(port, threads=4, env=env)
    processes.worker(env=env)
    processes.beat(env=env)
    receiver.script("/flaky", Reply(503))
    # A condition source: false twice, then true three times, then no JSON (an error).
    json_type = {"Content-Type": "application/json"}
    levels = (0, 0, 5, 5, 5)
    receiver.script("/level", *(Reply(200, body=json.dumps({"v": v}), headers=json_type) for v in levels))

    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": API_KEY}, timeout=10)
    created = {
        path: eventually(lambda path=path: _create(client, receiver.url(path))) for path in ("/ok", "/flaky")
    }

    condition = client.post("/jobs", json={
        "schedule_type": "condition", "source_url": receiver.url("/level"), "value_pointer": "/v",
        "operator": ">", "target": 1, "poll_interval_secs": 1, "callback_url": receiver.url("/edge"),
    })  # fmt: skip
    assert condition.status_code == 201, condition.text

    receiver.wait_for(1, path="/ok", timeout=30)
    receiver.wait_for(2, path="/flaky", timeout=30)
    ok = eventually(lambda: _finished(client, created["/ok"]))
    flaky = eventually(lambda: _finished(client, created["/flaky"]))
    assert ok["status"] == "completed"
    assert [a["outcome"] for a in ok["attempts"]] == ["success"]
    assert flaky["status"] == "completed"
    assert [(a["outcome"], a["status_code"]) for a in flaky["attempts"]] == [("retry", 503), ("success", 200)]
    exactly(receiver, 2, path="/flaky", quiet=2)
    # One edge, one task; every evaluation after it is recorded (the last ones as errors).
    receiver.wait_for(7, path="/level", timeout=30)
    exactly(receiver, 1, path="/edge", quiet=2)
    job = client.get(f"/jobs/{condition.json()['data']['id']}").json()["data"]
    assert (job["condition_state"], job["last_value"], job["run_count"]) == ("true", 5, 1)
    assert job["last_error"] == "the source did not answer JSON"


def _create(client: httpx.Client, url: str) -> str | None:
    execute_at = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    try:
        response = client.post("/timers", json={"execute_at": execute_at, "callback_url": url})
    except httpx.TransportError:
        return None
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


def _finished(client: httpx.Client, timer_id: str) -> dict | None:
    data = client.get(f"/timers/{timer_id}").json()["data"]
    return data if data["status"] not in ("pending", "executing") else None


def test_the_embedded_broker_keeps_nothing_for_consumers_that_are_gone_however_often_it_restarts(
    processes, tmp_path
):
    """make run's broker users (both workers, beat, Flower) started and stopped four times:
    every Flower leaves an event queue behind, which gets nothing once Flower is gone and is
    cleaned up; an old broker folder full of such leftovers heals on the first start."""
    var = tmp_path / "var"
    queue_folder, control = var / "broker" / "queue", var / "broker" / "control"
    queue_folder.mkdir(parents=True)
    control.mkdir()
    # What an older version left: event queues bound for good, full of heartbeats.
    old = [f"celeryev.{uuid.uuid4()}" for _ in range(3)]
    (control / "celeryev.exchange").write_text(json.dumps([["#", "^.*?$", queue] for queue in old]))
    for n in range(300):
        (queue_folder / f"{n}_{uuid.uuid4()}.{old[n % 3]}.msg").write_text("{}")
    path = f"{Path(sys.executable).parent}:{os.environ['PATH']}"  # the Procfile's commands, as make run
    env = {**EMBEDDED, "VAR_DIR": str(var), "FLOWER_PORT": str(free_port()), "FLOWER_ADDRESS": "127.0.0.1",
           "FLOWER_BASIC_AUTH": "admin:secret", "PATH": path}  # fmt: skip
    migrate(processes, env)

    event_queues: list[str] = []
    stopped_at: list[float] = []
    for run in range(4):
        honcho = processes.start([sys.executable, "-m", "honcho", "-f", "Procfile", "start",
                                  "sweeper", "deliverer", "beat", "flower"],
                                 ready="Connected to", env=env, name=f"run{run}")  # fmt: skip
        # Five processes starting at once on a busy machine: Flower can take over 30 s to bind.
        mine = eventually(lambda: set(bound(control, "celeryev")) - set(event_queues) - set(old), timeout=60)
        assert len(mine) == 1  # this run's Flower
        event_queues.extend(mine)
        time.sleep(3)
        waiting = messages_by_queue(queue_folder)
        # The event queue of a Flower gone long enough (nothing new once unread for
        # IDLE_AFTER_SECS, the rest removed past its 5 s TTL) holds nothing.
        settle = IDLE_AFTER_SECS + EVENT_TTL_SECS + 2 * REAP_EVERY_SECS + 3
        settled = [queue for queue, gone in zip(event_queues, stopped_at) if gone < time.monotonic() - settle]
        assert all(waiting.get(queue, 0) == 0 for queue in old + settled), (waiting, settled)
        assert sum(waiting.values()) < 50, waiting
        honcho.send_signal(signal.SIGINT)
        assert honcho.wait(timeout=30) is not None
        stopped_at.append(time.monotonic())
    assert len(stopped_at) > 2 and settled  # the last runs did check earlier Flowers' queues

    assert not set(old) & set(bound(control, "celeryev"))  # the leftovers' bindings went too
    assert len(list(queue_folder.iterdir())) < 50


def bound(control: Path, exchange: str) -> list[str]:
    try:
        return [binding[2] for binding in json.loads((control / f"{exchange}.exchange").read_text())]
    except FileNotFoundError:
        return []


def messages_by_queue(folder: Path) -> dict[str, int]:
    return Counter(name.partition(".")[2].removesuffix(".msg") for name in os.listdir(folder))
