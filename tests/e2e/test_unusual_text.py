"""Unusual text in every query parameter and body field that reaches the database (NUL,
lone surrogates, control characters, characters beyond the BMP): each request works or is
a 400 in the envelope, on PostgreSQL and on SQLite alike. Never a 500, and never a 503
"database unavailable" for a database that is up."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
from django.conf import settings

from scheduler_project.testing.servers import free_port
from tests.e2e.conftest import EMBEDDED, EMBEDDED_API_KEY, migrate

TEXTS = ["\x00", "a\x00b", "\ud800", "x\udfff", "\x01\x02\x1f\x7f", "\u2028\ufeff", "😀", "a\x7f😀\x01"]
ADMIN_TOKEN = "unusual-admin-token-0123456789abcdefghijklmnop"
TIMER_QUERY = ("status", "sort", "order", "limit", "offset")
JOB_QUERY = ("status", "schedule_type", "sort", "order", "limit", "metadata_key")


@pytest.fixture(params=["postgresql", "sqlite"])
def client(request: pytest.FixtureRequest, processes: Any, tmp_path: Any) -> Iterator[httpx.Client]:
    env = {"ADMIN_BEARER_TOKEN": ADMIN_TOKEN}
    key = settings.API_KEY
    if request.param == "sqlite":
        key, env = EMBEDDED_API_KEY, {**env, **EMBEDDED, "VAR_DIR": str(tmp_path / "var")}
        migrate(processes, env)
    port = free_port()
    processes.web(port, env=env)
    headers = {"X-API-Key": key, "Authorization": f"Bearer {ADMIN_TOKEN}"}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=30) as client:
        yield client


def send(client: httpx.Client, method: str, path: str, body: Any = None, **params: str) -> httpx.Response:
    """The request as a client may send it: the query percent-encoded from UTF-8 (lone
    surrogates too), the body as JSON with its strings escaped."""
    query = urlencode(params, quote_via=quote, errors="surrogatepass")
    content = None if body is None else json.dumps(body)
    headers = {"Content-Type": "application/json"}
    return client.request(method, f"{path}?{query}" if query else path, content=content, headers=headers)


def created(client: httpx.Client, path: str, body: dict[str, Any]) -> str:
    response = send(client, "POST", path, body)
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


def test_unusual_text_anywhere_is_answered_or_refused_with_a_400(client: httpx.Client) -> None:
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    timer = {"execute_at": later, "callback_url": "https://example.com/t", "metadata": {"k": "v"}}
    job = {"schedule_type": "interval", "interval_secs": 60, "callback_url": "https://example.com/j",
           "metadata": {"k": "v", "e": "😀"}}  # fmt: skip
    condition = {"schedule_type": "condition", "source_url": "https://example.com/s", "value_pointer": "/v",
                 "operator": "==", "target": "x", "poll_interval_secs": 5,
                 "callback_url": "https://example.com/c"}  # fmt: skip
    cron = {"schedule_type": "cron", "cron_expression": "0 * * * *", "callback_url": "https://example.com/j"}
    # Rows for the filters to look at (a metadata filter only runs where there are some), and
    # every body below differs from one that is created in one field only.
    timer_id, job_id = created(client, "/timers", timer), created(client, "/jobs", job)
    created(client, "/jobs", condition), created(client, "/jobs", cron)

    failures = []
    for n, text in enumerate(TEXTS):
        requests: list[tuple[str, str, Any, dict[str, str]]] = [
            *(("GET", "/timers", None, {name: text}) for name in TIMER_QUERY),
            *(("GET", "/jobs", None, {name: text}) for name in JOB_QUERY),
            ("GET", "/jobs", None, {"metadata_key": "k", "metadata_value": text}),
            ("GET", "/jobs", None, {"metadata_key": "e", "metadata_value": text}),
            ("GET", f"/jobs/{job_id}", None, {"upcoming": text}),
            ("GET", f"/jobs/{job_id}/tasks", None, {"status": text}),
            ("GET", f"/withdrawals/{quote(text, errors='surrogatepass')}", None, {}),
            ("POST", "/timers", {**timer, "metadata": {"k": text}}, {}),
            ("POST", "/timers", {**timer, "metadata": {text: "v"}}, {}),
            ("POST", "/timers", {**timer, "callback_payload": {"p": [text]}}, {}),
            ("POST", "/timers", {**timer, "callback_headers": {"X-T": text}}, {}),
            ("POST", "/timers", {**timer, "callback_url": f"https://example.com/{text}"}, {}),
            ("POST", "/timers", {**timer, "execute_at": text}, {}),
            ("PUT", f"/timers/{timer_id}", {"metadata": {"k": text}}, {}),
            ("POST", "/jobs", {**job, "name": text}, {}),
            ("POST", "/jobs", {**job, "metadata": {"k": text}}, {}),
            ("POST", "/jobs", {**job, "timezone": text}, {}),
            ("POST", "/jobs", {**cron, "cron_expression": text}, {}),
            ("POST", "/jobs", {**condition, "value_pointer": f"/{text}"}, {}),
            ("POST", "/jobs", {**condition, "target": text}, {}),
            ("POST", "/jobs", {**condition, "source_headers": {"X-T": text}}, {}),
            ("PUT", f"/jobs/{job_id}", {"name": text}, {}),
            ("POST", "/api/admin/tenants", {"slug": text}, {}),
            ("POST", "/api/admin/tenants", {"slug": f"tenant-{n}", "name": text}, {}),
            ("POST", f"/api/admin/tenants/{quote(text, errors='surrogatepass')}/keys", {"name": "k"}, {}),
            ("POST", "/api/admin/tenants/default/keys", {"name": text}, {}),
            ("DELETE", f"/api/admin/workers/{quote(text, errors='surrogatepass')}", None, {}),
        ]  # fmt: skip
        for method, path, body, params in requests:
            response = send(client, method, path, body, **params)
            enveloped = response.headers.get("Content-Type", "").startswith("application/json")
            if response.status_code not in (200, 201, 400, 404) or not enveloped:
                failures.append((method, path, body, params, response.status_code, response.text[:120]))

    assert failures == [], "\n".join(map(repr, failures))


def test_a_job_is_found_by_its_metadata_value_as_text_on_every_database(client: httpx.Client) -> None:
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    job = {
        "schedule_type": "interval",
        "interval_secs": 60,
        "start_at": later,
        "callback_url": "https://example.com/j",
    }
    job_id = created(client, "/jobs", {**job, "metadata": {"text": "a\x7f😀\x01", "number": 5, "flag": True}})
    created(client, "/jobs", {**job, "metadata": {"text": "other", "number": 6, "flag": False}})

    for key, value in (("text", "a\x7f😀\x01"), ("number", "5"), ("flag", "true")):
        found = send(client, "GET", "/jobs", metadata_key=key, metadata_value=value)
        assert found.status_code == 200, found.text
        assert [job["id"] for job in found.json()["data"]["jobs"]] == [job_id], (key, value)
