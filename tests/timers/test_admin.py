"""Operators' admin: find timers, cancel them, retry them, see their attempts."""

import hashlib
import re
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from scheduler_project.testing.factories import TimerFactory
from timers.models import AttemptOutcome, ChainEndpoint, Job, JobStatus, Timer, TimerAttempt, TimerStatus
from timers.services.jobs import create_task


@pytest.fixture
def operator(admin_client):
    return admin_client


def run_action(client, action, timers):
    return client.post(
        "/admin/timers/timer/",
        {"action": action, "_selected_action": [str(t.pk) for t in timers]},
        follow=True,
    )


def test_the_cancel_action_cancels_pending_timers_and_reports_the_others(operator, tenant):
    pending = TimerFactory(tenant=tenant)
    done = TimerFactory(tenant=tenant, status=TimerStatus.COMPLETED)

    response = run_action(operator, "cancel_timers", [pending, done])

    pending.refresh_from_db()
    done.refresh_from_db()
    assert pending.status == TimerStatus.CANCELED
    assert done.status == TimerStatus.COMPLETED
    text = response.content.decode()
    assert "Canceled 1 timer(s)." in text
    assert "cannot cancel timer with status &#x27;completed&#x27;" in text


def test_the_retry_now_action_sends_a_failed_timer_again_with_fresh_attempts(
    operator, tenant, django_capture_on_commit_callbacks, monkeypatch
):
    from timers.services import delivery

    sent = []
    monkeypatch.setattr(delivery, "send_delivery", lambda claimed: sent.append(claimed) or True)
    failed = TimerFactory(tenant=tenant, status=TimerStatus.FAILED, attempts=3, last_error="HTTP 500",
                          execute_at=timezone.now(), due_at=timezone.now())  # fmt: skip
    old_token = failed.dispatch_token

    with django_capture_on_commit_callbacks(execute=True):
        run_action(operator, "retry_timers_now", [failed])

    failed.refresh_from_db()
    assert (failed.status, failed.schedule_attempts, failed.last_error) == (TimerStatus.PENDING, 0, None)
    assert failed.attempts == 3  # the history keeps its numbering
    assert failed.dispatch_token != old_token
    assert [c.token for c in sent] == [failed.dispatch_token]


def test_timers_can_be_found_by_id_url_and_metadata(operator, tenant):
    by_id = TimerFactory(tenant=tenant, callback_url="https://a.example/x")
    by_meta = TimerFactory(tenant=tenant, metadata={"client_ref": "order-456"})

    assert str(by_id.pk) in operator.get("/admin/timers/timer/", {"q": str(by_id.pk)}).content.decode()
    found = operator.get("/admin/timers/timer/", {"q": "order-456"}).content.decode()
    assert str(by_meta.pk) in found
    assert str(by_id.pk) not in found
    assert str(by_id.pk) in operator.get("/admin/timers/timer/", {"q": "a.example"}).content.decode()


def test_the_list_filters_by_status_and_tenant(operator, tenant):
    failed = TimerFactory(tenant=tenant, status=TimerStatus.FAILED)
    pending = TimerFactory(tenant=tenant)

    page = operator.get("/admin/timers/timer/", {"status__exact": "failed"}).content.decode()

    assert str(failed.pk) in page
    assert str(pending.pk) not in page
    assert operator.get("/admin/timers/timer/", {"tenant__id__exact": tenant.pk}).status_code == 200


def test_the_timer_page_shows_its_attempts_read_only(operator, tenant):
    timer = TimerFactory(tenant=tenant, callback_payload={"secret": "payload-value"})
    TimerAttempt.objects.create(timer=timer, number=1, started_at=timezone.now(), status_code=502,
                                error="HTTP 502", outcome=AttemptOutcome.RETRY)  # fmt: skip

    page = operator.get(f"/admin/timers/timer/{timer.pk}/change/").content.decode()

    assert "HTTP 502" in page
    assert "payload-value" in page
    assert 'name="callback_payload"' not in page  # shown, not editable


def test_job_actions_pause_resume_and_delete_through_the_services(operator, api):
    created = api.post(
        "/jobs",
        {"schedule_type": "cron", "cron_expression": "*/5 * * * *", "callback_url": "https://a.example/hook"},
        format="json",
    ).json()["data"]
    job = Job.objects.get(pk=created["id"])

    run_job_action(operator, "pause_jobs", [job])
    job.refresh_from_db()
    assert (job.status, job.next_run_at) == (JobStatus.PAUSED, None)
    run_job_action(operator, "resume_jobs", [job])
    job.refresh_from_db()
    assert job.status == JobStatus.ACTIVE and job.next_run_at is not None
    response = run_job_action(operator, "delete_jobs", [job])
    job.refresh_from_db()
    assert job.status == JobStatus.DELETED
    assert "Deleted 1 job(s)." in response.content.decode()
    assert operator.get(f"/admin/timers/job/{job.pk}/change/").status_code == 200
    assert operator.get(f"/admin/timers/job/?q={job.pk}").status_code == 200


