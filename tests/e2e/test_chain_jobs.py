"""Chain event jobs the way a user runs them: the chain simulator's command, two real
workers and beat, logs delivered as signed tasks into a loopback receiver."""

import time
from typing import Any

import httpx

from scheduler_project.testing.factories import ChainJobFactory
from scheduler_project.testing.servers import eventually, free_port
from tests.conftest import exactly
from timers.models import ChainLog, Job
from timers.receiver import verify
from timers.services.chains import POLL_LEASE

TOKEN = "0x" + "c0" * 20
OTHER = "0x" + "d1" * 20
TRANSFER = "0x" + "dd" * 32


def call(url: str, method: str, *params: Any) -> Any:
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}
    answer = httpx.post(url, json=body, timeout=10).json()
    assert "error" not in answer, answer
    return answer["result"]


def start_chain(processes: Any, *, block_time: str = "0.2") -> str:
    port = free_port()
    processes.manage("chain_simulator", "--port", str(port), "--block-time", block_time,
                     ready="chain simulator listening")  # fmt: skip
    return f"http://127.0.0.1:{port}"


def start_service(processes: Any) -> None:
    processes.worker(name="first")
    processes.worker(name="second")  # two sweeps workers: two polls may run at once
    processes.beat()


def header(hit: Any, name: str) -> str:
    return next(value for key, value in hit.headers.items() if key.lower() == name.lower())


def test_each_confirmed_log_is_delivered_once_as_a_signed_task(processes, receiver, tenant):
    chain = start_chain(processes)
    head = int(call(chain, "eth_blockNumber"), 16)
    job = ChainJobFactory(tenant=tenant, rpc_url=chain, confirmations=2, from_block=head + 1,
                          topics=[TRANSFER], callback_url=receiver.url("/chain"))  # fmt: skip
    start_service(processes)
    first = call(chain, "sim_emitLog", {"address": TOKEN, "topics": [TRANSFER], "data": "0x01"})
    # Another contract's log: not the job's.
    call(chain, "sim_emitLog", {"address": OTHER, "topics": [TRANSFER], "data": "0x02"})
    second = call(chain, "sim_emitLog", {"address": TOKEN, "topics": [TRANSFER], "data": "0x03"})

    hits = exactly(receiver, 2, path="/chain", timeout=60, quiet=3)
    logs = sorted(
        (verify(tenant.webhook_secret, hit) for hit in hits),
        key=lambda log: (int(log["blockNumber"], 16), int(log["logIndex"], 16)),
    )
    assert [log["data"] for log in logs] == ["0x01", "0x03"]
    for log, emitted in zip(logs, (first, second), strict=True):
        assert (log["transactionHash"], log["logIndex"], log["blockNumber"]) == (
            emitted["transactionHash"], emitted["logIndex"], emitted["blockNumber"],
        )  # fmt: skip
        assert (log["address"], log["topics"], log["removed"]) == (TOKEN, [TRANSFER], False)
        assert log["blockHash"] == call(chain, "eth_getBlockByNumber", log["blockNumber"], False)["hash"]
    for hit in hits:
        log = hit.json()
        assert header(hit, "X-Scheduler-Log-Id") == f"{log['transactionHash']}:{int(log['logIndex'], 16)}"
        assert header(hit, "X-Scheduler-Job-Id") == str(job.pk)
    assert ChainLog.objects.filter(job=job).count() == 2


def test_a_log_a_reorganisation_drops_after_delivery_is_sent_again_once_as_removed(
    processes, receiver, tenant
):
    chain = start_chain(processes)
    head = int(call(chain, "eth_blockNumber"), 16)
    ChainJobFactory(tenant=tenant, rpc_url=chain, confirmations=2, from_block=head + 1,
                    callback_url=receiver.url("/chain"))  # fmt: skip
    start_service(processes)
    emitted = call(chain, "sim_emitLog", {"address": TOKEN, "topics": [TRANSFER], "data": "0x07"})
    (delivered,) = exactly(receiver, 1, path="/chain", timeout=60, quiet=0.5)
    assert delivered.json()["removed"] is False

    block = int(emitted["blockNumber"], 16)
    head = int(call(chain, "eth_blockNumber"), 16)
    call(chain, "sim_reorg", {"depth": head - block + 3})  # deeper than the confirmations

    hits = exactly(receiver, 2, path="/chain", timeout=60, quiet=3)
    removed = verify(tenant.webhook_secret, hits[1])
    assert removed == {**delivered.json(), "removed": True}
    assert header(hits[1], "X-Scheduler-Log-Id") == header(delivered, "X-Scheduler-Log-Id")
    assert hits[1].headers["webhook-id"] != delivered.headers["webhook-id"]
    eventually(lambda: ChainLog.objects.filter(removed_at__isnull=False).count() == 1)


def test_a_sweeps_worker_killed_mid_catch_up_leaves_no_log_missed_or_repeated(processes, receiver, tenant):
    chain = start_chain(processes, block_time="0")
    start = int(call(chain, "eth_blockNumber"), 16) + 1
    emitted = []
    for _ in range(20):
        emitted.append(call(chain, "sim_emitLog", {"address": TOKEN, "topics": [TRANSFER], "data": "0x"}))
        call(chain, "sim_mine", {"blocks": 15})
    # One block a range: a catch-up of hundreds of ranges, long enough to be cut in the middle.
    job = ChainJobFactory(tenant=tenant, rpc_url=chain, confirmations=0, from_block=start, max_block_range=1,
                          callback_url=receiver.url("/chain"))  # fmt: skip
    processes.worker(queues="deliveries", name="deliverer")
    sweeper = processes.worker(queues="sweeps,default", name="sweeper")
    processes.beat()
    eventually(lambda: ChainLog.objects.filter(job=job).count() >= 3, timeout=60, interval=0.05)
    sweeper.kill()
    sweeper.wait()
    killed_at = time.monotonic()
    cut_at = Job.objects.get(pk=job.pk).last_processed_block
    assert cut_at < start + 299, "caught up before the kill"
    # Started again under its own name, as a supervisor does: the poll the dead process held
    # is taken back at once, not when its lease (POLL_LEASE) runs out.
    processes.worker(queues="sweeps,default", name="sweeper")
    eventually(lambda: Job.objects.get(pk=job.pk).last_processed_block > cut_at, timeout=60, interval=0.1)
    assert time.monotonic() - killed_at < POLL_LEASE.total_seconds() / 2

    hits = exactly(receiver, 20, path="/chain", timeout=180, quiet=3)
    assert sorted(header(hit, "X-Scheduler-Log-Id") for hit in hits) == sorted(
        f"{log['transactionHash']}:{int(log['logIndex'], 16)}" for log in emitted
    )
