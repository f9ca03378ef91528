"""``scheduler``: the client on the command line, configured by SCHEDULER_URL and API_KEY.

scheduler timers create --url http://127.0.0.1:4000/hook --in 10s [--payload '{"a": 1}']
scheduler timers create --url http://127.0.0.1:4000/hook --at 2030-01-01T12:00:00Z
scheduler timers get ID
scheduler timers list [--status pending]
scheduler jobs list [--status active] [--type cron]
scheduler tail [--interval 1]
"""

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

import pydantic
from pydantic import BaseModel

from scheduler_client.client import Client
from scheduler_client.errors import SchedulerError

UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
FINISHED = {"completed", "failed", "canceled", "skipped"}


def duration(text: str) -> timedelta:
    """``10s``, ``1.5m``, ``250ms``, ``2h``, ``1d`` (a bare number is seconds)."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*", text)
    if not found:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 10s, 5m, 250ms)")
    return timedelta(seconds=float(found[1]) * UNITS[found[2] or "s"])


def header(text: str) -> tuple[str, str]:
    name, sep, value = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(f"not a header: {text!r} (Name: value)")
    return name.strip(), value.strip()


def parser() -> argparse.ArgumentParser:
    about = "The scheduler's API from the command line (SCHEDULER_URL, default make run's, and API_KEY)."
    main = argparse.ArgumentParser(prog="scheduler", description=about)
    commands = main.add_subparsers(dest="command", required=True)

    timers = commands.add_parser("timers", help="create, get and list timers").add_subparsers(
        dest="action", required=True
    )
    create = timers.add_parser("create", help="create a timer")
    create.add_argument("--url", required=True, help="the callback URL")
    when = create.add_mutually_exclusive_group(required=True)
    when.add_argument("--at", help="RFC 3339 time, e.g. 2030-01-01T12:00:00Z")
    when.add_argument("--in", dest="delay", type=duration, help="from now, e.g. 10s, 5m")
    create.add_argument("--payload", type=json.loads, help="the callback's JSON body")
    create.add_argument("--header", type=header, action="append", default=[], help="Name: value (repeatable)")
    create.add_argument("--metadata", type=json.loads, help="JSON kept with the timer")
    create.add_argument("--max-attempts", type=int)
    create.add_argument("--idempotency-key", help="default: a fresh one")
    timers.add_parser("get", help="a timer with its attempts").add_argument("id")
    listing = timers.add_parser("list", help="timers, the latest created first")
    listing.add_argument("--status")
    listing.add_argument("--limit", type=int, default=50)

    jobs = commands.add_parser("jobs", help="list jobs").add_subparsers(dest="action", required=True)
    job_list = jobs.add_parser("list", help="jobs, the latest created first")
    job_list.add_argument("--status")
    job_list.add_argument("--type", dest="schedule_type")
    job_list.add_argument("--limit", type=int, default=50)

    commands.add_parser("signing-secret", help="the whsec_ secret that signs the callbacks")

    tail = commands.add_parser("tail", help="print delivery attempts as they happen (Ctrl-C stops)")
    tail.add_argument("--interval", type=float, default=1.0, help="seconds between polls (default 1)")
    tail.add_argument("--window", type=int, default=50, help="recently changed timers polled (default 50)")
    return main


def dumped(value: BaseModel | list[Any]) -> str:
    if isinstance(value, list):
        return json.dumps([item.model_dump(mode="json") for item in value], indent=2)
    return value.model_dump_json(indent=2)


def run(arguments: argparse.Namespace, client: Client, out: TextIO) -> None:
    if arguments.command == "signing-secret":
        print(client.signing_secret(), file=out)
    elif arguments.command == "tail":
        Tail(client, out, window=arguments.window).follow(arguments.interval)
    elif arguments.command == "jobs":
        jobs = client.list_jobs(status=arguments.status, schedule_type=arguments.schedule_type,
                                limit=arguments.limit, order="desc")  # fmt: skip
        print(dumped([job.root for job in jobs.jobs]), file=out)
    elif arguments.action == "create":
        at = arguments.at or (datetime.now(UTC) + arguments.delay).isoformat()
        timer: dict[str, Any] = {"execute_at": at, "callback_url": arguments.url}
        optional = {"callback_payload": arguments.payload, "metadata": arguments.metadata,
                    "max_attempts": arguments.max_attempts,
                    "callback_headers": dict(arguments.header) or None}  # fmt: skip
        timer.update({name: value for name, value in optional.items() if value is not None})
        print(dumped(client.create_timer(timer, idempotency_key=arguments.idempotency_key)), file=out)
    elif arguments.action == "get":
        print(dumped(client.get_timer(arguments.id)), file=out)
    else:
        page = client.list_timers(status=arguments.status, limit=arguments.limit, order="desc")
        print(dumped(page.timers), file=out)


class Tail:
    """Delivery attempts as they happen, by polling: the timers (job tasks included) changed
    most recently (GET /timers sorted by ``updated_at``), and for each one not finished when
    last seen, its detail, whose attempts not printed yet are printed. What finished before
    the tail started is not printed."""

    def __init__(self, client: Client, out: TextIO, *, window: int = 50) -> None:
        self.client, self.out, self.window = client, out, window
        self.printed: dict[str, int] = {}  # timer id: attempts printed
        self.finished: set[str] = set()
        self.started = False

    def follow(self, interval: float) -> None:
        while True:
            self.poll()
            time.sleep(interval)

    def poll(self) -> None:
        recent = self.client.list_timers(sort="updated_at", order="desc", limit=self.window).timers
        for summary in recent:
            timer_id, status = str(summary.id), summary.status.value if summary.status else ""
            if timer_id in self.finished or (not self.started and status in FINISHED):
                self.finished.add(timer_id)
                continue
            self.show(timer_id)
        self.started = True

    def show(self, timer_id: str) -> None:
        timer = self.client.get_timer(timer_id)
        for attempt in timer.attempts[self.printed.get(timer_id, 0) :]:
            code = f"HTTP {attempt.status_code}" if attempt.status_code else (attempt.error or "-")
            when = attempt.started_at.isoformat()
            line = (f"{when}  {timer_id}  attempt {attempt.number}  {attempt.outcome.value}  {code}  "
                    f"{attempt.duration_ms} ms  {timer.callback_url}")  # fmt: skip
            print(line, file=self.out, flush=True)
        self.printed[timer_id] = len(timer.attempts)
        status = timer.status.value if timer.status else ""
        if status in FINISHED:
            print(f"{timer.updated_at.isoformat()}  {timer_id}  {status}", file=self.out, flush=True)
            self.finished.add(timer_id)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        with Client() as client:
            run(arguments, client, sys.stdout)
    except SchedulerError as error:
        print(f"scheduler: {error}", file=sys.stderr)
        return 1
    except pydantic.ValidationError as invalid:  # refused before sending: the models' own checks
        print(f"scheduler: {invalid}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
