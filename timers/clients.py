"""Sending a timer's callback: SSRF guard, Standard Webhooks signature, pooled HTTP.

The guard resolves the target host once (through the system's resolver, or the
servers in ``CALLBACK_DNS_SERVERS``), refuses it if any address it resolves to
is loopback, private, link-local, multicast, reserved or a cloud metadata
address (unless inside ``CALLBACK_ALLOWED_NETWORKS``), and then connects to the
address it checked, so a second DNS answer cannot point elsewhere. An IPv6
address that carries an IPv4 address (IPv4-mapped, -compatible or -translated,
6to4, Teredo, NAT64) is judged by that IPv4 address too. TLS still checks the
certificate against the original host name (SNI).

An attempt has one deadline, ``timeout``, from resolving the host to reading
the last byte of the answer; a target that answers slowly, a byte at a time,
is cut off there.
"""

import functools
import ipaddress
import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dns.exception
import dns.nameserver
import dns.resolver
import httpx
from django.conf import settings
from standardwebhooks import Webhook

from scheduler_project.core.http import LazyTransport, deadline, read_at_most, time_left

USER_AGENT = "scheduler-timers/1.0"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("169.254.170.2"),
    ipaddress.ip_address("fd00:ec2::254"),
    ipaddress.ip_address("100.100.100.200"),
}
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
# Forms whose last 32 bits are an IPv4 address (RFC 4291, RFC 2765, RFC 6052).
LOW_32_BITS = (
    ("IPv4-compatible", ipaddress.IPv6Network("::/96")),
    ("IPv4-translated", ipaddress.IPv6Network("::ffff:0:0:0/96")),
    ("NAT64", NAT64),
)
NOT_EMBEDDING = {ipaddress.IPv6Address("::"), ipaddress.IPv6Address("::1")}


class BlockedDestination(Exception):
    """The callback URL points somewhere callbacks must not go."""


class ResolutionTimeout(Exception):
    """The target's name was not resolved before the attempt's deadline (worth retrying)."""


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


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address carries, each with the name of the form."""
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if address.ipv4_mapped:
        found.append(("IPv4-mapped", address.ipv4_mapped))
    if address.sixtofour:
        found.append(("6to4", address.sixtofour))
    if address.teredo:
        found.extend(("Teredo", inner) for inner in address.teredo)
    if address not in NOT_EMBEDDING:
        found.extend(
            (name, ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
            for name, network in LOW_32_BITS
            if address in network
        )
    return found


def address_class(address: IPAddress) -> str | None:
    """Why an address is refused as a callback target, or None if it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return address_class(address.ipv4_mapped)
        if address in NAT64_LOCAL:
            return "local-use NAT64 (64:ff9b:1::/48)"
        for form, inner in embedded_ipv4(address):
            refused = address_class(inner)
            if refused:
                return f"{refused} ({inner} inside a {form} address)"
        if address in NAT64:
            return None  # a public IPv4 host, reached through the network's NAT64
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
    plain = (
        address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped else None
    )
    if any((plain or address) in network for network in settings.CALLBACK_ALLOWED_NETWORKS):
        return
    refused = address_class(address)
    if refused:
        raise BlockedDestination(f"callback address {address} is {refused} and not allowed")


# getaddrinfo cannot be interrupted: it runs here, and the attempt waits at most for its
# deadline (a lookup still running then finishes in the background, within the
# resolver's own timeouts).
_system_resolver = ThreadPoolExecutor(max_workers=8, thread_name_prefix="resolve")


def _system_lookup(host: str, port: int, timeout: float | None) -> list[IPAddress]:
    future = _system_resolver.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=timeout)
    except FutureTimeout as exc:
        raise ResolutionTimeout(f"resolving {host} took longer than the attempt's deadline") from exc
    except socket.gaierror as exc:
        raise BlockedDestination(f"cannot resolve {host}: {exc.strerror}") from exc
    return [ipaddress.ip_address(info[4][0]) for info in infos]


def _dns_lookup(host: str, servers: list[tuple[str, int]], timeout: float | None) -> list[IPAddress]:
    """A and AAAA answers from the configured servers, within the attempt's deadline."""
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [dns.nameserver.Do53Nameserver(address, port) for address, port in servers]
    started = time.monotonic()
    addresses: list[IPAddress] = []
    for record in ("A", "AAAA"):
        left = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
        try:
            answer = resolver.resolve(host, record, lifetime=left, search=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.NoNameservers):
            continue
        except dns.exception.Timeout as exc:
            raise ResolutionTimeout(f"resolving {host} took longer than the attempt's deadline") from exc
        addresses.extend(ipaddress.ip_address(item.to_text()) for item in answer)
    if not addresses:
        raise BlockedDestination(f"cannot resolve {host}: no address")
    return addresses


