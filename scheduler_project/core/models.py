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
    OPERATIONS_SLUG = "operations"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    webhook_secret = models.CharField(max_length=100, default=new_webhook_secret)
    # After a rotation, callbacks carry a signature with the previous secret too until then.
    previous_webhook_secret = models.CharField(max_length=100, blank=True, default="")
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets a callback is signed with now: the current one, and the previous
        one while its grace period lasts."""
        if self.previous_webhook_secret and self.previous_secret_until and now < self.previous_secret_until:
            return [self.webhook_secret, self.previous_webhook_secret]
        return [self.webhook_secret]


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
    # The worker process running the current attempt (its WorkerHeartbeat.instance):
    # when that process is found dead, its attempts are taken back at once.
    holder = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class WorkerHeartbeatQuerySet(models.QuerySet["WorkerHeartbeat"]):
    def online(self, *, now: datetime, offline_after: timedelta) -> "WorkerHeartbeatQuerySet":
        return self.filter(stopped_at__isnull=True, last_seen_at__gte=now - offline_after)

    def offline(self, *, now: datetime, offline_after: timedelta) -> "WorkerHeartbeatQuerySet":
        return self.filter(Q(stopped_at__isnull=False) | Q(last_seen_at__lt=now - offline_after))

    def holding(self, *, host: str) -> "WorkerHeartbeatQuerySet":
        """This host's worker instances whose work has not been taken back yet."""
        return self.filter(host=host, instance__isnull=False, leases_taken_at__isnull=True)


class WorkerHeartbeat(models.Model):
    """A worker process's last sign of life, written by the process itself every
    ``WORKER_HEARTBEAT_SECS``: it needs no event monitor and outlives restarts. A worker
    started again under the same name takes its row over."""

    name = models.CharField(max_length=255, unique=True, help_text="Celery node name, e.g. deliverer@host.")
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    queues = models.JSONField(default=list)
    concurrency = models.PositiveIntegerField(default=0)
    version = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    tasks_in_flight = models.PositiveIntegerField(default=0)
    tasks_done = models.PositiveBigIntegerField(default=0)
    stopped_at = models.DateTimeField(null=True, blank=True, help_text="Set by a clean shutdown.")
    offline_alerted_at = models.DateTimeField(null=True, blank=True)
    # This start of the process (a restart under the same name is another instance).
    instance = models.UUIDField(null=True, blank=True, editable=False)
    # When the work this instance held was taken back, after it stopped or died.
    leases_taken_at = models.DateTimeField(null=True, blank=True)
    clock_offset_ms = models.FloatField(
        null=True, blank=True, help_text="How far the worker's clock is ahead of the database's (core.clock)."
    )

    objects = WorkerHeartbeatQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SweepRecord(models.Model):
    """When each kind of periodic work (a beat entry) last ran, and what it did."""

    kind = models.CharField(max_length=64, primary_key=True)
    last_at = models.DateTimeField()
    last_count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.kind


class OperationsAlert(models.Model):
    """An alert raised and not yet cleared (``beat``), or the last value an alert was sent
    for (``dead_letters``): what makes each alert go out once."""

    key = models.CharField(max_length=64, primary_key=True)
    value = models.BigIntegerField(default=0)
    raised_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key


class RateCount(models.Model):
    """A rate limit's counts where no Redis keeps them (the embedded default, or while it
    cannot be reached), in the database every web process shares: one row per limited
    client (an API key, an IP), its current window's count and the previous one's."""

    key = models.CharField(max_length=200, primary_key=True)
    window = models.BigIntegerField()  # the current window's number (Unix time // its length)
    count = models.IntegerField()
    before = models.IntegerField()  # the previous window's count
    expires_at = models.DateTimeField(db_index=True)  # from then on nothing in the row counts

    def __str__(self) -> str:
        return self.key
