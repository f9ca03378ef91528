"""Scenarios that measure one part alone, not a delivery end to end: creating timers over
HTTP against the web server, the callback connection pools, and the broker transport's
cost per message received.

Imported once ``bench.__main__`` has set the environment and set Django up.
"""

import os
import threading
import time
from typing import Any

import httpx
from django.conf import settings

from bench import profiling
from bench.control import receiver_process, reset_state, web_server
from bench.measure import cpu_per_item, cpu_seconds, percentiles


def floor_scenario(count: int, clients: int = 16) -> dict[str, Any]:
    """The floor under a burst: one aiohttp client with ``clients`` keep-alive connections
    POSTs ``count`` requests (the body a timer's callback carries, ``{}``) into the same
    receiver process the burst's callbacks go to, as fast as it goes: no database, no broker,
    no signing. ``last_after_due_s`` is the time from the first request to the last arrival,
    beside the burst's own (its last callback after the due time)."""
    import asyncio

    import aiohttp

    async def drive(receiver: Any) -> list[float]:
        connector = aiohttp.TCPConnector(limit=clients)
        async with aiohttp.ClientSession(connector=connector) as session:
            pending = iter(range(count))
            took: list[float] = []

            async def client() -> None:
                for n in pending:
                    started = time.perf_counter()
                    async with session.post(receiver.url(f"/f/{n}"), data=b"{}") as response:
                        await response.read()
                    took.append(time.perf_counter() - started)

            await asyncio.gather(*(client() for _ in range(clients)))
            return took

    with receiver_process() as receiver:
        started = time.time()
        took = asyncio.run(drive(receiver))
        receiver.wait_for(count, timeout=120)
        arrived = [at for path, at in receiver.arrivals() if path.startswith("/f/")]
    seconds = max(arrived) - started if arrived else None
    return {
        "scenario": f"floor: {count:,} bare POSTs",
        "sent": count,
        "delivered": len(arrived),
        "duplicates": len(arrived) - len({path for path, _ in receiver.arrivals() if path.startswith("/f/")}),
        **percentiles(took),
        "per_second": round(count / seconds) if seconds else 0,
        "last_after_due_s": round(seconds, 2) if seconds else None,
        "client": f"aiohttp, {clients} connections; receiver: bench/receiver_process.py",
    }


def creates_scenario(count: int = 5000, paced_rate: int = 200, paced_secs: float = 10.0) -> dict[str, Any]:
    """``POST /timers`` over HTTP against the web server as ``make run`` starts it
    (``scheduler_project.serve``: granian, 2 workers, 4 threads each, access log on):
    ``count`` creates from 16 connections (``BENCH_CREATE_CLIENTS``) as fast as they go
    (creates/s, latency, CPU per create per process), then ``paced_rate`` a second for
    ``paced_secs`` (latency); and ``POST /timers/batch``: 10 batches of 1,000 one after
    another (time for all 10,000). The client is aiohttp on one event loop: it spends about a
    quarter of a millisecond per request, where 16 threads of httpx spent three times that
    on the same two cores as the server."""
    import asyncio

    import aiohttp

    reset_state()
    clients = int(os.environ.get("BENCH_CREATE_CLIENTS", 16))
    profiles: dict[str, dict[str, Any]] = {}

    def body(n: int, kind: str = "c") -> dict[str, str]:
        # Far ahead: the callbacks are not what this measures.
        return {"execute_at": "2099-01-01T00:00:00Z", "callback_url": f"http://127.0.0.1:9/{kind}/{n}"}

    async def drive(base: str) -> dict[str, Any]:
        connector = aiohttp.TCPConnector(limit=clients)
        headers = {"X-API-Key": os.environ["API_KEY"]}
        async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

            async def post(path: str, payload: Any) -> float:
                started = time.perf_counter()
                async with session.post(base + path, json=payload) as response:
                    text = await response.text()
                    assert response.status == 201, text
                return time.perf_counter() - started

            async def many(numbers: range) -> list[float]:
                pending = iter(numbers)
                took: list[float] = []

                async def client() -> None:
                    for n in pending:
                        took.append(await post("/timers", body(n)))

                await asyncio.gather(*(client() for _ in range(clients)))
                return took

            await many(range(-500, 0))  # warm-up
            client = {"client": os.getpid()}
            before, started = cpu_seconds(client), time.perf_counter()
            with profiling.sampled("creates") as profiles["creates"]:
                saturated = await many(range(count))
            rate = count / (time.perf_counter() - started)
            cpu = cpu_per_item(before, cpu_seconds(client), count)

            start, paced = time.perf_counter(), []
            for n in range(int(paced_rate * paced_secs)):
                await asyncio.sleep(max(0.0, start + n / paced_rate - time.perf_counter()))
                paced.append(asyncio.ensure_future(post("/timers", body(count + n))))
            paced_latency = list(await asyncio.gather(*paced))

            batch = [body(n, "b") for n in range(1000)]
            started = time.perf_counter()
            with profiling.sampled("batch") as profiles["batch"]:
                for _ in range(10):
                    await post("/timers/batch", {"timers": batch})
            batch_secs = time.perf_counter() - started
        return {
            "sent": count,
            "delivered": count,
            "duplicates": 0,
            **percentiles(saturated),
            "per_second": round(rate, 1),
            "cpu_ms_per_create": cpu,
            "paced": {"rate": paced_rate, **percentiles(paced_latency)},
            "batch_10000_s": round(batch_secs, 2),
            **({"profile": profiles} if profiling.wanted() else {}),
        }

    with web_server(WEB_ACCESS_LOG="1") as base:
        return {"scenario": "creates over HTTP", **asyncio.run(drive(base))}