def resolve_destination(host: str, port: int, *, timeout: float | None = None) -> IPAddress:
    """Resolve ``host`` and return the address to connect to; refuse it if any of its
    addresses is refused (a name with a public and an internal address is refused)."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        check_address(literal)
        return literal
    servers = settings.CALLBACK_DNS_SERVERS
    addresses = _dns_lookup(host, servers, timeout) if servers else _system_lookup(host, port, timeout)
    for address in addresses:
        check_address(address)
    return addresses[0]


@functools.lru_cache(maxsize=1024)
def _signer(secret: str) -> Webhook:
    return Webhook(secret)


def sign(*, secret: str, msg_id: str, timestamp: datetime, body: str, others: tuple[str, ...] = ()) -> str:
    """The ``webhook-signature`` value: one ``v1,…`` per secret, space-separated (Standard
    Webhooks), the current secret first and then ``others`` (a rotated-out secret)."""
    return " ".join(_signer(key).sign(msg_id, timestamp, body) for key in (secret, *others))


def _pool_options() -> dict[str, Any]:
    cap = settings.CALLBACK_MAX_CONNECTIONS
    return {
        "limits": httpx.Limits(max_connections=cap, max_keepalive_connections=min(cap, 128)),
        "max_open": cap,
    }


# One set of connection pools per process, at most CALLBACK_MAX_CONNECTIONS connections
# open in all. A bare transport: redirects are never followed, and no cookie jar
# carries one tenant's cookies into another tenant's callbacks.
http_transport = LazyTransport(_pool_options)


def post_callback(
    *,
    url: str,
    headers: dict[str, str],
    body: str,
    msg_id: str,
    secrets: list[str],
    timeout: float,
    now: datetime,
) -> DeliveryResult:
    """POST a JSON body, signed with each of ``secrets``, to ``url`` once, all within
    ``timeout`` seconds; never raises for delivery failures."""
    signature = sign(secret=secrets[0], msg_id=msg_id, timestamp=now, body=body, others=tuple(secrets[1:]))
    signed = {
        **headers,
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    return exchange("POST", url, headers=signed, content=body.encode(), timeout=timeout,
                    body_limit=settings.TIMER_RESPONSE_BODY_LIMIT)  # fmt: skip


def fetch_source(
    *,
    url: str,
    headers: dict[str, str],
    timeout: float,
    body_limit: int,
    method: str = "GET",
    body: Any = None,
) -> DeliveryResult:
    """Ask a condition job's source once (GET, or POST of ``body`` as JSON), through the
    same guard, pools and deadline as callbacks; ``body`` of the result holds at most
    ``body_limit`` bytes of the answer."""
    sent = {**headers, "Accept": "application/json"}
    content = b""
    if method == "POST" and body is not None:
        sent["Content-Type"] = "application/json"
        content = json.dumps(body, separators=(",", ":")).encode()
    return exchange(method, url, headers=sent, content=content, timeout=timeout, body_limit=body_limit)


def exchange(
    method: str, url: str, *, headers: dict[str, str], content: bytes, timeout: float, body_limit: int
) -> DeliveryResult:
    """One request to an outside URL, all within ``timeout`` seconds (DNS included), to the
    address the SSRF guard checked; never raises for network failures."""
    started = time.monotonic()
    with deadline(timeout):
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            address = resolve_destination(host, port, timeout=time_left())
        except BlockedDestination as exc:
            return DeliveryResult(None, "", time.monotonic() - started, str(exc), None, blocked=True)
        except ResolutionTimeout as exc:
            return DeliveryResult(None, "", time.monotonic() - started, str(exc), None)
        netloc = f"[{address}]" if address.version == 6 else str(address)
        target = urlunsplit((parts.scheme, f"{netloc}:{port}", parts.path or "/", parts.query, ""))
        request_headers = {**headers, "Host": parts.netloc.rsplit("@", 1)[-1], "User-Agent": USER_AGENT}
        extensions: dict[str, object] = {"timeout": httpx.Timeout(timeout).as_dict()}
        if parts.scheme == "https":
            extensions["sni_hostname"] = host
        request = httpx.Request(
            method, target, content=content, headers=request_headers, extensions=extensions
        )
        try:
            response = http_transport().handle_request(request)
            try:
                raw = read_at_most(response, body_limit)
            finally:
                response.close()
        except httpx.PoolTimeout:
            cap = settings.CALLBACK_MAX_CONNECTIONS
            error = f"no free connection within {timeout:g}s (CALLBACK_MAX_CONNECTIONS={cap})"
            return DeliveryResult(None, "", time.monotonic() - started, error, None)
        except httpx.TimeoutException:
            return DeliveryResult(None, "", time.monotonic() - started, f"timed out after {timeout:g}s", None)
        except httpx.HTTPError as exc:
            return DeliveryResult(None, "", time.monotonic() - started, f"{type(exc).__name__}: {exc}", None)
        duration = time.monotonic() - started
        text = raw.decode("utf-8", errors="replace")
        error = ""
        if 300 <= response.status_code < 400:
            error = f"HTTP {response.status_code}: redirects are not followed"
        elif not 200 <= response.status_code < 300:
            error = f"HTTP {response.status_code}"
        return DeliveryResult(
            response.status_code, text, duration, error, response.headers.get("Retry-After")
        )
