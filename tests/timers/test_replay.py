"""Bulk replay of dead letters (``POST /timers/replay``): which failed timers it takes, how it
puts them back, what a dry run shows, and what it refuses."""

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema_rs
import pytest
from django.db import connection
from rest_framework.test import APIClient

from scheduler_project.core.models import Tenant
from scheduler_project.core.services import default_tenant
from scheduler_project.testing.factories import TimerFactory
from timers import services
from timers.models import Job, JobStatus, Replay, Timer, TimerAttempt, TimerStatus

T0 = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


def dead(tenant: Any, *, minutes_ago: int = 10, **fields: Any) -> Timer:
    """A timer that failed ``minutes_ago`` minutes before T0, after 3 attempts."""
    fields = {"status": TimerStatus.FAILED, "attempts": 3, "last_error": "HTTP 500", **fields}
    timer = TimerFactory(tenant=tenant, execute_at=T0 - timedelta(hours=1), **fields)
    Timer.objects.filter(pk=timer.pk).update(updated_at=T0 - timedelta(minutes=minutes_ago))
    return timer


def replay(api: APIClient, body: dict[str, Any] | None) -> Any:
    """``None``: no body at all."""
    return api.post("/timers/replay", body, format="json" if body is not None else None)


def answer(api: APIClient, body: dict[str, Any]) -> dict[str, Any]:
    response = replay(api, body)
    assert response.status_code == 201, response.json()
    return response.json()["data"]


def test_a_replay_puts_failed_timers_back_oldest_first_paced_by_its_rate(
    api, tenant, clock, sent, settings, django_capture_on_commit_callbacks
):
    settings.SCHEDULER_LOOKAHEAD_SECS = 0  # only the first is due at once: the others wait for sweeps
    newest, oldest, middle = dead(tenant, minutes_ago=1), dead(tenant, minutes_ago=30), dead(tenant)
    TimerAttempt.objects.create(timer=oldest, number=3, started_at=T0, outcome="failed", status_code=500)
    others = [TimerFactory(tenant=tenant, status=status) for status in ("completed", "canceled", "pending")]
    tokens = {t.pk: t.dispatch_token for t in [newest, oldest, middle]}

    with django_capture_on_commit_callbacks(execute=True):
        result = answer(api, {"rate": 2})

    order = [oldest, middle, newest]
    assert (result["matched"], result["replayed"], result["dry_run"], result["rate"]) == (3, 3, False, 2.0)
    assert result["sample_ids"] == [str(t.pk) for t in order]
    assert result["last_due_at"] == "2026-03-07T12:00:01Z"
    for n, timer in enumerate(order):
        timer.refresh_from_db()
        assert (timer.status, timer.due_at) == (TimerStatus.PENDING, T0 + timedelta(seconds=n / 2))
        assert timer.dispatch_token != tokens[timer.pk]
        assert (timer.attempts, timer.schedule_attempts, timer.last_error) == (
            3,
            0,
            None,
        )  # all attempts again
        assert str(timer.replay_id) == result["replay_id"]
    assert [c.pk for c in sent] == [oldest.pk]  # due now; the others are the sweeps' to send
    assert TimerAttempt.objects.filter(timer=oldest).count() == 1  # the history stays
    # The clock stands still: the others share one created_at, so they are told apart by key.
    assert dict(Timer.objects.filter(pk__in=[o.pk for o in others]).values_list("pk", "status")) == {
        other.pk: other.status for other in others
    }
    record = Replay.objects.get(pk=result["replay_id"])
    assert (record.tenant, record.actor, record.matched, record.replayed) == (tenant, "api_key:API_KEY", 3, 3)
    assert (record.rate, record.limit, record.dry_run, record.filters) == (2.0, 1000, False, {})
    assert answer(api, {})["matched"] == 0  # replayed rows are no longer dead letters


def test_a_dry_run_counts_and_samples_and_changes_nothing(api, tenant, clock, sent):
    timers = [dead(tenant, minutes_ago=m) for m in (3, 2, 1)]

    result = answer(api, {"dry_run": True, "limit": 2})

    assert (result["matched"], result["replayed"], result["dry_run"], result["last_due_at"]) == (
        3,
        0,
        True,
        None,
    )
    assert result["sample_ids"] == [str(t.pk) for t in timers]
    assert Timer.objects.filter(status=TimerStatus.FAILED, replay__isnull=True).count() == 3 and sent == []
    assert Replay.objects.get(pk=result["replay_id"]).dry_run is True


