"""The console's pages with Django's test client: who may open them, what Find matches,
and that every page renders on an empty database."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from timers.models import AttemptOutcome, Timer, TimerAttempt, TimerStatus
from timers.services import create_job, create_timer, fire_job

pytestmark = pytest.mark.django_db

PAGES = ["/console/", "/console/now/live", "/console/find?q=x", "/console/jobs", "/console/dead-letters"]


def test_anonymous_visitors_are_sent_to_the_admin_login_and_back(client):
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.url.startswith("/admin/login/?next=/console/"), response.url


def test_a_refresh_of_the_now_page_after_the_session_ended_takes_the_page_to_the_login(client):
    response = client.get("/console/now/live", HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"] == "/admin/login/"


def test_a_logged_in_user_who_is_not_staff_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user("visitor", password="pw-0123456789")
    client.force_login(user)
    for page in PAGES:
        assert client.get(page).status_code == 403, page


def test_every_page_renders_on_an_empty_database(admin_client):
    for page in PAGES:
        response = admin_client.get(page)
        assert response.status_code == 200, page
    assert b"no worker has written a heartbeat" in admin_client.get("/console/").content
    assert b"no jobs" in admin_client.get("/console/jobs").content


def test_the_admin_links_to_the_console_and_the_console_to_the_admin(admin_client):
    assert b'href="/console/"' in admin_client.get("/admin/").content
    assert b'href="/admin/"' in admin_client.get("/console/").content


def test_the_lists_read_the_same_number_of_queries_for_one_row_as_for_many(admin_client, tenant, settings):
    settings.PUBLIC_STATS_CACHE_SECS = 3600  # the dead-letter count: counted once, by the first page

    def queries(page):
        admin_client.get(page)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(page).status_code == 200
        return len(captured)

    def add_rows():
        job = create_job(tenant=tenant, schedule_type="interval", interval_secs=60,
                         callback_url="https://example.com/job")[0]  # fmt: skip
        made = timer(tenant, metadata={"k": "v"}, execute_at=timezone.now() + timedelta(minutes=5))
        Timer.objects.filter(pk=timer(tenant).pk).update(status=TimerStatus.FAILED)
        TimerAttempt.objects.create(
            timer=made, number=1, started_at=timezone.now(), outcome=AttemptOutcome.SUCCESS
        )
        return job

    add_rows()
    pages = [
        "/console/",
        "/console/jobs",
        "/console/dead-letters",
        "/console/find?q=example.com",
        "/console/find?q=k=v",
    ]
    once = {page: queries(page) for page in pages}
    for _ in range(4):
        add_rows()
    assert {page: queries(page) for page in pages} == once


def timer(tenant, **fields):
    fields.setdefault("execute_at", timezone.now() + timedelta(hours=2))
    fields.setdefault("callback_url", "https://hooks.example.com/a")
    made, _ = create_timer(tenant=tenant, **fields)
    return made


def found(admin_client, query):
    return admin_client.get("/console/find", {"q": query}).content.decode()


def test_find_by_id_webhook_id_url_and_metadata(admin_client, tenant):
    wanted = timer(tenant, callback_url="https://orders.example.com/hook", metadata={"order": "A-17", "n": 5})
    other = timer(tenant, callback_url="https://billing.example.com/hook", metadata={"order": "B-2"})
    job = create_job(
        tenant=tenant,
        schedule_type="cron",
        cron_expression="0 3 * * *",
        timezone="Europe/Berlin",
        callback_url="https://orders.example.com/job",
        name="nightly",
    )[0]

    by_id = found(admin_client, str(wanted.pk))
    assert str(wanted.pk) in by_id and str(other.pk) not in by_id
    assert str(job.pk) in found(admin_client, str(job.pk))
    assert str(wanted.pk) in found(admin_client, wanted.webhook_id)
    by_url = found(admin_client, "ORDERS.example")
    assert str(wanted.pk) in by_url and str(job.pk) in by_url and str(other.pk) not in by_url
    by_metadata = found(admin_client, "order=A-17")
    assert str(wanted.pk) in by_metadata and str(other.pk) not in by_metadata
    assert str(wanted.pk) in found(admin_client, "n=5")  # a number in the metadata
    assert str(job.pk) in found(admin_client, "nightly")
    assert "0 found" in found(admin_client, str(uuid.uuid4()))


def test_find_a_withdrawal_by_id_and_status_token(admin_client):
    from withdrawals.models import ScheduledRequest

    request = ScheduledRequest.objects.create(
        payload=b"x",
        last_note_index="1",
        max_relayer_fee="1",
        relay_after=timezone.now(),
        due_at=timezone.now(),
    )
    assert f"/console/withdrawals/{request.pk}" in found(admin_client, str(request.pk))
    assert f"/console/withdrawals/{request.pk}" in found(admin_client, request.status_token)
    assert admin_client.get(f"/console/withdrawals/{request.pk}").status_code == 200


def test_a_timers_page_shows_its_attempts_with_the_headers_sent(admin_client, tenant):
    made = timer(tenant, callback_headers={"X-Order": "A-17"})
    Timer.objects.filter(pk=made.pk).update(status=TimerStatus.FAILED, last_error="HTTP 503")
    started = timezone.now()
    TimerAttempt.objects.create(
        timer=made,
        number=1,
        started_at=started,
        duration_ms=12,
        status_code=503,
        error="HTTP 503",
        outcome=AttemptOutcome.FAILED,
    )
    page = admin_client.get(f"/console/timers/{made.pk}").content.decode()
    assert "#1 failed" in page and "503" in page and "12 ms" in page
    assert "X-Order" in page and made.webhook_id in page and str(int(started.timestamp())) in page
    assert admin_client.get(f"/console/timers/{uuid.uuid4()}").status_code == 404


def test_a_job_page_shows_its_next_runs_in_its_zone_with_the_dst_day_marked(admin_client, tenant):
    with time_machine.travel(datetime(2026, 3, 27, 12, tzinfo=UTC), tick=False):
        job = create_job(
            tenant=tenant,
            schedule_type="cron",
            cron_expression="30 2 * * *",
            timezone="Europe/Berlin",
            callback_url="https://example.com/job",
        )[0]
        page = admin_client.get(f"/console/jobs/{job.pk}").content.decode()
    days = re.findall(r'<li class="day( dst)?">(\w+ [\d-]+)', page)
    assert [day for dst, day in days if dst] == ["Sun 2026-03-29"]  # Berlin springs forward
    assert "DST +01:00 → +02:00" in page
    # 02:30 does not exist that day: the run is at 03:00 local, 01:00 UTC.
    assert '<time datetime="2026-03-29T01:00:00+00:00">03:00:00</time>' in page
    assert '<time datetime="2026-03-28T01:30:00+00:00">02:30:00</time>' in page


def test_the_now_page_charts_the_last_hours_deliveries_and_lateness(admin_client, tenant):
    made = timer(tenant, execute_at=timezone.now() - timedelta(seconds=2))
    TimerAttempt.objects.create(
        timer=made, number=1, started_at=timezone.now(), status_code=200, outcome=AttemptOutcome.SUCCESS
    )
    page = admin_client.get("/console/now/live").content.decode()
    deliveries = page[page.index('data-chart="Deliveries') :].split("</figure>")[0]
    assert "<rect" in deliveries and "delivered" in deliveries
    lateness = page[page.index('data-chart="Firing lateness, default"') :].split("</figure>")[0]
    assert lateness.count("<polyline") == 2


def test_a_replay_is_counted_first_then_done_at_the_rate_set_and_recorded(admin_client, tenant):
    from timers.models import Replay

    failed = [
        timer(tenant, callback_url=f"https://{host}/hook") for host in ("a.example", "a.example", "b.example")
    ]
    Timer.objects.filter(pk__in=[t.pk for t in failed]).update(
        status=TimerStatus.FAILED, last_error="HTTP 503"
    )
    listed = admin_client.get("/console/dead-letters", {"callback_host": "a.example"}).content.decode()
    assert listed.count("/console/timers/") == 2
    task = create_job(tenant=tenant, schedule_type="interval", interval_secs=3600,
                      callback_url="https://a.example/job")[0]  # fmt: skip
    fired = fire_job(task, now=timezone.now() + timedelta(hours=2))
    Timer.objects.filter(pk=fired.pk).update(status=TimerStatus.FAILED)
    tasks_only = admin_client.get("/console/dead-letters", {"kind": "task"}).content.decode()
    assert tasks_only.count("/console/timers/") == 1 and str(fired.pk) in tasks_only
    Timer.objects.filter(pk=fired.pk).delete()

    form = {"callback_host": "a.example", "rate": "2", "limit": ""}
    counted = admin_client.post("/console/dead-letters/replay", {**form, "action": "dry_run"})
    assert "2 failed timers match" in counted.content.decode()
    assert all(f"/console/timers/{t.pk}" in counted.content.decode() for t in failed[:2])  # the sample
    assert Timer.objects.filter(status=TimerStatus.FAILED).count() == 3  # a dry run changes nothing

    done = admin_client.post("/console/dead-letters/replay", {**form, "action": "replay"})
    assert done.status_code == 302 and done.url == "/console/dead-letters?callback_host=a.example"
    assert set(Timer.objects.filter(status=TimerStatus.PENDING).values_list("callback_url", flat=True)) == {
        "https://a.example/hook"
    }
    recorded = Replay.objects.order_by("created_at")
    assert [(r.dry_run, r.matched, r.rate, r.actor) for r in recorded] == [
        (True, 2, 2.0, "staff:admin"),
        (False, 2, 2.0, "staff:admin"),
    ]


def test_a_replay_with_a_bad_rate_or_an_unknown_tenant_is_refused_and_changes_nothing(admin_client, tenant):
    made = timer(tenant)
    Timer.objects.filter(pk=made.pk).update(status=TimerStatus.FAILED)
    for form in ({"rate": "fast"}, {"rate": "0"}, {"rate": "5", "tenant": "nobody"}):
        answer = admin_client.post("/console/dead-letters/replay", {**form, "action": "replay"})
        assert answer.status_code == 400, form
    assert Timer.objects.get(pk=made.pk).status == TimerStatus.FAILED


def test_job_buttons_pause_resume_run_now_and_delete_through_the_services(admin_client, tenant):
    job = create_job(tenant=tenant, schedule_type="interval", interval_secs=3600,
                     callback_url="https://example.com/job")[0]  # fmt: skip
    page = f"/console/jobs/{job.pk}"
    assert admin_client.post(f"{page}/pause").url == page
    assert "job paused" in admin_client.get(page).content.decode()
    admin_client.post(f"{page}/resume")
    admin_client.post(f"{page}/run")
    task = Timer.objects.get(job=job)
    assert (task.run_by, task.scheduled_for) == ("staff:admin", None)
    admin_client.post(f"{page}/delete")
    job.refresh_from_db()
    assert job.status == "deleted"
    refused = admin_client.post(f"{page}/resume", follow=True).content.decode()
    assert 'class="error">resume: ' in refused
