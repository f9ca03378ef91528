"""The timers API: the contract's seed example, listing, updates, cancels, tenant isolation
and idempotent creates (the validation of what is created: test_api_validation.py)."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from scheduler_project.testing.factories import TimerFactory
from timers.models import Timer, TimerStatus

pytestmark = pytest.mark.django_db

SEED_BODY = {
    "execute_at": "2025-10-28T16:00:00Z",
    "callback_url": "https://api.example.com/webhook",
    "callback_headers": {"Authorization": "Bearer token123"},
    "callback_payload": {"event": "timer_triggered", "user_id": "user123"},
    "metadata": {"client_ref": "order-456"},
}
SUMMARY_KEYS = {"id", "created_at", "execute_at", "callback_url", "status", "executed_at"}
SEED_DETAIL_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "execute_at",
    "callback_url",
    "callback_headers",
    "callback_payload",
    "status",
    "last_error",
    "executed_at",
    "metadata",
}
NOT_PENDING = [TimerStatus.EXECUTING, TimerStatus.COMPLETED, TimerStatus.FAILED, TimerStatus.CANCELED]


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def in_hours(hours: float) -> datetime:
    return (timezone.now() + timedelta(hours=hours)).replace(microsecond=0)


def timer_body(**overrides: Any) -> dict[str, Any]:
    body = {"execute_at": rfc3339(in_hours(1)), "callback_url": "https://api.example.com/webhook"}
    body.update(overrides)
    return body


def stored_state(timer: Timer) -> tuple[Any, ...]:
    timer.refresh_from_db()
    return (timer.status, timer.execute_at, timer.due_at, timer.dispatch_token, timer.callback_url)


@pytest.fixture
def seed_clock() -> Any:
    """The seed example's "now": its execute_at is five and a half hours ahead."""
    with time_machine.travel("2025-10-28T10:30:00Z", tick=False) as traveller:
        yield traveller


@pytest.fixture
def seed_timer(api: APIClient, seed_clock: Any) -> dict[str, Any]:
    response = api.post("/timers", SEED_BODY, format="json")
    assert response.status_code == 201
    return response.json()["data"]


# --- the contract's seed example ------------------------------------------------------------


def test_seed_example_creates_a_pending_timer_in_the_contract_shape(api: APIClient, seed_clock: Any) -> None:
    response = api.post("/timers", SEED_BODY, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"code", "message", "data"}
    assert body["code"] == 0
    assert body["message"] == "success"
    data = body["data"]
    assert set(data) == SUMMARY_KEYS
    assert uuid.UUID(data["id"])
    assert data["created_at"] == "2025-10-28T10:30:00Z"
    assert data["execute_at"] == "2025-10-28T16:00:00Z"
    assert data["callback_url"] == "https://api.example.com/webhook"
    assert data["status"] == "pending"
    assert data["executed_at"] is None


def test_seed_example_stores_headers_payload_and_metadata(api: APIClient, seed_timer: dict[str, Any]) -> None:
    timer = Timer.objects.get(pk=seed_timer["id"])

    assert timer.callback_headers == {"Authorization": "Bearer token123"}
    assert timer.callback_payload == {"event": "timer_triggered", "user_id": "user123"}
    assert timer.metadata == {"client_ref": "order-456"}
    assert timer.execute_at == datetime(2025, 10, 28, 16, 0, tzinfo=UTC)


def test_seed_example_detail_shows_every_contract_field(api: APIClient, seed_timer: dict[str, Any]) -> None:
    response = api.get(f"/timers/{seed_timer['id']}")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 0
    data = body["data"]
    assert SEED_DETAIL_KEYS <= set(data)
    assert data["id"] == seed_timer["id"]
    assert data["created_at"] == "2025-10-28T10:30:00Z"
    assert data["updated_at"] == "2025-10-28T10:30:00Z"
    assert data["execute_at"] == "2025-10-28T16:00:00Z"
    assert data["callback_url"] == "https://api.example.com/webhook"
    assert data["callback_headers"] == {"Authorization": "Bearer token123"}
    assert data["callback_payload"] == {"event": "timer_triggered", "user_id": "user123"}
    assert data["metadata"] == {"client_ref": "order-456"}
    assert data["status"] == "pending"
    assert data["last_error"] is None
    assert data["executed_at"] is None
    assert data["attempts"] == []


