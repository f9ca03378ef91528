import os
import socket
import threading

import pytest
from prometheus_client import REGISTRY

from scheduler_project.testing.factories import sealed_withdrawal as withdrawal
from scheduler_project.testing.servers import eventually
from tee import pool as pool_module
from tee.client import TeeClient
from tee.errors import PoolExhausted, TeeTimeout, TeeUnavailable
from tee.pool import TeePool, get_pool
from tee.protocol import encode_frame, prepare_request
from tests.conftest import DrippingServer, read_tee_frame
from tests.tee.conftest import RELAY


@pytest.fixture
def prepare(simulator):
    """A PrepareRelayCalldata request the simulator answers with calldata."""
    return prepare_request(withdrawal(simulator.public_key_der), **RELAY)


def errors_of(kind):
    return REGISTRY.get_sample_value("scheduler_tee_errors_total", {"kind": kind}) or 0.0


def in_threads(count, target):
    """Run ``target`` in ``count`` threads; return their results and exceptions."""
    results, failures = [], []

    def run():
        try:
            results.append(target())
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, results, failures


def test_a_ping_is_answered_on_a_connection_that_is_then_kept_for_reuse(make_pool, simulator):
    pool = make_pool()

    assert pool.request("Ping") == "Pong"
    assert pool.request("Ping") == "Pong"
    assert (pool.size, pool.in_use, simulator.connections_accepted) == (1, 0, 1)


def test_a_caller_beyond_capacity_gives_up_after_the_acquire_timeout(make_pool, simulator, prepare):
    simulator.latency_ms = 1000
    pool = make_pool(capacity=2, acquire_timeout=0.1)
    exhausted_before = errors_of("exhausted")

    threads, results, failures = in_threads(2, lambda: pool.request(prepare))
    eventually(lambda: pool.in_use == 2, interval=0.005)
    with pytest.raises(PoolExhausted):
        pool.request("Ping")
    for thread in threads:
        thread.join()

    assert failures == []
    assert [set(result) for result in results] == [{"PrepareRelayCalldata"}] * 2
    assert simulator.peak_connections == 2
    assert errors_of("exhausted") == exhausted_before + 1


def test_twenty_threads_share_five_connections_and_all_succeed(make_pool, simulator, prepare):
    simulator.latency_ms = 20
    pool = make_pool(capacity=5, acquire_timeout=60)

    def three_calls():
        return [pool.request(prepare) for _ in range(3)]

    threads, results, failures = in_threads(20, three_calls)
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(results) == 20
    assert all("calldata" in answer["PrepareRelayCalldata"] for calls in results for answer in calls)
    assert simulator.peak_connections <= 5
    assert simulator.connections_accepted <= 5
    assert pool.size <= 5
    assert pool.in_use == 0


def test_after_the_tee_restarts_the_next_request_succeeds_on_a_fresh_connection(make_pool, simulator):
    pool = make_pool()
    pool.request("Ping")

    simulator.stop()
    simulator.start()

    assert pool.request("Ping") == "Pong"
    assert simulator.connections_accepted == 2
    assert pool.size == 1


def test_an_idle_connection_the_tee_closed_is_replaced_without_an_error(make_pool, simulator):
    pool = make_pool()
    pool.request("Ping")

    simulator.drop_connections()

    assert pool.request("Ping") == "Pong"
    assert simulator.connections_accepted == 2


def test_a_reused_connection_that_closes_before_answering_is_retried_once_on_a_fresh_one(
    make_pool, simulator
):
    pool = make_pool()
    pool.request("Ping")

    simulator.drop_next_requests = 1

    assert pool.request("Ping") == "Pong"
    assert simulator.connections_accepted == 2
    assert pool.size == 1


def test_a_fresh_connection_that_closes_before_answering_is_not_retried(make_pool, simulator):
    pool = make_pool()
    simulator.drop_next_requests = 1

    with pytest.raises(TeeUnavailable):
        pool.request("Ping")
    assert (pool.size, pool.in_use) == (0, 0)
    assert pool.request("Ping") == "Pong"


