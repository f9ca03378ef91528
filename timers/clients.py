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
import math
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dns.exception
import dns.nameserver
import dns.resolver
import httpx
from django.conf import settings
from django.core.cache import cache
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


@dataclass
class _Host:
    """One host's callbacks in flight in this process (when each began), and its last sign
    of life: when one of them last began or ended."""

    ended: threading.Condition
    alive_at: float
    began: list[float] = field(default_factory=list)
    waiting: int = 0

    def stuck(self, now: float, after: float | None = None) -> int:
        """How many of its callbacks have been in flight for over ``after`` seconds (by
        default ``HostSlots.STUCK``)."""
        limit = HostSlots.STUCK if after is None else after
        return sum(1 for began in self.began if now - began > limit)


class HostSlots:
    """How many callbacks of this process are in flight to each host, at most
    ``CALLBACK_MAX_PER_HOST``: a target that hangs or drips holds that many delivery
    threads, not all of them.

    A callback is stuck once it has been in flight for ``STUCK`` seconds; at a host that
    has answered a callback quickly in the last ``ANSWERED_WITHIN`` seconds, once in
    flight ``SLOWER_THAN_USUAL`` times its usual answer (at least ``SLOT_WAIT``, at most
    ``STUCK``); at a host that never did but has a callback stuck, after ``SLOT_WAIT``.
    Stuck callbacks, of all hosts together, have threads of their own (``stuck_threads``,
    beyond the worker's concurrency: see ``spare_threads``) and stop counting against
    their host's share while those last: paths of a host that hang, whether or not it
    ever answered, do not hold up its other paths. Beyond that allowance stuck callbacks
    count again, and the hosts that have stuck callbacks together hold at most the
    allowance and one host's share: a host that hangs on every path (or several hosts)
    holds a bounded number of threads, and the worker's concurrency is left to the
    others. What one process heard from a host, the others learn through
    ``SharedAnswers`` when they would put an attempt off.

    A host that has all its slots taken but began or ended a callback within the last
    ``SLOT_WAIT`` seconds, or one of whose callbacks becomes stuck within that time, is
    only busy (a burst to one receiver, or a first answer on its way): the next attempt
    waits up to that long for a slot rather than being put off, which would cost it a
    second claim and a second of lateness. A host that did neither for longer (it
    hangs) gets no waiters.
    """

    SLOT_WAIT = 0.2
    STUCK = 1.0
    SLOWER_THAN_USUAL = 4
    STUCK_SHARES = 2
    ANSWERED_WITHIN = 60.0
    ANSWERS_KEPT = 1024
    SHARE_EVERY = 10.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hosts: dict[tuple[str, int | None], _Host] = {}
        # Per host that answered quickly: when it last did, how long its answers take, and
        # when the other processes were last told.
        self._answers: OrderedDict[tuple[str, int | None], tuple[float, float, float]] = OrderedDict()

    def forget_answers(self) -> None:
        """Forget which hosts answered quickly (this process; the shared cache keeps them)."""
        with self._lock:
            self._answers.clear()

    @contextmanager
    def hold(self, url: str) -> Iterator[bool]:
        """Take a slot for ``url``'s host for the block; yields False (and takes none)
        when that host has all of its slots taken and none came free in time, or when it
        is stuck and the stuck hosts have their share."""
        parts = urlsplit(url)
        key = ((parts.hostname or "").lower(), parts.port)
        cap = settings.CALLBACK_MAX_PER_HOST
        with self._lock:
            host = self._host(key)
            began = self._take(key, host, cap)
            unheard = began is None and self._stuck_after(key, time.monotonic()) is None
        if unheard:
            # Another process may have heard from the host: its callbacks there ended quickly.
            usual = shared_answers.get(key)
            if usual is not None:
                with self._lock:
                    self._answers.setdefault(key, (time.monotonic(), usual, time.monotonic()))
                    host = self._host(key)
                    began = self._take(key, host, cap)
        try:
            yield began is not None
        finally:
            if began is not None:
                with self._lock:
                    host.began.remove(began)
                    host.alive_at = time.monotonic()
                    share = self._answered(key, host.alive_at - began)
                    # All waiters look again: a quick answer may free more than this slot.
                    host.ended.notify_all()
                    if not host.began and not host.waiting:
                        del self._hosts[key]
                if share is not None:
                    shared_answers.put(key, share)

    def _host(self, key: tuple[str, int | None]) -> _Host:
        """With the lock held: the entry of ``key``'s host, made if it has none."""
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(threading.Condition(self._lock), time.monotonic())
        return host

    def _answered(self, key: tuple[str, int | None], took: float) -> float | None:
        """With the lock held: a callback to ``key`` ended after ``took`` seconds. Returns
        the host's usual answer time when the other processes are to be told it."""
        if took > self.STUCK:
            return None
        now = time.monotonic()
        last = self._answers.pop(key, None)
        usual, shared_at = (took, -math.inf) if last is None else (0.8 * last[1] + 0.2 * took, last[2])
        share = now - shared_at > self.SHARE_EVERY
        self._answers[key] = (now, usual, now if share else shared_at)
        if len(self._answers) > self.ANSWERS_KEPT:
            self._answers.popitem(last=False)
        return usual if share else None

    def _stuck_after(self, key: tuple[str, int | None], now: float) -> float | None:
        """With the lock held: after how long a callback to ``key`` is stuck, if that host
        answered quickly lately; None if it did not (then it is ``STUCK``)."""
        answer = self._answers.get(key)
        if answer is None or now - answer[0] > self.ANSWERED_WITHIN:
            return None
        return min(self.STUCK, max(self.SLOT_WAIT, self.SLOWER_THAN_USUAL * answer[1]))

    def _full(self, host: _Host, stuck_after: float, cap: int, now: float) -> bool:
        """With the lock held: whether ``host`` has no slot free for another callback."""
        stuck = host.stuck(now, stuck_after)
        if not stuck:
            return len(host.began) >= cap
        allowance = stuck_threads(cap)
        hanging = [other for other in self._hosts.values() if other is not host and other.stuck(now)]
        if len(host.began) + sum(len(other.began) for other in hanging) >= allowance + cap:
            return True
        elsewhere = sum(other.stuck(now) for other in hanging)
        return len(host.began) - min(stuck, max(0, allowance - elsewhere)) >= cap

    def _take(self, key: tuple[str, int | None], host: _Host, cap: int) -> float | None:
        """With the lock held: a slot of ``host`` (when it began), waited for while the host
        is answering; None if there is none for it."""
        deadline = time.monotonic() + self.SLOT_WAIT
        while cap:
            now = time.monotonic()
            heard = self._stuck_after(key, now)
            stuck_after = self.STUCK if heard is None else heard
            if heard is None and host.stuck(now):
                # It hangs on some paths: its callbacks are told apart as soon as a busy
                # host's would have freed their slot, so a first answer is not held up.
                stuck_after = self.SLOT_WAIT
            if not self._full(host, stuck_after, cap, now):
                break
            # A callback that becomes stuck frees its slot too.
            turns = [began + stuck_after - now for began in host.began if now - began <= stuck_after]
            turn = min(turns, default=math.inf) + 0.001
            if now >= deadline:
                return None
            if heard is None and now - host.alive_at > self.SLOT_WAIT and now + turn > deadline:
                return None
            host.waiting += 1
            try:
                host.ended.wait(min(deadline - now, turn))
            finally:
                host.waiting -= 1
        began = host.alive_at = time.monotonic()
        host.began.append(began)
        return began


