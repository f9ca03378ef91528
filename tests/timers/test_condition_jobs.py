"""Condition jobs against a real loopback source: polling, edges, errors, concurrency."""

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from timers import services
from timers.models import Job, Timer
from timers.receiver import Reply

T0 = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)


def condition_body(source: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "schedule_type": "condition",
        "source_url": source,
        "value_pointer": "/data/price",
        "operator": ">",
        "target": 100,
        "poll_interval_secs": 1,
        "callback_url": "https://api.example.com/alert",
    }
    body.update(overrides)
    return body


def create(api: APIClient, source: str, **overrides: Any) -> dict[str, Any]:
    response = api.post("/jobs", condition_body(source, **overrides), format="json")
    assert response.status_code == 201, response.json()
    return response.json()["data"]


def price(value: Any) -> Reply:
    return Reply(
        200, body=json.dumps({"data": {"price": value}}), headers={"Content-Type": "application/json"}
    )


def test_only_edges_fire_and_a_source_error_is_neither_true_nor_false(api, receiver, sent, time_machine):
    time_machine.move_to(T0, tick=False)
    job = create(api, receiver.url("/price"))
    receiver.script("/price", price(90), price(120), price(130), Reply(503), price("80"), price("101.5"))

    states = []
    for second in range(6):
        time_machine.move_to(T0 + timedelta(seconds=second), tick=False)
        assert services.evaluate_due_conditions() == 1
        stored = Job.objects.get(pk=job["id"])
        states.append((stored.condition_state, stored.last_error != ""))

    assert states == [
        ("false", False), ("true", False), ("true", False), ("true", True), ("false", False), ("true", False),
    ]  # fmt: skip
    fired = list(Timer.objects.filter(job_id=job["id"]).order_by("scheduled_for"))
    assert [t.scheduled_for for t in fired] == [T0 + timedelta(seconds=1), T0 + timedelta(seconds=5)]
    assert fired[0].callback_headers["X-Scheduler-Observed-Value"] == "120"
    assert fired[1].callback_headers["X-Scheduler-Observed-Value"] == '"101.5"'
    assert fired[0].callback_headers["X-Scheduler-Evaluated-At"] == "2026-03-07T12:00:01Z"
    detail = api.get(f"/jobs/{job['id']}").json()["data"]
    assert (detail["condition_state"], detail["last_value"], detail["last_error"]) == ("true", "101.5", "")
    assert [hit.path for hit in receiver.received] == ["/price"] * 6  # polled with GET, once a second


@pytest.mark.parametrize(
    "lateness", [(0, 0, 0, 0, 0), (0, 0.9, 0, 0, 0), (0, 0, 0.3, 0.95, 0), (0.5, 0.99, 0.01, 0.6, 0.2)]
)
def test_a_hold_is_measured_on_the_scheduled_evaluation_times_however_late_the_polls_ran(
    api, receiver, sent, time_machine, lateness
):
    """Polled every second, true for three of them, for_secs 2: the same observations fire
    once, for the evaluation at 3 s, whenever within its second each poll actually ran."""
    time_machine.move_to(T0, tick=False)
    job = create(api, receiver.url("/price"), for_secs=2)
    receiver.script("/price", price(90), price(120), price(130), price(140), price(90))

    for second, late in enumerate(lateness):
        time_machine.move_to(T0 + timedelta(seconds=second + late), tick=False)
        assert services.evaluate_due_conditions() == 1

    fired = Timer.objects.filter(job_id=job["id"])
    assert [task.scheduled_for for task in fired] == [T0 + timedelta(seconds=3)]
    assert Job.objects.get(pk=job["id"]).last_run_at == T0 + timedelta(seconds=3)


def test_an_evaluation_recorded_twice_fires_once(api, receiver, sent, time_machine):
    """A second worker (or a retry after a restart) recording the same transition."""
    time_machine.move_to(T0, tick=False)
    job = create(api, receiver.url("/price"))
    true = services.Observation(150, True, "")
    services.record_evaluation(job_id=job["id"], observation=true, now=timezone.now())
    services.record_evaluation(job_id=job["id"], observation=true, now=timezone.now())
    assert Timer.objects.filter(job_id=job["id"]).count() == 1


def test_a_slow_source_does_not_delay_the_other_jobs(api, receiver, sent):
    slow = create(api, receiver.url("/slow"), source_timeout_secs=5)
    fast = create(api, receiver.url("/fast"))
    receiver.script("/slow", Reply(200, delay=2.0, body=json.dumps({"data": {"price": 1}})))
    receiver.script("/fast", price(1))

    started = time.monotonic()
    assert services.evaluate_due_conditions() == 2
    assert time.monotonic() - started < 4.5
    slow_at = Job.objects.get(pk=slow["id"]).last_evaluated_at
    fast_at = Job.objects.get(pk=fast["id"]).last_evaluated_at
    assert slow_at - fast_at >= timedelta(seconds=1.5)  # the fast one was recorded first


