"""The admin's index grouped by what operators do, and beat's tables read-only."""

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask


def test_the_index_groups_the_tables_by_what_operators_do(admin_client):
    page = admin_client.get("/admin/")

    groups = {app["name"]: [m["object_name"] for m in app["models"]] for app in page.context["app_list"]}
    assert list(groups) == [
        "Timers and jobs",
        "Withdrawals",
        "Workers and sweeps",
        "Beat's schedule (declared in settings, read-only)",
        "Tenants and keys",
        "Users and groups",
    ]
    assert groups["Workers and sweeps"] == ["WorkerHeartbeat", "SweepRecord"]
    assert groups["Tenants and keys"] == ["Tenant", "ApiKey"]
    assert groups["Timers and jobs"] == ["Timer", "Job", "Replay"]
    assert groups["Withdrawals"] == ["ScheduledRequest", "DeadLetter"]
    beat = page.context["app_list"][3]["models"]
    assert {m["object_name"] for m in beat} == {
        "PeriodicTask", "IntervalSchedule", "CrontabSchedule", "ClockedSchedule", "SolarSchedule"
    }  # fmt: skip
    assert all(m["view_only"] and not m["add_url"] for m in beat)
    assert "Worker heartbeats" in page.content.decode()
    core = admin_client.get("/admin/core/")  # an app's own page still lists its own tables
    assert [m["object_name"] for m in core.context["app_list"][0]["models"]] == [
        "ApiKey", "SweepRecord", "Tenant", "WorkerHeartbeat"
    ]  # fmt: skip


@pytest.fixture
def beat_task(db):
    every = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(name="sweep-timers", task="timers.tasks.sweep_timers", interval=every)


@pytest.mark.parametrize("model", ["periodictask", "intervalschedule", "crontabschedule", "clockedschedule",
                                   "solarschedule"])  # fmt: skip
def test_a_superuser_sees_beats_tables_with_the_reason_they_are_read_only_but_cannot_add(admin_client, model):
    listing = admin_client.get(f"/admin/django_celery_beat/{model}/")
    assert listing.status_code == 200
    assert "declared in settings" in listing.content.decode()
    assert "CELERY_BEAT_SCHEDULE" in listing.content.decode()
    assert listing.context["action_form"] is None  # no run, enable, disable or delete actions
    assert admin_client.get(f"/admin/django_celery_beat/{model}/add/").status_code == 403


def test_a_superuser_cannot_change_or_delete_beats_tasks_or_their_intervals(admin_client, beat_task):
    url = f"/admin/django_celery_beat/periodictask/{beat_task.pk}/change/"
    assert admin_client.get(url).status_code == 200  # to view it
    assert admin_client.post(url, {"name": "renamed", "enabled": ""}).status_code == 403
    assert admin_client.get(url.replace("change", "delete")).status_code == 403
    assert admin_client.post(url.replace("change", "delete"), {"post": "yes"}).status_code == 403
    interval = f"/admin/django_celery_beat/intervalschedule/{beat_task.interval_id}/delete/"
    assert admin_client.post(interval, {"post": "yes"}).status_code == 403
    bulk = admin_client.post(
        "/admin/django_celery_beat/periodictask/",
        {"action": "disable_tasks", "_selected_action": [beat_task.pk]},
    )
    assert bulk.status_code in (200, 302)

    beat_task.refresh_from_db()
    assert (beat_task.name, beat_task.enabled) == ("sweep-timers", True)
    assert IntervalSchedule.objects.filter(pk=beat_task.interval_id).exists()