def test_a_limit_replays_the_oldest_and_counts_every_match(api, tenant, clock, sent):
    timers = [dead(tenant, minutes_ago=m) for m in (3, 2, 1)]
    result = answer(api, {"limit": 2})
    assert (result["matched"], result["replayed"]) == (3, 2)
    assert set(Timer.objects.filter(status=TimerStatus.PENDING).values_list("pk", flat=True)) == {
        timers[0].pk,
        timers[1].pk,
    }


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"callback_host": "API.example.com"}, ["hook", "port", "user"]),
        ({"callback_host": "example.com"}, ["apex"]),
        ({"callback_host": "[::1]"}, ["v6"]),
        ({"error": "timed OUT"}, ["user"]),
        ({"failed_after": "2026-03-07T11:45:00Z", "failed_before": "2026-03-07T11:55:00Z"}, ["port"]),
        ({"failed_after": "2026-03-07T12:55:00+01:00"}, ["hook", "apex", "v6"]),
        (
            {"failed_after": "2026-03-07T11:55:00Z", "failed_before": "2026-03-07T11:45:00Z"},
            [],
        ),  # none between
        ({"kind": "timer", "callback_host": "example.com"}, ["apex"]),
        ({"kind": "task"}, ["task"]),
        ({"status": ["skipped"]}, ["skipped"]),
        ({"status": ["failed", "skipped"], "error": "skipped"}, ["skipped"]),
    ],
)
def test_the_filter_narrows_by_host_error_time_kind_and_status(api, tenant, clock, sent, given, expected):
    job = Job.objects.create(
        tenant=tenant, schedule_type="interval", interval_secs=60, callback_url="https://j.example/"
    )
    rows = {
        "hook": dead(tenant, minutes_ago=1, callback_url="https://api.example.com/hook"),
        "port": dead(tenant, minutes_ago=10, callback_url="http://api.example.com:8443"),
        "user": dead(tenant, minutes_ago=20, callback_url="https://u:p@api.example.com?x=1",
                     last_error="timed out"),
        "apex": dead(tenant, minutes_ago=2, callback_url="https://example.com/"),
        "v6": dead(tenant, minutes_ago=3, callback_url="http://[::1]:9/hook"),
        "elsewhere": dead(tenant, minutes_ago=1, callback_url="https://example.com.evil.test/"),
        "task": dead(tenant, minutes_ago=40, job=job, callback_url="https://j.example/"),
        "skipped": dead(tenant, minutes_ago=50, status=TimerStatus.SKIPPED,
                        last_error="skipped: another task"),
    }  # fmt: skip
    names = {str(timer.pk): name for name, timer in rows.items()}
    if given.get("callback_host") is None and given.get("kind") is None and "error" not in given:
        given = {**given, "ids": [str(rows[name].pk) for name in rows if name != "elsewhere"]}

    result = answer(api, {"filter": given, "dry_run": True})

    assert sorted(names[pk] for pk in result["sample_ids"]) == sorted(expected)


def test_ids_and_job_id_narrow_too_and_a_deleted_jobs_tasks_are_left_out(api, tenant, clock, sent):
    live = Job.objects.create(
        tenant=tenant, schedule_type="interval", interval_secs=60, callback_url="https://a.example/"
    )
    gone = Job.objects.create(tenant=tenant, schedule_type="interval", interval_secs=60, callback_url="https://a.example/",
                              status=JobStatus.DELETED)  # fmt: skip
    live_task, _, lone = dead(tenant, job=live), dead(tenant, job=gone), dead(tenant)

    assert answer(api, {"filter": {"job_id": str(live.pk)}, "dry_run": True})["sample_ids"] == [
        str(live_task.pk)
    ]
    assert answer(api, {"filter": {"ids": [str(lone.pk)]}, "dry_run": True})["sample_ids"] == [str(lone.pk)]
    assert answer(api, {"dry_run": True})["matched"] == 2


