"""Scale-out: delivery workers on hosts of their own (network namespaces, ``TestHosts``),
reaching one PostgreSQL and one Redis over their links, as more worker hosts join one
database and one broker in production; web, sweeper and beat on this machine."""

import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from scheduler_project.testing.servers import PrivatePostgres, PrivateRedis, TestHosts, eventually, free_port
from tests.e2e.conftest import Load, Stack, migrate, tally
from timers.receiver import CallbackReceiver

pytestmark = pytest.mark.xdist_group("whole-stack")


@pytest.fixture
def cluster(tmp_path):
    """Two test hosts, and a PostgreSQL and a Redis of the test's own that listen on the
    bridge too. Requested before ``processes``, so its processes are stopped first."""
    with TestHosts(2) as hosts:
        database, broker = PrivatePostgres(), PrivateRedis(tmp_path)
        try:
            database.start(also_on=hosts.gateway)
            broker.start(also_on=hosts.gateway)
            yield hosts, database, broker
        finally:
            broker.stop()
            database.remove()


def env_of(hosts, database, broker, *, on: str = "127.0.0.1", **extra):
    return {
        "DATABASE_URL": database.url_on(on),
        "REDIS_URL": broker.url_on(on),
        "CELERY_BROKER_URL": broker.url_on(on),
        "CALLBACK_ALLOWED_NETWORKS": hosts.network,
        **extra,
    }


def start_deliverer(processes, hosts, database, broker, host, **extra):
    env = env_of(hosts, database, broker, on=hosts.gateway, WORKER_HOST=host, **extra)
    return processes.worker(queues="deliveries,withdrawals", concurrency=8, env=env, name=host, netns=host)


def start_service(processes, hosts, database, broker, **extra):
    """Web, sweeper and beat here; a delivery worker on each test host."""
    here = env_of(hosts, database, broker, **extra)
    migrate(processes, here)
    stack = Stack(processes, here, settings.API_KEY, port=free_port())
    stack.start_web()
    processes.worker(queues="sweeps,default", concurrency=4, env=here, name="sweeper")
    processes.beat(env=here)
    deliverers = {
        host: start_deliverer(processes, hosts, database, broker, host, **extra) for host in hosts.names
    }
    eventually(lambda: stack.get("/health") is not None)
    return stack, deliverers


def test_delivery_hosts_share_the_work_over_their_links_and_a_host_whose_worker_dies_takes_it_back(
    cluster, processes, fault_report
):
    """Every callback leaves from a test host (the receiver sees each host's own address),
    both hosts deliver, each timer once. A worker killed on one host is started again
    there, as its supervisor would: as it starts it takes back the dead worker's timers
    (they are its host's), so they arrive within seconds of it being up (its interpreter
    and Django take seconds to start under load), not a lease (30 s) later. The sweeper, on another host,
    cannot know that process dead, and leaves its work to its host or its leases."""
    hosts, database, broker = cluster
    with CallbackReceiver(host=hosts.gateway) as receiver:
        stack, deliverers = start_service(processes, hosts, database, broker)
        first = hosts.names[0]
        load = Load(stack, receiver, rate=40, seconds=8, ahead=2).start()
        time.sleep(4)
        deliverers[first].kill()
        deliverers[first].wait()
        start_deliverer(processes, hosts, database, broker, first)
        successor_ready = time.time()
        created = load.join()
        row = fault_report(tally("two delivery hosts, one's worker killed", receiver, created))

    assert row["scheduled"] == 320
    assert row["lost"] == row["duplicate_other_id"] == 0
    # Each timer arrived on time, or soon after the successor was up: not a lease later.
    first_arrival: dict[str, float] = {}
    for hit in receiver.received:
        first_arrival.setdefault(hit.path, hit.arrived)
    due = {urlsplit(c.body["data"]["callback_url"]).path: c.due for c in created}
    worst = max(first_arrival[path] - max(at, successor_ready) for path, at in due.items())
    assert worst <= 5.0, worst
    senders = Counter(hit.peer for hit in receiver.received)
    assert set(senders) == set(hosts.addresses.values()), senders


def test_a_delivery_host_cut_off_under_load_loses_nothing_and_its_late_outcomes_change_nothing(
    cluster, processes, fault_report
):
    """One host's link goes down under load: its worker reaches neither the broker, nor the
    database, nor the targets. The timers it held are sent again once their leases pass
    (short here: 4 s) and the other host delivers them. When the link comes back, the
    cut-off worker's outcomes are not recorded over the newer attempts; a timer whose
    request left before the cut may arrive twice, with the same webhook-id."""
    hosts, database, broker = cluster
    short = {"SCHEDULER_LEASE_SECS": "4", "TIMER_CALLBACK_TIMEOUT_SECS": "2"}
    with CallbackReceiver(host=hosts.gateway) as receiver:
        stack, _ = start_service(processes, hosts, database, broker, **short)
        load = Load(stack, receiver, rate=30, seconds=10, ahead=2).start()
        time.sleep(3)
        hosts.cut(hosts.names[0])
        time.sleep(12)
        hosts.mend(hosts.names[0])
        row = fault_report(tally("a delivery host cut off for 12 s", receiver, load.join()))

    assert row["scheduled"] == 300
    assert row["lost"] == row["duplicate_other_id"] == 0
    # The run lease (callback timeout + lease) and a sweep, not the 30 s of the default lease.
    assert row["max_late_s"] <= 15.0
    assert eventually(lambda: stack.get("/health") is not None)
