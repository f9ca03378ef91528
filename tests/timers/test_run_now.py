"""Run now (``POST /jobs/{id}/run``): one task of the job due at once, outside its schedule."""

from datetime import UTC, datetime, timedelta

import jsonschema_rs
import pytest
from rest_framework.test import APIClient

from timers.models import Job, Timer, TimerStatus
from timers.services.jobs import fire_due_jobs

T0 = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
CALLBACK = {"callback_url": "https://api.example.com/hook", "callback_payload": {"report": "daily"}}


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


def create(api: APIClient, **body) -> dict:
    response = api.post("/jobs", {**CALLBACK, **body}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["data"]


def run(api: APIClient, job_id: str):
    return api.post(f"/jobs/{job_id}/run")


def test_run_now_sends_one_task_at_once_and_the_schedule_does_not_move(
    api, clock, sent, django_capture_on_commit_callbacks
):
    job = create(api, schedule_type="cron", cron_expression="0 * * * *", max_runs=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = run(api, job["id"])

    assert response.status_code == 201, response.json()
    task = response.json()["data"]
    assert task == api.get(f"/tasks/{task['id']}").json()["data"]
    assert (task["job_id"], task["manual"], task["scheduled_for"]) == (job["id"], True, None)
    assert (task["status"], task["execute_at"], task["attempts"]) == ("pending", "2026-03-07T12:00:00Z", [])
    assert task["callback_payload"] == {"report": "daily"}
    headers = task["callback_headers"]
    assert (headers["X-Scheduler-Job-Id"], headers["X-Scheduler-Task-Id"]) == (job["id"], task["id"])
    assert headers["X-Scheduler-Manual"] == "true" and "X-Scheduler-Scheduled-For" not in headers
    assert [str(c.pk) for c in sent] == [task["id"]]  # due now: sent on commit, as any near timer
    after = api.get(f"/jobs/{job['id']}").json()["data"]
    assert (after["next_run_at"], after["run_count"], after["manual_runs"]) == (job["next_run_at"], 0, 1)
    assert Timer.objects.get(pk=task["id"]).run_by == "api_key:API_KEY"

    # The schedule's own run still comes, and still counts: max_runs is 1 and not used up by hand.
    clock.move_to(T0 + timedelta(hours=1), tick=False)
    assert fire_due_jobs(now=T0 + timedelta(hours=1)) == 1
    listed = api.get(f"/jobs/{job['id']}/tasks?order=asc").json()["data"]["tasks"]
    assert [(t["manual"], t["scheduled_for"]) for t in listed] == [
        (False, "2026-03-07T13:00:00Z"),
        (True, None),
    ]
    assert api.get(f"/jobs/{job['id']}").json()["data"]["status"] == "completed"


def test_a_paused_job_runs_now_stays_paused_and_a_pause_keeps_the_run(api, clock, sent):
    job = create(api, schedule_type="interval", interval_secs=60)
    assert api.post(f"/jobs/{job['id']}/pause").status_code == 200

    task = run(api, job["id"]).json()["data"]
    assert api.post(f"/jobs/{job['id']}/pause").status_code == 200  # drops unsent scheduled runs only

    stored = Job.objects.get(pk=job["id"])
    assert (stored.status, stored.next_run_at, stored.manual_runs) == ("paused", None, 1)
    assert Timer.objects.get(pk=task["id"]).status == TimerStatus.PENDING


@pytest.mark.parametrize(
    "body",
    [
        {"schedule_type": "condition", "source_url": "https://prices.example/p", "operator": ">", "target": 5,
         "poll_interval_secs": 10},
        {"schedule_type": "event", "event_type": "order.paid", "batch_max": 5, "batch_window_secs": 60},
        {"schedule_type": "chain_event", "rpc_url": "https://rpc.example/", "address": "0x" + "ab" * 20,
         "from_block": 1},
    ],
    ids=lambda body: body["schedule_type"],
)  # fmt: skip
def test_a_condition_event_or_chain_job_runs_now_with_its_own_body_and_no_observation(api, clock, sent, body):
    job = create(api, **body)

    task = run(api, job["id"]).json()["data"]

    assert task["callback_payload"] == {"report": "daily"}
    assert task["manual"] is True
    ids = {"X-Scheduler-Job-Id", "X-Scheduler-Task-Id", "X-Scheduler-Manual"}
    assert set(task["callback_headers"]) == ids
    after = api.get(f"/jobs/{job['id']}").json()["data"]
    assert (after["run_count"], after["last_run_at"], after["manual_runs"]) == (0, None, 1)
    if body["schedule_type"] == "event":
        assert after["last_events"] == []  # not an event's firing


def test_a_deleted_job_another_tenants_or_an_unknown_one_is_not_found(api, other_api, clock, sent):
    job = create(api, schedule_type="interval", interval_secs=60)
    answers = [run(other_api, job["id"]), run(api, "00000000-0000-0000-0000-000000000000")]
    assert api.delete(f"/jobs/{job['id']}").status_code == 200
    answers.append(run(api, job["id"]))

    for response in answers:
        assert response.status_code == 404, response.json()
        assert response.json()["code"] == 3
    assert Timer.objects.count() == 0 and sent == []
    assert Job.objects.get(pk=job["id"]).manual_runs == 0


def test_the_answer_is_what_the_openapi_document_describes(api, clock, sent):
    document = APIClient().get("/api/schema/?format=json").json()
    operation = document["paths"]["/jobs/{job_id}/run"]["post"]
    schema = operation["responses"]["201"]["content"]["application/json"]["schema"]
    validator = jsonschema_rs.validator_for({**schema, "components": document["components"]})
    job = create(api, schedule_type="interval", interval_secs=60)

    answer = run(api, job["id"]).json()

    assert not [str(error) for error in validator.iter_errors(answer)]
    assert {"401", "404"} <= set(operation["responses"])


def test_the_admin_action_runs_jobs_now_in_the_operators_name(admin_client, api, clock, sent):
    job = create(api, schedule_type="interval", interval_secs=60)

    response = admin_client.post(
        "/admin/timers/job/", {"action": "run_jobs_now", "_selected_action": [job["id"]]}, follow=True
    )

    assert "Ran 1 job(s) now." in response.content.decode()
    [task] = Timer.objects.filter(job_id=job["id"])
    assert (task.run_by, task.manual) == ("staff:admin", True)
