"""Scenarios of the triggers that are not clocks: logs on a chain (``chain_event`` jobs
polling one simulated node) and events pushed to ``POST /events``.

Imported once ``bench.__main__`` has set the environment and set Django up.
"""

import asyncio
import os
import threading
import time
from typing import Any

from bench.control import receiver_process, reset_state, service_processes, web_server
from bench.measure import WARMUP_SECS, cpu_per_item, cpu_seconds, lateness_row, paced, percentiles
from scheduler_project.core.services import default_tenant
from scheduler_project.testing.servers import free_port
from timers import services as timer_services
from timers.chain import scan
from timers.chain.ledger import parse_quantity
from timers.chain.simulator import ChainSimulator
from timers.models import Job

TRANSFER = "0x" + "dd" * 32  # the topic every job watches
BLOCK_SECS = 1.0
EVENTS_WARMUP = 200  # events sent before the measured window, not counted


def chain_scenario(
    jobs: int, logs_per_s: int = 100, duration: float = 30.0, confirmations: int = 3
) -> dict[str, Any]:
    """``jobs`` chain_event jobs, each watching an address of its own on one simulated node
    (a block a second, mined by the bench), while ``logs_per_s`` logs a second are emitted,
    each at one job's address: the node's requests a second (which should not grow with
    ``jobs``), the CPU per log delivered, and the latency from the block that confirms a log
    (``confirmations`` on top of its own) to the log's callback."""
    reset_state()
    tenant = default_tenant()
    chain = ChainSimulator(port=free_port(), block_time=0)  # the node, in the bench's process
    mined: dict[int, float] = {}
    stop = threading.Event()

    def mine() -> None:
        while not stop.wait(BLOCK_SECS - time.time() % BLOCK_SECS):
            number = parse_quantity(chain.control("sim_mine"))
            mined[number] = time.time()

    with chain, receiver_process() as receiver, service_processes():
        miner = threading.Thread(target=mine, daemon=True)
        miner.start()
        for k in range(jobs):
            timer_services.create_job(
                tenant=tenant, schedule_type="chain_event", rpc_url=chain.url, addresses=[address(k)],
                topics=[TRANSFER], confirmations=confirmations, poll_interval_secs=1, max_attempts=1,
                callback_url=receiver.url(f"/l/{k}"),
            )  # fmt: skip
        deadline = time.time() + 60
        while Job.objects.filter(last_processed_block__isnull=True).exists() and time.time() < deadline:
            time.sleep(0.5)  # every job has its first checkpoint: logs from here on are its
        emitted: dict[str, int] = {}  # log id: its block

        def emit(n: int, slot: float) -> None:
            where = chain.control("sim_emitLog", address=address(n % jobs), topics=[TRANSFER], data=hex(n))
            if n >= 0:  # where it will be: its block, its transaction and index
                emitted[scan.log_id(where)] = scan.block_of(where)

        requests_before, calls_before = chain.requests, dict(chain.calls)
        before = cpu_seconds()
        started = time.time()
        sent = paced(logs_per_s, duration, emit)
        measured_secs = time.time() - started
        requests = chain.requests - requests_before
        calls = {m: n - calls_before.get(m, 0) for m, n in chain.calls.items() if n > calls_before.get(m, 0)}
        receiver.wait_for(sent + int(logs_per_s * WARMUP_SECS), timeout=confirmations * BLOCK_SECS + 60)
        cpu = cpu_per_item(before, cpu_seconds(), sent)
        stop.set()
        # A log is due when the block that gives it its confirmations is mined.
        due = {
            log: mined[block + confirmations]
            for log, block in emitted.items()
            if block + confirmations in mined
        }
        row = lateness_row(f"chain: {jobs:,} jobs, {logs_per_s} logs/s", receiver, due, sent)
    row["rpc_requests_per_s"] = round(requests / measured_secs, 2)
    row["rpc_calls_per_s"] = {m: round(n / measured_secs, 2) for m, n in sorted(calls.items())}
    row["cpu_ms_per_log"] = cpu
    row["latency_from"] = f"the block giving {confirmations} confirmations"
    return row