def test_seed_example_list_query_returns_the_page_shape(api: APIClient, seed_timer: dict[str, Any]) -> None:
    response = api.get("/timers?status=pending&limit=50&offset=0&sort=created_at&order=desc")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 0
    assert body["data"] == {"timers": [seed_timer], "total": 1, "limit": 50, "offset": 0}


def test_seed_example_update_moves_the_execution_time(api: APIClient, seed_timer: dict[str, Any]) -> None:
    response = api.put(f"/timers/{seed_timer['id']}", {"execute_at": "2025-10-28T17:00:00Z"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 0
    assert set(body["data"]) == SUMMARY_KEYS
    assert body["data"]["execute_at"] == "2025-10-28T17:00:00Z"
    assert Timer.objects.get(pk=seed_timer["id"]).execute_at == datetime(2025, 10, 28, 17, 0, tzinfo=UTC)


def test_seed_example_cancel_marks_the_timer_canceled(api: APIClient, seed_timer: dict[str, Any]) -> None:
    response = api.delete(f"/timers/{seed_timer['id']}")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 0
    assert body["data"]["status"] == "canceled"
    assert Timer.objects.get(pk=seed_timer["id"]).status == TimerStatus.CANCELED


# --- list -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("offset=abc", "offset"),
        ("offset=45448376931638394880", "offset"),  # beyond any integer column: not a 500
        ("limit=1.5", "limit"),
        ("status=", "status"),
        ("sort=id", "sort"),
        ("order=up", "order"),
        ("status=nope", "status"),
    ],
)
def test_invalid_list_query_is_refused(api: APIClient, query: str, param: str) -> None:
    response = api.get(f"/timers?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 2
    assert param in body["message"]
    assert set(body["data"]["errors"]) == {param}


def test_list_sorts_by_execute_at_in_either_order(api: APIClient, tenant: Any) -> None:
    later = TimerFactory(tenant=tenant, execute_at=in_hours(3))
    soonest = TimerFactory(tenant=tenant, execute_at=in_hours(1))
    middle = TimerFactory(tenant=tenant, execute_at=in_hours(2))
    expected = [str(t.pk) for t in (soonest, middle, later)]

    ascending = api.get("/timers?sort=execute_at&order=asc").json()["data"]["timers"]
    descending = api.get("/timers?sort=execute_at&order=desc").json()["data"]["timers"]

    assert [t["id"] for t in ascending] == expected
    assert [t["id"] for t in descending] == expected[::-1]


def test_list_defaults_to_newest_created_first(api: APIClient, tenant: Any) -> None:
    timers = []
    with time_machine.travel("2030-01-01T00:00:00Z", tick=False) as traveller:
        for _ in range(3):
            timers.append(TimerFactory(tenant=tenant))
            traveller.shift(timedelta(minutes=1))

    data = api.get("/timers").json()["data"]

    assert [t["id"] for t in data["timers"]] == [str(t.pk) for t in reversed(timers)]
    assert (data["limit"], data["offset"]) == (50, 0)


def test_list_pages_with_limit_and_offset_and_reports_the_total(api: APIClient, tenant: Any) -> None:
    timers = [TimerFactory(tenant=tenant, execute_at=in_hours(hours)) for hours in range(1, 6)]

    response = api.get("/timers?sort=execute_at&order=asc&limit=2&offset=2")

    data = response.json()["data"]
    assert [t["id"] for t in data["timers"]] == [str(timers[2].pk), str(timers[3].pk)]
    assert data["total"] == 5
    assert data["limit"] == 2
    assert data["offset"] == 2


def test_list_offset_past_the_end_is_an_empty_page_with_the_total(api: APIClient, tenant: Any) -> None:
    TimerFactory.create_batch(2, tenant=tenant)

    data = api.get("/timers?offset=10").json()["data"]

    assert data["timers"] == []
    assert data["total"] == 2


def test_list_filters_by_status(api: APIClient, tenant: Any) -> None:
    TimerFactory.create_batch(2, tenant=tenant)
    canceled = TimerFactory(tenant=tenant, status=TimerStatus.CANCELED)
    TimerFactory(tenant=tenant, status=TimerStatus.COMPLETED)

    data = api.get("/timers?status=canceled").json()["data"]

    assert [t["id"] for t in data["timers"]] == [str(canceled.pk)]
    assert data["total"] == 1


def test_listing_timers_does_not_query_per_timer(
    api: APIClient, tenant: Any, django_assert_num_queries: Any
) -> None:
    TimerFactory.create_batch(10, tenant=tenant)

    # the page and the total (the tenant of API_KEY is read once per process, by the fixture)
    with django_assert_num_queries(2):
        response = api.get("/timers")

    assert len(response.json()["data"]["timers"]) == 10


# --- detail, update, cancel -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_unknown_timer_id_is_not_found(api: APIClient, method: str) -> None:
    response = getattr(api, method)(f"/timers/{uuid.uuid4()}", {"metadata": {}}, format="json")

    assert response.status_code == 404
    assert response.json() == {"code": 3, "message": "timer not found"}


@pytest.mark.parametrize("path", ["/timers/abc", "/timers/123", "/timers/"])
def test_malformed_timer_path_is_not_found_in_the_envelope(api: APIClient, path: str) -> None:
    response = api.get(path)

    assert response.status_code == 404
    assert response.json()["code"] == 3


def test_detail_lists_delivery_attempts(api: APIClient, tenant: Any) -> None:
    timer = TimerFactory(tenant=tenant, status=TimerStatus.FAILED, attempts=1, last_error="HTTP 500")
    timer.attempt_log.create(
        number=1, started_at=timezone.now(), status_code=500, error="HTTP 500", outcome="failed"
    )

    data = api.get(f"/timers/{timer.pk}").json()["data"]

    assert data["status"] == "failed"
    assert data["last_error"] == "HTTP 500"
    assert data["attempt_count"] == 1
    assert [(a["number"], a["status_code"], a["outcome"]) for a in data["attempts"]] == [(1, 500, "failed")]


@pytest.mark.parametrize("status", NOT_PENDING)
def test_update_is_refused_unless_the_timer_is_pending(api: APIClient, tenant: Any, status: str) -> None:
    timer = TimerFactory(tenant=tenant, status=status)
    before = stored_state(timer)

    response = api.put(f"/timers/{timer.pk}", {"execute_at": rfc3339(in_hours(5))}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == 5
    assert status in body["message"]
    assert stored_state(timer) == before


@pytest.mark.parametrize("status", NOT_PENDING)
def test_cancel_is_refused_unless_the_timer_is_pending(api: APIClient, tenant: Any, status: str) -> None:
    timer = TimerFactory(tenant=tenant, status=status)
    before = stored_state(timer)

    response = api.delete(f"/timers/{timer.pk}")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == 5
    assert status in body["message"]
    assert stored_state(timer) == before


def test_update_with_an_empty_body_is_refused(api: APIClient, tenant: Any) -> None:
    timer = TimerFactory(tenant=tenant)
    before = stored_state(timer)

    response = api.put(f"/timers/{timer.pk}", {}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == 2
    assert stored_state(timer) == before


def test_update_to_a_past_time_makes_the_timer_due_at_once(api: APIClient, tenant: Any) -> None:
    timer = TimerFactory(tenant=tenant)
    before = timezone.now()

    response = api.put(f"/timers/{timer.pk}", {"execute_at": "2020-01-01T00:00:00Z"}, format="json")

    assert response.status_code == 200
    timer.refresh_from_db()
    assert before <= timer.execute_at <= timezone.now()


def test_update_with_an_invalid_field_is_refused(api: APIClient, tenant: Any) -> None:
    timer = TimerFactory(tenant=tenant)
    before = stored_state(timer)

    response = api.put(f"/timers/{timer.pk}", {"callback_url": "ftp://example.com/x"}, format="json")

    assert response.status_code == 400
    assert "callback_url" in response.json()["message"]
    assert stored_state(timer) == before


def test_rescheduling_moves_execute_at_and_due_at_and_renews_the_dispatch_token(
    api: APIClient, tenant: Any
) -> None:
    timer = TimerFactory(tenant=tenant, execute_at=in_hours(1))
    old_token = timer.dispatch_token
    new_time = in_hours(5)

    response = api.put(f"/timers/{timer.pk}", {"execute_at": rfc3339(new_time)}, format="json")

    assert response.status_code == 200
    assert response.json()["data"]["execute_at"] == rfc3339(new_time)
    timer.refresh_from_db()
    assert timer.execute_at == new_time
    assert timer.due_at == new_time
    assert timer.dispatch_token != old_token
    assert timer.status == TimerStatus.PENDING


def test_update_changes_only_the_given_fields(api: APIClient, tenant: Any) -> None:
    timer = TimerFactory(tenant=tenant, metadata={"a": 1})
    execute_at = timer.execute_at

    response = api.put(
        f"/timers/{timer.pk}", {"callback_url": "https://example.com/new", "metadata": None}, format="json"
    )

    assert response.status_code == 200
    timer.refresh_from_db()
    assert timer.callback_url == "https://example.com/new"
    assert timer.metadata is None
    assert timer.execute_at == execute_at
    assert timer.callback_payload == {"event": "test"}


def test_cancel_of_a_canceled_timer_is_a_conflict(api: APIClient, tenant: Any) -> None:
    timer = TimerFactory(tenant=tenant)
    assert api.delete(f"/timers/{timer.pk}").status_code == 200

    response = api.delete(f"/timers/{timer.pk}")

    assert response.status_code == 409
    assert response.json() == {"code": 5, "message": "cannot cancel timer with status 'canceled'"}


# --- tenants ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_tenant_cannot_see_or_change_a_timer(
    api: APIClient, other_api: APIClient, tenant: Any, method: str
) -> None:
    timer = TimerFactory(tenant=tenant)
    before = stored_state(timer)

    response = getattr(other_api, method)(
        f"/timers/{timer.pk}", {"execute_at": rfc3339(in_hours(9))}, format="json"
    )

    assert response.status_code == 404
    assert response.json()["code"] == 3
    assert stored_state(timer) == before


def test_another_tenants_list_does_not_include_the_timer(
    api: APIClient, other_api: APIClient, tenant: Any
) -> None:
    TimerFactory(tenant=tenant)
    mine = api.post("/timers", timer_body(), format="json").json()["data"]

    other = other_api.get("/timers").json()["data"]
    own = api.get("/timers").json()["data"]

    assert other["timers"] == []
    assert other["total"] == 0
    assert own["total"] == 2
    assert mine["id"] in [t["id"] for t in own["timers"]]


def test_timer_created_with_a_tenant_key_belongs_to_that_tenant(other_api: APIClient) -> None:
    response = other_api.post("/timers", timer_body(), format="json")

    assert response.status_code == 201
    assert Timer.objects.get(pk=response.json()["data"]["id"]).tenant.slug == "other"


# --- idempotency ------------------------------------------------------------------------------


def test_same_idempotency_key_and_body_return_the_first_timer(api: APIClient) -> None:
    body = timer_body(callback_payload={"order": 1})

    first = api.post("/timers", body, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
    second = api.post("/timers", body, format="json", HTTP_IDEMPOTENCY_KEY="order-1")

    assert first.status_code == 201
    assert second.status_code == 201
    assert second.json()["data"]["id"] == first.json()["data"]["id"]
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert Timer.objects.count() == 1


def test_a_replayed_create_sends_a_near_timer_again_whose_first_send_may_be_lost(
    api: APIClient, sent: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    """The first create's commit went through but its answer (and its send) was lost: the
    client's retry with the same key gets the timer, and it is sent, not left to its lease."""
    body = timer_body(execute_at=(timezone.now() + timedelta(seconds=2)).isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post("/timers", body, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
    assert len(sent) == 1
    sent.clear()  # as if lost

    with django_capture_on_commit_callbacks(execute=True):
        second = api.post("/timers", body, format="json", HTTP_IDEMPOTENCY_KEY="order-1")

    assert second.json()["data"]["id"] == first.json()["data"]["id"]
    assert [str(claimed.pk) for claimed in sent] == [first.json()["data"]["id"]]


def test_same_idempotency_key_with_a_different_body_is_a_conflict(api: APIClient) -> None:
    first = api.post(
        "/timers", timer_body(callback_payload={"order": 1}), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )

    second = api.post(
        "/timers", timer_body(callback_payload={"order": 2}), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )

    assert second.status_code == 409
    body = second.json()
    assert body["code"] == 5
    assert "Idempotency-Key" in body["message"]
    assert Timer.objects.get().pk == uuid.UUID(first.json()["data"]["id"])


def test_tenants_use_the_same_idempotency_key_independently(api: APIClient, other_api: APIClient) -> None:
    body = timer_body()

    mine = api.post("/timers", body, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    theirs = other_api.post("/timers", body, format="json", HTTP_IDEMPOTENCY_KEY="shared")

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["data"]["id"] != theirs.json()["data"]["id"]
    assert "Idempotent-Replayed" not in theirs.headers
    assert Timer.objects.count() == 2


def test_creates_without_an_idempotency_key_are_never_merged(api: APIClient) -> None:
    body = timer_body()

    first = api.post("/timers", body, format="json")
    second = api.post("/timers", body, format="json")

    assert first.json()["data"]["id"] != second.json()["data"]["id"]
    assert Timer.objects.count() == 2
