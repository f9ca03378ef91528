"""What a run leaves behind: the table ``make bench`` prints, the plots, and the results
file (the rows with the machine and the arguments they were taken with).

Imported once ``bench.__main__`` has set the environment and set Django up.
"""

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.control import LOGS

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict[str, object]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                      if line.startswith("model name")), "")  # fmt: skip
    memory = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory = int(meminfo.read_text().split()[1]) // 1024
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_mib": memory,
    }


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
            "rss_mib", "rpc_requests_per_s", "rpc_calls_per_s", "accepted_per_s", "statuses", "answer",
            "floor_ratio", "client", "source_requests_per_s",
        )  # fmt: skip
        extras = {k: r[k] for k in keys if k in r}
        if extras:
            lines.append("  " + ", ".join(f"{k}: {v}" for k, v in extras.items()))
        for key in ("cpu_ms_per_firing", "cpu_ms_per_evaluation", "cpu_ms_per_delivery",
                    "cpu_ms_per_delivery_after_due", "cpu_ms_per_log", "cpu_ms_per_event"):  # fmt: skip
            if key in r:
                lines.append(f"  {key}: " + ", ".join(f"{name} {ms}" for name, ms in r[key].items()))
    return "\n".join(lines)


def publish(args: argparse.Namespace, rows: list[dict[str, Any]], *, started: float) -> None:
    """Print the table, draw the plots of the logs written since ``started`` and write the
    results file."""
    from bench import plots

    print(table(rows))
    for made in plots.draw(LOGS, RESULTS, since=started):
        print(f"plot: {made}", file=sys.stderr)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"bench-{stamp}.json"
    out.write_text(json.dumps({"machine": machine(), "args": vars(args), "scenarios": rows}, indent=2))
    print(
        f"\nwrote {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}", file=sys.stderr
    )
