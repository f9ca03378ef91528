"""``X-API-Key`` authentication: the request's ``auth`` is the key's tenant."""

from typing import Any

from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request

from scheduler_project.core.models import Tenant, hash_api_key
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
    """Request rate limit per API key (``API_RATE_LIMIT``, e.g. ``6000/min``), counted in the
    shared cache, so every web process counts against one limit."""

    scope = "tenant"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, Tenant):
            return None
        return f"throttle:key:{hash_api_key(request.headers.get(ApiKeyAuthentication.header, ''))[:32]}"


class ClientIpRateThrottle(throttling.SimpleRateThrottle):
    """Request rate limit per client IP on public write routes (``PUBLIC_RATE_LIMIT``). The
    client is the connecting address, or with ``TRUSTED_PROXY_COUNT`` proxies in front the
    address they saw (that many ``X-Forwarded-For`` entries from the right): a client
    cannot choose its own by sending the header."""

    scope = "public"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return f"throttle:ip:{self.get_ident(request)}"
