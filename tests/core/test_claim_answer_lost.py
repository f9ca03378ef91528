"""A claim, or a sweep's lease, that the database committed but whose answer a dropped
connection lost (a database restart under load): its rows do not wait, unattempted or
unsent, for their lease to pass, and no row is attempted twice."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from scheduler_project.core import scheduling
from scheduler_project.testing.factories import TimerFactory
from timers.models import Timer, TimerStatus

pytestmark = pytest.mark.django_db(transaction=True)
RUN_LEASE = timedelta(seconds=60)


def answers_lost(times: int) -> Callable[..., Any]:
    """An execute wrapper: the next ``times`` claims run and commit, and then the
    connection is lost before their answer arrives."""
    left = [times]

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if left[0] and sql.startswith("UPDATE") and "RETURNING" in sql:
            left[0] -= 1
            raise OperationalError("consuming input failed: server closed the connection unexpectedly")
        return result

    return wrapper


def due(count: int) -> list[tuple[Any, Any]]:
    now = timezone.now()
    return [(t.pk, t.dispatch_token) for t in TimerFactory.create_batch(count, execute_at=now, due_at=now)]


@pytest.mark.parametrize("count", [1, 3])
def test_a_claim_run_again_on_a_new_connection_gets_the_rows_its_lost_answer_had_claimed(count):
    items = due(count)

    with connection.execute_wrapper(answers_lost(1)):
        claimed = scheduling.start_attempts(Timer, items, run_lease=RUN_LEASE)

    assert [row.pk for row in claimed] == [pk for pk, _ in items]
    assert all(row.attempts == 1 for row in claimed)  # one attempt, though the claim ran twice
    assert Timer.objects.filter(status=TimerStatus.EXECUTING, attempts=1).count() == count


@pytest.mark.parametrize("count", [1, 3])
def test_rows_of_a_claim_lost_on_every_try_go_back_to_pending_before_the_next_claim(count):
    items = due(count)
    other = due(1)

    with connection.execute_wrapper(answers_lost(2)), pytest.raises(OperationalError):
        scheduling.start_attempts(Timer, items, run_lease=RUN_LEASE)
    # The database did commit it: running, and nobody attempts them.
    assert Timer.objects.filter(status=TimerStatus.EXECUTING, attempts=1).count() == count

    # The process's next claim (of any row) lets them go first, unleased for the sweep.
    assert scheduling.start_attempts(Timer, other, run_lease=RUN_LEASE)[0].pk == other[0][0]
    released = Timer.objects.filter(pk__in=[pk for pk, _ in items])
    assert {(t.status, t.attempts, t.lease_until) for t in released} == {(TimerStatus.PENDING, 0, None)}
    # Their messages, sent again, claim them once.
    again = scheduling.start_attempts(Timer, items + items, run_lease=RUN_LEASE)
    assert [row.attempts for row in again[:count]] == [1] * count
    assert again[count:] == [None] * count


def test_a_running_row_of_another_claim_is_not_let_go():
    items = due(2)
    taken = scheduling.start_attempts(Timer, items[:1], run_lease=RUN_LEASE)[0]  # attempted meanwhile

    with connection.execute_wrapper(answers_lost(2)), pytest.raises(OperationalError):
        scheduling.start_attempts(Timer, items, run_lease=RUN_LEASE)  # a second message of it, too
    scheduling.start_attempts(Timer, due(1), run_lease=RUN_LEASE)

    taken.refresh_from_db()
    assert (taken.status, taken.attempts) == (TimerStatus.EXECUTING, 1)
    second = Timer.objects.get(pk=items[1][0])
    assert (second.status, second.attempts) == (TimerStatus.PENDING, 0)


def test_rows_a_sweep_leased_as_its_commit_answer_was_lost_are_sent_by_the_next_sweep(monkeypatch):
    timer = TimerFactory(execute_at=timezone.now(), due_at=timezone.now())
    commit, lost = connection._commit, [1]

    def committed_then_lost() -> None:
        commit()
        if lost and lost.pop():
            raise OperationalError("consuming input failed: server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "_commit", committed_then_lost)
    with pytest.raises(OperationalError):
        scheduling.lease_due_batch(Timer, now=timezone.now(), batch_size=10)
    timer.refresh_from_db()
    assert timer.lease_until is not None  # leased, and its message never sent

    sent = scheduling.lease_due_batch(Timer, now=timezone.now(), batch_size=10)

    assert [claimed.pk for claimed in sent] == [timer.pk]  # not a lease later
