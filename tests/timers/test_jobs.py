"""Recurring jobs: the API, and the sweep that turns their runs into tasks (timers)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from timers import services
from timers.models import Job, JobStatus, Timer, TimerStatus

T0 = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


def job_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "name": "daily report",
        "schedule_type": "cron",
        "cron_expression": "*/5 * * * *",
        "callback_url": "https://api.example.com/webhook",
        "callback_payload": {"report": "daily"},
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def create(api: APIClient, **overrides: Any) -> dict[str, Any]:
    response = api.post("/jobs", job_body(**overrides), format="json")
    assert response.status_code == 201, response.json()
    return response.json()["data"]


def sweep() -> int:
    return services.fire_due_jobs(now=timezone.now())


def tasks(job_id: str) -> list[Timer]:
    return list(Timer.objects.filter(job_id=job_id).order_by("scheduled_for"))


def test_a_cron_job_shows_its_next_run_and_upcoming_runs(api, clock):
    job = create(api, timezone="America/New_York", cron_expression="30 2 * * *")

    assert job["status"] == "active"
    assert job["next_run_at"] == "2026-03-08T07:00:00Z"  # 02:30 does not exist that day: 03:00 EDT
    detail = api.get(f"/jobs/{job['id']}?upcoming=3").json()["data"]
    assert detail["upcoming_runs"] == ["2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"]


def test_an_alias_is_stored_expanded(api, clock):
    assert create(api, cron_expression="@hourly")["cron_expression"] == "0 * * * *"


def test_each_run_becomes_one_task_with_its_ids_in_the_callback_headers(
    api, clock, sent, settings, django_capture_on_commit_callbacks
):
    settings.SCHEDULER_LOOKAHEAD_SECS = 10
    job = create(api)
    clock.move_to(T0 + timedelta(minutes=5) - timedelta(seconds=5), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert sweep() == 1
    assert sweep() == 0  # a second sweep finds nothing new
    [task] = tasks(job["id"])
    assert task.scheduled_for == T0 + timedelta(minutes=5)
    assert task.execute_at == task.scheduled_for
    assert task.callback_headers["X-Scheduler-Job-Id"] == job["id"]
    assert task.callback_headers["X-Scheduler-Task-Id"] == str(task.pk)
    assert task.callback_headers["X-Scheduler-Scheduled-For"] == "2026-03-07T12:05:00Z"
    assert task.max_attempts == 3 and task.retry_base_secs == 1.0
    assert [c.pk for c in sent] == [task.pk]  # due inside the lookahead: sent with its eta
    stored = Job.objects.get(pk=job["id"])
    assert (stored.run_count, stored.last_run_at) == (1, task.scheduled_for)
    assert stored.next_run_at == T0 + timedelta(minutes=10)


def test_a_job_every_second_gets_every_run_inside_the_lookahead(api, clock, sent, settings):
    settings.SCHEDULER_LOOKAHEAD_SECS = 10
    job = create(api, schedule_type="interval", cron_expression=None, interval_secs=1)

    assert job["start_at"] == "2026-03-07T12:00:01Z"  # one interval from now
    assert sweep() == 10  # runs at +1 .. +10 s
    assert [t.scheduled_for for t in tasks(job["id"])] == [T0 + timedelta(seconds=n) for n in range(1, 11)]


def test_interval_runs_stay_anchored_however_late_the_sweeps(api, clock, sent, settings):
    settings.SCHEDULER_LOOKAHEAD_SECS = 0
    job = create(
        api, schedule_type="interval", cron_expression=None, interval_secs=60, misfire_grace_secs=3600
    )
    for minute in range(1, 6):
        clock.move_to(T0 + timedelta(minutes=minute, seconds=37), tick=False)  # 37 s late each time
        sweep()
    assert [t.scheduled_for for t in tasks(job["id"])] == [T0 + timedelta(minutes=m) for m in range(1, 6)]


@pytest.mark.parametrize(("policy", "expected"), [("fire_once", 1), ("skip", 0)])
def test_after_downtime_missed_runs_fire_once_or_not_at_all(api, clock, sent, settings, policy, expected):
    settings.SCHEDULER_LOOKAHEAD_SECS = 0
    job = create(api, misfire_policy=policy)
    down_until = T0 + timedelta(hours=6, minutes=2)
    clock.move_to(down_until, tick=False)

    assert sweep() == expected
    fired = tasks(job["id"])
    assert len(fired) == expected
    if fired:
        assert fired[0].scheduled_for == T0 + timedelta(hours=6)  # the latest missed run
        assert fired[0].execute_at == down_until  # fires now
    assert Job.objects.get(pk=job["id"]).next_run_at == T0 + timedelta(hours=6, minutes=5)


def overlap_skips() -> float:
    return REGISTRY.get_sample_value("scheduler_job_runs_skipped_total", {"reason": "overlap"}) or 0.0


def claim(*tasks: Timer) -> list[Timer | None]:
    return services.claim_deliveries([(task.pk, task.dispatch_token) for task in tasks])


def test_overlap_skip_skips_a_run_while_the_previous_one_waits_for_a_retry(api, clock, sent, settings):
    settings.SCHEDULER_LOOKAHEAD_SECS = 0
    job = create(api, overlap_policy="skip")
    clock.move_to(T0 + timedelta(minutes=5), tick=False)
    sweep()
    [first] = tasks(job["id"])
    [claimed] = claim(first)
    assert claimed is not None
    retry_at = T0 + timedelta(minutes=30)
    Timer.objects.filter(pk=first.pk).update(status=TimerStatus.PENDING, due_at=retry_at)  # its retry
    skips_before = overlap_skips()

    clock.move_to(T0 + timedelta(minutes=10), tick=False)
    sweep()
    second = tasks(job["id"])[1]
    assert claim(second) == [None]

    second.refresh_from_db()
    assert (second.status, second.attempts, second.last_error) == ("skipped", 0, services.OVERLAP_SKIPPED)
    assert not second.attempt_log.exists()
    assert api.get(f"/jobs/{job['id']}").json()["data"]["skipped_runs"] == 1
    assert overlap_skips() == skips_before + 1
    listed = api.get(f"/jobs/{job['id']}/tasks?status=skipped").json()["data"]["tasks"]
    assert [t["id"] for t in listed] == [str(second.pk)]

    Timer.objects.filter(pk=first.pk).update(status=TimerStatus.COMPLETED)
    clock.move_to(T0 + timedelta(minutes=15), tick=False)
    sweep()
    assert claim(tasks(job["id"])[2])[0] is not None  # nothing in flight any more


def test_overlap_skip_lets_one_of_two_tasks_claimed_together_run(api, clock, sent, settings):
    settings.SCHEDULER_LOOKAHEAD_SECS = 0
    job = create(api, overlap_policy="skip", misfire_grace_secs=3600)
    for minute in (5, 10):
        clock.move_to(T0 + timedelta(minutes=minute), tick=False)
        sweep()
    both = tasks(job["id"])

    claimed = claim(*both)

    assert sum(task is not None for task in claimed) == 1
    statuses = sorted(Timer.objects.filter(job_id=job["id"]).values_list("status", flat=True))
    assert statuses == ["executing", "skipped"]
    assert Job.objects.get(pk=job["id"]).skipped_runs == 1


def test_overlap_allow_runs_tasks_side_by_side(api, clock, sent, settings):
    settings.SCHEDULER_LOOKAHEAD_SECS = 0
    job = create(api, misfire_grace_secs=3600)
    for minute in (5, 10):
        clock.move_to(T0 + timedelta(minutes=minute), tick=False)
        sweep()
    assert None not in claim(*tasks(job["id"]))
    assert Job.objects.get(pk=job["id"]).skipped_runs == 0


def test_pause_then_resume_does_not_replay_what_passed(api, clock, sent, settings):
    settings.SCHEDULER_LOOKAHEAD_SECS = 10
    job = create(api)
    clock.move_to(T0 + timedelta(minutes=4, seconds=55), tick=False)
    sweep()
    [unsent] = tasks(job["id"])
    Timer.objects.filter(pk=unsent.pk).update(lease_until=None)  # created ahead, not started

    paused = api.post(f"/jobs/{job['id']}/pause").json()["data"]
    assert (paused["status"], paused["next_run_at"]) == ("paused", None)
    assert tasks(job["id"]) == []  # the task created ahead is dropped
    clock.move_to(T0 + timedelta(hours=2, minutes=1), tick=False)
    assert sweep() == 0

    resumed = api.post(f"/jobs/{job['id']}/resume").json()["data"]
    assert resumed["next_run_at"] == "2026-03-07T14:05:00Z"
    assert sweep() == 0


def test_put_of_the_schedule_takes_effect_at_once(api, clock, sent, settings):
    settings.SCHEDULER_LOOKAHEAD_SECS = 10
    job = create(api)
    clock.move_to(T0 + timedelta(minutes=4, seconds=55), tick=False)
    sweep()
    assert len(tasks(job["id"])) == 1

    response = api.put(f"/jobs/{job['id']}", {"cron_expression": "0 * * * *"}, format="json")

    assert response.status_code == 200
    assert response.json()["data"]["next_run_at"] == "2026-03-07T13:00:00Z"
    assert tasks(job["id"]) == []  # the old schedule's unsent task does nothing


def test_a_new_interval_is_not_pinned_by_a_start_at_that_was_only_defaulted(api, clock, sent, settings):
    settings.SCHEDULER_LOOKAHEAD_SECS = 0
    job = create(api, schedule_type="interval", cron_expression=None, interval_secs=60)
    assert job["next_run_at"] == "2026-03-07T12:01:00Z"
    clock.move_to(T0 + timedelta(seconds=5), tick=False)

    response = api.put(f"/jobs/{job['id']}", {"interval_secs": 1}, format="json")

    assert response.status_code == 200
    changed = response.json()["data"]
    assert (changed["start_at"], changed["next_run_at"]) == ("2026-03-07T12:00:06Z", "2026-03-07T12:00:06Z")
    clock.move_to(T0 + timedelta(seconds=6), tick=False)
    assert sweep() == 1


def test_a_start_at_the_client_gave_still_anchors_a_new_interval(api, clock, sent, settings):
    job = create(
        api, schedule_type="interval", cron_expression=None, interval_secs=60, start_at="2026-03-07T13:00:00Z"
    )
    clock.move_to(T0 + timedelta(seconds=5), tick=False)

    changed = api.put(f"/jobs/{job['id']}", {"interval_secs": 1}, format="json").json()["data"]

    assert (changed["start_at"], changed["next_run_at"]) == ("2026-03-07T13:00:00Z", "2026-03-07T13:00:00Z")


def test_a_start_at_given_in_a_put_anchors_the_schedule_from_then_on(api, clock, sent, settings):
    job = create(api, schedule_type="interval", cron_expression=None, interval_secs=60)
    api.put(f"/jobs/{job['id']}", {"start_at": "2026-03-07T13:00:00Z"}, format="json")

    changed = api.put(f"/jobs/{job['id']}", {"interval_secs": 30}, format="json").json()["data"]

    assert (changed["start_at"], changed["next_run_at"]) == ("2026-03-07T13:00:00Z", "2026-03-07T13:00:00Z")


def test_put_refuses_a_schedule_that_does_not_fit_its_type(api, clock):
    job = create(api)
    response = api.put(f"/jobs/{job['id']}", {"interval_secs": 60}, format="json")
    assert response.status_code == 400
    assert "interval_secs" in response.json()["data"]["errors"]


def test_delete_is_soft_hides_the_job_from_lists_and_keeps_it_readable_with_its_tasks(
    api, clock, sent, settings
):
    settings.SCHEDULER_LOOKAHEAD_SECS = 0
    job = create(api)
    clock.move_to(T0 + timedelta(minutes=5), tick=False)
    sweep()
    Timer.objects.filter(job_id=job["id"]).update(status=TimerStatus.COMPLETED, attempts=1)

    assert api.delete(f"/jobs/{job['id']}").json()["data"]["status"] == "deleted"
    assert api.get("/jobs").json()["data"]["total"] == 0
    assert api.get("/jobs?status=deleted").json()["data"]["total"] == 1
    detail = api.get(f"/jobs/{job['id']}")
    assert detail.status_code == 200
    assert (detail.json()["data"]["status"], detail.json()["data"]["next_run_at"]) == ("deleted", None)
    history = api.get(f"/jobs/{job['id']}/tasks").json()["data"]
    assert [t["status"] for t in history["tasks"]] == ["completed"]
    task = api.get(f"/tasks/{history['tasks'][0]['id']}").json()["data"]
    assert (task["job_id"], task["scheduled_for"]) == (job["id"], "2026-03-07T12:05:00Z")


def test_a_deleted_job_refuses_every_change_with_a_conflict(api, clock):
    job = create(api)
    assert api.delete(f"/jobs/{job['id']}").status_code == 200

    refusals = [
        api.put(f"/jobs/{job['id']}", {"name": "renamed"}, format="json"),
        api.put(f"/jobs/{job['id']}", {"cron_expression": "0 * * * *"}, format="json"),
        api.post(f"/jobs/{job['id']}/pause"),
        api.post(f"/jobs/{job['id']}/resume"),
        api.delete(f"/jobs/{job['id']}"),
    ]
    for response in refusals:
        assert response.status_code == 409, response.json()
        assert response.json()["code"] == 5 and "deleted" in response.json()["message"]
    stored = Job.objects.get(pk=job["id"])
    assert (stored.status, stored.name, stored.cron_expression) == ("deleted", "daily report", "*/5 * * * *")


def test_max_runs_and_a_specific_time_complete_the_job(api, clock, sent, settings):
    settings.SCHEDULER_LOOKAHEAD_SECS = 0
    capped = create(api, max_runs=2)
    once = create(api, schedule_type="specific", cron_expression=None, run_at="2026-03-07T12:07:00Z")
    for minute in (5, 7, 10, 15):
        clock.move_to(T0 + timedelta(minutes=minute), tick=False)
        sweep()
    assert len(tasks(capped["id"])) == 2 and len(tasks(once["id"])) == 1
    assert Job.objects.get(pk=capped["id"]).status == JobStatus.COMPLETED
    assert Job.objects.get(pk=once["id"]).status == JobStatus.COMPLETED


def test_list_filters_by_type_status_and_metadata(api, clock):
    create(api, metadata={"team": "billing"})
    create(api, schedule_type="interval", cron_expression=None, interval_secs=30, metadata={"team": "ops"})
    assert api.get("/jobs?schedule_type=interval").json()["data"]["total"] == 1
    found = api.get("/jobs?metadata_key=team&metadata_value=billing").json()["data"]["jobs"]
    assert [j["metadata"] for j in found] == [{"team": "billing"}]
    assert api.get("/jobs?status=paused").json()["data"]["total"] == 0
    # A value is matched as sent: whitespace is not trimmed away into a blank.
    create(api, metadata={"team": " \x0b"})
    spaced = api.get("/jobs", {"metadata_key": "team", "metadata_value": " \x0b"})
    assert spaced.status_code == 200 and [j["metadata"] for j in spaced.json()["data"]["jobs"]] == [
        {"team": " \x0b"}
    ]


def test_jobs_are_per_tenant(api, other_api, clock):
    job = create(api)
    assert other_api.get(f"/jobs/{job['id']}").status_code == 404
    assert other_api.post(f"/jobs/{job['id']}/pause").status_code == 404
    assert other_api.get("/jobs").json()["data"]["total"] == 0


def test_idempotency_key_returns_the_first_job(api, clock):
    first = api.post("/jobs", job_body(), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = api.post("/jobs", job_body(), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["data"]["id"] == first.json()["data"]["id"]
    assert Job.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"cron_expression": None}, "cron_expression"),
        ({"cron_expression": "0 0 31 2 *"}, "cron_expression"),
        ({"cron_expression": "* * *"}, "cron_expression"),
        ({"interval_secs": 60}, "interval_secs"),
        ({"timezone": "Mars/Base"}, "timezone"),
        ({"schedule_type": "hourly"}, "schedule_type"),
        ({"start_at": "2026-04-01T00:00:00Z", "end_at": "2026-03-01T00:00:00Z"}, "end_at"),
        ({"schedule_type": "interval", "cron_expression": None, "interval_secs": 0}, "interval_secs"),
        ({"name": 12}, "name"),
        ({"callback_url": "ftp://x"}, "callback_url"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_an_invalid_job_is_refused_and_nothing_is_stored(api, clock, overrides, field):
    response = api.post("/jobs", job_body(**overrides), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["data"]["errors"]
    assert Job.objects.count() == 0


def test_two_sweeps_at_once_create_each_run_once(api, clock, sent, settings, django_db_blocker):
    """The unique (job, scheduled_for) is the last guard behind the job's row lock."""
    settings.SCHEDULER_LOOKAHEAD_SECS = 10
    job = create(api, schedule_type="interval", cron_expression=None, interval_secs=1)
    stored = Job.objects.get(pk=job["id"])
    services.fire_job(stored, now=timezone.now())
    stale = Job.objects.get(pk=job["id"])
    stale.next_run_at = T0 + timedelta(seconds=1)  # read before the first sweep's update
    assert services.fire_job(stale, now=timezone.now()) is None
    assert len(tasks(job["id"])) == 1


