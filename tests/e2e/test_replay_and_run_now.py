"""Dead letters replayed in bulk and a job run now, through real workers, beat and receiver."""

from datetime import UTC, datetime, timedelta

from scheduler_project.testing.servers import eventually
from tests.conftest import exactly
from timers.models import Timer, TimerStatus
from timers.receiver import Reply


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def test_failed_timers_replayed_arrive_once_each_and_a_job_run_now_fires_at_once(processes, api, receiver):
    env = {"TIMER_RETRY_BASE_SECS": "0.2"}
    processes.worker(env=env)
    processes.beat(env=env)
    paths = ["/dead/0", "/dead/1"]
    for path in paths:
        receiver.script(path, *[Reply(500)] * 10)  # down until told otherwise
    due = iso(datetime.now(UTC) + timedelta(seconds=1))
    ids = [
        api.post("/timers", {"execute_at": due, "callback_url": receiver.url(path), "max_attempts": 2},
                 format="json").json()["data"]["id"]
        for path in paths
    ]  # fmt: skip
    job = api.post(
        "/jobs",
        {"schedule_type": "interval", "interval_secs": 3600, "callback_url": receiver.url("/job"),
         "callback_payload": {"report": "hourly"}},
        format="json",
    ).json()["data"]  # fmt: skip
    eventually(lambda: Timer.objects.filter(pk__in=ids, status=TimerStatus.FAILED).count() == 2, timeout=30)

    dry = api.post(
        "/timers/replay", {"filter": {"callback_host": "127.0.0.1"}, "dry_run": True}, format="json"
    )
    assert dry.status_code == 201, dry.json()
    assert (dry.json()["data"]["matched"], dry.json()["data"]["replayed"]) == (2, 0)
    assert Timer.objects.filter(pk__in=ids, status=TimerStatus.FAILED).count() == 2

    for path in paths:
        receiver.script(path)  # the target is back
    replayed = api.post(
        "/timers/replay", {"filter": {"callback_host": "127.0.0.1"}, "rate": 4}, format="json"
    )
    ran = api.post(f"/jobs/{job['id']}/run")

    assert (replayed.json()["data"]["matched"], replayed.json()["data"]["replayed"]) == (2, 2)
    assert ran.status_code == 201, ran.json()
    (run,) = exactly(receiver, 1, path="/job", timeout=30)
    assert run.json() == {"report": "hourly"} and run.headers["X-Scheduler-Manual"] == "true"
    for path, timer_id in zip(paths, ids, strict=True):
        *failures, last = exactly(receiver, 3, path=path, timeout=30, quiet=1)  # 2 failed, then one replay
        assert (
            last.headers["webhook-id"]
            == failures[0].headers["webhook-id"]
            == f"msg_{timer_id.replace('-', '')}"
        )
        eventually(lambda: Timer.objects.filter(pk=timer_id, status=TimerStatus.COMPLETED).exists())
        attempts = api.get(f"/timers/{timer_id}").json()["data"]["attempts"]
        assert [(a["number"], a["outcome"], a["status_code"]) for a in attempts] == [
            (1, "retry", 500), (2, "failed", 500), (3, "success", 200),
        ]  # fmt: skip
    after = api.get(f"/jobs/{job['id']}").json()["data"]
    assert (after["next_run_at"], after["run_count"], after["manual_runs"]) == (job["next_run_at"], 0, 1)
    task = api.get(f"/tasks/{ran.json()['data']['id']}").json()["data"]
    assert (task["status"], task["manual"]) == ("completed", True)
