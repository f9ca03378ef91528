"""The sweep: leasing due timers, overdue recovery and reaping lost attempts."""

import json
import os
import subprocess
import sys
import threading
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
import redis
from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone
from kombu.transport.redis import PublishBatch

from scheduler_project.core import heartbeat, scheduling
from scheduler_project.core.models import WorkerHeartbeat
from scheduler_project.testing.factories import TimerFactory
from scheduler_project.testing.servers import eventually
from timers import services
from timers.models import Timer, TimerStatus


def make(tenant, *, due_in: float, **fields):
    due = timezone.now() + timedelta(seconds=due_in)
    return TimerFactory(tenant=tenant, execute_at=due, due_at=due, **fields)


def test_sweep_sends_timers_due_within_the_lookahead_and_leaves_later_ones(tenant, sent, settings):
    settings.SCHEDULER_LOOKAHEAD_SECS = 10
    soon = make(tenant, due_in=5)
    overdue = make(tenant, due_in=-2)
    later = make(tenant, due_in=60)

    assert services.sweep_timers() == 2

    assert [c.pk for c in sent] == [overdue.pk, soon.pk]  # earliest first
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.lease_until == soon.due_at + timedelta(seconds=settings.SCHEDULER_LEASE_SECS)
    assert later.lease_until is None


def test_a_second_sweep_does_not_send_the_same_timer_again(tenant, sent):
    make(tenant, due_in=1)

    services.sweep_timers()
    services.sweep_timers()

    assert len(sent) == 1


def test_sweep_loops_over_batches_until_no_due_work_remains(tenant, sent, settings):
    settings.SCHEDULER_BATCH_SIZE = 3
    for _ in range(7):
        make(tenant, due_in=1)

    assert services.sweep_timers() == 7
    assert len({c.pk for c in sent}) == 7


def test_sweep_query_count_does_not_grow_with_the_batch(tenant, sent, settings, django_assert_num_queries):
    settings.SCHEDULER_BATCH_SIZE = 50
    for _ in range(20):
        make(tenant, due_in=1)

    # dead workers of this host (none: 1), reap (nothing lost: savepoint, select, release),
    # fail missed (1), jobs (none due: savepoint, select, release), event jobs due (1),
    # one leased batch: savepoint, select, update, release, condition jobs due (1), chain
    # endpoints due (1)
    with django_assert_num_queries(15):
        services.sweep_timers()
    assert len(sent) == 20


def test_a_timer_whose_dispatch_was_lost_is_sent_again_with_the_same_token(
    tenant, sent, time_machine, settings
):
    timer = make(tenant, due_in=1)
    services.sweep_timers()

    time_machine.move_to(timer.due_at + timedelta(seconds=settings.SCHEDULER_LEASE_SECS + 1))
    services.sweep_timers()

    assert [c.token for c in sent] == [timer.dispatch_token, timer.dispatch_token]


def test_overdue_timers_inside_the_recovery_window_still_fire(tenant, sent, settings):
    settings.RECOVERY_WINDOW_SECS = 300
    timer = make(tenant, due_in=-299)

    services.sweep_timers()

    assert [c.pk for c in sent] == [timer.pk]
    timer.refresh_from_db()
    assert timer.status == TimerStatus.PENDING


def test_timers_missed_beyond_the_recovery_window_fail_with_a_clear_error(tenant, sent, settings):
    settings.RECOVERY_WINDOW_SECS = 300
    timer = make(tenant, due_in=-301)

    services.sweep_timers()

    assert sent == []
    timer.refresh_from_db()
    assert timer.status == TimerStatus.FAILED
    assert timer.last_error.startswith("missed: overdue by more than RECOVERY_WINDOW_SECS=300")


def test_missed_timers_fire_anyway_when_configured(tenant, sent, settings):
    settings.RECOVERY_FIRE_MISSED = True
    timer = make(tenant, due_in=-3600)

    services.sweep_timers()

    assert [c.pk for c in sent] == [timer.pk]


def test_a_lost_attempt_goes_back_to_pending_and_keeps_its_webhook_id(tenant, sent):
    now = timezone.now()
    timer = make(tenant, due_in=-10, status=TimerStatus.EXECUTING, attempts=1,
                 lease_until=now - timedelta(seconds=1))  # fmt: skip

    services.sweep_timers()

    timer.refresh_from_db()
    assert timer.status == TimerStatus.PENDING
    assert timer.last_error == "worker lost during the attempt (its lease passed); outcome unknown; retrying"
    assert [c.token for c in sent] == [timer.dispatch_token]
    (lost,) = timer.attempt_log.all()
    assert (lost.number, lost.outcome, lost.status_code) == (1, "lost", None)


