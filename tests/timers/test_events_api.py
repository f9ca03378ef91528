"""POST /events: the answer, validation, and an id's idempotency."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings

from scheduler_project.core.models import Tenant
from scheduler_project.testing.factories import event_job
from timers.models import Event, JobStatus, Timer

T0 = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


def push(api: Any, body: Any) -> Any:
    return api.post("/events", body, format="json")


def test_an_event_is_answered_202_with_its_id_time_and_the_jobs_it_matched(api, tenant, other_api, clock):
    event_job(tenant=tenant)
    event_job(tenant=tenant, event_filter={"value_pointer": "/amount", "operator": ">", "target": 100})
    event_job(tenant=tenant, event_type="order.refunded")
    event_job(tenant=tenant, status=JobStatus.PAUSED)
    event_job(tenant=tenant, status=JobStatus.DELETED)
    event_job(tenant=Tenant.objects.get(slug="other"))

    response = push(api, {"type": "order.paid", "data": {"amount": 120}, "id": "evt_client_1"})

    assert response.status_code == 202
    assert response.json() == {
        "code": 0,
        "message": "success",
        "data": {"id": "evt_client_1", "received_at": "2026-03-07T12:00:00Z", "matched": 2},
    }
    assert Timer.objects.filter(trigger_key="evt_client_1").count() == 2


def test_an_event_without_an_id_is_given_one(api):
    data = push(api, {"type": "order.paid"}).json()["data"]

    assert re.fullmatch(r"evt_[0-9a-f]{32}", data["id"])
    assert Event.objects.get(event_id=data["id"]).data is None


def test_an_event_that_matches_no_job_is_stored_and_answers_matched_0(api, tenant):
    event_job(tenant=tenant, event_filter={"value_pointer": "/amount", "operator": ">", "target": 100})

    response = push(api, {"type": "order.paid", "data": {"amount": 5}})

    assert response.status_code == 202
    assert response.json()["data"]["matched"] == 0
    assert Event.objects.count() == 1
    assert Timer.objects.count() == 0


NESTED: Any = 1
for _ in range(65):
    NESTED = [NESTED]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"data": {}}, "type"),
        ({"type": ""}, "type"),
        ({"type": None}, "type"),
        ({"type": 7}, "type"),
        ({"type": "x" * 201}, "type"),
        ({"type": "order\npaid"}, "type"),
        ({"type": "order.paid", "id": ""}, "id"),
        ({"type": "order.paid", "id": " evt"}, "id"),
        ({"type": "order.paid", "id": "évt"}, "id"),
        ({"type": "order.paid", "id": "e" * 256}, "id"),
        ({"type": "order.paid", "id": 12}, "id"),
        ({"type": "order.paid", "data": NESTED}, "data"),
        ({"type": "order.paid", "data": {"blob": "x" * 70_000}}, "data"),
        ({"type": "order.paid", "data": {"note": "a\u0000b"}}, "data"),
        ({"type": "order.paid", "source": "shop"}, "source"),
        (["order.paid"], "non_field_errors"),
        ("order.paid", "non_field_errors"),
    ],
)
def test_a_bad_event_is_refused_with_400_and_nothing_is_stored(api, tenant, body, field):
    event_job(tenant=tenant)

    response = push(api, body)

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == 2
    assert field in response.json()["data"]["errors"]
    assert Event.objects.count() == 0
    assert Timer.objects.count() == 0


def test_the_same_id_again_answers_as_the_first_time_and_fires_nothing_more(api, tenant, time_machine):
    time_machine.move_to(T0, tick=False)
    job = event_job(tenant=tenant)
    body = {"type": "order.paid", "data": {"amount": 1}, "id": "evt_retry"}
    first = push(api, body)
    time_machine.move_to(T0 + timedelta(minutes=5), tick=False)

    again = push(api, body)

    assert again.status_code == 202
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Timer.objects.filter(job=job).count() == 1
    job.refresh_from_db()
    assert job.run_count == 1


def test_the_same_id_again_sends_the_task_whose_first_send_may_be_lost(
    api, tenant, sent, django_capture_on_commit_callbacks
):
    """The first push's commit went through but its answer (and its send) was lost: the
    client's retry with the same id sends the task, not left to its lease."""
    job = event_job(tenant=tenant)
    event_job(tenant=tenant, event_type="order.shipped")  # another job's task stays unsent
    body = {"type": "order.paid", "data": {"amount": 1}, "id": "evt_in_doubt"}
    with django_capture_on_commit_callbacks(execute=True):
        push(api, {"type": "order.shipped", "id": "evt_other"})
        push(api, body)
    assert len(sent) == 2
    sent.clear()  # as if lost

    with django_capture_on_commit_callbacks(execute=True):
        again = push(api, body)

    assert again["Idempotent-Replayed"] == "true"
    assert [claimed.pk for claimed in sent] == [Timer.objects.get(job=job).pk]


def test_the_same_id_with_other_data_is_a_conflict_and_fires_nothing(api, tenant):
    job = event_job(tenant=tenant)
    push(api, {"type": "order.paid", "data": {"amount": 1}, "id": "evt_once"})

    changed = push(api, {"type": "order.paid", "data": {"amount": 2}, "id": "evt_once"})
    retyped = push(api, {"type": "order.refunded", "data": {"amount": 1}, "id": "evt_once"})

    assert (changed.status_code, changed.json()["code"]) == (409, 5)
    assert (retyped.status_code, retyped.json()["code"]) == (409, 5)
    assert Timer.objects.filter(job=job).count() == 1
    assert Event.objects.get(event_id="evt_once").data == {"amount": 1}


def test_an_id_is_one_tenants_own(api, other_api, tenant):
    event_job(tenant=tenant)
    push(api, {"type": "order.paid", "id": "evt_shared"})

    theirs = push(other_api, {"type": "order.paid", "data": {"other": True}, "id": "evt_shared"})

    assert theirs.status_code == 202
    assert theirs.json()["data"]["matched"] == 0
    assert "Idempotent-Replayed" not in theirs
    assert Event.objects.filter(event_id="evt_shared").count() == 2


def test_an_id_older_than_the_idempotency_window_is_a_new_event(api, tenant, time_machine):
    time_machine.move_to(T0, tick=False)
    event_job(tenant=tenant, event_type="ping")
    push(api, {"type": "ping", "id": "evt_daily"})
    later_at = T0 + timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS, seconds=1)
    time_machine.move_to(later_at, tick=False)

    later = push(api, {"type": "ping", "data": {"day": 2}, "id": "evt_daily"})

    assert later.status_code == 202
    assert "Idempotent-Replayed" not in later
    assert later.json()["data"]["received_at"] == later_at.isoformat().replace("+00:00", "Z")
    assert Event.objects.get(event_id="evt_daily").data == {"day": 2}


def test_an_event_needs_an_api_key(client, db):
    response = client.post("/events", {"type": "order.paid"}, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (401, 4)
