"""Event jobs: matching, the firing modes, the sweep's firing of held events, retention."""

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from prometheus_client import REGISTRY

from scheduler_project.testing.factories import event_job
from timers import services
from timers.models import Event, Job, JobStatus, Timer

T0 = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


def at(clock: Any, seconds: float) -> datetime:
    moment = T0 + timedelta(seconds=seconds)
    clock.move_to(moment, tick=False)
    return moment


def push(
    tenant: Any, data: Any = None, *, event_type: str = "order.paid", event_id: str | None = None
) -> Any:
    event, _ = services.receive_event(tenant=tenant, event_type=event_type, data=data, event_id=event_id)
    return event


def tasks(job: Job) -> list[Timer]:
    return list(Timer.objects.filter(job=job).order_by("created_at", "execute_at"))


def sweep() -> int:
    return services.fire_due_event_jobs(now=timezone.now())


def test_a_plain_job_fires_one_task_per_event_with_the_data_as_its_body(tenant, clock):
    job = event_job(tenant=tenant, callback_headers={"Authorization": "Bearer t"})

    push(tenant, {"order": 1}, event_id="evt_1")
    push(tenant, {"order": 2}, event_id="evt_2")

    first, second = tasks(job)
    assert (first.callback_payload, second.callback_payload) == ({"order": 1}, {"order": 2})
    assert first.trigger_key == "evt_1"
    assert first.execute_at == T0
    assert first.callback_headers["X-Scheduler-Event-Id"] == "evt_1"
    assert first.callback_headers["X-Scheduler-Event-Type"] == "order.paid"
    assert first.callback_headers["X-Scheduler-Job-Id"] == str(job.pk)
    assert first.callback_headers["Authorization"] == "Bearer t"
    job.refresh_from_db()
    assert (job.run_count, job.last_run_at, job.last_event_at) == (2, T0, T0)


AMOUNT_ABOVE_1 = {"value_pointer": "/amount", "operator": ">", "target": 1}
MISSING_IS_1 = {"value_pointer": "/missing", "operator": "==", "target": 1}


@pytest.mark.parametrize(
    ("event_filter", "fires"),
    [
        ({"value_pointer": "/amount", "operator": ">=", "target": 100}, True),
        ({"value_pointer": "/amount", "operator": ">", "target": 120}, False),
        ({"value_pointer": "/currency", "operator": "==", "target": "EUR"}, True),
        ({"value_pointer": "/currency", "operator": "!=", "target": "EUR"}, False),
        ({"value_pointer": "/missing", "operator": "!=", "target": "x"}, False),  # finds nothing
        ({"value_pointer": "/currency", "operator": ">", "target": 5}, False),  # cannot compare
        ({"all": [AMOUNT_ABOVE_1, {"value_pointer": "/currency", "operator": "==", "target": "EUR"}]}, True),
        ({"all": [AMOUNT_ABOVE_1, {"value_pointer": "/currency", "operator": "==", "target": "USD"}]}, False),
        ({"any": [MISSING_IS_1, {"value_pointer": "/currency", "operator": "==", "target": "EUR"}]}, True),
        ({"any": [MISSING_IS_1, {"value_pointer": "/amount", "operator": "<", "target": 0}]}, False),
    ],
)
def test_a_job_fires_only_for_events_whose_data_passes_its_filter(tenant, event_filter, fires):
    job = event_job(tenant=tenant, event_filter=event_filter)

    event = push(tenant, {"amount": 120, "currency": "EUR"})

    assert event.matched == int(fires)
    assert len(tasks(job)) == int(fires)


def test_a_filter_on_an_event_without_data_is_false(tenant):
    job = event_job(tenant=tenant, event_filter={"value_pointer": "/amount", "operator": ">", "target": 0})

    assert push(tenant).matched == 0
    assert tasks(job) == []


def test_only_the_events_exact_type_matches(tenant):
    job = event_job(tenant=tenant, event_type="order.paid")

    for event_type in ("order.paid.late", "Order.paid", "order"):
        push(tenant, event_type=event_type)

    assert tasks(job) == []


def test_a_throttled_job_fires_at_most_its_max_per_window_and_counts_the_dropped(tenant, clock):
    job = event_job(tenant=tenant, throttle_max=2, throttle_window_secs=60)
    dropped = REGISTRY.get_sample_value("scheduler_events_dropped_total") or 0.0

    for second in (0, 10, 20, 59):
        at(clock, second)
        push(tenant, {"second": second})
    at(clock, 60)  # the window opened at 0 has ended: a new one opens
    push(tenant, {"second": 60})
    at(clock, 70)
    push(tenant, {"second": 70})
    at(clock, 80)
    push(tenant, {"second": 80})

    assert [task.callback_payload["second"] for task in tasks(job)] == [0, 10, 60, 70]
    job.refresh_from_db()
    assert (job.dropped_events, job.run_count) == (3, 4)
    assert job.throttle_window_start == T0 + timedelta(seconds=60)
    assert REGISTRY.get_sample_value("scheduler_events_dropped_total") == dropped + 3


def test_a_debounced_job_holds_the_last_event_until_none_came_for_its_quiet_period(tenant, clock):
    job = event_job(tenant=tenant, debounce_secs=5)
    for second, number in ((0, 1), (2, 2), (4, 3)):
        at(clock, second)
        push(tenant, {"n": number}, event_id=f"evt_{number}")

    job.refresh_from_db()
    assert job.next_run_at == T0 + timedelta(seconds=9)
    assert [held["id"] for held in job.pending_events] == ["evt_3"]
    at(clock, 8.9)
    assert sweep() == 0
    at(clock, 9)
    assert sweep() == 1
    assert sweep() == 0

    [task] = tasks(job)
    assert task.callback_payload == {"n": 3}
    assert task.trigger_key == "evt_3"
    assert task.callback_headers["X-Scheduler-Event-Id"] == "evt_3"
    job.refresh_from_db()
    assert (job.pending_events, job.next_run_at, job.run_count) == ([], None, 1)