def address(k: int) -> str:
    return "0x" + f"{k + 1:040x}"


def events_scenario(jobs: int = 100, offered: int = 10000, duration: float = 10.0) -> dict[str, Any]:
    """``offered`` events a second to ``POST /events`` for ``duration`` seconds, from one
    aiohttp client with 64 connections (an event not sent by the end of the window is not
    sent: the offered load is a rate, not a backlog to work through), against the web
    server as ``make run`` starts it and ``jobs`` event jobs of the same type, each
    filtering on its own ``/shard`` (so each event is weighed against every job's filter
    and matches one): events accepted a second, the answer's latency, the CPU per event of
    each process, and from the 202 to the callback (each event fires one task)."""
    import aiohttp

    reset_state()
    tenant = default_tenant()
    accepted: dict[str, float] = {}
    statuses: dict[int, int] = {}

    async def drive(base: str) -> tuple[float, list[float], dict[str, float], int]:
        connector = aiohttp.TCPConnector(limit=64)
        headers = {"X-API-Key": os.environ["API_KEY"]}
        async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
            gate = asyncio.Semaphore(64)
            window_ends = float("inf")

            async def post(n: int) -> float | None:
                body = {"type": "bench.order", "id": f"e{n}", "data": {"shard": n % jobs, "n": n}}
                async with gate:
                    if time.perf_counter() > window_ends:
                        return None  # offered in the window, not sent in it: the server was behind
                    started = time.perf_counter()
                    async with session.post(base + "/events", json=body) as response:
                        await response.read()
                        statuses[response.status] = statuses.get(response.status, 0) + 1
                        if response.status == 202 and n >= 0:
                            accepted[f"e{n}"] = time.time()
                    return time.perf_counter() - started

            await asyncio.gather(*(post(n) for n in range(-EVENTS_WARMUP, 0)))
            client = {"client": os.getpid()}
            before, started = cpu_seconds(client), time.perf_counter()
            window_ends = started + duration
            total, posts = int(offered * duration), []
            for n in range(total):
                await asyncio.sleep(max(0.0, started + n / offered - time.perf_counter()))
                posts.append(asyncio.ensure_future(post(n)))
            latency = [took for took in await asyncio.gather(*posts) if took is not None]
            elapsed = time.perf_counter() - started
            return elapsed, latency, before, total

    # The API's default limit per key (60,000 a minute) is below the load offered.
    with (
        receiver_process() as receiver,
        service_processes(),
        web_server(API_RATE_LIMIT="10000000/min") as base,
    ):
        for k in range(jobs):
            timer_services.create_job(
                tenant=tenant, schedule_type="event", event_type="bench.order", max_attempts=1,
                event_filter={"value_pointer": "/shard", "operator": "==", "target": k},
                callback_url=receiver.url(f"/e/{k}"),
            )  # fmt: skip
        elapsed, latency, before, total = asyncio.run(drive(base))
        receiver.wait_for(len(accepted) + EVENTS_WARMUP, timeout=120)
        # Each event accepted, stored, its task sent and delivered.
        cpu = cpu_per_item(before, cpu_seconds({"client": os.getpid()}), len(accepted))
        # Each event's callback path ends with its id (the receiver adds X-Scheduler-Event-Id).
        row = lateness_row(f"events: {offered:,}/s offered, {jobs} jobs", receiver, accepted, len(accepted))
    row.update(
        offered=total,
        sent_in_window=sum(statuses.values()) - EVENTS_WARMUP,
        accepted_per_s=round(len(accepted) / elapsed, 1),
        statuses={str(k): v for k, v in sorted(statuses.items())},
        answer=percentiles(latency),
        cpu_ms_per_event=cpu,
        latency_from="the 202",
    )
    return row
