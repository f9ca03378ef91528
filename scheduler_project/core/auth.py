"""``X-API-Key`` authentication: the request's ``auth`` is the key's tenant."""

from typing import Any

from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request

from scheduler_project.core.models import Tenant
from scheduler_project.core.services import tenant_for_key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    header = "X-API-Key"

    def authenticate(self, request: Request) -> tuple[None, Tenant] | None:
        raw_key = request.headers.get(self.header)
        if not raw_key:
            return None
        tenant = tenant_for_key(raw_key)
        if tenant is None:
            raise exceptions.AuthenticationFailed("invalid API key")
        return (None, tenant)

    def authenticate_header(self, request: Request) -> str:
        return self.header


def tenant_of(request: Request) -> Tenant:
    """The authenticated tenant of a request that passed ``HasTenant``."""
    assert isinstance(request.auth, Tenant)
    return request.auth


class HasTenant(permissions.BasePermission):
    message = "missing or invalid X-API-Key header"

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, Tenant)


class TenantRateThrottle(throttling.SimpleRateThrottle):
    """Per-tenant request rate limit (``API_RATE_LIMIT``, e.g. ``6000/min``)."""

    scope = "tenant"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, Tenant):
            return None
        return f"throttle:tenant:{request.auth.pk}"
