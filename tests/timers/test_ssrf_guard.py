"""The SSRF guard refuses every internal address class unless explicitly allowed, in
whatever form it is written, and however a name resolves."""

import ipaddress

import pytest
from django.utils import timezone

from scheduler_project.testing.factories import TimerFactory
from tests.timers.dns_server import ScriptedDns
from timers import services
from timers.clients import BlockedDestination, resolve_destination
from timers.models import TimerStatus
from timers.receiver import Reply


@pytest.fixture(autouse=True)
def no_allowed_networks(settings):
    settings.CALLBACK_ALLOWED_NETWORKS = []


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("[::1]", "loopback"),
        ("localhost", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.5", "private"),
        ("192.168.1.1", "private"),
        ("[fc00::1]", "private"),
        ("169.254.169.254", "cloud metadata"),
        ("[fd00:ec2::254]", "cloud metadata"),
        ("169.254.10.10", "link-local"),
        ("[fe80::1]", "link-local"),
        ("224.0.0.1", "multicast"),
        ("[ff02::1]", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "private|reserved"),
        ("100.64.0.1", "non-public"),
        ("[::ffff:127.0.0.1]", "loopback"),
    ],
)
def test_internal_addresses_are_refused(host, why):
    with pytest.raises(BlockedDestination, match=why):
        resolve_destination(host, 80)


def test_a_name_that_does_not_resolve_is_refused():
    with pytest.raises(BlockedDestination, match="cannot resolve"):
        resolve_destination("no-such-host.invalid", 80)


def test_public_addresses_pass():
    assert resolve_destination("93.184.216.34", 443) == ipaddress.ip_address("93.184.216.34")


def test_allowed_networks_let_trusted_addresses_through(settings):
    settings.CALLBACK_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.0/8")]

    assert resolve_destination("localhost", 80) == ipaddress.ip_address("127.0.0.1")
    with pytest.raises(BlockedDestination):
        resolve_destination("10.0.0.1", 80)


def test_a_blocked_callback_fails_the_timer_without_retry_or_request(tenant, receiver, settings):
    from django.utils import timezone

    from scheduler_project.testing.factories import TimerFactory
    from timers import services
    from timers.models import TimerStatus

    now = timezone.now()
    timer = TimerFactory(tenant=tenant, callback_url=receiver.url("/internal"), execute_at=now, due_at=now)

    assert services.deliver_timer(timer_id=timer.pk, token=timer.dispatch_token) is None

    timer.refresh_from_db()
    assert timer.status == TimerStatus.FAILED
    assert "is loopback and not allowed" in timer.last_error
    assert receiver.received == []


# The Teredo client address is stored inverted: these last 32 bits carry 127.0.0.1.
TEREDO_TO_LOOPBACK = "[2001:0:4136:e378:8000:63bf:80ff:fffe]"


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("[2002:7f00:1::1]", r"loopback \(127.0.0.1 inside a 6to4 address\)"),
        ("[2002:a00:1::1]", r"private \(10.0.0.1 inside a 6to4 address\)"),
        ("[2002:a9fe:a9fe::1]", r"cloud metadata \(169.254.169.254 inside a 6to4 address\)"),
        (TEREDO_TO_LOOPBACK, r"loopback \(127.0.0.1 inside a Teredo address\)"),
        ("[64:ff9b::7f00:1]", r"loopback \(127.0.0.1 inside a NAT64 address\)"),
        ("[64:ff9b::a9fe:a9fe]", r"cloud metadata \(169.254.169.254 inside a NAT64 address\)"),
        ("[64:ff9b:1::5db8:d822]", "local-use NAT64"),
        ("[::7f00:1]", r"loopback \(127.0.0.1 inside a IPv4-compatible address\)"),
        ("[::ffff:0:7f00:1]", r"loopback \(127.0.0.1 inside a IPv4-translated address\)"),
        ("[::ffff:a00:1]", "private"),
    ],
)
def test_ipv6_forms_that_embed_an_internal_ipv4_address_are_refused(host, why):
    with pytest.raises(BlockedDestination, match=why):
        resolve_destination(host, 80)


