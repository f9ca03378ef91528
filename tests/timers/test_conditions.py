"""Condition math: reading by JSON Pointer, comparing, and edge detection with for and cooldown."""

from datetime import UTC, datetime, timedelta

import pytest

from timers.conditions import FALSE, PENDING, TRUE, UNKNOWN, Unreadable, holds, read, step

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "operator", "target", "expected"),
    [
        (101, ">", 100, True),
        ("100.5", ">", 100, True),  # numbers in strings compare as numbers
        (0.1 + 0.2, "<=", 0.3, False),  # compared as written: 0.30000000000000004
        ("0.30", "==", 0.3, True),
        (5, "!=", 5, False),
        ("up", "==", "up", True),
        ("up", "!=", "down", True),
        (True, "==", True, True),
        (False, "!=", True, True),
    ],
)
def test_comparisons(value, operator, target, expected):
    assert holds(value, operator, target) is expected


@pytest.mark.parametrize(
    ("value", "operator", "target"),
    [("abc", ">", 1), (None, ">", 1), ([1], "==", 1), (True, ">", 0), ("NaN", ">", 1), (1, "==", "1")],
)
def test_values_that_cannot_compare_are_unreadable(value, operator, target):
    with pytest.raises(Unreadable):
        holds(value, operator, target)


def test_a_value_is_read_by_json_pointer():
    document = {"data": {"prices": [{"eth": "3120.5"}]}, "a/b": 1}
    assert read(document, "/data/prices/0/eth") == "3120.5"
    assert read(document, "/a~1b") == 1
    with pytest.raises(Unreadable):
        read(document, "/data/missing")
    with pytest.raises(Unreadable):
        read(document, "no-leading-slash")


def run(observations, *, for_secs=0, cooldown_secs=0, every=1):
    """Feed observations one per ``every`` seconds; return the times that fired."""
    state, since, fired_at, fired = UNKNOWN, None, None, []
    for n, observed in enumerate(observations):
        now = T0 + timedelta(seconds=n * every)
        result = step(state=state, since=since, last_fired_at=fired_at, observed=observed, now=now,
                      for_secs=for_secs, cooldown_secs=cooldown_secs)  # fmt: skip
        state, since = result.state, result.since
        if result.fires:
            fired_at = now
            fired.append(n)
    return fired, state


def test_only_a_change_to_true_fires_and_an_error_is_no_edge():
    # false, true, true, error, false, true
    fired, state = run([False, True, True, None, False, True])
    assert fired == [1, 5]
    assert state == TRUE


def test_an_error_after_true_does_not_make_the_next_true_an_edge():
    assert run([False, True, None, True, None, None, True])[0] == [1]


def test_a_first_observation_that_is_true_fires_once():
    assert run([True, True, True])[0] == [0]


def test_for_secs_needs_the_condition_to_hold_that_long():
    fired, _ = run([False, True, True, False, True, True], for_secs=2)
    assert fired == []  # true for 1 s at most, twice
    fired, _ = run([False, True, True, True, True], for_secs=2)
    assert fired == [3]  # true since 1 s, held 2 s at 3 s


def test_a_flap_inside_for_secs_restarts_the_wait():
    fired, _ = run([True, True, False, True, True, True], for_secs=2)
    assert fired == [5]


def test_cooldown_suppresses_a_second_firing_within_it():
    fired, _ = run([True, False, True, False, True, False, True], cooldown_secs=5)
    assert fired == [0, 6]


def test_states_on_the_way():
    first = step(
        state=UNKNOWN, since=None, last_fired_at=None, observed=True, now=T0, for_secs=10, cooldown_secs=0
    )
    assert (first.state, first.since, first.fires) == (PENDING, T0, False)
    error = step(
        state=PENDING, since=T0, last_fired_at=None, observed=None, now=T0, for_secs=10, cooldown_secs=0
    )
    assert (error.state, error.since) == (PENDING, T0)
    down = step(
        state=PENDING, since=T0, last_fired_at=None, observed=False, now=T0, for_secs=10, cooldown_secs=0
    )
    assert (down.state, down.since) == (FALSE, None)
