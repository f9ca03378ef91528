"""Measuring a run: a load paced at a steady rate, the lateness of its callbacks, the CPU
each process spent on it, and the machine's speed at the time (a VM's moves with its
neighbours, so each row carries it).

Imported once ``bench.__main__`` has set the environment and set Django up.
"""

import os
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import profiling
from bench.control import LOGS, RUNNING, Receiver


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


def paced_lateness(
    name: str,
    receiver: Receiver,
    due: dict[str, float],
    load: tuple[int, float, float],
    make: Callable[[int, float], None],
) -> dict[str, Any]:
    """``paced`` at ``load`` (rate, duration, lead), until every callback has arrived: the
    lateness row, with the CPU per delivery of every process (the producer's too), and with
    ``--profile`` each process's samples meanwhile."""
    rate, duration, lead = load
    before = cpu_seconds()
    producer = time.process_time()
    with profiling.sampled(name) as profile:
        sent = paced(rate, duration, make)
        receiver.wait_for(sent, timeout=lead + 120)
    after = cpu_seconds()
    after["producer"], before["producer"] = time.process_time() - producer, 0.0
    row = lateness_row(name, receiver, due, sent)
    if profile:
        row["profile"] = profile
    # Warm-up included: every timer made since the first reading.
    row["cpu_ms_per_delivery"] = cpu_per_item(before, after, sent + int(rate * WARMUP_SECS))
    return row


def timed(run: Callable[[], Any], times: int) -> dict[str, float]:
    """The median and the slowest of ``times`` runs of ``run``, in milliseconds."""
    taken = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        taken.append(time.perf_counter() - started)
    ordered = sorted(taken)
    return {"p50_ms": round(1000 * ordered[len(ordered) // 2], 2), "p99_ms": round(1000 * ordered[-1], 2)}


def rss_mib(pid: int) -> float:
    """A process's resident memory now, read each 5 s to tell a plateau from a leak."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def counter_total(directory: Path, name: str) -> float:
    """A counter summed over the processes that wrote it to ``directory`` (their
    ``PROMETHEUS_MULTIPROC_DIR``), as the metrics exporter reads it."""
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(directory))
    return sum(
        sample.value
        for family in registry.collect()
        for sample in family.samples
        if sample.name == f"{name}_total"
    )
