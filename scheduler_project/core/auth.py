"""``X-API-Key`` authentication: the request's ``auth`` is the key's tenant."""

import secrets
from typing import Any

from django.conf import settings
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request

from scheduler_project.core.models import ApiKey, Tenant, hash_api_key
from scheduler_project.core.rate_counts import count_hit
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


def actor_of(request: Request) -> str:
    """Who made a request, for the records of what it changed: ``api_key:`` and the key's
    name (its prefix if unnamed), or ``api_key:API_KEY`` for the configured key."""
    raw_key = request.headers.get(ApiKeyAuthentication.header, "")
    if settings.API_KEY and secrets.compare_digest(raw_key.encode(), settings.API_KEY.encode()):
        return "api_key:API_KEY"
    found = ApiKey.objects.filter(key_hash=hash_api_key(raw_key)).values_list("name", "prefix").first()
    if found is None:
        return "api_key:unknown"
    name, prefix = found
    return f"api_key:{name or prefix + '…'}"


class HasTenant(permissions.BasePermission):
    message = "missing or invalid X-API-Key header"

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, Tenant)


class CountingRateThrottle(throttling.SimpleRateThrottle):
    """DRF's rate limit (a rate such as ``6000/min`` per cache key), counted with a sliding
    window of two counters: the previous window's count, weighted by how much of it is
    still within one window of now, plus this window's.

    DRF's own keeps the time of every request of the last window as one list in the cache,
    read and written back whole by each request: at thousands a minute that list was most
    of a request's time, and two processes writing it back at once lose each other's
    requests. A counter costs the same at any rate, and Redis (or, without it, the
    database) adds to it atomically."""

    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        hit = count_hit(self.cache, key, window=self.duration, now=self.timer())
        still = 1 - hit.into / self.duration  # the share of the previous window still counted
        if hit.before * still + hit.count <= self.num_requests:
            return True
        hit.uncount()  # refused: not counted
        # Until the previous window's weight has fallen enough, or at most this window's end.
        left = self.duration - hit.into
        room = self.num_requests - hit.count
        enough = (1 - room / hit.before) * self.duration - hit.into if hit.before and room >= 0 else left
        self._wait = max(1.0, min(left, enough))
        return False

    def wait(self) -> float:
        return self._wait


class TenantRateThrottle(CountingRateThrottle):
    """Request rate limit per API key (``API_RATE_LIMIT``, e.g. ``6000/min``), counted in Redis
    or the database (``count_hit``), so every web process counts against one limit."""

    scope = "tenant"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, Tenant):
            return None
        return f"throttle:key:{hash_api_key(request.headers.get(ApiKeyAuthentication.header, ''))[:32]}"


class ClientIpRateThrottle(CountingRateThrottle):
    """Request rate limit per client IP on public write routes (``PUBLIC_RATE_LIMIT``). The
    client is the connecting address, or with ``TRUSTED_PROXY_COUNT`` proxies in front the
    address they saw (that many ``X-Forwarded-For`` entries from the right): a client
    cannot choose its own by sending the header."""

    scope = "public"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return f"throttle:ip:{self.get_ident(request)}"