def origins_scenario(origins: int = 128, requests: int = 2000) -> dict[str, Any]:
    """CPU per callback once ``origins`` other hosts were called recently: one httpx pool
    for all of them against the per-origin pools callbacks use (``OriginPools``)."""
    from http.server import ThreadingHTTPServer

    from scheduler_project.core.http import OriginPools
    from scheduler_project.testing.servers import EmptyAnswers

    # A target that keeps nothing: its CPU counts in the figure (``CallbackReceiver``, which
    # records every request, would weigh more than the pools compared).
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), EmptyAnswers) for _ in range(origins)]
    for server in servers:  # a host per port: each is an origin of its own
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    urls = [f"http://127.0.0.1:{server.server_address[1]}/" for server in servers]

    def cost(transport: httpx.BaseTransport) -> float:
        def post(url: str) -> None:
            response = transport.handle_request(httpx.Request("POST", url, content=b"{}"))
            response.read()
            response.close()

        for url in urls:  # one idle keep-alive connection per host, as after a busy minute
            post(url)
        started = time.process_time()
        for _ in range(requests):
            post(urls[0])
        transport.close()
        return round((time.process_time() - started) / requests * 1e6)

    limits = httpx.Limits(max_connections=512, max_keepalive_connections=128)
    try:
        return {
            "scenario": f"CPU per callback, {origins} hosts pooled",
            "one_pool_us": cost(httpx.HTTPTransport(retries=0, limits=limits)),
            "pool_per_origin_us": cost(OriginPools(limits=limits)),
        }
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def receive_scenario(count: int = 20000, prefetch: int = 16) -> dict[str, Any]:
    """CPU per message a consumer spends receiving ``count`` waiting messages (prefetch as a
    delivery worker's) and acknowledging each, with kombu's own Redis transport and with
    ``core.departures.redis_transport``'s (one script call records and takes the messages waiting)."""
    from kombu import Connection, Exchange, Queue

    url = settings.CELERY_BROKER_URL
    queue = Queue("bench.receive", Exchange("bench.receive"), "bench.receive")

    def cost(transport: str) -> float:
        with Connection(url, transport=transport) as broker:
            with broker.Producer() as producer:
                for n in range(count):
                    producer.publish({"n": n, "pad": "x" * 300}, exchange=queue.exchange,
                                     routing_key="bench.receive", declare=[queue])  # fmt: skip
            received = [0]

            def on_message(body: Any, message: Any) -> None:
                received[0] += 1
                message.ack()

            started = time.process_time()
            with broker.Consumer(queue, callbacks=[on_message]) as consumer:
                consumer.qos(prefetch_count=prefetch)
                while received[0] < count:
                    broker.drain_events(timeout=10)
            return round((time.process_time() - started) / count * 1e6)

    return {
        "scenario": f"CPU per message received, {count:,} waiting",
        "kombu_us": cost("kombu.transport.redis:Transport"),
        "ours_us": cost("scheduler_project.core.departures.redis_transport:Transport"),
    }
