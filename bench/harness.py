"""Benchmark scenarios. Imported after ``bench.__main__`` has set the environment."""

import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import django

django.setup()

import httpx  # noqa: E402
import psycopg  # noqa: E402
import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from scheduler_project.celery import app  # noqa: E402
from scheduler_project.core.services import default_tenant  # noqa: E402
from tee.attestation import TRUST_ANCHOR_FILE  # noqa: E402
from timers import services as timer_services  # noqa: E402
from timers.models import Job, Timer, TimerAttempt, TimerStatus  # noqa: E402
from withdrawals import services as withdrawal_services  # noqa: E402
from withdrawals.models import ScheduledRequest, WithdrawalStatus  # noqa: E402
from withdrawals.relayer_simulator import RelayerSimulator  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "bench" / "results" / "logs"


def prepare_database() -> None:
    db = settings.DATABASES["default"]
    admin = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname=postgres"
    if db.get("PASSWORD"):
        admin += f" password={db['PASSWORD']}"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    call_command("migrate", verbosity=0)


def flush_broker() -> None:
    """Leave the bench's Redis database empty."""
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


def reset_state() -> None:
    tables = [
        TimerAttempt._meta.db_table,
        Timer._meta.db_table,
        Job._meta.db_table,
        ScheduledRequest._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
    flush_broker()
    connection.close()


# The bench's processes now running, by name: what ``cpu_seconds`` reads.
RUNNING: dict[str, subprocess.Popen[bytes]] = {}


def _cpu_of(pid: int | str) -> tuple[str, int, float] | None:
    """A process's name, parent and CPU seconds (user and system, every thread)."""
    try:
        head, _, tail = Path(f"/proc/{pid}/stat").read_text().rpartition(")")
    except OSError:
        return None
    fields = tail.split()
    return (
        head.partition("(")[2],
        int(fields[1]),
        (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"),
    )


def cpu_seconds(also: dict[str, int] | None = None) -> dict[str, float]:
    """CPU seconds each running bench process has used with its children (the web server's
    workers), those of the processes in ``also`` (name: pid), and those of this machine's
    PostgreSQL and Redis servers (every backend counted together; a process that ended
    meanwhile takes its figure with it)."""
    named = {proc.pid: name for name, proc in RUNNING.items()} | {
        pid: name for name, pid in (also or {}).items()
    }
    used: dict[str, float] = {}
    for entry in Path("/proc").iterdir():
        found = _cpu_of(entry.name) if entry.name.isdigit() else None
        if found is None:
            continue
        command, parent, seconds = found
        name = named.get(int(entry.name)) or named.get(parent)
        if name is None and command in ("postgres", "redis-server"):
            name = command
        if name is not None:
            used[name] = used.get(name, 0.0) + seconds
    return used


def cpu_per_item(before: dict[str, float], after: dict[str, float], count: int) -> dict[str, float]:
    """Milliseconds of CPU per item, per process and in all, between two readings."""
    spent = {name: after[name] - before.get(name, 0.0) for name in after}
    per = {name: round(1000 * used / max(count, 1), 3) for name, used in spent.items() if used > 0}
    per["all"] = round(1000 * sum(spent.values()) / max(count, 1), 3)
    return per


@contextmanager
def processes(*commands: tuple[str, list[str]], env: dict[str, str] | None = None) -> Iterator[None]:
    """Start named Celery/manage.py processes; wait for workers to answer a ping; stop them all."""

    LOGS.mkdir(parents=True, exist_ok=True)
    running: list[subprocess.Popen[bytes]] = []
    full_env = {**os.environ, **(env or {})}
    try:
        for name, args in commands:
            log = (LOGS / f"{name}.log").open("wb")
            proc = subprocess.Popen(args, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
            running.append(proc)
            RUNNING[name] = proc
        workers = [name for name, args in commands if "celery" in args and "worker" in args]
        deadline = time.monotonic() + 60
        while workers and time.monotonic() < deadline:
            answered = {next(iter(reply)) for reply in app.control.ping(timeout=0.5)}
            if all(any(a.startswith(f"{w}@") for a in answered) for w in workers):
                break
        else:
            if workers:
                raise RuntimeError(f"workers did not start; see {LOGS}")
        yield
    finally:
        for name, _ in commands:
            RUNNING.pop(name, None)
        for proc in running:
            proc.send_signal(signal.SIGTERM)
        for proc in running:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def celery(name: str, *args: str) -> tuple[str, list[str]]:
    return (name, [sys.executable, "-m", "celery", "-A", "scheduler_project", *args])


def worker(name: str, queues: str, concurrency: int, *extra: str) -> tuple[str, list[str]]:
    return celery(
        name, "worker", "-Q", queues, "-P", "threads", "-c", str(concurrency), "-n", f"{name}@%h",
        "--without-mingle", "--without-gossip", "-l", "warning", *extra,
    )  # fmt: skip


# The niceness the Procfile gives the sweeps worker and beat.
HOUSEKEEPING_NICE = "5"


def service_processes(**env: str) -> Any:
    """The service as ``make run`` starts it; ``BENCH_DELIVERY_WORKERS`` delivery processes,
    on this machine or, with ``BENCH_DELIVERY_HOSTS`` (network namespaces, comma-separated),
    that many on each of those hosts."""
    threads = int(os.environ.get("BENCH_DELIVERY_CONCURRENCY", 16))
    count = int(os.environ.get("BENCH_DELIVERY_WORKERS", 2))
    deliverers = []
    for host in [h for h in os.environ.get("BENCH_DELIVERY_HOSTS", "").split(",") if h] or [""]:
        for n in range(count):
            name = f"deliverer{n}-{host}" if host else f"deliverer{n}"
            name, args = worker(name, "deliveries,withdrawals", threads)
            if host:
                args = ["ip", "netns", "exec", host, "env", f"WORKER_HOST={host}", *args]
            deliverers.append((name, args))
    # As the Procfile starts them: the sweeps and beat yield the CPU to the deliveries.
    niced = ["nice", "-n", os.environ.get("BENCH_HOUSEKEEPING_NICE", HOUSEKEEPING_NICE)]
    sweeper, beat = (
        worker("sweeper", "sweeps,default", 4),
        celery("beat", "beat", "-l", "warning", "--max-interval", "1", "-s", str(LOGS / "beat-schedule")),
    )
    return processes(*deliverers, *((name, [*niced, *args]) for name, args in (sweeper, beat)), env=env)


WARMUP_SECS = 5.0


def paced(rate: int, duration: float, make: Callable[[int, float], None]) -> int:
    """Call ``make(n, slot)`` ``rate`` times a second for ``duration`` seconds, after a warm-up.

    ``slot`` is the time the call was scheduled for, not the time it ran: timers
    due at ``slot + lead`` are due exactly ``rate`` a second even when the
    producer, sharing the machine, runs a little late. The warm-up (negative
    ``n``, not measured) lets every worker thread open its database and HTTP
    connections first, so the figures describe a running service.
    """
    warmup = int(rate * WARMUP_SECS)
    total = int(rate * duration)
    start = time.time()
    for step in range(warmup + total):
        slot = start + step / rate
        delay = slot - time.time()
        if delay > 0:
            time.sleep(delay)
        make(step - warmup, slot)
    return total


def machine_speed() -> float:
    """CPU seconds that ``sum(i * i for i in range(10_000_000))`` takes right now.

    A VM's speed moves with its neighbours, and near saturation lateness moves
    with it, so each scenario's row carries this figure, taken just before it ran.
    """
    started = time.process_time()
    sum(i * i for i in range(10_000_000))
    return round(time.process_time() - started, 2)


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
    ordered = sorted(values)
    quantiles = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50_ms": round(quantiles[49] * 1000, 1),
        "p95_ms": round(quantiles[94] * 1000, 1),
        "p99_ms": round(quantiles[98] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


class Receiver:
    """The loopback receiver, in its own process so it does not share the producer's GIL."""

    def __init__(self) -> None:
        self.host = os.environ.get("BENCH_RECEIVER_HOST", "127.0.0.1")
        self.port = free_port()
        self.log = LOGS / "arrivals.txt"

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def arrivals(self) -> list[tuple[str, float]]:
        if not self.log.exists():
            return []
        rows = []
        for line in self.log.read_text().splitlines():
            path, _, arrived = line.partition(" ")
            rows.append((path, float(arrived)))
        return rows

    def measured(self) -> int:
        """Callbacks that count (not warm-up ones, not a condition source's polls)."""
        return sum(
            1
            for path, _ in self.arrivals()
            if path != "/source" and not path.rsplit("/", 1)[1].startswith("-")
        )

    def wait_for(self, count: int, timeout: float) -> None:
        deadline = time.time() + timeout
        while self.measured() < count and time.time() < deadline:
            time.sleep(0.5)
        time.sleep(1.0)  # let late duplicates show


@contextmanager
def receiver_process() -> Iterator[Receiver]:
    receiver = Receiver()
    LOGS.mkdir(parents=True, exist_ok=True)
    receiver.log.unlink(missing_ok=True)
    command = (
        "receiver",
        [sys.executable, "-m", "bench.receiver_process", str(receiver.port), str(receiver.log),
         receiver.host],
    )  # fmt: skip
    with processes(command):
        wait_listening(receiver.host, receiver.port)
        yield receiver


def wait_listening(host: str, port: int, timeout: float = 30.0) -> None:
    """Wait until a process just started accepts connections (a slow moment of the VM makes
    Django's start take seconds)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def lateness_row(name: str, receiver: Receiver, due: dict[str, float], sent: int) -> dict[str, Any]:
    seen: dict[str, float] = {}
    duplicates = 0
    for path, arrived in receiver.arrivals():
        key = path.rsplit("/", 1)[1]
        if key.startswith("-") or key not in due:
            continue  # warm-up, or a condition job's poll
        if key in seen:
            duplicates += 1
            continue
        seen[key] = arrived
    late = [seen[k] - due[k] for k in seen]
    # Per-timer figures, for looking into a run's tail: "<key> <due> <arrived>".
    (LOGS / f"lateness-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.txt").write_text(
        "".join(f"{k} {due[k]:.6f} {seen[k]:.6f}\n" for k in seen)
    )
    span = max(seen.values()) - min(due[k] for k in seen) if seen else 0.0
    return {
        "scenario": name,
        "sent": sent,
        "delivered": len(seen),
        "duplicates": duplicates,
        **percentiles([max(0.0, x) for x in late]),
        "per_second": round(len(seen) / span, 1) if span else 0.0,
    }


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


def timers_scenario(name: str, rate: int, duration: float, lead: float) -> dict[str, Any]:
    reset_state()
    tenant = default_tenant()
    due: dict[str, float] = {}
    with receiver_process() as receiver, service_processes():
        return paced_lateness(
            name, receiver, due, (rate, duration, lead), timer_maker(tenant, receiver, lead, due)
        )


def paced_lateness(
    name: str,
    receiver: Receiver,
    due: dict[str, float],
    load: tuple[int, float, float],
    make: Callable[[int, float], None],
) -> dict[str, Any]:
    """``paced`` at ``load`` (rate, duration, lead), until every callback has arrived: the
    lateness row, with the CPU per delivery of every process (the producer's too)."""
    rate, duration, lead = load
    before = cpu_seconds()
    producer = time.process_time()
    sent = paced(rate, duration, make)
    receiver.wait_for(sent, timeout=lead + 120)
    after = cpu_seconds()
    after["producer"], before["producer"] = time.process_time() - producer, 0.0
    row = lateness_row(name, receiver, due, sent)
    # Warm-up included: every timer made since the first reading.
    row["cpu_ms_per_delivery"] = cpu_per_item(before, after, sent + int(rate * WARMUP_SECS))
    return row


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
        receiver.wait_for(count, timeout=lead + 180)
        after = cpu_seconds()
        name = os.environ.get("BENCH_BURST_LABEL") or f"scheduler: burst of {count:,}"
        row = lateness_row(name, receiver, due, count)
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


def conditions_scenario(count: int, watch_secs: float = 20.0) -> dict[str, Any]:
    """``count`` condition jobs polling one loopback source every second: evaluations a
    second while it stays false, then the latency from its switch to true to each job's
    callback (every job fires once)."""
    reset_state()
    tenant = default_tenant()
    with receiver_process() as receiver, service_processes():
        value_file = Path(str(receiver.log) + ".value")
        value_file.write_text("0")
        for n in range(count):
            timer_services.create_job(
                tenant=tenant, schedule_type="condition", source_url=receiver.url("/source"),
                value_pointer="/v", operator=">", target=0, poll_interval_secs=1, max_attempts=1,
                callback_url=receiver.url(f"/c/{n}"),
            )  # fmt: skip
        time.sleep(5)  # every job has been evaluated at least once
        polls_before = sum(1 for path, _ in receiver.arrivals() if path == "/source")
        before = cpu_seconds()
        time.sleep(watch_secs)
        polls = sum(1 for path, _ in receiver.arrivals() if path == "/source") - polls_before
        cpu = cpu_per_item(before, cpu_seconds(), polls)
        switched = time.time()
        value_file.write_text("1")
        receiver.wait_for(count, timeout=120)
        due = dict.fromkeys(map(str, range(count)), switched)
        row = lateness_row(f"{count} conditions, edge->callback", receiver, due, count)
        row["evaluations_per_s"] = round(polls / watch_secs, 1)
        row["cpu_ms_per_evaluation"] = cpu  # the receiver's share is the source's
        return row


def baseline_scenario(name: str, rate: int, duration: float, lead: float) -> dict[str, Any]:
    """The same load through plain ``apply_async(eta=...)``: precise, but not durable."""
    from bench.baseline_tasks import post_callback

    reset_state()
    due: dict[str, float] = {}
    with (
        receiver_process() as receiver,
        processes(worker("baseline", "baseline", 64, "-I", "bench.baseline_tasks")),
    ):

        def make(n: int, slot: float) -> None:
            eta = datetime.fromtimestamp(slot + lead, tz=UTC)
            due[str(n)] = eta.timestamp()
            post_callback.apply_async((receiver.url(f"/b/{n}"),), eta=eta, queue="baseline")

        return paced_lateness(name, receiver, due, (rate, duration, lead), make)


def withdrawals_scenario(count: int, rate: int, tee_latency_ms: int) -> dict[str, Any]:
    """``count`` sealed withdrawals due at ``rate`` per second, through TEE and relayer simulators."""
    from scheduler_project.testing.factories import sealed_withdrawal
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


def origins_scenario(origins: int = 128, requests: int = 2000) -> dict[str, Any]:
    """CPU per callback once ``origins`` other hosts were called recently: one httpx pool
    for all of them against the per-origin pools callbacks use (``OriginPools``)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from scheduler_project.core.http import OriginPools

    class Handler(BaseHTTPRequestHandler):
        """Answers and keeps nothing: its CPU counts in the figure (``CallbackReceiver``,
        which records every request, tripled the per-origin figure here)."""

        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Handler) for _ in range(origins)]
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


def table(rows: list[dict[str, Any]]) -> str:
    header = (
        f"{'scenario':<31}{'sent':>7}{'done':>7}{'dup':>5}"
        + "".join(f"{name:>9}" for name in ("p50 ms", "p95 ms", "p99 ms", "max ms"))
        + f"{'/s':>8}{'loop s':>8}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        if "one_pool_us" in r:
            lines.append(
                f"{r['scenario']}: {r['one_pool_us']} us with one pool, "
                f"{r['pool_per_origin_us']} us with a pool per origin (sender and receiver, one process)"
            )
            continue
        if "kombu_us" in r:
            lines.append(
                f"{r['scenario']}: {r['kombu_us']} us with kombu's Redis transport, "
                f"{r['ours_us']} us with ours (prefetch 16, each acknowledged)"
            )
            continue
        lines.append(
            f"{r['scenario']:<31}{r['sent']:>7}{r['delivered']:>7}{r['duplicates']:>5}{r['p50_ms']:>9}"
            f"{r['p95_ms']:>9}{r['p99_ms']:>9}{r['max_ms']:>9}{r['per_second']:>8}{r['loop_s']:>8}"
        )
        keys = (
            "jobs_created_per_s", "evaluations_per_s", "last_after_due_s", "paced", "batch_10000_s",
            "cpu_ms_per_create", "claim_idle_ms", "claim_batch_ms", "sweep_ms", "backlog_scrape_ms",
            "rss_mib",
        )  # fmt: skip
        extras = {k: r[k] for k in keys if k in r}
        if extras:
            lines.append("  " + ", ".join(f"{k}: {v}" for k, v in extras.items()))
        for key in ("cpu_ms_per_firing", "cpu_ms_per_evaluation", "cpu_ms_per_delivery",
                    "cpu_ms_per_delivery_after_due"):  # fmt: skip
            if key in r:
                lines.append(f"  {key}: " + ", ".join(f"{name} {ms}" for name, ms in r[key].items()))
    return "\n".join(lines)


def receive_scenario(count: int = 20000, prefetch: int = 16) -> dict[str, Any]:
    """CPU per message a consumer spends receiving ``count`` waiting messages (prefetch as a
    delivery worker's) and acknowledging each, with kombu's own Redis transport and with
    ``core.redisbroker``'s (one script call records and takes the messages waiting)."""
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
        "ours_us": cost("scheduler_project.core.redisbroker:Transport"),
    }


# The peers, on the same load: plain Celery ETA tasks, APScheduler 3 (one process, SQLAlchemy
# job store on PostgreSQL) and procrastinate 3 (a worker, jobs deferred with schedule_at).
# A plan is [(add_at, key, due), ...]: when the job is handed over, its name, when it is due.
Plan = list[tuple[float, str, float]]
PEER_THREADS = 64


def paced_plan(rate: int, duration: float, lead: float) -> tuple[Plan, int]:
    """``paced``'s load as a plan: warm-up jobs (negative keys, not measured), then the rest."""
    warmup, total = int(rate * WARMUP_SECS), int(rate * duration)
    start = time.time() + 3
    plan = [
        (start + step / rate, str(step - warmup), start + step / rate + lead)
        for step in range(warmup + total)
    ]
    return plan, total


def burst_plan(count: int, lead: float) -> tuple[Plan, int]:
    now = time.time()
    moment = float(int(now + lead))
    return [(now, str(n), moment) for n in range(count)], count


def follow(plan: Plan, hand_over: Callable[[str, float], None]) -> None:
    for add_at, key, due in plan:
        pause = add_at - time.time()
        if pause > 0:
            time.sleep(pause)
        hand_over(key, due)


def peer_row(name: str, receiver: Receiver, plan: Plan, sent: int) -> dict[str, Any]:
    due = {key: at for _, key, at in plan if not key.startswith("-")}
    receiver.wait_for(sent, timeout=max(at for _, _, at in plan) - time.time() + 120)
    row = lateness_row(name, receiver, due, sent)
    moment = min(due.values())
    measured = [at for path, at in receiver.arrivals() if not path.rsplit("/", 1)[1].startswith("-")]
    last = max(measured, default=0.0)
    if len(set(due.values())) == 1:  # a burst
        row["last_after_due_s"] = round(last - moment, 2) if last else None
    return row


def celery_eta_peer(name: str, plan: Plan, sent: int) -> dict[str, Any]:
    from bench.baseline_tasks import post_callback

    reset_state()
    with (
        receiver_process() as receiver,
        processes(worker("baseline", "baseline", PEER_THREADS, "-I", "bench.baseline_tasks")),
    ):
        follow(plan, lambda key, due: post_callback.apply_async(
            (receiver.url(f"/b/{key}"),), eta=datetime.fromtimestamp(due, tz=UTC), queue="baseline"
        ))  # fmt: skip
        return peer_row(name, receiver, plan, sent)


def _peer_database(name: str) -> str:
    """A database of the peer's own on the bench's PostgreSQL, made empty."""
    db = settings.DATABASES["default"]
    server = f"host={db['HOST']} port={db['PORT']} user={db['USER']}"
    with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server} dbname={name}"


def apscheduler_peer(name: str, plan: Plan, sent: int) -> dict[str, Any]:
    dsn = _peer_database("bench_apscheduler")
    url = "postgresql+psycopg://" + "{user}@{host}:{port}/{dbname}".format(
        **dict(part.split("=", 1) for part in dsn.split())
    )
    reset_state()
    plan_file = LOGS / "apscheduler-plan.json"
    with receiver_process() as receiver:
        plan_file.write_text(
            json.dumps([(add_at, receiver.url(f"/a/{key}"), due) for add_at, key, due in plan])
        )
        command = (
            "apscheduler",
            [sys.executable, "-m", "bench.peer_tasks", str(plan_file), url, str(PEER_THREADS)],
        )
        with processes(command):
            return peer_row(name, receiver, plan, sent)


def procrastinate_peer(name: str, plan: Plan, sent: int) -> dict[str, Any]:
    dsn = _peer_database("bench_procrastinate")
    env = {"PEER_PROCRASTINATE_DSN": dsn}
    os.environ.update(env)
    from bench import peer_tasks

    peer_tasks.app.connector.conninfo = dsn  # type: ignore[attr-defined]
    with peer_tasks.app.open():
        peer_tasks.app.schema_manager.apply_schema()
    reset_state()
    options = ["--concurrency", str(PEER_THREADS), "--fetch-job-polling-interval", "0.1", "-q", "callbacks"]
    arguments = ["-m", "procrastinate", "--app=bench.peer_tasks.app", "worker", *options]
    command = ("procrastinate", [sys.executable, *arguments])
    with receiver_process() as receiver, processes(command, env=env), peer_tasks.app.open():
        time.sleep(3)

        def hand_over(key: str, due: float) -> None:
            peer_tasks.post_callback.configure(schedule_at=datetime.fromtimestamp(due, tz=UTC)).defer(
                url=receiver.url(f"/p/{key}")
            )

        follow(plan, hand_over)
        return peer_row(name, receiver, plan, sent)


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
    port = free_port()
    web = ("web", [sys.executable, "-m", "scheduler_project.serve"])
    served = {"BIND_ADDRESS": "127.0.0.1", "PUBLIC_PORT": str(port), "WEB_ACCESS_LOG": "1"}
    base = f"http://127.0.0.1:{port}"
    clients = int(os.environ.get("BENCH_CREATE_CLIENTS", 16))

    def body(n: int, kind: str = "c") -> dict[str, str]:
        # Far ahead: the callbacks are not what this measures.
        return {"execute_at": "2099-01-01T00:00:00Z", "callback_url": f"http://127.0.0.1:9/{kind}/{n}"}

    async def drive() -> dict[str, Any]:
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
        }

    with processes(web, env=served):
        wait_listening("127.0.0.1", port)
        return {"scenario": "creates over HTTP", **asyncio.run(drive())}


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


def _timed(run: Callable[[], Any], times: int) -> dict[str, float]:
    taken = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        taken.append(time.perf_counter() - started)
    ordered = sorted(taken)
    return {"p50_ms": round(1000 * ordered[len(ordered) // 2], 2), "p99_ms": round(1000 * ordered[-1], 2)}


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


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

    claim_idle = _timed(claim_nothing, 200)
    sweep = _timed(sweep_timers, 50)
    # A metrics scrape counts pending and overdue timers (the exporter's backlog gauges).
    scrape = _timed(lambda: list(TimerBacklogCollector().collect()), 20)
    due_now = [{"execute_at": datetime.now(UTC), "callback_url": "http://127.0.0.1:9/due"}] * batch
    timer_services.create_timers(tenant=tenant, timers=due_now)
    # Sent on commit, as timers due now are: let them go, so that the claim finds them.
    Timer.objects.filter(callback_url="http://127.0.0.1:9/due").update(lease_until=None)
    flush_broker()
    claim_full = _timed(claim_a_batch, 100)
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
                        memory.setdefault(name, []).append(_rss_mib(proc.pid))

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
    import tempfile

    from scheduler_project.testing.servers import PrivatePostgres, PrivateRedis, TestHosts

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
            row = dict(json.loads(rows.read_text())[0])
        finally:
            broker.stop()
            database.remove()
    return row