def test_a_tenant_replays_its_own_dead_letters_only(api, other_api, tenant, clock, sent):
    mine = dead(tenant)

    result = answer(other_api, {"filter": {"ids": [str(mine.pk)]}})

    assert (result["matched"], result["replayed"]) == (0, 0)
    assert Timer.objects.get(pk=mine.pk).status == TimerStatus.FAILED
    assert Replay.objects.get(pk=result["replay_id"]).tenant.slug == "other"
    assert answer(api, {"dry_run": True})["matched"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rate": 0}, "rate"),
        ({"rate": -5}, "rate"),
        ({"rate": "5"}, "rate"),
        ({"rate": True}, "rate"),
        ({"limit": 0}, "limit"),
        ({"limit": 10_001}, "limit"),
        ({"dry_run": "yes"}, "dry_run"),
        ({"speed": 5}, "speed"),
        ({"filter": {"host": "a.example"}}, "filter"),
        ({"filter": {"failed_after": "yesterday"}}, "filter"),
        ({"filter": {"status": ["completed"]}}, "filter"),
        ({"filter": {"status": []}}, "filter"),
        ({"filter": {"callback_host": "a.example:443"}}, "filter"),
        ({"filter": {"callback_host": "https://a.example/"}}, "filter"),
        ({"filter": {"ids": ["not-a-uuid"]}}, "filter"),
        ({"filter": {"ids": [False]}}, "filter"),
        ({"filter": {"job_id": 7}}, "filter"),
        ({"filter": {"kind": "withdrawal"}}, "filter"),
        ({"filter": []}, "filter"),
        (None, "non_field_errors"),
    ],
)
def test_invalid_requests_are_refused_and_nothing_is_stored_or_replayed(
    api, tenant, clock, sent, body, field
):
    failed = dead(tenant)

    response = replay(api, body)

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == 2 and field in response.json()["data"]["errors"]
    assert Replay.objects.count() == 0 and Timer.objects.get(pk=failed.pk).status == TimerStatus.FAILED


def test_the_answer_and_its_refusals_are_what_the_openapi_document_describes(api, tenant, clock, sent):
    document = APIClient().get("/api/schema/?format=json").json()
    operation = document["paths"]["/timers/replay"]["post"]

    def validator(status: str) -> Any:
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        return jsonschema_rs.validator_for({**schema, "components": document["components"]})

    dead(tenant)
    for response in (replay(api, {"dry_run": True}), replay(api, {"rate": 0.5, "limit": 1})):
        assert not [str(e) for e in validator("201").iter_errors(response.json())]
    refused = replay(api, {"rate": 0})
    assert not [str(e) for e in validator("400").iter_errors(refused.json())]
    assert APIClient().post("/timers/replay", {}, format="json").status_code == 401


def test_the_admin_shows_each_replay_read_only_with_its_timers(admin_client, api, tenant, clock, sent):
    failed = dead(tenant, callback_url="https://replayed.example/hook")
    result = answer(api, {})

    page = admin_client.get(f"/admin/timers/replay/{result['replay_id']}/change/")
    listed = admin_client.get(f"/admin/timers/timer/?replay__id__exact={result['replay_id']}")

    assert page.status_code == 200 and "api_key:API_KEY" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert listed.status_code == 200 and "replayed.example" in listed.content.decode()
    assert admin_client.get("/admin/timers/replay/").status_code == 200
    assert Timer.objects.get(pk=failed.pk).status == TimerStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_two_replays_at_once_never_put_one_timer_back_twice(sent):
    tenant = default_tenant()
    timers = [dead(tenant, minutes_ago=n) for n in range(1, 41)]
    start = threading.Barrier(2)
    results: list[Any] = []

    def replay_all() -> None:
        start.wait()
        try:
            results.append(
                services.replay_timers(
                    tenant=tenant, filters={}, dry_run=False, rate=1000, limit=None, actor="t"
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=replay_all) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(result.replayed for result in results) == len(timers)
    assert Timer.objects.filter(status=TimerStatus.PENDING, replay__isnull=False).count() == len(timers)


def test_an_operator_replays_every_tenants_dead_letters_and_the_service_checks_its_arguments(
    tenant, other_api, clock, sent
):
    other = Tenant.objects.get(slug="other")
    timers = [dead(tenant), dead(other)]

    assert services.dead_letters(filters={"kind": "timer"}).count() == 2
    result = services.replay_timers(
        tenant=None, filters={}, dry_run=False, rate=10, limit=None, actor="staff:ops"
    )

    assert (result.matched, result.replayed, result.rate) == (2, 2, 10.0)
    assert Timer.objects.filter(pk__in=[t.pk for t in timers], status=TimerStatus.PENDING).count() == 2
    record = Replay.objects.get(pk=result.replay_id)
    assert (record.tenant, record.actor) == (None, "staff:ops")
    for wrong in (
        {"rate": 0},
        {"rate": float("nan")},
        {"limit": 0},
        {"actor": ""},
        {"filters": {"host": "x"}},
    ):
        arguments = {"tenant": None, "filters": {}, "dry_run": True, "rate": 1.0, "limit": None, "actor": "a"}
        with pytest.raises(ValueError):
            services.replay_timers(**{**arguments, **wrong})
