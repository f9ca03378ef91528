"""The SSRF guard refuses every internal address class unless explicitly allowed."""

import ipaddress

import pytest

from timers.clients import BlockedDestination, resolve_destination


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

    from tests.factories import TimerFactory
    from timers import services
    from timers.models import TimerStatus

    now = timezone.now()
    timer = TimerFactory(tenant=tenant, callback_url=receiver.url("/internal"), execute_at=now, due_at=now)

    assert services.deliver_timer(timer_id=timer.pk, token=timer.dispatch_token) is None

    timer.refresh_from_db()
    assert timer.status == TimerStatus.FAILED
    assert "is loopback and not allowed" in timer.last_error
    assert receiver.received == []
