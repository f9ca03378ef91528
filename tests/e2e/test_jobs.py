"""A recurring job through a real worker and beat: each run is one signed task."""

import time
from datetime import UTC, datetime
from itertools import pairwise

from scheduler_project.testing.servers import eventually
from tests.conftest import exactly
from timers.models import Timer, TimerStatus
from timers.receiver import verify


def header(hit, name: str) -> str:
    return next(value for key, value in hit.headers.items() if key.lower() == name.lower())


def test_an_interval_job_fires_each_run_once_as_a_signed_task(processes, api, receiver, tenant):
    processes.worker()
    processes.beat()
    created = api.post(
        "/jobs",
        {
            "schedule_type": "interval",
            "interval_secs": 2,
            "max_runs": 2,
            "callback_url": receiver.url("/job"),
            "callback_payload": {"report": "daily"},
        },
        format="json",
    ).json()["data"]
    start = datetime.fromisoformat(created["start_at"].replace("Z", "+00:00"))

    first, second = exactly(receiver, 2, path="/job", timeout=30, quiet=3)
    for hit, run in ((first, 0), (second, 1)):
        assert verify(tenant.webhook_secret, hit) == {"report": "daily"}
        assert header(hit, "X-Scheduler-Job-Id") == created["id"]
        scheduled = datetime.fromisoformat(header(hit, "X-Scheduler-Scheduled-For").replace("Z", "+00:00"))
        assert scheduled.timestamp() == start.timestamp() + 2 * run
        assert hit.arrived >= scheduled.timestamp() - 0.001
        task_id = header(hit, "X-Scheduler-Task-Id")
        assert hit.headers["webhook-id"] == f"msg_{task_id.replace('-', '')}"

    eventually(lambda: Timer.objects.filter(job_id=created["id"], status=TimerStatus.COMPLETED).count() == 2)
    job = api.get(f"/jobs/{created['id']}").json()["data"]
    assert (job["status"], job["run_count"], job["next_run_at"]) == ("completed", 2, None)
    history = api.get(f"/jobs/{created['id']}/tasks?order=asc").json()["data"]
    assert [t["status"] for t in history["tasks"]] == ["completed", "completed"]
    detail = api.get(f"/tasks/{history['tasks'][0]['id']}").json()["data"]
    assert [a["outcome"] for a in detail["attempts"]] == ["success"]
    assert datetime.fromisoformat(detail["scheduled_for"].replace("Z", "+00:00")).astimezone(UTC) == start


def test_a_job_put_on_a_shorter_interval_fires_on_it_at_once(processes, api, receiver):
    processes.worker()
    processes.beat()
    created = api.post(
        "/jobs",
        {"schedule_type": "interval", "interval_secs": 60, "callback_url": receiver.url("/sooner")},
        format="json",
    ).json()["data"]
    old_first_run = datetime.fromisoformat(created["next_run_at"].replace("Z", "+00:00")).timestamp()

    changed = api.put(f"/jobs/{created['id']}", {"interval_secs": 1}, format="json").json()["data"]

    assert datetime.fromisoformat(changed["next_run_at"].replace("Z", "+00:00")).timestamp() < old_first_run
    hits = receiver.wait_for(2, path="/sooner", timeout=old_first_run - time.time() - 5)
    # Every second a run: a busy machine may let a third arrive before this thread looks.
    assert len(hits) >= 2 and hits[1].arrived < old_first_run
    assert len({header(hit, "X-Scheduler-Task-Id") for hit in hits}) == len(hits)  # each run once


def test_two_beats_and_two_workers_fire_each_run_once(processes, api, receiver):
    for _ in range(2):
        processes.worker(concurrency=4)
        processes.beat()
    created = api.post(
        "/jobs",
        {
            "schedule_type": "interval",
            "interval_secs": 1,
            "max_runs": 6,
            "callback_url": receiver.url("/twice"),
        },
        format="json",
    ).json()["data"]

    hits = exactly(receiver, 6, path="/twice", timeout=40, quiet=3)
    scheduled = [header(hit, "X-Scheduler-Scheduled-For") for hit in hits]
    assert len(set(scheduled)) == 6
    assert Timer.objects.filter(job_id=created["id"]).count() == 6


def test_an_overlap_skip_job_never_has_two_callbacks_open_at_once(processes, api, receiver):
    from timers.receiver import Reply

    for _ in range(2):
        processes.worker()
    processes.beat()
    answer_secs = 2.5
    receiver.script("/slow", *[Reply(200, delay=answer_secs)] * 100)
    created = api.post(
        "/jobs",
        {
            "schedule_type": "interval",
            "interval_secs": 1,
            "overlap_policy": "skip",
            "callback_url": receiver.url("/slow"),
        },
        format="json",
    ).json()["data"]

    assert len(receiver.wait_for(3, path="/slow", timeout=60)) >= 3
    api.post(f"/jobs/{created['id']}/pause")
    time.sleep(answer_secs + 2)  # the callback in flight ends; nothing new starts

    arrivals = sorted(hit.arrived for hit in receiver.received if hit.path == "/slow")
    gaps = [later - earlier for earlier, later in pairwise(arrivals)]
    assert min(gaps) >= answer_secs, f"a callback started while another was open: {gaps}"
    job = api.get(f"/jobs/{created['id']}").json()["data"]
    assert job["skipped_runs"] >= 2
    skipped = api.get(f"/jobs/{created['id']}/tasks?status=skipped").json()["data"]
    assert skipped["total"] == job["skipped_runs"]
    assert Timer.objects.filter(job_id=created["id"], status=TimerStatus.EXECUTING).count() == 0


def test_a_condition_job_fires_once_when_its_source_turns_true(processes, api, receiver):
    from timers.receiver import Reply

    processes.worker()
    processes.beat()
    low = Reply(200, body='{"level": 3}')
    receiver.script("/level", low, low, *[Reply(200, body='{"level": 9}')] * 30)
    created = api.post(
        "/jobs",
        {
            "schedule_type": "condition",
            "source_url": receiver.url("/level"),
            "value_pointer": "/level",
            "operator": ">=",
            "target": 5,
            "poll_interval_secs": 1,
            "callback_url": receiver.url("/alert"),
        },
        format="json",
    ).json()["data"]

    (alert,) = exactly(receiver, 1, path="/alert", timeout=30, quiet=3)
    assert header(alert, "X-Scheduler-Observed-Value") == "9"
    assert header(alert, "X-Scheduler-Job-Id") == created["id"]
    job = api.get(f"/jobs/{created['id']}").json()["data"]
    assert (job["condition_state"], job["last_value"], job["run_count"]) == ("true", 9, 1)
