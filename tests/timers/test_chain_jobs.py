"""Chain event jobs' poll against the chain simulator over its socket: confirmations,
reorganisations, catch-up, node failures, concurrent polls, refused ranges, shared requests."""

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from scheduler_project.testing.factories import ChainJobFactory
from timers import selectors, services
from timers.chain.simulator import ChainSimulator
from timers.models import ChainEndpoint, ChainLog, Job, Timer
from timers.services import chains

TOKEN = "0x" + "c0" * 20
OTHER = "0x" + "d1" * 20
TRANSFER = "0x" + "dd" * 32
APPROVAL = "0x" + "8c" * 32


@pytest.fixture
def chain() -> Any:
    with ChainSimulator(block_time=0, start=100) as running:
        yield running


class Polls:
    """Polls as the sweep's task runs them, each a minute after the last (past any back-off)."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> int:
        self.now += timedelta(minutes=1)
        return services.poll_due_endpoints(now=self.now)


@pytest.fixture
def poll() -> Polls:
    return Polls()


def emit(
    chain: ChainSimulator, address: str = TOKEN, topics: tuple[str, ...] = (TRANSFER,), data: str = "0x01"
):
    return chain.control("sim_emitLog", address=address, topics=list(topics), data=data)


def mine(chain: ChainSimulator, blocks: int = 1) -> None:
    chain.control("sim_mine", blocks=blocks)


def log_ids(job: Job) -> list[str]:
    return sorted(Timer.objects.filter(job=job).values_list("trigger_key", flat=True))


def emitted_id(answer: dict[str, Any]) -> str:
    return f"{answer['transactionHash']}:{int(answer['logIndex'], 16)}"


def test_a_log_fires_once_its_block_has_the_confirmations_on_top(db, chain, poll, sent):
    job = ChainJobFactory(rpc_url=chain.url, confirmations=3, from_block=chain.head + 1, topics=[TRANSFER])
    wanted = emit(chain, data="0x2a")
    emit(chain, address=OTHER)  # another contract
    emit(chain, topics=(APPROVAL,))  # another event
    mine(chain)
    block = int(wanted["blockNumber"], 16)

    for _ in range(3):
        poll()
        assert not Timer.objects.filter(job=job).exists(), f"fired with the head at {chain.head}"
        mine(chain)
    poll()  # the head is the log's block + 3

    (task,) = Timer.objects.filter(job=job)
    log_id = emitted_id(wanted)
    assert task.trigger_key == log_id
    assert task.callback_headers["X-Scheduler-Log-Id"] == log_id
    assert task.callback_payload == {
        "address": TOKEN, "topics": [TRANSFER], "data": "0x2a", "blockNumber": hex(block),
        "blockHash": chain.ledger.block(block).hash, "transactionHash": wanted["transactionHash"],
        "logIndex": "0x0", "removed": False,
    }  # fmt: skip
    assert task.callback_url == job.callback_url
    assert ChainLog.objects.get(job=job).task == task
    job.refresh_from_db()
    assert (job.last_processed_block, job.last_processed_hash) == (block, chain.ledger.block(block).hash)
    assert job.run_count == 1
    mine(chain, 5)
    poll()
    assert Timer.objects.filter(job=job).count() == 1


def test_a_job_without_from_block_fires_only_the_logs_after_its_first_poll(db, chain, poll, sent):
    emit(chain)
    mine(chain, 3)
    job = ChainJobFactory(rpc_url=chain.url, confirmations=0, from_block=None)
    poll()
    later = emit(chain)
    mine(chain)
    poll()
    assert log_ids(job) == [emitted_id(later)]


def test_a_reorg_deeper_than_the_confirmations_sends_each_dropped_log_once_as_removed(db, chain, poll, sent):
    job = ChainJobFactory(rpc_url=chain.url, confirmations=1, from_block=chain.head + 1)
    kept_before = emit(chain)
    mine(chain, 2)
    dropped = emit(chain, data="0x99")
    mine(chain, 2)
    poll()
    assert log_ids(job) == sorted([emitted_id(kept_before), emitted_id(dropped)])

    chain.control("sim_reorg", depth=3)  # replaces the dropped log's block and the checkpoint's
    for _ in range(3):
        poll()
        mine(chain)

    removed = Timer.objects.get(job=job, trigger_key=f"{emitted_id(dropped)}:removed")
    assert removed.callback_payload["removed"] is True
    assert removed.callback_payload["data"] == "0x99"
    assert removed.callback_headers["X-Scheduler-Log-Id"] == emitted_id(dropped)
    assert Timer.objects.filter(job=job).count() == 3
    row = ChainLog.objects.get(job=job, log_id=emitted_id(dropped))
    assert (row.removed_at is not None, row.removed_task) == (True, removed)
    job.refresh_from_db()
    assert job.last_processed_hash == chain.ledger.block(job.last_processed_block).hash


def test_a_log_the_new_branch_includes_again_is_not_fired_twice(db, chain, poll, sent):
    job = ChainJobFactory(rpc_url=chain.url, confirmations=1, from_block=chain.head + 1)
    first = emit(chain)
    mine(chain, 3)
    poll()
    chain.control("sim_reorg", depth=3, keep_logs=True)
    mine(chain)
    poll()
    poll()

    assert log_ids(job) == [emitted_id(first)]
    row = ChainLog.objects.get(job=job)
    block = int(first["blockNumber"], 16)
    assert (row.removed_at, row.block_hash) == (None, chain.ledger.block(block).hash)


def test_a_poll_stopped_halfway_through_a_catch_up_resumes_from_its_checkpoint(db, chain, sent):
    start = chain.head + 1
    emitted = []
    for _ in range(40):
        emitted.append(emit(chain))
        mine(chain, 2)
    job = ChainJobFactory(rpc_url=chain.url, confirmations=0, from_block=start, max_block_range=10)
    endpoint = ChainEndpoint.objects.create(url=chain.url, url_hash=selectors.url_hash(chain.url))

    services.poll_endpoint(endpoint, max_ranges=3)  # stopped here: the worker went away
    job.refresh_from_db()
    assert job.last_processed_block == start + 29
    assert len(log_ids(job)) == 15

    services.poll_endpoint(endpoint)  # started again
    assert log_ids(job) == sorted(emitted_id(answer) for answer in emitted)
    assert ChainLog.objects.filter(job=job).count() == 40


@pytest.mark.parametrize("mode", ["down", "429", "error"])
def test_a_node_failure_is_recorded_fires_nothing_and_the_recovery_fires_what_was_missed(
    db, chain, poll, sent, mode
):
    job = ChainJobFactory(rpc_url=chain.url, confirmations=0, from_block=chain.head + 1)
    emit(chain)
    mine(chain)
    poll()
    missed = emit(chain)
    mine(chain)
    checkpoint = Job.objects.get(pk=job.pk).last_processed_block

    chain.control("sim_fail", mode=mode, count=5, retry_after=30)
    poll()
    endpoint = ChainEndpoint.objects.get(url=chain.url)
    job.refresh_from_db()
    assert endpoint.last_error and endpoint.failures == 1
    assert job.last_error == endpoint.last_error
    assert job.last_processed_block == checkpoint
    assert len(log_ids(job)) == 1
    wait = 30 if mode == "429" else 1  # the Retry-After asked for, or the first back-off
    assert endpoint.next_poll_at == poll.now + timedelta(seconds=wait)

    chain.control("sim_fail", mode="off")
    poll()
    endpoint.refresh_from_db()
    job.refresh_from_db()
    assert (endpoint.failures, endpoint.last_error, job.last_error) == (0, "", "")
    assert emitted_id(missed) in log_ids(job)
    assert len(log_ids(job)) == 2


def test_failures_in_a_row_back_the_endpoint_off_further(db, chain, poll, sent):
    ChainJobFactory(rpc_url=chain.url)
    chain.control("sim_fail", mode="error", count=10)
    waits = []
    for _ in range(4):
        poll()
        waits.append(ChainEndpoint.objects.get(url=chain.url).next_poll_at - poll.now)
    assert waits == [timedelta(seconds=s) for s in (1, 2, 4, 8)]


def test_an_rpc_url_the_ssrf_guard_refuses_is_never_fetched(db, chain, poll, sent, settings):
    settings.CALLBACK_ALLOWED_NETWORKS = []
    job = ChainJobFactory(rpc_url=chain.url, confirmations=0)
    emit(chain)
    mine(chain)
    poll()
    job.refresh_from_db()
    assert "loopback and not allowed" in job.last_error
    assert chain.requests == 0
    assert not Timer.objects.filter(job=job).exists()


def test_a_range_the_node_refuses_is_narrowed_and_every_log_fires(db, chain, poll, sent):
    chain.control("sim_setMaxRange", max_range=7)
    start = chain.head + 1
    emitted = []
    for _ in range(30):
        emitted.append(emit(chain))
        mine(chain, 2)
    job = ChainJobFactory(rpc_url=chain.url, confirmations=0, from_block=start, max_block_range=100)
    poll()

    assert log_ids(job) == sorted(emitted_id(answer) for answer in emitted)
    endpoint = ChainEndpoint.objects.get(url=chain.url)
    assert endpoint.range_limit is not None and endpoint.range_limit <= 7
    refused_once = chain.calls["eth_getLogs"]
    for _ in range(10):
        emit(chain)
    mine(chain, 20)
    poll()
    # The width it accepted is kept: the next poll asks nothing the node refuses.
    assert chain.calls["eth_getLogs"] - refused_once == -(-20 // endpoint.range_limit)
    assert len(log_ids(job)) == 40


def requests_of_one_poll(chain: ChainSimulator, poll: Polls) -> tuple[dict[str, int], int]:
    calls, requests = dict(chain.calls), chain.requests
    poll()
    return {
        m: n - calls.get(m, 0) for m, n in chain.calls.items() if n > calls.get(m, 0)
    }, chain.requests - requests


@pytest.mark.parametrize("jobs", [1, 25])
def test_the_requests_of_a_poll_do_not_grow_with_the_jobs_of_an_endpoint(db, chain, poll, sent, jobs):
    start = chain.head + 1
    created = [
        ChainJobFactory(rpc_url=chain.url, confirmations=2, from_block=start, max_block_range=10,
                        addresses=[TOKEN if n % 2 else OTHER], topics=[TRANSFER] if n % 3 else [])
        for n in range(jobs)
    ]  # fmt: skip
    for _ in range(10):
        emit(chain)
        emit(chain, address=OTHER, topics=(APPROVAL,))
        mine(chain, 3)
    first_poll = requests_of_one_poll(chain, poll)
    mine(chain, 4)
    next_poll = requests_of_one_poll(chain, poll)

    # catch-up: the head, the checkpoints' hashes, then per range of 10 blocks (30 blocks):
    # the range end's hash and its logs
    assert first_poll == (
        {"eth_blockNumber": 1, "eth_getBlockByNumber": 1 + 3, "eth_getLogs": 3},
        1 + 1 + 2 * 3,
    )
    assert next_poll == ({"eth_blockNumber": 1, "eth_getBlockByNumber": 2, "eth_getLogs": 1}, 1 + 1 + 2)
    for job in created:
        matching = 0 if (job.addresses, job.topics) == ([OTHER], [TRANSFER]) else 10
        assert Timer.objects.filter(job=job).count() == matching


def test_two_polls_at_once_fire_each_log_once(transactional_db, chain, sent):
    jobs = [ChainJobFactory(rpc_url=chain.url, confirmations=1, from_block=chain.head + 1, max_block_range=3)
            for _ in range(3)]  # fmt: skip
    endpoint = ChainEndpoint.objects.create(url=chain.url, url_hash=selectors.url_hash(chain.url))
    emitted = []
    for _ in range(6):
        for _ in range(5):
            emitted.append(emit(chain))
            mine(chain)
        barrier = threading.Barrier(4)
        errors: list[BaseException] = []

        def poll_at_once(which: int) -> None:
            try:
                barrier.wait()
                if which % 2:
                    services.poll_endpoint(endpoint)  # both past the claim, as after a lease passed
                else:
                    services.poll_due_endpoints()
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=poll_at_once, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        ChainEndpoint.objects.update(next_poll_at=timezone.now())
    mine(chain)
    services.poll_endpoint(endpoint)

    expected = sorted(emitted_id(answer) for answer in emitted)
    for job in jobs:
        assert log_ids(job) == expected
    assert ChainLog.objects.count() == 3 * len(emitted)


def test_the_sweep_asks_for_a_poll_when_an_endpoint_is_due_or_new(db, chain, sent):
    now = timezone.now()
    assert not chains.chain_polls_due(now=now)
    ChainJobFactory(rpc_url=chain.url)
    assert chains.chain_polls_due(now=now)  # a new rpc_url
    assert services.poll_due_endpoints(now=now) == 1
    assert not chains.chain_polls_due(now=now)
    assert chains.chain_polls_due(now=now + timedelta(seconds=1))  # poll_interval_secs


def test_a_poll_due_a_moment_after_a_sweep_runs_at_that_sweep_not_the_next(db, chain, sent, settings):
    """Sweeps come once an interval: a poll each second due just after one must not wait for
    the next, or it would poll every other second. One due later than half an interval waits."""
    settings.SCHEDULER_INTERVAL_SECS = 1
    ChainJobFactory(rpc_url=chain.url)
    now = timezone.now()
    services.poll_due_endpoints(now=now)
    ChainEndpoint.objects.update(next_poll_at=now + timedelta(seconds=0.3))
    assert chains.chain_polls_due(now=now)
    assert services.poll_due_endpoints(now=now) == 1
    ChainEndpoint.objects.update(next_poll_at=now + timedelta(seconds=0.8))
    assert not chains.chain_polls_due(now=now)
    assert services.poll_due_endpoints(now=now) == 0


def test_a_poll_a_database_outage_cut_short_is_due_again_at_the_next_sweep_not_when_its_lease_passes(
    db, chain, sent, monkeypatch
):
    ChainJobFactory(rpc_url=chain.url)
    now = timezone.now()
    services.poll_due_endpoints(now=now)
    cut = now + timedelta(minutes=1)
    with monkeypatch.context() as patched:
        patched.setattr(chains, "poll_endpoint", lambda *_, **__: _raise(OperationalError("connection lost")))
        with pytest.raises(OperationalError):
            services.poll_due_endpoints(now=cut)
    assert not chains.chain_polls_due(now=cut + timedelta(seconds=1))  # held by its claim

    services.sweep_timers()

    assert chains.chain_polls_due(now=timezone.now())
    assert services.poll_due_endpoints(now=cut + timedelta(seconds=1)) == 1


def test_a_poll_cut_short_whose_lease_passed_and_was_claimed_again_is_left_to_its_new_claim(
    db, chain, sent, monkeypatch
):
    ChainJobFactory(rpc_url=chain.url)
    now = timezone.now()
    with monkeypatch.context() as patched:
        patched.setattr(chains, "poll_endpoint", lambda *_, **__: _raise(OperationalError("connection lost")))
        with pytest.raises(OperationalError):
            services.poll_due_endpoints(now=now)
    later = now + chains.POLL_LEASE
    ChainEndpoint.objects.update(next_poll_at=later + chains.POLL_LEASE)  # another sweep's claim

    assert chains.release_interrupted_polls(now=later) == 0
    assert ChainEndpoint.objects.get().next_poll_at == later + chains.POLL_LEASE


def _raise(exc: Exception) -> None:
    raise exc


def test_an_endpoint_whose_jobs_all_stopped_is_no_longer_polled(db, chain, poll, sent):
    job = ChainJobFactory(rpc_url=chain.url)
    poll()
    Job.objects.filter(pk=job.pk).update(status="paused")
    poll()
    assert ChainEndpoint.objects.get(url=chain.url).next_poll_at is None
    before = chain.requests
    poll()
    assert chain.requests == before


def test_metrics_name_the_endpoint_by_host_and_port_only(db, chain, poll, sent):
    from prometheus_client import REGISTRY

    from timers.metrics import ChainLagCollector

    label = f"127.0.0.1:{chain.port}"
    ChainJobFactory(rpc_url=f"{chain.url}/v3/secret-api-key", confirmations=2, from_block=chain.head + 1)
    emit(chain)
    mine(chain, 5)

    def sample(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, {"endpoint": label, **labels}) or 0.0

    before = {
        "fired": sample("scheduler_chain_logs_total", outcome="fired"),
        "heads": sample("scheduler_chain_rpc_requests_total", method="eth_blockNumber"),
        "failed": sample("scheduler_chain_rpc_errors_total", kind="rate_limited"),
    }
    poll()
    chain.control("sim_fail", mode="429", count=1)
    poll()
    assert sample("scheduler_chain_logs_total", outcome="fired") == before["fired"] + 1
    assert sample("scheduler_chain_rpc_requests_total", method="eth_blockNumber") == before["heads"] + 2
    assert sample("scheduler_chain_rpc_errors_total", kind="rate_limited") == before["failed"] + 1
    (lag,) = ChainLagCollector().collect()
    assert [(s.labels, s.value) for s in lag.samples] == [({"endpoint": label}, 2)]


def test_the_cleanup_forgets_fired_logs_only_below_any_rescans_reach(db, chain, poll, sent):
    job = ChainJobFactory(rpc_url=chain.url, confirmations=0, from_block=chain.head + 1, reorg_depth=4)
    old = emit(chain)
    mine(chain, 10)
    recent = emit(chain)
    mine(chain)
    poll()
    assert ChainLog.objects.filter(job=job).count() == 2

    services.clean_up(now=timezone.now())

    assert list(ChainLog.objects.filter(job=job).values_list("log_id", flat=True)) == [emitted_id(recent)]
    assert log_ids(job) == sorted([emitted_id(old), emitted_id(recent)])  # their tasks stay
    mine(chain, 2)
    poll()
    assert Timer.objects.filter(job=job).count() == 2  # nothing fired again
