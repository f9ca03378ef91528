"""Writes for tenants and API keys, workers' rows, the sweeps' records, and the rate limits'
counts kept in the database."""

import functools
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, router, transaction
from django.db.models import Case, F, When
from django.utils import timezone
from rest_framework.exceptions import NotFound

from scheduler_project.core import scheduling
from scheduler_project.core.models import (
    ApiKey,
    RateCount,
    SweepRecord,
    Tenant,
    WorkerHeartbeat,
    hash_api_key,
    new_webhook_secret,
)
from scheduler_project.core.recent import Recent
from scheduler_project.core.signals import signing_secret_rotated

# The tenants of the environment's keys, as last read by this process: every request with
# API_KEY needs its tenant, and reading it (get_or_create) was a fifth of a create's cost.
CONFIGURED_TENANT_CACHE_SECS = 10.0
_configured: Recent[tuple[str, str, str], Tenant] = Recent(CONFIGURED_TENANT_CACHE_SECS)


def _configured_tenant(slug: str, name: str, secret: str) -> Tenant:
    """The tenant ``slug``, created on first use, signing with ``secret`` when it is set;
    read at most every ``CONFIGURED_TENANT_CACHE_SECS`` per process."""

    def read() -> Tenant:
        defaults = {"name": name}
        if secret:
            defaults["webhook_secret"] = secret
        tenant, _ = Tenant.objects.get_or_create(slug=slug, defaults=defaults)
        if secret and tenant.webhook_secret != secret:
            Tenant.objects.filter(pk=tenant.pk).update(webhook_secret=secret)
            tenant.webhook_secret = secret
        return tenant

    return _configured.get((router.db_for_write(Tenant), slug, secret), read)


def forget_configured_tenants() -> None:
    """Read the environment's tenants anew (this process; others within the cache's time)."""
    _configured.forget()


def default_tenant() -> Tenant:
    """The tenant whose key is the ``API_KEY`` setting (``WEBHOOK_SECRET`` signs its callbacks)."""
    return _configured_tenant(Tenant.DEFAULT_SLUG, "Default tenant", settings.WEBHOOK_SECRET)


def operations_tenant() -> Tenant:
    """The tenant the service's own alerts are sent as (``ALERT_WEBHOOK_SECRET`` signs them)."""
    return _configured_tenant(Tenant.OPERATIONS_SLUG, "Operations alerts", settings.ALERT_WEBHOOK_SECRET)


@transaction.atomic
def create_api_key(*, tenant_slug: str, name: str = "") -> tuple[ApiKey, str]:
    """Create a key for the tenant (creating the tenant if new); return it and the raw key.

    The raw key is not stored and cannot be shown again.
    """
    tenant, _ = Tenant.objects.get_or_create(slug=tenant_slug, defaults={"name": tenant_slug})
    raw_key = "sk_" + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        tenant=tenant, name=name, prefix=raw_key[:10], key_hash=hash_api_key(raw_key)
    )
    return api_key, raw_key


def tenant_for_key(raw_key: str) -> Tenant | None:
    """The tenant an API key belongs to, or None for an unknown or revoked key."""
    if settings.API_KEY and secrets.compare_digest(raw_key.encode(), settings.API_KEY.encode()):
        return default_tenant()
    api_key = ApiKey.objects.active().select_related("tenant").filter(key_hash=hash_api_key(raw_key)).first()
    return api_key.tenant if api_key else None


def forget_stale_workers(*, now: datetime) -> int:
    """Remove the rows of workers unseen for ``WORKER_ROW_RETENTION_SECS`` (a day)."""
    cutoff = now - timedelta(seconds=settings.WORKER_ROW_RETENTION_SECS)
    return scheduling.in_batches(
        WorkerHeartbeat.objects.filter(last_seen_at__lt=cutoff),
        order_by="last_seen_at",
        kind="workers",
        apply=lambda rows: rows.delete(),
    )


def record_sweep(kind: str, count: int, *, now: datetime) -> None:
    """Note that periodic work ``kind`` ran now (one upsert): detailed health and the beat
    check (``ops.monitoring``) read it."""
    SweepRecord.objects.bulk_create(
        [SweepRecord(kind=kind, last_at=now, last_count=count)],
        update_conflicts=True,
        unique_fields=["kind"],
        update_fields=["last_at", "last_count"],
    )


MAX_GRACE_SECS = 30 * 86400