def test_timers_and_jobs_are_cancelled_or_deleted_by_their_services_never_removed(operator, api, tenant):
    job = Job.objects.get(
        pk=api.post(
            "/jobs",
            {
                "schedule_type": "cron",
                "cron_expression": "*/5 * * * *",
                "callback_url": "https://a.example/h",
            },
            format="json",
        ).json()["data"]["id"]
    )
    timer = TimerFactory(tenant=tenant)

    for page in (f"/admin/timers/job/{job.pk}/", f"/admin/timers/timer/{timer.pk}/"):
        assert operator.post(page + "delete/", {"post": "yes"}).status_code == 403
        assert "deletelink" not in operator.get(page + "change/").content.decode()
    listed = operator.get("/admin/timers/job/").content.decode()
    assert 'value="delete_selected"' not in listed and 'value="delete_jobs"' in listed
    assert Job.objects.filter(pk=job.pk).exists() and Timer.objects.filter(pk=timer.pk).exists()


def run_job_action(client, action, jobs):
    return client.post(
        "/admin/timers/job/", {"action": action, "_selected_action": [str(j.pk) for j in jobs]}, follow=True
    )


def fieldset_titles(page: str) -> list[str]:
    return re.findall(r'<h2 id="fieldset-[^"]*-heading" class="fieldset-heading">([^<]*)</h2>', page)


def test_a_job_page_shows_the_common_fields_then_only_those_of_its_type(operator, api):
    created = api.post(
        "/jobs",
        {"schedule_type": "cron", "cron_expression": "*/5 * * * *", "callback_url": "https://a.example/hook"},
        format="json",
    ).json()["data"]

    page = operator.get(f"/admin/timers/job/{created['id']}/change/").content.decode()

    assert fieldset_titles(page) == ["Schedule"]
    assert "field-cron_expression" in page and "field-misfire_policy" in page
    assert "field-rpc_url" not in page and "field-source_url" not in page and "field-event_type" not in page


def test_a_chain_job_page_shows_its_checkpoint_and_lag(operator, api):
    rpc = "https://rpc.example/"
    created = api.post(
        "/jobs",
        {"schedule_type": "chain_event", "rpc_url": rpc, "address": "0x" + "ab" * 20,
         "callback_url": "https://a.example/hook"},
        format="json",
    ).json()["data"]  # fmt: skip
    ChainEndpoint.objects.create(
        url=rpc, url_hash=hashlib.sha256(rpc.encode()).hexdigest(), head_block=1_000_050
    )
    Job.objects.filter(pk=created["id"]).update(
        last_processed_block=1_000_000, last_processed_hash="0x" + "9f" * 32, last_error="eth_getLogs refused"
    )

    page = operator.get(f"/admin/timers/job/{created['id']}/change/").content.decode()

    assert fieldset_titles(page) == ["Chain", "Checkpoint"]
    checkpoint = page[page.index(">Checkpoint<") :]
    for shown in ("1000000", "0x" + "9f" * 32, "eth_getLogs refused", '<div class="readonly">50</div>'):
        assert shown in checkpoint, shown
    assert "field-cron_expression" not in page


def test_an_event_job_page_shows_its_last_events_and_dropped_events(operator, api, monkeypatch):
    from timers.services import delivery

    monkeypatch.setattr(delivery, "send_delivery", lambda claimed: True)
    created = api.post(
        "/jobs",
        {"schedule_type": "event", "event_type": "order.paid", "callback_url": "https://a.example/hook"},
        format="json",
    ).json()["data"]
    job = Job.objects.get(pk=created["id"])
    task = create_task(job, scheduled_for=None, now=timezone.now(), trigger_key="evt_admin_1")
    Job.objects.filter(pk=job.pk).update(dropped_events=7)

    page = operator.get(f"/admin/timers/job/{job.pk}/change/").content.decode()

    assert fieldset_titles(page) == ["Events", "Last events"]
    last = page[page.index(">Last events<") :]
    assert "evt_admin_1" in last and f"/admin/timers/timer/{task.pk}/change/" in last
    assert '<div class="readonly">7</div>' in last


def test_the_job_list_filters_by_schedule_type(operator, api):
    for body in (
        {"schedule_type": "cron", "cron_expression": "* * * * *", "name": "the-cron"},
        {"schedule_type": "event", "event_type": "x", "name": "the-event"},
    ):
        api.post("/jobs", {**body, "callback_url": "https://a.example/hook"}, format="json")

    page = operator.get("/admin/timers/job/", {"schedule_type__exact": "event"}).content.decode()

    assert "the-event" in page and "the-cron" not in page


def test_times_show_to_the_second_with_their_zone(operator, tenant):
    """A service whose unit is the second: not ``Dec. 6, 2026, 7:41 p.m.``."""
    moment = datetime(2026, 12, 6, 19, 41, 7, tzinfo=UTC)
    timer = TimerFactory(tenant=tenant, execute_at=moment)

    listed = operator.get("/admin/timers/timer/").content.decode()
    shown = operator.get(f"/admin/timers/timer/{timer.pk}/change/").content.decode()

    assert "2026-12-06 19:41:07 UTC" in listed
    assert "Dec. 6, 2026" not in listed
    assert "19:41:07" in shown


def test_a_jobs_page_shows_its_times_also_in_the_jobs_own_zone(operator, api, time_machine):
    time_machine.move_to(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), tick=False)
    created = api.post(
        "/jobs",
        {"schedule_type": "cron", "cron_expression": "30 8 * * *", "timezone": "America/New_York",
         "callback_url": "https://api.example.com/hook"},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()

    page = operator.get(f"/admin/timers/job/{created.json()['data']['id']}/change/").content.decode()

    assert "2026-12-07 13:30:00 UTC" in page  # next run, as every time in the admin
    assert "2026-12-07 08:30:00 EST" in page  # the same, on the job's wall clock
    assert "America/New_York" in page