def test_a_full_batch_fires_at_once_with_its_events_in_order(tenant, clock):
    job = event_job(tenant=tenant, batch_max=3, batch_window_secs=60)

    for number in (1, 2, 3, 4):
        at(clock, number)
        push(tenant, {"n": number}, event_id=f"evt_{number}")

    [task] = tasks(job)
    assert task.execute_at == T0 + timedelta(seconds=3)
    assert task.callback_payload == {
        "events": [
            {
                "id": f"evt_{n}",
                "type": "order.paid",
                "data": {"n": n},
                "received_at": f"2026-03-07T12:00:0{n}Z",
            }
            for n in (1, 2, 3)
        ]
    }
    assert task.trigger_key == "batch:evt_1"
    assert task.callback_headers["X-Scheduler-Event-Id"] == "evt_1"
    assert task.callback_headers["X-Scheduler-Event-Count"] == "3"
    job.refresh_from_db()
    assert [held["id"] for held in job.pending_events] == ["evt_4"]  # the next batch
    assert job.next_run_at == T0 + timedelta(seconds=64)


def test_a_partial_batch_fires_when_its_window_ends(tenant, clock):
    job = event_job(tenant=tenant, batch_max=10, batch_window_secs=30)
    push(tenant, {"n": 1}, event_id="evt_a")
    at(clock, 20)
    push(tenant, {"n": 2}, event_id="evt_b")

    at(clock, 29)
    assert sweep() == 0
    at(clock, 30)
    assert sweep() == 1

    [task] = tasks(job)
    assert [item["id"] for item in task.callback_payload["events"]] == ["evt_a", "evt_b"]
    assert task.callback_headers["X-Scheduler-Event-Count"] == "2"


def test_a_batch_id_too_long_for_a_trigger_key_is_hashed(tenant):
    job = event_job(tenant=tenant, batch_max=1)

    push(tenant, event_id="e" * 255)

    [task] = tasks(job)
    assert task.trigger_key.startswith("batch:sha256:") and len(task.trigger_key) <= 255


def test_a_job_completes_at_max_runs_and_then_matches_nothing(tenant):
    job = event_job(tenant=tenant, max_runs=2)

    assert [push(tenant).matched for _ in range(3)] == [1, 1, 0]

    job.refresh_from_db()
    assert (job.status, job.run_count, len(tasks(job))) == (JobStatus.COMPLETED, 2, 2)


def test_a_paused_job_takes_no_event_and_a_held_debounce_waits(tenant, clock):
    job = event_job(tenant=tenant, debounce_secs=5)
    push(tenant, {"n": 1})
    services.pause_job(tenant=tenant, job_id=job.pk)

    assert push(tenant, {"n": 2}).matched == 0
    at(clock, 60)
    assert sweep() == 0
    assert tasks(job) == []

    # Resumed, it fires the event it held (its quiet period is long over), once.
    services.resume_job(tenant=tenant, job_id=job.pk)
    assert sweep() == 1
    (task,) = tasks(job)
    assert task.callback_payload == {"n": 1}
    assert sweep() == 0


def test_pausing_a_job_keeps_the_tasks_its_events_already_fired(tenant, clock):
    job = event_job(tenant=tenant)
    push(tenant, {"n": 1}, event_id="evt_kept")
    services.pause_job(tenant=tenant, job_id=job.pk)

    (task,) = tasks(job)
    assert (task.trigger_key, task.status) == ("evt_kept", "pending")


def test_the_timers_sweep_fires_a_due_debounce_which_the_time_jobs_firing_leaves(tenant, clock):
    job = event_job(tenant=tenant, debounce_secs=1)
    push(tenant, {"n": 1})
    at(clock, 5)

    assert services.fire_due_jobs(now=timezone.now()) == 0
    assert tasks(job) == []
    services.sweep_timers()
    assert len(tasks(job)) == 1


def test_events_past_the_idempotency_window_are_cleaned_up(tenant, clock):
    push(tenant, event_id="evt_old")
    at(clock, settings.IDEMPOTENCY_KEY_TTL_HOURS * 3600 - 1)
    push(tenant, event_id="evt_recent")

    at(clock, settings.IDEMPOTENCY_KEY_TTL_HOURS * 3600 + 1)
    services.clean_up(now=timezone.now())

    assert list(Event.objects.values_list("event_id", flat=True)) == ["evt_recent"]


def test_two_sweeps_at_once_fire_each_due_debounced_job_once(transactional_db, tenant):
    jobs = [event_job(tenant=tenant, debounce_secs=1) for _ in range(30)]
    past = timezone.now() - timedelta(seconds=5)
    for job in jobs:
        Job.objects.filter(pk=job.pk).update(
            next_run_at=past,
            pending_events=[{"id": f"evt_{job.pk}", "type": "order.paid", "data": None, "received_at": "x"}],
        )
    start = threading.Barrier(2)
    fired: list[int] = []

    def one_sweep() -> None:
        try:
            start.wait()
            fired.append(sweep())
        finally:
            connection.close()

    sweeps = [threading.Thread(target=one_sweep) for _ in range(2)]
    for thread in sweeps:
        thread.start()
    for thread in sweeps:
        thread.join()

    assert sum(fired) == 30
    assert Timer.objects.filter(job__in=jobs).count() == 30
    assert not Job.objects.filter(pk__in=[job.pk for job in jobs]).exclude(pending_events=[]).exists()