def stuck_threads(cap: int) -> int:
    """The delivery threads that callbacks stuck (``HostSlots``) may hold beyond their
    hosts' shares, of all hosts together, at ``CALLBACK_MAX_PER_HOST`` = ``cap``."""
    return HostSlots.STUCK_SHARES * cap


def spare_threads(concurrency: int) -> int:
    """Delivery threads beyond a worker's concurrency: the stuck callbacks' own, and as
    many as one host's share, which keeps the others' callbacks going while callbacks
    that will turn out to hang are in their first second."""
    cap = settings.CALLBACK_MAX_PER_HOST
    return min(concurrency, cap) + stuck_threads(cap)


class SharedAnswers:
    """The hosts that answered callbacks quickly, in the shared cache, for every worker
    process: one whose share of a host is taken by callbacks that hang learns there that
    the host answers on other paths, instead of putting its timers off until they happen
    to land on a process that knows. Read only when an attempt would be put off; written
    at most once every ``HostSlots.SHARE_EVERY`` seconds per host and process."""

    @staticmethod
    def _name(key: tuple[str, int | None]) -> str:
        return f"callback-host-answers:{key[0]}:{key[1]}"

    def get(self, key: tuple[str, int | None]) -> float | None:
        usual = cache.get(self._name(key))
        return float(usual) if isinstance(usual, int | float) else None

    def put(self, key: tuple[str, int | None], usual: float) -> None:
        cache.set(self._name(key), usual, timeout=int(HostSlots.ANSWERED_WITHIN))


shared_answers = SharedAnswers()
host_slots = HostSlots()


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


def fetch_source(*, url: str, headers: dict[str, str], timeout: float, body_limit: int) -> DeliveryResult:
    """GET a condition job's source once, through the same guard, pools and deadline as
    callbacks; ``body`` holds at most ``body_limit`` bytes of the answer."""
    return exchange("GET", url, headers={**headers, "Accept": "application/json"}, content=b"",
                    timeout=timeout, body_limit=body_limit)  # fmt: skip


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
