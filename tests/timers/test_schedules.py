"""Schedule math: cron across zones and both DST transitions, anchored intervals, misfires.
Pure functions of ``after`` and ``now``: no database, no clock."""

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from timers.schedules import (
    CRON,
    FIRE_ONCE,
    INTERVAL,
    SKIP,
    SPECIFIC,
    Schedule,
    ScheduleError,
    cron_expression,
    firing,
    zone,
)


def local(zone_name: str, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone_name))


def runs_on(schedule: Schedule, zone_name: str, day: str) -> list[str]:
    """Every run on that local calendar day, as local wall-clock times with offsets."""
    start = local(zone_name, f"{day}T00:00")
    end = start + timedelta(days=1, hours=2)
    found, after = [], start - timedelta(microseconds=1)
    while (run := schedule.next_after(after)) is not None and run < end:
        shown = run.astimezone(ZoneInfo(zone_name))
        if shown.date().isoformat() == day:
            found.append(shown.isoformat())
        after = run
    return found


# (zone, spring-forward day, fall-back day), 2026; Kolkata has no DST.
ZONES = [
    ("America/New_York", "2026-03-08", "2026-11-01"),
    ("Europe/Berlin", "2026-03-29", "2026-10-25"),
    ("Australia/Lord_Howe", "2026-10-04", "2026-04-05"),
    ("Asia/Kolkata", "2026-03-08", "2026-11-01"),
]


@pytest.mark.parametrize(
    ("zone_name", "day", "expected"),
    [
        # 02:30 does not exist: once, at the first instant after the gap.
        ("America/New_York", "2026-03-08", ["2026-03-08T03:00:00-04:00"]),
        ("Europe/Berlin", "2026-03-29", ["2026-03-29T03:00:00+02:00"]),
        # Lord Howe moves 30 minutes at 02:00: 02:30 exists (it is the first instant after).
        ("Australia/Lord_Howe", "2026-10-04", ["2026-10-04T02:30:00+11:00"]),
        ("Asia/Kolkata", "2026-03-08", ["2026-03-08T02:30:00+05:30"]),
    ],
)
def test_a_daily_0230_job_fires_once_on_the_spring_forward_day(zone_name, day, expected):
    assert runs_on(Schedule(CRON, zone_name, cron="30 2 * * *"), zone_name, day) == expected


@pytest.mark.parametrize(
    ("zone_name", "day", "expected"),
    [
        # 01:30 happens twice: once, at its first occurrence.
        ("America/New_York", "2026-11-01", ["2026-11-01T01:30:00-04:00"]),
        ("Europe/Berlin", "2026-10-25", ["2026-10-25T02:30:00+02:00"]),
        ("Australia/Lord_Howe", "2026-04-05", ["2026-04-05T01:30:00+11:00"]),
        ("Asia/Kolkata", "2026-11-01", ["2026-11-01T01:30:00+05:30"]),
    ],
)
def test_a_daily_job_at_a_repeated_time_fires_once_on_the_fall_back_day(zone_name, day, expected):
    hour = expected[0][11:13]
    schedule = Schedule(CRON, zone_name, cron=f"30 {int(hour)} * * *")
    assert runs_on(schedule, zone_name, day) == expected


@pytest.mark.parametrize(("zone_name", "spring", "autumn"), ZONES)
def test_a_job_every_15_minutes_fires_by_elapsed_time_through_both_transitions(zone_name, spring, autumn):
    schedule = Schedule(CRON, zone_name, cron="*/15 * * * *")
    for day in (spring, autumn):
        start = local(zone_name, f"{day}T00:00").astimezone(UTC)
        runs = schedule.runs_after(start - timedelta(microseconds=1), 4 * 24 + 8)
        gaps = {later - earlier for earlier, later in itertools.pairwise(runs)}
        assert gaps == {timedelta(minutes=15)}, (zone_name, day)


