"""``make bench``: timer lateness (ours vs plain Celery ETA) and withdrawal throughput.

Runs against real PostgreSQL and Redis (``BENCH_DATABASE_URL``, ``BENCH_REDIS_URL``), starts
the service's own Celery processes, prints a table and writes JSON to ``bench/results/``.
"""

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import django

SCENARIOS = [
    "timers",
    "baseline",
    "peers",
    "sweep",
    "burst",
    "floor",
    "creates",
    "withdrawals",
    "origins",
    "receive",
    "jobs",
    "conditions",
    "chain",
    "events",
    "pending",
    "scaleout",
]
STARTED = time.time()


def configure_environment() -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="scheduler_project.settings",
        DATABASE_URL=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/scheduler_benchmark"
        ),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10"),
        API_KEY="bench-api-key-0123456789abcdefghijklmnopq",
        CALLBACK_ALLOWED_NETWORKS=os.environ.get("BENCH_CALLBACK_NETWORKS", "127.0.0.0/8"),
        C_FORCE_ROOT="1",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)


def main() -> None:
    # A SIGTERM (e.g. from `timeout`) unwinds like Ctrl-C, so started processes are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--rate", type=int, default=int(os.environ.get("BENCH_RATE", 200)))
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", 20)))
    parser.add_argument(
        "--lead", type=float, default=5.0, help="seconds between creating a timer and its time"
    )
    parser.add_argument("--withdrawals", type=int, default=int(os.environ.get("BENCH_WITHDRAWALS", 1500)))
    parser.add_argument("--withdrawal-rate", type=int, default=150)
    parser.add_argument("--tee-latency-ms", type=int, default=50)
    parser.add_argument("--burst", type=int, default=int(os.environ.get("BENCH_BURST", 2000)))
    parser.add_argument(
        "--full",
        action="store_true",
        help="make bench-full: lateness at 50, 200 and 500/s, a burst of 10,000, TEE at 10, 50 and 200 ms",
    )
    parser.add_argument(
        "--pending-watch",
        type=float,
        default=None,
        help="seconds of 50 timers/s among the pending ones, memory read each 5 s (60; --full: 3600)",
    )
    parser.add_argument(
        "--pending-counts", type=lambda text: [int(n) for n in text.split(",")], default=[10_000, 1_000_000]
    )
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("BENCH_JOBS", 10000)))
    parser.add_argument("--conditions", type=int, default=int(os.environ.get("BENCH_CONDITIONS", 1000)))
    parser.add_argument(
        "--chain-jobs",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[10, 1000],
        help="chain_event jobs on the simulated node, one run each (10,1000)",
    )
    parser.add_argument(
        "--event-rate", type=int, default=10000, help="events a second offered to POST /events"
    )
    parser.add_argument(
        "--only",
        choices=SCENARIOS,
        action="append",
    )
    parser.add_argument("--no-peers", action="store_true", help="the burst: ours only")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sample the service's processes with py-spy in the burst's and the creates' windows",
    )
    parser.add_argument("--rows-to", type=Path, help="write the rows there (JSON), no plots nor results file")
    parser.add_argument(
        "--repeat", type=int, default=1, help="run the scenarios this many times (figures vary run to run)"
    )
    args = parser.parse_args()

    configure_environment()
    if args.profile:
        os.environ["BENCH_PROFILE"] = "1"
    django.setup()
    from bench import control, report

    control.prepare_database()
    # Everything, the peers beside us; the scale-out hosts are network namespaces, which
    # need root.
    chosen = args.only or [name for name in SCENARIOS if name != "scaleout" or os.geteuid() == 0]
    rows: list[dict[str, object]] = []
    try:
        for run in range(1, args.repeat + 1):
            before = len(rows)
            run_scenarios(args, chosen, rows)
            if args.repeat > 1:
                for row in rows[before:]:
                    row["scenario"] = f"{row['scenario']} #{run}"
    finally:
        control.flush_broker()
    if args.rows_to:
        args.rows_to.write_text(json.dumps(rows))
        return
    report.publish(args, rows, started=STARTED)


def run_scenarios(args: argparse.Namespace, chosen: list[str], rows: list[dict[str, object]]) -> None:
    from bench import components, measure, peers, scenarios, triggers

    def run(scenario: Any, *scenario_args: Any) -> None:
        speed = measure.machine_speed()
        rows.append({**scenario(*scenario_args), "loop_s": speed})

    rates = [50, 200, 500] if args.full else [args.rate]
    for rate in rates:
        if "timers" in chosen:
            run(scenarios.timers_scenario, f"scheduler at {rate}/s", rate, args.duration, args.lead)
        if "baseline" in chosen:
            run(peers.baseline_scenario, f"celery eta at {rate}/s", rate, args.duration, args.lead)
        if "peers" in chosen:
            plan, sent = peers.paced_plan(rate, args.duration, args.lead)
            run(peers.apscheduler_peer, f"apscheduler at {rate}/s", plan, sent)
            plan, sent = peers.paced_plan(rate, args.duration, args.lead)
            run(peers.procrastinate_peer, f"procrastinate at {rate}/s", plan, sent)
    if "sweep" in chosen:
        # Due 30 s after creation: the sweep sends them, and creating them is over before they fire.
        run(scenarios.timers_scenario, "scheduler (via sweep)", args.rate, args.duration, 30.0)
    count = 10000 if args.full else args.burst
    if "floor" in chosen or "burst" in chosen:
        run(components.floor_scenario, count)
    if "burst" in chosen:
        run(scenarios.burst_scenario, count)
        floor, ours = rows[-2], rows[-1]
        if floor["last_after_due_s"] and ours.get("last_after_due_s"):
            ours["floor_ratio"] = round(ours["last_after_due_s"] / floor["last_after_due_s"], 2)
        for peer in () if args.no_peers else ("celery_eta", "apscheduler", "procrastinate"):
            plan, sent = peers.burst_plan(count, lead=25.0)
            run(getattr(peers, f"{peer}_peer"), f"{peer.replace('_', ' ')}: burst of {count:,}", plan, sent)
    if "creates" in chosen:
        run(components.creates_scenario)
    if "withdrawals" in chosen:
        for latency in [10, 50, 200] if args.full else [args.tee_latency_ms]:
            run(scenarios.withdrawals_scenario, args.withdrawals, args.withdrawal_rate, latency)
    if "origins" in chosen:
        run(components.origins_scenario)
    if "receive" in chosen:
        run(components.receive_scenario)
    if "jobs" in chosen:
        run(scenarios.jobs_scenario, args.jobs)
    if "conditions" in chosen:
        run(scenarios.conditions_scenario, args.conditions, True)
        run(scenarios.conditions_scenario, args.conditions, False)
    if "chain" in chosen:
        for jobs in args.chain_jobs:
            run(triggers.chain_scenario, jobs)
    if "events" in chosen:
        run(triggers.events_scenario, 100, args.event_rate)
    if "scaleout" in chosen:
        for hosts in (1, 2, 3):
            run(scenarios.scale_out_scenario, hosts, count)
    if "pending" in chosen:
        watch = args.pending_watch or (3600.0 if args.full else 60.0)
        for pending in args.pending_counts:
            run(scenarios.pending_scenario, pending, 50, watch)


if __name__ == "__main__":
    main()