@pytest.mark.parametrize("key", ['a"b', "a\\b", "a.b", "", "x" * 101])
def test_a_metadata_key_outside_its_alphabet_is_refused(api, key):
    response = api.get("/jobs", {"metadata_key": key})
    assert response.status_code == 400
    assert "metadata_key" in response.json()["data"]["errors"]


def test_finished_tasks_past_retention_are_removed_and_nothing_else(api, clock, sent, settings):
    settings.SCHEDULER_LOOKAHEAD_SECS = 0
    settings.TASK_RETENTION_DAYS = 30
    job = create(
        api, schedule_type="interval", cron_expression=None, interval_secs=60, misfire_grace_secs=3600
    )
    for minute in range(1, 4):
        clock.move_to(T0 + timedelta(minutes=minute), tick=False)
        sweep()
    old_done, old_pending, recent_done = tasks(job["id"])
    Timer.objects.filter(pk__in=[old_done.pk, recent_done.pk]).update(status=TimerStatus.COMPLETED)
    Timer.objects.filter(pk__in=[old_done.pk, old_pending.pk]).update(updated_at=T0 - timedelta(days=31))
    one_shot = Timer.objects.create(
        tenant=old_done.tenant,
        execute_at=T0,
        due_at=T0,
        callback_url="https://a.example/",
        status="completed",
    )
    Timer.objects.filter(pk=one_shot.pk).update(updated_at=T0 - timedelta(days=400))

    assert services.remove_old_tasks(now=timezone.now()) == 1
    assert set(Timer.objects.values_list("pk", flat=True)) == {old_pending.pk, recent_done.pk, one_shot.pk}


def test_the_backlog_gauges_count_active_jobs_and_runs_not_yet_turned_into_tasks(api, clock):
    from timers.metrics import TimerBacklogCollector

    create(api)
    create(api, cron_expression="0 0 1 1 *")
    clock.move_to(T0 + timedelta(minutes=7), tick=False)  # the first job's 12:05 run passed
    gauges = {metric.name: metric.samples[0].value for metric in TimerBacklogCollector().collect()}
    assert gauges["scheduler_jobs_active"] == 2
    assert gauges["scheduler_jobs_next_run_backlog"] == 1
