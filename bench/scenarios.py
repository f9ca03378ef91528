"""The service's own scenarios, end to end against real processes: timers paced and in a
burst, cron and condition jobs, withdrawals through the TEE and relayer simulators, timers
among many pending, and the burst with delivery workers on hosts of their own.

Imported once ``bench.__main__`` has set the environment and set Django up.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection

from bench import profiling
from bench.control import (
    LOGS,
    ROOT,
    RUNNING,
    Receiver,
    flush_broker,
    processes,
    receiver_process,
    reset_state,
    service_processes,
    wait_listening,
    web_server,
)
from bench.measure import (
    counter_total,
    cpu_per_item,
    cpu_seconds,
    lateness_row,
    paced,
    paced_lateness,
    percentiles,
    rss_mib,
    timed,
)
from scheduler_project.core.services import default_tenant
from scheduler_project.testing.factories import sealed_withdrawal
from scheduler_project.testing.servers import PrivatePostgres, PrivateRedis, TestHosts
from tee.attestation import TRUST_ANCHOR_FILE
from timers import services as timer_services
from timers.models import Timer, TimerStatus
from withdrawals import services as withdrawal_services
from withdrawals.models import ScheduledRequest, WithdrawalStatus
from withdrawals.relayer_simulator import RelayerSimulator


def timer_maker(
    tenant: Any, receiver: Receiver, lead: float, due: dict[str, float]
) -> Callable[[int, float], None]:
    """``paced``'s ``make``: timer ``n`` due ``lead`` seconds after its slot, to its own path,
    its due time kept in ``due``."""

    def make(n: int, slot: float) -> None:
        execute_at = datetime.fromtimestamp(slot + lead, tz=UTC)
        due[str(n)] = execute_at.timestamp()
        timer_services.create_timer(
            tenant=tenant, execute_at=execute_at, callback_url=receiver.url(f"/t/{n}"), max_attempts=1
        )

    return make


@contextmanager
def created_over_http(
    receiver: Receiver, lead: float, due: dict[str, float]
) -> Iterator[Callable[[int, float], None]]:
    """``paced``'s ``make`` as a user's: timer ``n`` due ``lead`` seconds after its slot,
    created by ``POST /timers`` from one keep-alive client, through the web server as
    ``make run`` starts it (its CPU counts in the row)."""
    import httpx

    headers = {"X-API-Key": os.environ["API_KEY"]}
    with (
        web_server(WEB_ACCESS_LOG="1") as base,
        httpx.Client(base_url=base, headers=headers, timeout=10) as client,
    ):

        def make(n: int, slot: float) -> None:
            execute_at = datetime.fromtimestamp(slot + lead, tz=UTC)
            due[str(n)] = execute_at.timestamp()
            body = {
                "execute_at": execute_at.isoformat(),
                "callback_url": receiver.url(f"/t/{n}"),
                "max_attempts": 1,
            }
            answer = client.post("/timers", json=body)
            if answer.status_code != 201:
                raise RuntimeError(f"POST /timers answered {answer.status_code}: {answer.text}")

        yield make


def timers_scenario(name: str, rate: int, duration: float, lead: float) -> dict[str, Any]:
    reset_state()
    due: dict[str, float] = {}
    with receiver_process() as receiver, service_processes(), created_over_http(receiver, lead, due) as make:
        return paced_lateness(name, receiver, due, (rate, duration, lead), make)


def burst_scenario(count: int, lead: float = 25.0) -> dict[str, Any]:
    """``count`` timers all due in the same second, created ahead of it (batches of 1,000,
    as ``POST /timers/batch`` does): the sweep sends them within the lookahead. Reports when
    the last callback arrived after the due time, and CPU per delivery per process."""
    reset_state()
    tenant = default_tenant()
    due: dict[str, float] = {}
    with receiver_process() as receiver, service_processes():
        warm = [
            {"execute_at": datetime.now(UTC), "callback_url": receiver.url(f"/w/-{n}")} for n in range(200)
        ]
        timer_services.create_timers(tenant=tenant, timers=warm)
        moment = datetime.fromtimestamp(int(time.time() + lead), tz=UTC)
        for start in range(0, count, 1000):
            batch = [
                {"execute_at": moment, "callback_url": receiver.url(f"/t/{n}"), "max_attempts": 1}
                for n in range(start, min(start + 1000, count))
            ]
            timer_services.create_timers(tenant=tenant, timers=batch)
            due.update((str(n), moment.timestamp()) for n in range(start, start + len(batch)))
        connection.close()
        before = cpu_seconds()
        time.sleep(max(0.0, moment.timestamp() - time.time()))
        at_due = cpu_seconds()
        name = os.environ.get("BENCH_BURST_LABEL") or f"scheduler: burst of {count:,}"
        with profiling.sampled(name) as profile:
            receiver.wait_for(count, timeout=lead + 180)
        after = cpu_seconds()
        row = lateness_row(name, receiver, due, count)
        if profile:
            row["profile"] = profile
    last = max((arrived for path, arrived in receiver.arrivals() if path.startswith("/t/")), default=0.0)
    row["last_after_due_s"] = round(last - moment.timestamp(), 2) if last else None
    row["cpu_ms_per_delivery"] = cpu_per_item(before, after, row["delivered"])
    row["cpu_ms_per_delivery_after_due"] = cpu_per_item(at_due, after, row["delivered"])
    if row["delivered"] < count:  # what became of those that did not arrive
        missing = Timer.objects.exclude(status=TimerStatus.COMPLETED).values_list("status", "last_error")
        row["undelivered"] = [f"{status}: {error}" for status, error in missing[:20]]
    return row


def jobs_scenario(count: int) -> dict[str, Any]:
    """``count`` cron jobs every minute (``* * * * *``), all at one minute boundary far enough
    ahead that creating them is over: the lateness of their first firings' callbacks."""
    reset_state()
    tenant = default_tenant()
    with receiver_process() as receiver, service_processes():
        started = time.time()
        boundary = (int(started + 30 + count / 200) // 60 + 1) * 60
        start_at = datetime.fromtimestamp(boundary, tz=UTC)
        for n in range(count):
            timer_services.create_job(
                tenant=tenant, schedule_type="cron", cron_expression="* * * * *", start_at=start_at,
                max_runs=1, max_attempts=1, callback_url=receiver.url(f"/j/{n}"),
            )  # fmt: skip
        created_per_second = count / (time.time() - started)
        before = cpu_seconds()
        receiver.wait_for(count, timeout=boundary - time.time() + 120)
        cpu = cpu_per_item(before, cpu_seconds(), count)
        row = lateness_row(
            f"{count} cron jobs at one minute",
            receiver,
            dict.fromkeys(map(str, range(count)), boundary),
            count,
        )
        row["jobs_created_per_s"] = round(created_per_second, 1)
        row["cpu_ms_per_firing"] = cpu  # task created ahead, sent, delivered, recorded
        return row


def conditions_scenario(count: int, shared: bool = True, watch_secs: float = 20.0) -> dict[str, Any]:
    """``count`` condition jobs polling one loopback source every second, all at one URL
    (``shared``: jobs asking it the same thing in one sweep share a fetch) or each at its own:
    evaluations a second while it stays false (the service's own counter), the source's
    requests a second, then the latency from its switch to true to each job's callback
    (every job fires once)."""
    reset_state()
    tenant = default_tenant()
    metrics_dir = Path(tempfile.mkdtemp(prefix="bench-metrics-"))
    with receiver_process() as receiver, service_processes(PROMETHEUS_MULTIPROC_DIR=str(metrics_dir)):
        value_file = Path(str(receiver.log) + ".value")
        value_file.write_text("0")
        for n in range(count):
            timer_services.create_job(
                tenant=tenant, schedule_type="condition",
                source_url=receiver.url("/source" if shared else f"/source?job={n}"),
                value_pointer="/v", operator=">", target=0, poll_interval_secs=1, max_attempts=1,
                callback_url=receiver.url(f"/c/{n}"),
            )  # fmt: skip
        time.sleep(5)  # every job has been evaluated at least once

        def counted() -> tuple[float, int]:
            polls = sum(1 for path, _ in receiver.arrivals() if path.startswith("/source"))
            return counter_total(metrics_dir, "scheduler_condition_evaluations"), polls

        (evaluations_before, polls_before), before = counted(), cpu_seconds()
        time.sleep(watch_secs)
        evaluations_after, polls_after = counted()
        evaluations, polls = evaluations_after - evaluations_before, polls_after - polls_before
        cpu = cpu_per_item(before, cpu_seconds(), int(evaluations))
        switched = time.time()
        value_file.write_text("1")
        receiver.wait_for(count, timeout=120)
        due = dict.fromkeys(map(str, range(count)), switched)
        sources = "one source" if shared else "a source each"
        row = lateness_row(f"{count} conditions ({sources})", receiver, due, count)
        row["evaluations_per_s"] = round(evaluations / watch_secs, 1)
        row["source_requests_per_s"] = round(polls / watch_secs, 1)
        row["cpu_ms_per_evaluation"] = cpu  # the receiver's share is the source's
        return row


def withdrawals_scenario(count: int, rate: int, tee_latency_ms: int) -> dict[str, Any]:
    """``count`` sealed withdrawals due at ``rate`` per second, through TEE and relayer simulators."""
    from tee.client import TeeClient

    reset_state()
    key_dir = LOGS / "tee"
    tee_port = 5900
    tee_env = {
        "TEE_PORT": str(tee_port),
        "TEE_KEY_DIR": str(key_dir),
        "TEE_TRUST_ANCHOR": str(key_dir / TRUST_ANCHOR_FILE),
    }
    with RelayerSimulator(port=0) as relayer:
        env = {**tee_env, "RELAYER_URL": relayer.url}
        simulator = (
            "tee",
            [sys.executable, "manage.py", "tee_simulator", "--port", str(tee_port),
             "--latency-ms", str(tee_latency_ms)],
        )  # fmt: skip
        with processes(simulator, env=env):
            wait_listening("127.0.0.1", tee_port)
            settings.TEE_PORT = tee_port
            settings.TEE_KEY_DIR = key_dir
            settings.TEE_TRUST_ANCHOR = key_dir / TRUST_ANCHOR_FILE
            public_key = TeeClient().public_key().public_key_der
            # Sealed beforehand (the wallets' work), scheduled while the service runs, as
            # wallets would: the workers are up and share the messages as they come.
            lead = 8 + count / rate
            first_due = int(time.time() + lead) + 1
            sealed = [
                (sealed_withdrawal(public_key, nullifier_old=n + 1, relay_after=first_due + n // rate),
                 first_due + n // rate)
                for n in range(count)
            ]  # fmt: skip
            with service_processes(**env):
                before = cpu_seconds()
                for envelope, relay_after in sealed:
                    withdrawal_services.schedule_withdrawal(
                        payload=envelope.to_payload(), last_note_index=12345, max_relayer_fee=10**18,
                        relay_after=datetime.fromtimestamp(relay_after, tz=UTC),
                    )  # fmt: skip
                connection.close()
                bench_cpu = time.process_time()
                deadline = time.time() + lead + count / rate + 120
                while time.time() < deadline:
                    done = ScheduledRequest.objects.filter(
                        status__in=[WithdrawalStatus.COMPLETED, WithdrawalStatus.FAILED]
                    ).count()
                    if done >= count:
                        break
                    time.sleep(0.5)
                after = cpu_seconds()
                # The relayer simulator runs in this process: its CPU, and this loop's.
                after["relayer"], before["relayer"] = time.process_time() - bench_cpu, 0.0
        rows = list(
            ScheduledRequest.objects.filter(status=WithdrawalStatus.COMPLETED).values_list(
                "relay_after", "relay_started_at", "processed_at"
            )
        )
        submissions = relayer.state.submissions
    completed = [(p - r).total_seconds() for r, _, p in rows]
    relay_started = [(s - r).total_seconds() for r, s, _ in rows]
    span = (max(p for _, _, p in rows) - min(r for r, _, _ in rows)).total_seconds() if rows else 0.0
    return {
        "scenario": f"withdrawals (TEE {tee_latency_ms} ms)",
        "sent": count,
        "delivered": len(rows),
        "duplicates": submissions - len(rows),
        # Lateness here is relay_after -> completed: quote, TEE call and relay included.
        **percentiles([max(0.0, x) for x in completed]),
        "per_second": round(len(rows) / span, 1) if span else 0.0,
        "relay_submitted_after_relay_after": percentiles([max(0.0, x) for x in relay_started]),
        "relayer": urlsplit(relayer.url).netloc,
        "cpu_ms_per_delivery": cpu_per_item(before, after, len(rows)),
    }


def _copies_of(template: Timer, count: int) -> None:
    """``count`` copies of ``template``, one due every millisecond after it, each with its
    own id and token: a table of pending timers in seconds, not an hour of creates."""
    columns = [f.column for f in Timer._meta.concrete_fields]
    spread = "interval '1 millisecond' * g"
    fresh = {
        "id": "gen_random_uuid()",
        "dispatch_token": "gen_random_uuid()",
        "due_at": f"t.due_at + {spread}",
        "execute_at": f"t.execute_at + {spread}",
    }
    select = ", ".join(fresh.get(column, f"t.{column}") for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Timer._meta.db_table} ({', '.join(columns)}) "
            f"SELECT {select} FROM {Timer._meta.db_table} t, generate_series(1, %s) g WHERE t.id = %s",
            [count, template.pk],
        )
        cursor.execute(f"ANALYZE {Timer._meta.db_table}")


def pending_scenario(pending: int, rate: int, watch_secs: float, lead: float = 5.0) -> dict[str, Any]:
    """``pending`` timers waiting a day ahead; then, among them: the sweep's claim (nothing
    due, and a full batch due), a whole timers sweep, and ``rate`` timers a second delivered
    for ``watch_secs`` while every process's resident memory is read each 5 s."""
    from django.db import transaction

    from scheduler_project.core import scheduling
    from timers.metrics import TimerBacklogCollector
    from timers.services import sweep_timers

    reset_state()
    tenant = default_tenant()
    started = time.perf_counter()
    template, _ = timer_services.create_timer(
        tenant=tenant,
        execute_at=datetime.fromtimestamp(time.time() + 86400, tz=UTC),
        callback_url="http://127.0.0.1:9/never",
    )
    _copies_of(template, pending - 1)
    filled_s = round(time.perf_counter() - started, 1)
    batch = settings.SCHEDULER_BATCH_SIZE

    def claim_nothing() -> None:
        assert not scheduling.lease_due_batch(Timer, now=datetime.now(UTC), batch_size=batch)

    def claim_a_batch() -> None:
        with transaction.atomic():
            assert len(scheduling.lease_due_batch(Timer, now=datetime.now(UTC), batch_size=batch)) == batch
            transaction.set_rollback(True)

    claim_idle = timed(claim_nothing, 200)
    sweep = timed(sweep_timers, 50)
    # A metrics scrape counts pending and overdue timers (the exporter's backlog gauges).
    scrape = timed(lambda: list(TimerBacklogCollector().collect()), 20)
    due_now = [{"execute_at": datetime.now(UTC), "callback_url": "http://127.0.0.1:9/due"}] * batch
    timer_services.create_timers(tenant=tenant, timers=due_now)
    # Sent on commit, as timers due now are: let them go, so that the claim finds them.
    Timer.objects.filter(callback_url="http://127.0.0.1:9/due").update(lease_until=None)
    flush_broker()
    claim_full = timed(claim_a_batch, 100)
    Timer.objects.filter(callback_url="http://127.0.0.1:9/due").delete()
    connection.close()

    due: dict[str, float] = {}
    memory: dict[str, list[float]] = {}
    with receiver_process() as receiver, service_processes():
        create = timer_maker(tenant, receiver, lead, due)

        def make(n: int, slot: float) -> None:
            create(n, slot)
            if n >= 0 and n % (rate * 5) == 0:
                for name, proc in RUNNING.items():
                    if name != "receiver":
                        memory.setdefault(name, []).append(rss_mib(proc.pid))

        sent = paced(rate, watch_secs, make)
        receiver.wait_for(sent, timeout=lead + 120)
        row = lateness_row(f"amid {pending:,} pending: {rate}/s", receiver, due, sent)
    row.update(
        pending=pending,
        filled_s=filled_s,
        claim_idle_ms=claim_idle,
        claim_batch_ms=claim_full,
        sweep_ms=sweep,
        backlog_scrape_ms=scrape,
        watch_s=watch_secs,
        # The whole series, one reading a minute, tells a plateau from a leak.
        rss_mib={
            name: {"first": r[0], "last": r[-1], "max": max(r), "each_minute": r[::12]}
            for name, r in memory.items()
        },
    )
    reset_state()
    return row


def scale_out_scenario(hosts: int, count: int) -> dict[str, Any]:
    """The burst of ``count`` with the delivery workers on ``hosts`` hosts of their own (network
    namespaces on a bridge, ``scheduler_project.testing.servers.TestHosts``; one worker each), reaching a
    PostgreSQL and a Redis of the scenario's own over their links; sweeper and beat here."""
    with TestHosts(hosts) as network, tempfile.TemporaryDirectory() as scratch:
        database, broker = PrivatePostgres(), PrivateRedis(Path(scratch))
        try:
            database.start(also_on=network.gateway)
            broker.start(also_on=network.gateway)
            rows = Path(scratch) / "rows.json"
            env = {
                **os.environ,
                "BENCH_DATABASE_URL": database.url_on(network.gateway).rsplit("/", 1)[0] + "/scheduler",
                "BENCH_REDIS_URL": broker.url_on(network.gateway),
                "BENCH_RECEIVER_HOST": network.gateway,
                "BENCH_CALLBACK_NETWORKS": network.network,
                "BENCH_DELIVERY_HOSTS": ",".join(network.names),
                "BENCH_DELIVERY_WORKERS": "1",
                # Its own name: the plots tell it from the burst on this machine.
                "BENCH_BURST_LABEL": f"scheduler: burst of {count:,}, {hosts} delivery host"
                + "s" * (hosts > 1),
            }
            command = [sys.executable, "-m", "bench", "--only", "burst", "--burst", str(count), "--no-peers",
                       "--rows-to", str(rows)]  # fmt: skip
            subprocess.run(command, cwd=ROOT, env=env, check=True)
            row = dict(json.loads(rows.read_text())[-1])  # the burst's, after its floor's
        finally:
            broker.stop()
            database.remove()
    return row
