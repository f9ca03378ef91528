"""Key administration in the Django admin: revoke, rotate, deregister, through services."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from scheduler_project.core.models import ApiKey, Tenant, WorkerHeartbeat
from scheduler_project.core.services import create_api_key

pytestmark = pytest.mark.django_db


def act(client, model: str, action: str, pks: list) -> None:
    response = client.post(
        f"/admin/core/{model}/", {"action": action, "_selected_action": [str(p) for p in pks]}
    )
    assert response.status_code == 302


def test_a_key_revoked_in_the_admin_is_refused_at_once(admin_client):
    key, raw = create_api_key(tenant_slug="acme")
    client = APIClient(headers={"X-API-Key": raw})
    assert client.get("/timers").status_code == 200

    act(admin_client, "apikey", "revoke", [key.pk])

    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    assert client.get("/timers").status_code == 401


def test_rotating_in_the_admin_keeps_the_old_secret_for_the_grace_period(admin_client):
    tenant = Tenant.objects.create(slug="acme", name="Acme")
    old = tenant.webhook_secret

    act(admin_client, "tenant", "rotate_secret", [tenant.pk])

    tenant.refresh_from_db()
    assert tenant.webhook_secret != old and tenant.previous_webhook_secret == old
    assert tenant.signing_secrets(timezone.now()) == [tenant.webhook_secret, old]


def test_deregistering_in_the_admin_forgets_the_worker(admin_client):
    now = timezone.now()
    gone = WorkerHeartbeat.objects.create(name="gone@box", host="box", pid=1, version="5", started_at=now,
                                          last_seen_at=now)  # fmt: skip

    act(admin_client, "workerheartbeat", "deregister", [gone.pk])

    assert not WorkerHeartbeat.objects.exists()
