"""Public stats and workers, secret rotation, rate limits, the admin API's gate, and the
periodic cleanups."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from scheduler_project.core import services as core_services
from scheduler_project.core.auth import ClientIpRateThrottle, TenantRateThrottle
from scheduler_project.core.models import WorkerHeartbeat
from scheduler_project.core.scheduling import cleanup
from scheduler_project.core.services import forget_stale_workers
from scheduler_project.testing.factories import TimerFactory
from tests.conftest import ROOT
from timers import services
from timers.models import Job, Timer, TimerAttempt, TimerStatus
from withdrawals.models import ScheduledRequest, WithdrawalStatus
from withdrawals.services import wipe_old_payloads

pytestmark = pytest.mark.django_db
ADMIN_TOKEN = "admin-token-0123456789abcdefghijklmnopqrstuv"
MARKER = "tenant-secret-marker-4711"


def test_public_stats_and_workers_count_everything_and_show_no_tenant_data(api, settings):
    settings.PUBLIC_STATS_CACHE_SECS = 0
    now = timezone.now()
    created = [
        api.post("/timers", {"execute_at": (now + timedelta(hours=1)).isoformat(), "callback_url":
                 f"https://{MARKER}.example.com/hook", "metadata": {"who": MARKER}}, format="json")
        for _ in range(3)
    ]  # fmt: skip
    done = TimerFactory(status=TimerStatus.COMPLETED, execute_at=now - timedelta(seconds=2))
    TimerAttempt.objects.create(
        timer=done, number=1, started_at=now - timedelta(seconds=1.9), outcome="success"
    )
    TimerAttempt.objects.create(timer=done, number=2, started_at=now, outcome="failed")
    WorkerHeartbeat.objects.create(name="deliverer@box", host="box", pid=7, queues=["deliveries"],
                                   concurrency=16, version="5", started_at=now, last_seen_at=now)  # fmt: skip

    anonymous = APIClient()
    stats = anonymous.get("/public/stats")
    workers = anonymous.get("/public/workers")
    health = anonymous.get("/health/detailed")

    assert stats.status_code == workers.status_code == health.status_code == 200
    data = stats.json()["data"]
    assert data["timers"] == {
        "pending": 3, "executing": 0, "completed": 1, "failed": 0, "canceled": 0, "skipped": 0,
    }  # fmt: skip
    assert data["withdrawals"]["pending"] == 0 and data["jobs"]["active"] == 0
    assert data["last_hour"] == {"deliveries": 1, "failures": 1}
    assert data["lateness_last_5_min"]["first_attempts"] == 1
    assert 50 < data["lateness_last_5_min"]["p50_ms"] < 200
    assert workers.json()["data"]["workers"] == [
        {"name": "deliverer@box", "queues": ["deliveries"], "concurrency": 16, "last_seen_at": workers.json()[
            "data"]["workers"][0]["last_seen_at"]}
    ]  # fmt: skip
    for response in (stats, workers, health):
        text = response.content.decode()
        assert MARKER not in text and "default" not in text
        assert not any(c.json()["data"]["id"] in text for c in created)


def test_public_stats_are_cached(api, settings):
    settings.PUBLIC_STATS_CACHE_SECS = 60
    before = APIClient().get("/public/stats").json()["data"]["timers"]["pending"]
    TimerFactory()
    assert APIClient().get("/public/stats").json()["data"]["timers"]["pending"] == before


def test_a_rotated_secret_signs_beside_the_new_one_for_the_grace_period_then_not(
    api, receiver, settings, time_machine
):
    settings.ADMIN_BEARER_TOKEN = ADMIN_TOKEN
    admin = APIClient(headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    admin.post("/api/admin/tenants", {"slug": "acme"}, format="json")
    tenant = core_services.tenant_by_slug("acme")
    old = tenant.webhook_secret
    rotated = admin.post("/api/admin/tenants/acme/rotate-secret", {"grace_secs": 3600}, format="json")
    assert rotated.status_code == 200
    new = rotated.json()["data"]["webhook_secret"]
    assert new != old

    def delivered(path: str, *, travelled: timedelta = timedelta(0)) -> dict:
        # Due now by the database's clock, which does not travel with this process's.
        due = timezone.now() - travelled
        timer = Timer.objects.create(tenant=tenant, execute_at=due, due_at=due,
                                     callback_url=receiver.url(path))  # fmt: skip
        services.deliver_timer(timer_id=timer.pk, token=timer.dispatch_token)
        item = receiver.wait_for(1, path=path)[0]
        return {"body": item.body, "headers": item.headers}

    during = delivered("/during")
    assert len(during["headers"]["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(during["body"], during["headers"])
    Webhook(new).verify(during["body"], during["headers"])

    grace = timedelta(seconds=3601)
    time_machine.move_to(timezone.now() + grace)
    after = delivered("/after", travelled=grace)
    assert len(after["headers"]["webhook-signature"].split(" ")) == 1
    Webhook(new).verify(after["body"], after["headers"])
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(after["body"], after["headers"])


def test_a_secret_from_the_environment_is_not_rotated_through_the_api(settings):
    settings.ADMIN_BEARER_TOKEN = ADMIN_TOKEN
    core_services.default_tenant()
    admin = APIClient(headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    response = admin.post("/api/admin/tenants/default/rotate-secret", {"grace_secs": 60}, format="json")
    assert response.status_code == 409


def test_the_admin_api_is_off_without_a_token_and_refuses_a_weak_one(settings):
    settings.ADMIN_BEARER_TOKEN = ""
    response = APIClient(headers={"Authorization": "Bearer anything"}).get("/api/admin/tenants")
    assert response.status_code == 404 and response.json()["code"] != 0

    weak = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "scheduler_project.settings",
             "ADMIN_BEARER_TOKEN": "change-this-in-production"},
    )  # fmt: skip
    assert weak.returncode != 0 and "ADMIN_BEARER_TOKEN" in weak.stderr


def test_the_rate_limit_counts_per_api_key(api, monkeypatch):
    monkeypatch.setattr(TenantRateThrottle, "rate", "3/min", raising=False)
    _, second_key = core_services.create_api_key(tenant_slug="default", name="second")
    for _ in range(3):
        assert api.get("/timers").status_code == 200
    limited = api.get("/timers")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited.json()["code"] != 0
    assert APIClient(headers={"X-API-Key": second_key}).get("/timers").status_code == 200


def test_the_public_rate_limit_counts_per_client_ip_whatever_x_forwarded_for_says(monkeypatch):
    monkeypatch.setattr(ClientIpRateThrottle, "rate", "3/min", raising=False)
    client = APIClient(REMOTE_ADDR="203.0.113.7")
    answers = [
        client.post(
            "/schedule_withdraw", {}, format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(5)
    ]
    assert answers[:3] == [400, 400, 400] and answers[3:] == [429, 429]
    assert (
        APIClient(REMOTE_ADDR="203.0.113.8").post("/schedule_withdraw", {}, format="json").status_code == 400
    )

    # Behind one trusted proxy the client is the entry that proxy added, not one it forwarded.
    monkeypatch.setattr(api_settings, "NUM_PROXIES", 1)
    proxy = APIClient(REMOTE_ADDR="10.0.0.1")
    forged = [
        proxy.post(
            "/schedule_withdraw", {}, format="json", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 192.0.2.5"
        ).status_code
        for n in range(4)
    ]
    assert forged == [400, 400, 400, 429]
    other = proxy.post("/schedule_withdraw", {}, format="json", HTTP_X_FORWARDED_FOR="192.0.2.6")
    assert other.status_code == 400


def test_cleanups_remove_only_what_is_due(api, tenant, settings):
    settings.TASK_RETENTION_DAYS, settings.IDEMPOTENCY_KEY_TTL_HOURS = 30, 24
    settings.WITHDRAWAL_PAYLOAD_RETENTION_DAYS = 7
    now = timezone.now()
    old, recent = now - timedelta(days=31), now - timedelta(days=1)
    job = Job.objects.create(
        tenant=tenant, schedule_type="interval", interval_secs=60, callback_url="https://x.example"
    )
    old_task = TimerFactory(tenant=tenant, job=job, scheduled_for=old, status=TimerStatus.COMPLETED)
    new_task = TimerFactory(tenant=tenant, job=job, scheduled_for=recent, status=TimerStatus.COMPLETED)
    waiting = TimerFactory(tenant=tenant, job=job, scheduled_for=now, status=TimerStatus.PENDING)
    Timer.objects.filter(pk__in=[old_task.pk, waiting.pk]).update(updated_at=old)
    one_shot = TimerFactory(tenant=tenant, status=TimerStatus.COMPLETED)
    TimerAttempt.objects.create(timer=one_shot, number=1, started_at=old, outcome="retry")
    TimerAttempt.objects.create(timer=one_shot, number=2, started_at=recent, outcome="success")
    keyed_old = TimerFactory(tenant=tenant, idempotency_key="k-old", request_hash="h")
    keyed_new = TimerFactory(tenant=tenant, idempotency_key="k-new", request_hash="h")
    Timer.objects.filter(pk=keyed_old.pk).update(created_at=now - timedelta(hours=25))
    WorkerHeartbeat.objects.create(
        name="gone@box", host="box", pid=1, version="5", started_at=old, last_seen_at=old
    )
    WorkerHeartbeat.objects.create(
        name="here@box", host="box", pid=2, version="5", started_at=now, last_seen_at=now
    )
    requests = {}
    for name, state, processed in [("done_old", WithdrawalStatus.COMPLETED, old),
                                   ("done_new", WithdrawalStatus.COMPLETED, recent),
                                   ("failed_old", WithdrawalStatus.FAILED, old)]:  # fmt: skip
        request = ScheduledRequest(last_note_index="1", max_relayer_fee="1", relay_after=old, due_at=old,
                                   status=state, processed_at=processed)  # fmt: skip
        request.set_payload(b"sealed-" + name.encode())
        request.save()
        requests[name] = request

    assert services.clean_up(now=now) == 3  # the old task, the old attempt, the old key
    assert forget_stale_workers(now=now) == 1
    assert wipe_old_payloads(now=now) == 1

    assert set(Timer.objects.filter(job=job).values_list("pk", flat=True)) == {new_task.pk, waiting.pk}
    assert list(one_shot.attempt_log.values_list("number", flat=True)) == [2]
    assert Timer.objects.get(pk=keyed_old.pk).idempotency_key is None
    assert Timer.objects.get(pk=keyed_new.pk).idempotency_key == "k-new"
    assert list(WorkerHeartbeat.objects.values_list("name", flat=True)) == ["here@box"]
    payloads = {name: bytes(ScheduledRequest.objects.get(pk=r.pk).payload) for name, r in requests.items()}
    assert payloads == {"done_old": b"", "done_new": b"sealed-done_new", "failed_old": b"sealed-failed_old"}
    assert ScheduledRequest.objects.get(pk=requests["done_old"].pk).payload_length == len(b"sealed-done_old")
    # Nothing more is due: a second run changes nothing.
    assert services.clean_up(now=now) == 0 and wipe_old_payloads(now=now) == 0


def test_a_cleanup_works_in_batches_and_goes_on_next_run(monkeypatch):
    monkeypatch.setattr(cleanup, "CLEANUP_BATCH", 2)
    monkeypatch.setattr(cleanup, "CLEANUP_MAX_BATCHES", 2)
    gone = timezone.now() - timedelta(days=2)
    WorkerHeartbeat.objects.bulk_create(
        [WorkerHeartbeat(name=f"w{n}", host="h", pid=n, version="5", started_at=gone, last_seen_at=gone)
         for n in range(5)]
    )  # fmt: skip
    assert forget_stale_workers(now=timezone.now()) == 4  # two batches of two
    assert forget_stale_workers(now=timezone.now()) == 1


def test_the_operations_gauges_count_workers_by_state_beat_and_dead_letters(settings):
    from scheduler_project.core.services import record_sweep
    from scheduler_project.ops.collectors import OperationsCollector

    settings.WORKER_OFFLINE_AFTER_SECS = 600
    now = timezone.now()
    for name, seen, stopped in [("a", now, None), ("b", now, None), ("c", now - timedelta(hours=1), None),
                                ("d", now, now)]:  # fmt: skip
        WorkerHeartbeat.objects.create(
            name=name, host="h", pid=1, version="5", started_at=now, last_seen_at=seen, stopped_at=stopped
        )
    record_sweep("sweep_timers", 0, now=now - timedelta(seconds=12))
    failed = ScheduledRequest(last_note_index="1", max_relayer_fee="1", relay_after=now, due_at=now,
                              status=WithdrawalStatus.FAILED)  # fmt: skip
    failed.set_payload(b"x")
    failed.save()

    samples = {
        (s.name, s.labels.get("state")): s.value for m in OperationsCollector().collect() for s in m.samples
    }

    assert samples[("scheduler_workers", "online")] == 2
    assert samples[("scheduler_workers", "offline")] == 1
    assert samples[("scheduler_workers", "stopped")] == 1
    assert 12 <= samples[("scheduler_beat_last_sweep_age_seconds", None)] < 20
    assert samples[("scheduler_dead_letters", None)] == 1