@pytest.mark.parametrize(("zone_name", "spring", "autumn"), ZONES)
def test_a_daily_job_fires_exactly_once_every_day_around_the_transitions(zone_name, spring, autumn):
    schedule = Schedule(CRON, zone_name, cron="0 9 * * *")
    for day in (spring, autumn):
        first = local(zone_name, f"{day}T00:00") - timedelta(days=2)
        runs = schedule.runs_after(first, 5)
        days = [run.astimezone(ZoneInfo(zone_name)).date() for run in runs]
        assert len(set(days)) == 5
        assert {run.astimezone(ZoneInfo(zone_name)).strftime("%H:%M") for run in runs} == {"09:00"}


def test_cron_names_and_aliases():
    assert cron_expression("@daily") == "0 0 * * *"
    assert cron_expression("@HOURLY") == "0 * * * *"
    schedule = Schedule(CRON, "UTC", cron=cron_expression("0 8 * JAN MON"))
    assert schedule.next_after(datetime(2026, 1, 1, tzinfo=UTC)) == datetime(2026, 1, 5, 8, tzinfo=UTC)


@pytest.mark.parametrize("text", ["* * * *", "61 * * * *", "0 0 31 2 *", "@reboot", "", "a b c d e"])
def test_a_cron_expression_that_cannot_fire_is_refused(text):
    with pytest.raises(ScheduleError):
        cron_expression(text)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ScheduleError):
        zone("Mars/Olympus_Mons")
    assert zone("Australia/Lord_Howe").key == "Australia/Lord_Howe"


def test_an_interval_is_anchored_to_its_start_and_does_not_drift_over_1000_runs():
    start = datetime(2026, 3, 1, 0, 0, 0, 123456, tzinfo=UTC)
    schedule = Schedule(INTERVAL, interval_secs=7, start_at=start)
    runs, after = [], start - timedelta(seconds=1)
    for n in range(1000):
        # A late observer (up to 6.9 s late) still gets run n+1 at its anchored time.
        run = schedule.next_after(after)
        assert run == start + timedelta(seconds=7 * n)
        runs.append(run)
        after = run + timedelta(seconds=(n % 7) * 0.99)
    assert runs[-1] == start + timedelta(seconds=7 * 999)


def test_an_interval_ignores_dst_and_counts_seconds():
    start = local("America/New_York", "2026-03-08T01:00").astimezone(UTC)
    schedule = Schedule(INTERVAL, "America/New_York", interval_secs=3600, start_at=start)
    assert schedule.runs_after(start, 2) == [start + timedelta(hours=1), start + timedelta(hours=2)]


def test_start_and_end_bound_the_runs():
    start, end = datetime(2026, 1, 1, 10, tzinfo=UTC), datetime(2026, 1, 3, 10, tzinfo=UTC)
    schedule = Schedule(CRON, cron="0 10 * * *", start_at=start, end_at=end)
    assert schedule.runs_after(datetime(2025, 1, 1, tzinfo=UTC), 10) == [
        start, start + timedelta(days=1), end,
    ]  # fmt: skip
    assert schedule.next_after(end) is None


def test_a_specific_schedule_fires_once():
    when = datetime(2026, 5, 1, 12, tzinfo=UTC)
    schedule = Schedule(SPECIFIC, run_at=when)
    assert schedule.runs_after(datetime(2026, 1, 1, tzinfo=UTC), 3) == [when]


def test_a_run_within_the_grace_fires_as_scheduled():
    schedule = Schedule(CRON, cron="* * * * *")
    due = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    result = firing(schedule, due=due, now=due + timedelta(seconds=30), policy=SKIP, grace_secs=60)
    assert (result.scheduled_for, result.next_run_at) == (due, due + timedelta(minutes=1))


@pytest.mark.parametrize(("policy", "fires"), [(FIRE_ONCE, True), (SKIP, False)])
def test_after_downtime_missed_runs_fire_once_or_not_at_all_never_a_storm(policy, fires):
    schedule = Schedule(CRON, cron="*/5 * * * *")
    due = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    now = due + timedelta(days=3, minutes=7)  # 3 days down: 865 runs missed
    result = firing(schedule, due=due, now=now, policy=policy, grace_secs=60)
    assert result.scheduled_for == (now - timedelta(minutes=2) if fires else None)
    assert result.next_run_at == now + timedelta(minutes=3)