def test_a_lost_last_attempt_fails_the_timer(tenant, sent):
    now = timezone.now()
    timer = make(tenant, due_in=-10, status=TimerStatus.EXECUTING, attempts=3, max_attempts=3,
                 lease_until=now - timedelta(seconds=1))  # fmt: skip

    services.sweep_timers()

    timer.refresh_from_db()
    assert timer.status == TimerStatus.FAILED
    assert "outcome unknown on the last attempt" in timer.last_error
    assert sent == []
    assert [(a.number, a.outcome) for a in timer.attempt_log.all()] == [(3, "lost")]


def test_an_attempt_still_within_its_lease_is_left_alone(tenant, sent):
    timer = make(tenant, due_in=-1, status=TimerStatus.EXECUTING, attempts=1,
                 lease_until=timezone.now() + timedelta(seconds=30))  # fmt: skip

    services.sweep_timers()

    assert Timer.objects.get(pk=timer.pk).status == TimerStatus.EXECUTING
    assert sent == []


def test_canceled_and_finished_timers_are_never_swept(tenant, sent):
    for status in (TimerStatus.CANCELED, TimerStatus.COMPLETED, TimerStatus.FAILED):
        make(tenant, due_in=-1, status=status)

    assert services.sweep_timers() == 0


def test_a_sweep_takes_back_the_work_of_a_worker_process_of_this_host_that_has_ended(tenant, sent):
    """Its running attempt is reaped at once and its sent, unstarted timers are sent again;
    a live worker's attempts and a worker of another host are left alone."""
    unstarted = make(tenant, due_in=2)
    services.sweep_timers()
    assert [c.pk for c in sent] == [unstarted.pk]
    dead_proc = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_proc.wait()
    now = timezone.now()
    running = {}
    for name, host, pid in (
        ("dead@here", settings.WORKER_HOST, dead_proc.pid),
        ("alive@here", settings.WORKER_HOST, os.getpid()),
        ("remote@there", "elsewhere", dead_proc.pid),
    ):
        seen = {"started_at": now, "last_seen_at": now}
        worker = WorkerHeartbeat.objects.create(
            name=name, host=host, pid=pid, version="5", instance=uuid.uuid4(), **seen
        )
        timer = make(tenant, due_in=-1)
        soon = now + timedelta(minutes=1)
        Timer.objects.filter(pk=timer.pk).update(
            status=TimerStatus.EXECUTING, attempts=1, holder=worker.instance, lease_until=soon
        )
        running[name] = timer.pk

    services.sweep_timers()

    assert Timer.objects.get(pk=running["dead@here"]).status == TimerStatus.PENDING  # retried
    assert Timer.objects.get(pk=running["alive@here"]).status == TimerStatus.EXECUTING
    assert Timer.objects.get(pk=running["remote@there"]).status == TimerStatus.EXECUTING
    again = [unstarted.pk, unstarted.pk, running["dead@here"]]
    assert sorted(str(c.pk) for c in sent) == sorted(map(str, again))
    assert WorkerHeartbeat.objects.get(name="dead@here").leases_taken_at is not None
    services.sweep_timers()  # once only
    assert len(sent) == 3


