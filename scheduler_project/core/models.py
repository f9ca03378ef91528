"""Tenants, their API keys, and the columns every piece of scheduled work shares."""

import base64
import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from typing import cast

from django.db import models
from django.db.models import Q


def new_webhook_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def hash_api_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


class Tenant(models.Model):
    """A client of the service: owns its timers, keys and webhook signing secret."""

    DEFAULT_SLUG = "default"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    webhook_secret = models.CharField(max_length=100, default=new_webhook_secret)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """An API key, stored only as its SHA-256; the raw key is shown once at creation."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=200, blank=True)
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise a key.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.tenant})"


class ScheduledWorkQuerySet(models.QuerySet):
    """Reads shared by every kind of scheduled work (see core.scheduling)."""

    def ready_to_dispatch(self, *, now: datetime, horizon: timedelta) -> "ScheduledWorkQuerySet":
        """Pending rows due within the horizon that no live dispatch holds."""
        model = cast("type[ScheduledWork]", self.model)
        return self.filter(status=model.PENDING, due_at__lte=now + horizon).filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        )

    def lease_expired(self, *, now: datetime) -> "ScheduledWorkQuerySet":
        """Rows a worker took and never finished (the worker died or was killed)."""
        model = cast("type[ScheduledWork]", self.model)
        return self.filter(status=model.RUNNING, lease_until__lt=now)


class ScheduledWork(models.Model):
    """Columns of the shared claim/lease mechanism.

    ``due_at`` is when the next attempt may run; ``dispatch_token`` names the
    current schedule (a task carrying an older token does nothing);
    ``lease_until`` says until when a dispatched or running attempt holds the
    row; ``attempts`` counts attempts started.
    """

    PENDING = "pending"
    RUNNING = "running"

    due_at = models.DateTimeField()
    dispatch_token = models.UUIDField(default=uuid.uuid4)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
