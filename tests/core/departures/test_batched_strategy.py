"""The runner of a batched task (core.departures.batched_strategy,
docs/decisions/0003-batched-strategy.md): what it claims when, and which messages it
acknowledges; and the upgrade tests of the Celery hooks it stands on. Real threads; the
messages are stand-ins that record their acknowledgement, the phases plain functions (the
worker end to end is in tests/e2e)."""

import inspect
import threading
import time
import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from celery import Celery
from celery import Task as CeleryTask
from celery.worker.strategy import default
from kombu.asynchronous.timer import Timer
from kombu.common import QoS

from scheduler_project.core.departures import batched_strategy
from scheduler_project.core.departures.batched_strategy import Held, Phases, Runner


class Message:
    def __init__(self) -> None:
        self.acked = threading.Event()

    def ack(self) -> None:
        assert not self.acked.is_set(), "acknowledged twice"
        self.acked.set()


class Task:
    name = "tests.batched"
    send_events = False


class Phased:
    """Phases that keep what they were asked: claims (each batch), attempts in flight."""

    def __init__(self, *, refuse: set[str] = frozenset(), broken: str = "", hold: float = 0.0) -> None:
        self.refuse, self.broken, self.hold = refuse, broken, hold
        self.claims: list[list[str]] = []
        self.claimed_at: dict[str, float] = {}
        self.started_at: dict[str, float] = {}
        self.recorded: list[str] = []
        self.records: list[list[str]] = []
        self.in_flight = self.most_in_flight = 0
        self.lock = threading.Lock()

    def claim(self, items: Sequence[tuple[Any, Any]]) -> list[Any]:
        keys = [key for key, _ in items]
        if self.broken in keys:
            raise ValueError("not a key")
        self.claims.append(keys)
        self.claimed_at.update(dict.fromkeys(keys, time.monotonic()))
        return [None if key in self.refuse else key for key in keys]

    def attempt(self, row: Any) -> Any:
        self.started_at[row] = time.monotonic()
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        time.sleep(self.hold)
        with self.lock:
            self.in_flight -= 1
        return row

    def record(self, outcomes: Sequence[Any]) -> list[float | None]:
        self.recorded += outcomes
        self.records.append(list(outcomes))
        return [None] * len(outcomes)

    def phases(self) -> Phases:
        return Phases(claim=self.claim, attempt=self.attempt, record=self.record, longest=lambda: 5.0)


def running(phased: Phased, capacity: int) -> Runner:
    runner = Runner(Task(), phased.phases())
    runner.start(capacity)
    return runner


def held(key: str, *, due_in: float = 0.0) -> Held:
    return Held(Message(), f"task-{key}", key, uuid.uuid4(), time.monotonic() + due_in)


def receive(runner: Runner, *messages: Held) -> None:
    for item in messages:
        runner.receive(item, now=time.monotonic())