def test_a_slow_answer_raises_tee_timeout_and_the_pool_stays_usable(make_pool, simulator, prepare):
    simulator.latency_ms = 5000
    pool = make_pool(capacity=1, compute_timeout=0.2)

    with pytest.raises(TeeTimeout):
        pool.request(prepare)
    assert (pool.size, pool.in_use) == (0, 0)

    simulator.latency_ms = 0
    assert "PrepareRelayCalldata" in pool.request(prepare)


def test_a_call_with_its_own_timeout_waits_no_longer_for_the_answer(make_pool, simulator, prepare):
    simulator.latency_ms = 5000
    pool = make_pool(capacity=1, compute_timeout=600)

    with pytest.raises(TeeTimeout, match=r"within 0\.2s"):
        pool.request(prepare, timeout=0.2)
    assert (pool.size, pool.in_use) == (0, 0)


def test_a_call_with_its_own_timeout_waits_no_longer_for_a_free_connection(make_pool, simulator, prepare):
    simulator.latency_ms = 1000
    pool = make_pool(capacity=1, acquire_timeout=600)

    threads, results, failures = in_threads(1, lambda: pool.request(prepare))
    eventually(lambda: pool.in_use == 1, interval=0.005)
    with pytest.raises(PoolExhausted, match=r"busy for 0\.2s"):
        pool.request("Ping", timeout=0.2)
    for thread in threads:
        thread.join()

    assert failures == []
    assert [set(result) for result in results] == [{"PrepareRelayCalldata"}]


def test_a_tee_that_always_crashes_raises_tee_unavailable(make_pool, simulator):
    simulator.failure_rate = 1.0
    pool = make_pool()

    with pytest.raises(TeeUnavailable):
        pool.request("Ping")
    assert (pool.size, pool.in_use) == (0, 0)


def test_a_tee_that_crashes_on_a_reused_connection_raises_tee_unavailable_after_one_retry(
    make_pool, simulator
):
    pool = make_pool()
    pool.request("Ping")
    simulator.failure_rate = 1.0

    with pytest.raises(TeeUnavailable):
        pool.request("Ping")
    assert simulator.connections_accepted == 2


def test_a_tee_that_is_not_listening_raises_tee_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pool = TeePool(
        lambda: socket.create_connection(("127.0.0.1", port)),
        capacity=1,
        acquire_timeout=1,
        compute_timeout=1,
    )

    with pytest.raises(TeeUnavailable, match="cannot connect"):
        pool.request("Ping")
    assert (pool.size, pool.in_use) == (0, 0)


def test_a_closed_pool_refuses_requests(make_pool):
    pool = make_pool()
    pool.request("Ping")

    pool.close()

    assert pool.size == 0
    with pytest.raises(TeeUnavailable, match="closed"):
        pool.request("Ping")


def test_the_process_pool_is_built_from_settings_and_rebuilt_when_they_change(settings, simulator):
    settings.TEE_PORT = simulator.port
    settings.TEE_TASK_POOL_CAPACITY = 3
    pool = get_pool()

    assert get_pool() is pool
    assert pool.capacity == 3
    TeeClient().ping()

    settings.TEE_TASK_POOL_CAPACITY = 4
    assert get_pool() is not pool
    assert get_pool().capacity == 4


def test_a_forked_child_does_not_inherit_the_parents_pool(settings, simulator):
    settings.TEE_PORT = simulator.port
    get_pool().request("Ping")

    pid = os.fork()
    if pid == 0:
        os._exit(0 if pool_module._pool is None else 1)
    _, status = os.waitpid(pid, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert pool_module._pool is not None


def test_a_tee_that_sends_its_answer_a_byte_at_a_time_is_cut_off_at_the_compute_timeout():
    # Every byte comes well within the timeout; the whole answer would take 5 s.
    with DrippingServer(encode_frame("Pong"), interval=0.5, read_request=read_tee_frame) as tee:
        pool = TeePool(lambda: socket.create_connection(("127.0.0.1", tee.port)),
                       capacity=1, acquire_timeout=1, compute_timeout=1)  # fmt: skip

        with pytest.raises(TeeTimeout, match="within 1s"):
            pool.request("Ping")

        assert (pool.size, pool.in_use) == (0, 0)  # the half-read connection was dropped
        eventually(lambda: tee.connections[0]["closed"] is not None, timeout=5)
