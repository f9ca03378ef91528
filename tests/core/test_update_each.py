"""scheduling.update_each: many rows, each with its own values, in one statement."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scheduler_project.core.scheduling import Change, update_each
from scheduler_project.testing.factories import TimerFactory
from timers.models import Timer, TimerStatus

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_in_one_statement():
    timers = TimerFactory.create_batch(3)
    later = timezone.now() + timedelta(days=1)
    changes = [
        Change(
            t.pk,
            {"last_error": f"error {n}", "lease_until": later + timedelta(seconds=n), "metadata": {"n": n}},
        )
        for n, t in enumerate(timers)
    ]

    with CaptureQueriesContext(connection) as queries:
        changed = update_each(Timer, changes)

    assert len(queries) == 1
    assert changed == {t.pk for t in timers}
    for n, t in enumerate(timers):
        t.refresh_from_db()
        assert (t.last_error, t.lease_until, t.metadata) == (
            f"error {n}",
            later + timedelta(seconds=n),
            {"n": n},
        )


def test_a_row_changed_since_it_was_read_is_left_alone():
    as_read, moved = TimerFactory.create_batch(2)
    Timer.objects.filter(pk=moved.pk).update(last_error="another writer")
    changes = [
        Change(t.pk, {"last_error": "mine"}, {"last_error": None, "lease_until": None})
        for t in (as_read, moved)
    ]

    # NULL matches NULL: the row nobody touched is changed.
    assert update_each(Timer, changes) == {as_read.pk}
    assert Timer.objects.get(pk=as_read.pk).last_error == "mine"
    assert Timer.objects.get(pk=moved.pk).last_error == "another writer"


def test_where_limits_the_rows():
    pending, canceled = TimerFactory(), TimerFactory(status=TimerStatus.CANCELED)
    changes = [Change(t.pk, {"last_error": "swept"}) for t in (pending, canceled)]

    assert update_each(Timer, changes, where={"status": TimerStatus.PENDING}) == {pending.pk}
    assert Timer.objects.get(pk=canceled.pk).last_error is None


def test_nothing_to_change_runs_no_statement():
    with CaptureQueriesContext(connection) as queries:
        assert update_each(Timer, []) == set()
    assert len(queries) == 0