def wait_acked(messages: Sequence[Held], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    for item in messages:
        assert item.message.acked.wait(max(0.0, deadline - time.monotonic())), item.key


def test_nothing_is_claimed_that_no_attempt_thread_can_start_at_once():
    phased = Phased(hold=0.05)
    runner = running(phased, capacity=3)
    messages = [held(str(n)) for n in range(20)]

    receive(runner, *messages)
    wait_acked(messages)
    runner.stop(wait=5)

    assert sorted(phased.recorded, key=int) == [str(n) for n in range(20)]
    assert phased.most_in_flight <= 3
    assert max(len(batch) for batch in phased.claims) <= 3
    assert len(phased.claims) < 20  # several claimed together as threads came free


@pytest.fixture
def wide_lead(monkeypatch: pytest.MonkeyPatch) -> float:
    """A claim lead and a recorder's linger wide enough that a busy machine's thread wake-ups
    do not decide these tests."""
    monkeypatch.setattr(batched_strategy, "CLAIM_LEAD_SECS", 0.2)
    monkeypatch.setattr(batched_strategy, "RECORD_LINGER_SECS", 0.4)
    return 0.2


def test_a_message_waits_for_its_time_claimed_at_most_the_lead_before_and_attempted_at_it(wide_lead):
    phased = Phased()
    runner = running(phased, capacity=2)
    later, now = held("later", due_in=1.0), held("now")

    receive(runner, later, now)
    wait_acked([now])
    assert "later" not in [key for batch in phased.claims for key in batch]
    wait_acked([later])
    runner.stop(wait=5)

    assert phased.recorded == ["now", "later"]
    assert phased.claimed_at["later"] >= later.due - wide_lead
    assert phased.claimed_at["later"] < later.due  # its claim's round trip is not lateness
    assert later.due <= phased.started_at["later"] < later.due + 0.2


def test_messages_due_within_the_lead_of_each_other_are_claimed_together_each_attempted_at_its_time(
    wide_lead,
):
    phased = Phased()
    runner = running(phased, capacity=4)
    messages = [held(str(n), due_in=0.5 + n * wide_lead / 4) for n in range(3)]  # within half the lead

    receive(runner, *messages)
    wait_acked(messages)
    runner.stop(wait=5)

    assert phased.claims == [["0", "1", "2"]]
    for item in messages:
        assert item.due <= phased.started_at[item.key] < item.due + 0.2


def test_attempts_that_end_close_together_are_recorded_in_one_statement(wide_lead):
    phased = Phased()
    runner = running(phased, capacity=4)
    messages = [held(str(n), due_in=0.3 + n * 0.25) for n in range(2)]  # one claim each

    receive(runner, *messages)
    wait_acked(messages)
    runner.stop(wait=5)

    assert phased.claims == [["0"], ["1"]]
    assert phased.records == [["0", "1"]]


def test_a_message_whose_row_is_not_claimed_is_acknowledged_and_not_attempted():
    phased = Phased(refuse={"taken"})
    runner = running(phased, capacity=2)
    messages = [held("taken"), held("mine")]

    receive(runner, *messages)
    wait_acked(messages)
    runner.stop(wait=5)

    assert phased.recorded == ["mine"]


def test_a_message_that_breaks_its_batch_claim_is_dropped_and_the_others_run():
    phased = Phased(broken="garbage", hold=0.2)
    runner = running(phased, capacity=4)
    first = held("first")
    receive(runner, first)  # holds a thread, so the next three arrive as one batch
    messages = [held("a"), held("garbage"), held("b")]
    receive(runner, *messages)

    wait_acked([first, *messages])
    runner.stop(wait=5)

    assert sorted(phased.recorded) == ["a", "b", "first"]


def test_messages_held_when_the_broker_connection_broke_are_dropped_not_acknowledged():
    phased = Phased(hold=0.3)
    runner = running(phased, capacity=1)
    busy, waiting, later = held("busy"), held("waiting"), held("later", due_in=60)
    receive(runner, busy, waiting, later)
    time.sleep(0.1)  # "busy" is being attempted

    assert runner.forget_held() == 2
    runner.stop(wait=5)

    assert phased.recorded == ["busy"]
    assert not any(item.message.acked.is_set() for item in (busy, waiting, later))


# --- upgrade tests: the Celery hooks the batched strategy stands on ---------------------------

_started_with: list[tuple[Any, ...]] = []


def recording_strategy(task: Any, app: Any, consumer: Any, **kwargs: Any) -> str:
    _started_with.append((task, app, consumer, kwargs))
    return "handler"


def test_a_tasks_strategy_is_still_what_its_Strategy_attribute_names():
    """docs/decisions/0003-batched-strategy.md: Celery still builds each task's message handler
    by instantiating the task's ``Strategy`` with (task, app, consumer), and the default is
    still ``celery.worker.strategy:default``, which ``strategy`` falls back on."""
    assert CeleryTask.Strategy == "celery.worker.strategy:default"
    app = Celery("tests.departures", set_as_current=False)

    @app.task(shared=False, Strategy=f"{__name__}:recording_strategy")
    def batched() -> None: ...

    consumer = object()
    assert batched.start_strategy(app, consumer, extra=1) == "handler"
    assert _started_with[-1] == (batched, app, consumer, {"extra": 1})


def test_the_stock_hooks_keep_their_signatures():
    """docs/decisions/0003-batched-strategy.md: the default strategy ``strategy`` falls back on
    (called as ``default_strategy(task, app, consumer, **kwargs)``), and the consumer's pieces
    the runner uses: the prefetch counter, the timer's repeating entry."""
    assert list(inspect.signature(default).parameters)[:3] == ["task", "app", "consumer"]
    assert str(inspect.signature(CeleryTask.start_strategy)) == "(self, app, consumer, **kwargs)"
    assert str(inspect.signature(QoS.increment_eventually)) == "(self, n=1)"
    assert str(inspect.signature(QoS.decrement_eventually)) == "(self, n=1)"
    assert (
        str(inspect.signature(Timer.call_repeatedly)) == "(self, secs, fun, args=(), kwargs=None, priority=0)"
    )
