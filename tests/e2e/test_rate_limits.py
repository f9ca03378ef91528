"""A rate limit is one limit for the whole service, whichever web process answers: on the
embedded default (SQLite, no Redis) and while the Redis that counts it is unreachable."""

from typing import Any

import httpx
from django.conf import settings

from scheduler_project.testing.servers import free_port
from tests.e2e.conftest import EMBEDDED, migrate


def ten_withdrawal_requests(port: int) -> list[int]:
    """Ten requests to the public write route, each on a connection of its own, so either
    web process may answer each. The throttle comes before the body is read: an empty body
    that passes it is a 400, one refused a 429."""

    def post() -> int:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            return client.post("/schedule_withdraw", json={}).status_code

    return [post() for _ in range(10)]


def test_two_web_processes_on_the_embedded_default_let_exactly_the_limit_through(
    processes: Any, tmp_path: Any
) -> None:
    env = {**EMBEDDED, "VAR_DIR": str(tmp_path / "var"), "PUBLIC_RATE_LIMIT": "5/min"}
    migrate(processes, env)
    port = free_port()
    processes.web(port, workers=2, env=env)

    assert ten_withdrawal_requests(port) == [400] * 5 + [429] * 5


def test_two_web_processes_let_exactly_the_limit_through_while_redis_is_unreachable(processes: Any) -> None:
    env = {
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "PUBLIC_RATE_LIMIT": "5/min",
    }
    port = free_port()
    processes.web(port, workers=2, env=env)

    assert ten_withdrawal_requests(port) == [400] * 5 + [429] * 5
    assert "Redis unreachable" in processes.logs()
