"""Sending a timer's callback: SSRF guard, Standard Webhooks signature, pooled HTTP.

The guard resolves the target host once, refuses it if any address is
loopback, private, link-local, multicast, reserved or a cloud metadata
address (unless inside ``CALLBACK_ALLOWED_NETWORKS``), and then connects to
that resolved address, so a second DNS answer cannot point elsewhere. TLS
still checks the certificate against the original host name (SNI).
"""

import functools
import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from standardwebhooks import Webhook

from scheduler_project.core.http import LazyTransport, read_at_most

USER_AGENT = "scheduler-timers/1.0"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("169.254.170.2"),
    ipaddress.ip_address("fd00:ec2::254"),
    ipaddress.ip_address("100.100.100.200"),
}


class BlockedDestination(Exception):
    """The callback URL points somewhere callbacks must not go."""


@dataclass(frozen=True)
class DeliveryResult:
    status_code: int | None
    body: str
    duration: float
    error: str
    retry_after: str | None
    blocked: bool = False

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def address_class(address: IPAddress) -> str | None:
    """Why an address is refused as a callback target, or None if it is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address in METADATA_ADDRESSES:
        return "cloud metadata"
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("non-public", not address.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def check_address(address: IPAddress) -> None:
    if any(address in network for network in settings.CALLBACK_ALLOWED_NETWORKS):
        return
    refused = address_class(address)
    if refused:
        raise BlockedDestination(f"callback address {address} is {refused} and not allowed")


def resolve_destination(host: str, port: int) -> IPAddress:
    """Resolve ``host`` and return the address to connect to, refusing blocked ones."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        check_address(literal)
        return literal
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BlockedDestination(f"cannot resolve {host}: {exc.strerror}") from exc
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for address in addresses:
        check_address(address)
    return addresses[0]


@functools.lru_cache(maxsize=1024)
def _signer(secret: str) -> Webhook:
    return Webhook(secret)


def sign(*, secret: str, msg_id: str, timestamp: datetime, body: str) -> str:
    return _signer(secret).sign(msg_id, timestamp, body)


# One connection pool per process. A bare transport: redirects are never followed,
# and no cookie jar carries one tenant's cookies into another tenant's callbacks.
http_transport = LazyTransport(limits=httpx.Limits(max_connections=512, max_keepalive_connections=128))


def post_callback(
    *,
    url: str,
    headers: dict[str, str],
    body: str,
    msg_id: str,
    secret: str,
    timeout: float,
    now: datetime,
) -> DeliveryResult:
    """POST a signed JSON body to ``url`` once; never raises for delivery failures."""
    started = time.monotonic()
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        address = resolve_destination(host, port)
    except BlockedDestination as exc:
        return DeliveryResult(None, "", time.monotonic() - started, str(exc), None, blocked=True)
    netloc = f"[{address}]" if address.version == 6 else str(address)
    target = urlunsplit((parts.scheme, f"{netloc}:{port}", parts.path or "/", parts.query, ""))
    request_headers = {
        **headers,
        "Host": parts.netloc.rsplit("@", 1)[-1],
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": sign(secret=secret, msg_id=msg_id, timestamp=now, body=body),
    }
    extensions: dict[str, object] = {"timeout": httpx.Timeout(timeout).as_dict()}
    if parts.scheme == "https":
        extensions["sni_hostname"] = host
    request = httpx.Request(
        "POST", target, content=body.encode(), headers=request_headers, extensions=extensions
    )
    try:
        response = http_transport().handle_request(request)
        try:
            content = read_at_most(response, settings.TIMER_RESPONSE_BODY_LIMIT)
        finally:
            response.close()
    except httpx.TimeoutException:
        return DeliveryResult(None, "", time.monotonic() - started, f"timed out after {timeout:g}s", None)
    except httpx.HTTPError as exc:
        return DeliveryResult(None, "", time.monotonic() - started, f"{type(exc).__name__}: {exc}", None)
    duration = time.monotonic() - started
    text = content.decode("utf-8", errors="replace")
    error = ""
    if 300 <= response.status_code < 400:
        error = f"HTTP {response.status_code}: redirects are not followed"
    elif not 200 <= response.status_code < 300:
        error = f"HTTP {response.status_code}"
    return DeliveryResult(response.status_code, text, duration, error, response.headers.get("Retry-After"))