@pytest.mark.parametrize("host", ["[64:ff9b::5db8:d822]", "[2002:5db8:d822::1]", "[::ffff:5db8:d822]"])
def test_ipv6_forms_that_embed_a_public_ipv4_address_pass(host):
    assert resolve_destination(host, 443) == ipaddress.ip_address(host.strip("[]"))


@pytest.fixture
def dns_server(settings):
    """A DNS server the test scripts, used by the guard instead of the machine's resolver."""

    def start(answers, **options):
        server = ScriptedDns(answers, **options).__enter__()
        started.append(server)
        settings.CALLBACK_DNS_SERVERS = [server.address]
        return server

    started: list[ScriptedDns] = []
    yield start
    for server in started:
        server.__exit__()


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (["2002:7f00:1::1"], "loopback"),
        (["93.184.216.34", "10.0.0.1"], "10.0.0.1 is private"),
        (["93.184.216.34", "2002:a9fe:a9fe::1"], "cloud metadata"),
        (["93.184.216.34", "::ffff:127.0.0.1"], "loopback"),
    ],
)
def test_a_name_is_refused_if_any_address_it_resolves_to_is_refused(dns_server, answer, why):
    dns_server({"hooks.example.test": [answer]})

    with pytest.raises(BlockedDestination, match=why):
        resolve_destination("hooks.example.test", 80)


def test_a_name_resolving_only_to_public_addresses_passes(dns_server):
    dns_server({"hooks.example.test": [["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]]})

    assert resolve_destination("hooks.example.test", 80) == ipaddress.ip_address("93.184.216.34")


def test_a_name_that_does_not_exist_is_refused(dns_server):
    dns_server({})

    with pytest.raises(BlockedDestination, match=r"cannot resolve nowhere\.example\.test"):
        resolve_destination("nowhere.example.test", 80)


def test_a_rebinding_name_is_resolved_once_per_attempt_and_its_new_answer_judged_anew(
    dns_server, settings, tenant, receiver, time_machine
):
    """The attempt connects to the address it checked; the next attempt resolves again,
    and the name now points at the metadata service: that attempt is refused."""
    settings.CALLBACK_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.0/8")]
    server = dns_server({"hooks.rebind.test": [["127.0.0.1"], ["169.254.169.254"]]})
    receiver.script("/hook", Reply(500))
    now = timezone.now()
    timer = TimerFactory(tenant=tenant, callback_url=f"http://hooks.rebind.test:{receiver.port}/hook",
                         execute_at=now, due_at=now, max_attempts=3)  # fmt: skip

    assert services.deliver_timer(timer_id=timer.pk, token=timer.dispatch_token) is not None
    (hit,) = receiver.received
    assert hit.headers["Host"] == f"hooks.rebind.test:{receiver.port}"
    assert server.resolutions == {"hooks.rebind.test": 1}
    timer.refresh_from_db()
    time_machine.move_to(timer.due_at, tick=True)
    assert services.deliver_timer(timer_id=timer.pk, token=timer.dispatch_token) is None

    timer.refresh_from_db()
    assert timer.status == TimerStatus.FAILED
    assert "169.254.169.254 is cloud metadata" in timer.last_error
    assert len(receiver.received) == 1
    assert server.resolutions == {"hooks.rebind.test": 2}


def test_a_resolver_that_never_answers_ends_the_attempt_at_its_deadline_and_is_retried(
    dns_server, settings, tenant
):
    settings.TIMER_CALLBACK_TIMEOUT_SECS = 1
    dns_server({}, silent=True)
    now = timezone.now()
    timer = TimerFactory(
        tenant=tenant, callback_url="http://hooks.example.test/hook", execute_at=now, due_at=now
    )

    assert services.deliver_timer(timer_id=timer.pk, token=timer.dispatch_token) is not None

    timer.refresh_from_db()
    assert timer.status == TimerStatus.PENDING
    assert "took longer than the attempt's deadline" in timer.last_error
