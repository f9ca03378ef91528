"""/health against a database that goes away, a create whose connection is lost after its
write was sent, and worker metrics after a firing."""

import threading
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
from django.conf import settings
from django.db import connection

from scheduler_project.core.middleware import IN_DOUBT
from scheduler_project.testing.servers import eventually, free_port
from tests.conftest import DrippingServer, read_tee_frame


def test_health_reports_a_lost_database_with_503_and_recovers(processes, private_postgres):
    port = free_port()
    processes.web(port, env={"DATABASE_URL": private_postgres.url})
    url = f"http://127.0.0.1:{port}/health"
    up = eventually(lambda: _get(url))
    assert up.status_code == 200
    assert up.json()["data"]["database"] == "connected"

    private_postgres.stop()
    down = _get(url)
    assert down is not None and down.status_code == 503
    assert down.json()["code"] == 1
    assert down.json()["data"]["database"] == "disconnected"
    assert down.json()["data"]["status"] == "down"

    private_postgres.start()
    assert eventually(lambda: (r := _get(url)) is not None and r.status_code == 200)


def test_a_create_whose_connection_is_lost_after_its_insert_was_sent_says_it_may_be_stored(processes):
    """The INSERT waits on a lock held here; its connection is then cut by the database.
    The client cannot know whether it was stored: the 503 says so, and the retry with the
    same Idempotency-Key stores it once."""
    port = free_port()
    processes.web(port)
    base = f"http://127.0.0.1:{port}"
    headers = {"X-API-Key": settings.API_KEY, "Idempotency-Key": "in-doubt-1"}
    body = {"execute_at": "2099-01-01T00:00:00Z", "callback_url": "http://127.0.0.1:9/in-doubt"}
    params = connection.get_connection_params()
    reach = {k: v for k, v in params.items() if k in ("host", "port", "user", "dbname", "password")}
    holder, watcher = psycopg.connect(**reach), psycopg.connect(**reach, autocommit=True)
    answers: list[httpx.Response] = []
    with holder, watcher:
        holder.execute("LOCK TABLE timers_timer IN EXCLUSIVE MODE")
        create = threading.Thread(
            target=lambda: answers.append(
                httpx.post(base + "/timers", json=body, headers=headers, timeout=30)
            )
        )
        create.start()
        waiting = (
            "SELECT pid FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT%timers_timer%'"
        )
        (pid,) = eventually(lambda: watcher.execute(waiting).fetchone())
        watcher.execute("SELECT pg_terminate_backend(%s)", [pid])
        create.join(timeout=30)
        holder.rollback()
    (answer,) = answers
    assert answer.status_code == 503
    assert answer.json()["message"] == IN_DOUBT
    assert int(answer.headers["retry-after"]) > 0

    retried = httpx.post(base + "/timers", json=body, headers=headers, timeout=30)
    again = httpx.post(base + "/timers", json=body, headers=headers, timeout=30)
    assert retried.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert retried.json()["data"]["id"] == again.json()["data"]["id"]


def _get(url: str, timeout: float = 10) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=timeout)
    except httpx.TransportError:
        return None


def test_worker_metrics_appear_after_a_firing(processes, api, receiver, tmp_path):
    multiproc = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prom")}
    (tmp_path / "prom").mkdir()
    port = free_port()
    processes.worker(env=multiproc)
    processes.beat()
    processes.manage("serve_metrics", "--port", str(port), "--address", "127.0.0.1",
                     ready="metrics on", env=multiproc)  # fmt: skip
    execute_at = (datetime.now(UTC) + timedelta(seconds=1)).isoformat().replace("+00:00", "Z")
    api.post("/timers", {"execute_at": execute_at, "callback_url": receiver.url("/m")}, format="json")
    receiver.wait_for(1, timeout=20)

    def scrape() -> str | None:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
        return text if 'scheduler_timers_fired_total{outcome="success"} 1.0' in text else None

    text = eventually(scrape, timeout=20)
    assert "scheduler_timer_firing_lateness_seconds_count 1.0" in text
    assert "scheduler_timer_callback_duration_seconds_count 1.0" in text
    assert "scheduler_timers_pending 0.0" in text
    assert "scheduler_timers_overdue 0.0" in text
    assert 'scheduler_sweep_duration_seconds_count{kind="timers"}' in text


def test_health_answers_the_database_state_at_once_while_the_tee_hangs(processes, private_postgres):
    """A load balancer's probe stays fast: the TEE is pinged in the background, so a hung
    one (30 s health timeout here) holds no answer, the 503 of a lost database included."""
    with DrippingServer(b"", interval=0, read_request=read_tee_frame) as hung_tee:
        port = free_port()
        env = {"DATABASE_URL": private_postgres.url, "TEE_PORT": str(hung_tee.port),
               "TEE_HEALTH_TIMEOUT_SECS": "30", "TEE_COMPUTE_TIMEOUT_SECS": "60"}  # fmt: skip
        processes.web(port, threads=4, env=env)
        url = f"http://127.0.0.1:{port}/health"
        eventually(lambda: _get(url, timeout=3) is not None)

        for _ in range(5):
            up = httpx.get(url, timeout=3)  # a probe that waited on the TEE would time out here
            assert up.status_code == 200
            assert up.json()["data"]["database"] == "connected"
            assert up.json()["data"]["tee"] == "unknown"  # its ping is still waiting
        assert hung_tee.connections  # the TEE was asked, in the background

        private_postgres.stop()
        down = httpx.get(url, timeout=3)
        assert down.status_code == 503
        assert down.json()["data"]["database"] == "disconnected"
        assert down.headers["Retry-After"] == "5"