def create_tenant(*, slug: str, name: str = "") -> Tenant:
    """A new tenant with a fresh signing secret; a conflict if the slug is taken."""
    from scheduler_project.core.envelope import Conflict  # imports DRF's views, which import auth

    try:
        with transaction.atomic():
            return Tenant.objects.create(slug=slug, name=name or slug)
    except IntegrityError:
        raise Conflict(f"tenant {slug!r} exists already") from None


def tenant_by_slug(slug: str) -> Tenant:
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise NotFound(f"no tenant {slug!r}")
    return tenant


def issue_api_key(*, tenant: Tenant, name: str = "") -> tuple[ApiKey, str]:
    """A new key for an existing tenant; the raw key is returned once and not stored."""
    return create_api_key(tenant_slug=tenant.slug, name=name)


def revoke_api_key(*, key_id: int) -> ApiKey:
    """Revoke a key: refused from the next request on, by every web process (keys are
    looked up on every request). Revoking twice keeps the first time."""
    key = ApiKey.objects.filter(pk=key_id).first()
    if key is None:
        raise NotFound(f"no API key {key_id}")
    ApiKey.objects.filter(pk=key_id, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db()
    return key


def rotate_signing_secret(*, tenant: Tenant, grace_secs: int) -> Tenant:
    """A new signing secret for the tenant. For ``grace_secs`` callbacks carry a signature
    with the previous secret too (space-separated, as Standard Webhooks allows), so
    receivers can switch at their pace; then only the new one."""
    if not 0 <= grace_secs <= MAX_GRACE_SECS:
        raise ValueError(f"grace_secs must be within 0..{MAX_GRACE_SECS}")
    from scheduler_project.core.envelope import Conflict

    pinned = {
        Tenant.DEFAULT_SLUG: settings.WEBHOOK_SECRET,
        Tenant.OPERATIONS_SLUG: settings.ALERT_WEBHOOK_SECRET,
    }
    if pinned.get(tenant.slug):
        raise Conflict(f"tenant {tenant.slug!r} signs with a secret from the environment: change it there")
    with transaction.atomic():
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        locked.previous_webhook_secret = locked.webhook_secret if grace_secs else ""
        locked.previous_secret_until = timezone.now() + timedelta(seconds=grace_secs) if grace_secs else None
        locked.webhook_secret = new_webhook_secret()
        locked.save(update_fields=["webhook_secret", "previous_webhook_secret", "previous_secret_until"])
    signing_secret_rotated.send(sender=Tenant, tenant=locked)
    forget_configured_tenants()
    return locked


def deregister_worker(*, name: str) -> None:
    """Forget a worker's row (one gone for good); a worker still running writes it again."""
    if not WorkerHeartbeat.objects.filter(name=name).delete()[0]:
        raise NotFound(f"no worker {name!r}")


def count_request(key: str, window: int, length: int) -> tuple[int, int, Callable[[], None]]:
    """Count one request under ``key`` in window number ``window`` (of ``length`` seconds) in
    the database; return the window's count, this request included, the previous window's,
    and what takes this request back out. The row is moved on to a newer window in the same
    statement, and the statement waits for any other process counting the same key."""
    while True:
        try:
            count, before, counted_in = _count_once(key, window, length)
        except IntegrityError:
            continue  # another process created the row first: count in it
        return count, before, functools.partial(_uncount_request, key, counted_in)


@transaction.atomic
def _count_once(key: str, window: int, length: int) -> tuple[int, int, int]:
    expires_at = datetime.fromtimestamp((window + 2) * length, UTC)
    rows = RateCount.objects.filter(key=key)
    # The previous window's count: kept, taken from the row's window, or none (older).
    before = Case(When(window=window, then=F("before")), When(window=window - 1, then=F("count")), default=0)
    counted = rows.filter(window__lte=window).update(
        before=before,
        count=Case(When(window=window, then=F("count") + 1), default=1),
        window=window,
        expires_at=expires_at,
    )
    # Another process's request may have begun the next window meanwhile.
    if not counted and not rows.update(count=F("count") + 1):
        RateCount.objects.create(key=key, window=window, count=1, before=0, expires_at=expires_at)
    return rows.values_list("count", "before", "window").get()


def _uncount_request(key: str, window: int) -> None:
    RateCount.objects.filter(key=key, window=window, count__gt=0).update(count=F("count") - 1)


def forget_old_rate_counts(*, now: datetime) -> int:
    """Remove the database's rate counts that no longer count for anything."""
    return scheduling.in_batches(
        RateCount.objects.filter(expires_at__lt=now),
        order_by="expires_at",
        kind="rate_counts",
        apply=lambda rows: rows.delete(),
    )
