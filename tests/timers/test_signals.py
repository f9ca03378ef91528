"""Core tells timers through signals (``scheduler_project.core.signals``), never by import."""

import pytest
from django.utils import timezone

from scheduler_project.core import services as core_services
from timers.services.delivery import signing_secrets

pytestmark = pytest.mark.django_db


def test_a_rotated_secret_is_not_kept_by_this_process_cache():
    tenant = core_services.create_tenant(slug="acme")
    now = timezone.now()
    assert signing_secrets(tenant.pk, now) == [tenant.webhook_secret]
    rotated = core_services.rotate_signing_secret(tenant=tenant, grace_secs=0)
    assert signing_secrets(tenant.pk, now) == [rotated.webhook_secret]
