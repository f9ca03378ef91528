"""Writes for tenants and API keys."""

import secrets

from django.conf import settings
from django.db import transaction

from scheduler_project.core.models import ApiKey, Tenant, hash_api_key


def default_tenant() -> Tenant:
    """The tenant whose key is the ``API_KEY`` setting; created on first use."""
    defaults = {"name": "Default tenant"}
    if settings.WEBHOOK_SECRET:
        defaults["webhook_secret"] = settings.WEBHOOK_SECRET
    tenant, _ = Tenant.objects.get_or_create(slug=Tenant.DEFAULT_SLUG, defaults=defaults)
    if settings.WEBHOOK_SECRET and tenant.webhook_secret != settings.WEBHOOK_SECRET:
        Tenant.objects.filter(pk=tenant.pk).update(webhook_secret=settings.WEBHOOK_SECRET)
        tenant.webhook_secret = settings.WEBHOOK_SECRET
    return tenant


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
