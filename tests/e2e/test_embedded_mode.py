"""The embedded default that ``make run`` starts with no settings: SQLite and the
filesystem broker, with real web, worker and beat processes."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import httpx

from tests.conftest import ROOT, eventually, free_port
from timers.receiver import Reply

API_KEY = "embedded-api-key-0123456789abcdefghijklmnop"


def test_embedded_mode_fires_timers_and_retries_them(processes, receiver, tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "scheduler_project.settings",
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        "VAR_DIR": str(tmp_path / "var"),
        "API_KEY": API_KEY,
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT, env=processes.env(env), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    port = free_port()
    web = [sys.executable, "-m", "gunicorn", "scheduler_project.wsgi", "--bind", f"127.0.0.1:{port}",
           "--workers", "1", "--threads", "4"]  # fmt: skip
    processes.start(web, ready="Booting worker", env=env, name="web")
    processes.worker(env=env)
    processes.beat(env=env)
    receiver.script("/flaky", Reply(503))

    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": API_KEY}, timeout=10)
    created = {
        path: eventually(lambda path=path: _create(client, receiver.url(path))) for path in ("/ok", "/flaky")
    }

    receiver.wait_for(1, path="/ok", timeout=30)
    receiver.wait_for(2, path="/flaky", timeout=30)
    ok = eventually(lambda: _finished(client, created["/ok"]))
    flaky = eventually(lambda: _finished(client, created["/flaky"]))
    assert ok["status"] == "completed"
    assert [a["outcome"] for a in ok["attempts"]] == ["success"]
    assert flaky["status"] == "completed"
    assert [(a["outcome"], a["status_code"]) for a in flaky["attempts"]] == [("retry", 503), ("success", 200)]
    assert len(receiver.wait_for(2, path="/flaky", timeout=1)) == 2


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