def test_jobs_of_one_tenant_asking_a_source_the_same_thing_in_one_sweep_share_one_fetch(
    api, other_api, receiver, sent
):
    same = [create(api, receiver.url("/price"), target=target) for target in (50, 100, 150)]
    create(api, receiver.url("/price"), source_headers={"Authorization": "Bearer other"})
    create(other_api, receiver.url("/price"))  # another tenant's: never answered with ours
    receiver.script("/price", *[price(120)] * 3)

    assert services.evaluate_due_conditions() == 5

    assert len(receiver.received) == 3  # ours once, ours with other headers, the other tenant's
    states = [Job.objects.get(pk=job["id"]).condition_state for job in same]
    assert states == ["true", "true", "false"]  # each judged on the one reading by its own rule


def test_unreadable_values_and_blocked_sources_are_recorded_as_errors(api, receiver, sent, settings):
    unreadable = create(api, receiver.url("/text"))
    receiver.script("/text", Reply(200, body="not json"))
    services.evaluate_due_conditions()
    assert Job.objects.get(pk=unreadable["id"]).last_error == "the source did not answer JSON"

    Job.objects.all().delete()
    settings.CALLBACK_ALLOWED_NETWORKS = []  # the SSRF guard applies to sources too
    blocked = create(api, receiver.url("/price"))
    services.evaluate_due_conditions()
    assert "loopback and not allowed" in Job.objects.get(pk=blocked["id"]).last_error
    assert receiver.received[-1].path == "/text"  # the blocked source was never called
    assert Timer.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"operator": None}, "operator"),
        ({"target": None}, "target"),
        ({"poll_interval_secs": None}, "poll_interval_secs"),
        ({"target": "high"}, "target"),  # ordering needs a number
        ({"value_pointer": "data/price"}, "value_pointer"),
        ({"operator": "=~"}, "operator"),
        ({"source_url": "ftp://x"}, "source_url"),
    ],
)
def test_an_invalid_condition_job_is_refused(api, overrides, field):
    body = {k: v for k, v in condition_body("http://127.0.0.1:9/p", **overrides).items() if v is not None}
    response = api.post("/jobs", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["data"]["errors"]


def test_a_time_job_takes_no_condition_fields(api):
    body = {
        "schedule_type": "cron",
        "cron_expression": "* * * * *",
        "callback_url": "https://a.example/",
        "target": 3,
    }
    response = api.post("/jobs", body, format="json")
    assert response.status_code == 400
    assert "target" in response.json()["data"]["errors"]


def test_a_quiet_record_defers_to_the_locked_path_when_the_state_moved(api, receiver, sent, time_machine):
    """Another evaluation changed the job between this one's claim and its record."""
    time_machine.move_to(T0, tick=False)
    job = create(api, receiver.url("/price"))
    seen = Job.objects.get(pk=job["id"])  # the claim's snapshot: state unknown
    services.record_evaluation(
        job_id=job["id"], observation=services.Observation(150, True, ""), now=timezone.now()
    )

    # This evaluation, an error, fires nothing; stored from the snapshot it would put the
    # state back to unknown. The stored state is no longer what it read: the job stays true.
    services.record_evaluations([(seen, services.Observation(None, None, "HTTP 503"))], now=timezone.now())
    stored = Job.objects.get(pk=job["id"])
    assert (stored.condition_state, stored.last_error) == ("true", "HTTP 503")


def test_a_condition_job_whose_source_fails_counts_as_erroring_until_a_poll_succeeds(
    transactional_db, api, receiver, sent, time_machine
):
    """Transactional: each scrape closes its database connection, as the exporter's does."""
    from timers.metrics import TimerBacklogCollector

    def erroring() -> dict[str, float]:
        return {
            s.labels["schedule_type"]: s.value
            for m in TimerBacklogCollector().collect()
            if m.name == "scheduler_jobs_erroring"
            for s in m.samples
        }

    time_machine.move_to(T0, tick=False)
    create(api, receiver.url("/price"))
    receiver.script("/price", Reply(503), price(90))

    services.evaluate_due_conditions()
    assert erroring() == {"condition": 1, "chain_event": 0}
    time_machine.move_to(T0 + timedelta(seconds=1), tick=False)
    services.evaluate_due_conditions()
    assert erroring() == {"condition": 0, "chain_event": 0}