def test_a_worker_started_again_under_its_predecessors_name_has_its_work_taken_back_when_it_dies_too(
    tenant, sent
):
    """As a supervisor restarts a worker: the same node name, another process each time."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    consumer = SimpleNamespace(hostname="same@here", task_consumer=None, controller=None)
    for _ in range(3):
        started = heartbeat.Beating(consumer)
        started.beat()  # the first write takes the row over
        held = make(tenant, due_in=-1)
        Timer.objects.filter(pk=held.pk).update(
            status=TimerStatus.EXECUTING, attempts=1, holder=started.instance,
            lease_until=timezone.now() + timedelta(minutes=1),
        )  # fmt: skip
        WorkerHeartbeat.objects.filter(name="same@here").update(pid=ended.pid)  # kill -9

        services.sweep_timers()

        assert Timer.objects.get(pk=held.pk).status == TimerStatus.PENDING  # retried at once
        assert WorkerHeartbeat.objects.get(name="same@here").leases_taken_at is not None


def test_a_worker_takes_back_the_work_of_a_dead_worker_of_its_host_between_its_heartbeats(
    transactional_db, settings
):
    """Also when it beats more often than sweeps run (its beats then do the looking)."""
    settings.WORKER_HEARTBEAT_SECS = 0.2
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    now = timezone.now()
    WorkerHeartbeat.objects.create(name="dead@here", host=settings.WORKER_HOST, pid=ended.pid, version="5",
                                   instance=uuid.uuid4(), started_at=now, last_seen_at=now)  # fmt: skip
    consumer = SimpleNamespace(hostname="watching@here", task_consumer=None, controller=None)
    watching = heartbeat.Beating(consumer)
    watching.taken_over = True  # already beating

    def run() -> None:
        try:
            watching.run()
        finally:
            connection.close()  # the thread's own

    thread = threading.Thread(target=run)
    thread.start()
    try:
        eventually(lambda: WorkerHeartbeat.objects.get(name="dead@here").leases_taken_at, timeout=10)
    finally:
        watching.stopping.set()
        thread.join()


def test_a_pid_taken_by_a_later_process_counts_as_the_first_process_gone():
    """After a container restarts, its new worker may get its predecessor's pid."""
    me = os.getpid()
    assert not heartbeat.process_gone(me)
    assert not heartbeat.process_gone(me, started_by=timezone.now())
    assert heartbeat.process_gone(me, started_by=timezone.now() - timedelta(days=400))


@pytest.fixture
def broker() -> redis.Redis:
    """The test's broker database, emptied first."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.flushdb()
    return client


def _queued_deliveries(broker: redis.Redis) -> list[dict]:
    return [json.loads(raw) for raw in broker.lrange("deliveries", 0, -1)]


def test_a_sweeps_batch_reaches_the_broker_together_one_message_per_timer(tenant, settings, broker):
    settings.SCHEDULER_BATCH_SIZE = 4
    timers = [make(tenant, due_in=2) for _ in range(10)]

    assert services.sweep_timers() == 10

    queued = _queued_deliveries(broker)
    assert sorted(message["headers"]["argsrepr"] for message in queued) == sorted(
        repr((str(timer.pk), str(timer.dispatch_token))) for timer in timers
    )
    assert all(message["headers"]["task"] == "timers.tasks.deliver_timer" for message in queued)


def test_a_batch_the_broker_refuses_as_a_whole_is_let_go_and_sent_by_the_next_sweep(
    tenant, monkeypatch, broker
):
    timers = [make(tenant, due_in=2) for _ in range(3)]
    refuse = redis.exceptions.ConnectionError("Connection reset by peer")
    with monkeypatch.context() as broken:
        broken.setattr(PublishBatch, "flush", lambda self: (_ for _ in ()).throw(refuse))
        assert services.sweep_timers() == 0
    assert _queued_deliveries(broker) == []
    assert all(Timer.objects.get(pk=t.pk).lease_until is None for t in timers)  # not a lease later

    assert services.sweep_timers() == 3
    assert len(_queued_deliveries(broker)) == 3


def test_a_take_back_that_fails_is_tried_again_at_the_next_look_not_left_to_the_leases(tenant, monkeypatch):
    """A deadlock with a claim, or the database gone, while the dead worker's work is being
    taken back: its mark is not kept, so the next look takes the work back."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    now = timezone.now()
    dead = WorkerHeartbeat.objects.create(
        name="dead@here", host=settings.WORKER_HOST, pid=ended.pid, version="5", instance=uuid.uuid4(),
        started_at=now, last_seen_at=now,
    )  # fmt: skip
    timer = make(tenant, due_in=-1)
    Timer.objects.filter(pk=timer.pk).update(
        status=TimerStatus.EXECUTING, attempts=1, holder=dead.instance, lease_until=now + timedelta(minutes=1)
    )
    take_back_from = scheduling.take_back_from

    def deadlocked(*args, **kwargs):
        monkeypatch.setattr(scheduling, "take_back_from", take_back_from)
        raise OperationalError("deadlock detected")

    monkeypatch.setattr(scheduling, "take_back_from", deadlocked)

    assert heartbeat.take_back_dead(now=timezone.now()) == 0
    assert WorkerHeartbeat.objects.get(pk=dead.pk).leases_taken_at is None
    assert heartbeat.take_back_dead(now=timezone.now()) == 1
    assert Timer.objects.get(pk=timer.pk).lease_until < timezone.now()
