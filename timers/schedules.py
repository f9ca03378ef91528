"""Schedule math for recurring jobs: when a schedule fires next, with no database and no
clock of its own (every function takes ``after`` or ``now``).

Cron expressions are evaluated by cronsim, which follows Debian cron in the job's time
zone (an IANA name, from the pinned ``tzdata``):

* a time that does not exist (02:30 on a spring-forward day) fires once, at the first
  instant after the gap (03:00 in New York, 02:30 at Lord Howe's 30-minute shift for 02:00);
* a time that occurs twice (01:30 on a fall-back day) fires once, at its first occurrence;
* expressions with a wildcard or step in the hour field (``*/15 * * * *``) fire by elapsed
  time, so both transitions keep their spacing.

Interval schedules are anchored: run n is ``start_at + n * interval``, computed in whole
microseconds, never "last run + interval", so nothing drifts however late a run was.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from cronsim import CronSim, CronSimError

CRON = "cron"
INTERVAL = "interval"
SPECIFIC = "specific"

FIRE_ONCE = "fire_once"
SKIP = "skip"

ALIASES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_MICROSECOND = timedelta(microseconds=1)


class ScheduleError(ValueError):
    """A schedule that cannot fire: the message says which part and why."""


def zone(name: str) -> ZoneInfo:
    if name not in _zones():
        raise ScheduleError(f"{name!r} is not an IANA time zone name")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # pragma: no cover (listed but unloadable)
        raise ScheduleError(f"{name!r} is not an IANA time zone name") from exc


_ZONES: set[str] = set()


def _zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


def cron_expression(text: str) -> str:
    """The five-field form of ``text`` (an alias such as ``@daily`` expanded); raises
    ScheduleError for an expression that is malformed or can never fire."""
    expanded = ALIASES.get(text.strip().lower(), text.strip())
    if len(expanded.split()) != 5:
        raise ScheduleError("a cron expression has 5 fields (minute hour day month weekday) or is an alias")
    try:
        next(CronSim(expanded, datetime(2000, 1, 1, tzinfo=UTC)))
    except (CronSimError, StopIteration) as exc:
        raise ScheduleError(f"invalid cron expression: {exc}") from exc
    return expanded


@dataclass(frozen=True)
class Schedule:
    """What a job's times are made of; times are aware, ``start_at`` always set for intervals."""

    kind: str
    timezone: str = "UTC"
    cron: str = ""
    interval_secs: int = 0
    run_at: datetime | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None

    def next_after(self, after: datetime) -> datetime | None:
        """The first run strictly after ``after`` (UTC), or None once the schedule has ended."""
        if self.start_at is not None and after < self.start_at:
            after = self.start_at - _MICROSECOND  # the start itself may be a run
        found = self._next(after)
        if found is None or (self.end_at is not None and found > self.end_at):
            return None
        return found

    def runs_after(self, after: datetime, count: int) -> list[datetime]:
        """Up to ``count`` runs strictly after ``after``."""
        runs: list[datetime] = []
        while len(runs) < count:
            found = self.next_after(runs[-1] if runs else after)
            if found is None:
                break
            runs.append(found)
        return runs

    def last_until(self, moment: datetime) -> datetime | None:
        """The latest run at or before ``moment``, or None if none was."""
        if self.kind == SPECIFIC:
            assert self.run_at is not None
            found = self.run_at if self.run_at <= moment else None
        elif self.kind == INTERVAL:
            assert self.start_at is not None
            step = self.interval_secs * 1_000_000
            elapsed = (moment - self.start_at) // _MICROSECOND
            found = self.start_at + timedelta(microseconds=elapsed // step * step) if elapsed >= 0 else None
        else:
            local = (moment + _MICROSECOND).astimezone(zone(self.timezone))
            found = next(iter(CronSim(self.cron, local, reverse=True)), None)
            found = found.astimezone(UTC) if found is not None else None
        if self.end_at is not None and found is not None and found > self.end_at:
            return self.last_until(self.end_at)
        if found is None or (self.start_at is not None and found < self.start_at):
            return None
        return found

    def _next(self, after: datetime) -> datetime | None:
        if self.kind == SPECIFIC:
            assert self.run_at is not None
            return self.run_at if self.run_at > after else None
        if self.kind == INTERVAL:
            assert self.start_at is not None and self.interval_secs >= 1
            step = self.interval_secs * 1_000_000
            elapsed = (after - self.start_at) // _MICROSECOND
            return self.start_at + timedelta(microseconds=(elapsed // step + 1) * step)
        return next(self._cron_times(after), None)

    def _cron_times(self, after: datetime) -> Iterator[datetime]:
        local = after.astimezone(zone(self.timezone))
        for found in CronSim(self.cron, local):
            yield found.astimezone(UTC)


@dataclass(frozen=True)
class Firing:
    """What a sweep does with a job whose stored next run has come: fire ``scheduled_for``
    (None: fire nothing) and store ``next_run_at`` (None: the schedule has ended)."""

    scheduled_for: datetime | None
    next_run_at: datetime | None


def firing(schedule: Schedule, *, due: datetime, now: datetime, policy: str, grace_secs: int) -> Firing:
    """The firing for a stored next run ``due``, as seen at ``now``.

    A run not later than ``grace_secs`` behind fires as scheduled. Runs missed beyond the
    grace (the service was down) are never replayed one by one: with ``fire_once`` the
    latest of them fires once, now, for all; with ``skip`` none does. Either way the next
    run is the first one after ``now``, so a long outage ends in at most one catch-up
    firing, never a storm.
    """
    if due >= now - timedelta(seconds=grace_secs):
        return Firing(due, schedule.next_after(due))
    latest = max(due, schedule.last_until(now) or due)
    return Firing(latest if policy == FIRE_ONCE else None, schedule.next_after(now))
