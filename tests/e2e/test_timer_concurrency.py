"""Real workers and beats: exactly-once under duplicates, cancels, reschedules, crashes."""

import os
import random
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import F
from rest_framework.exceptions import APIException

from scheduler_project.core.models import WorkerHeartbeat
from scheduler_project.testing.servers import eventually
from tests.conftest import DRIPPED_HTTP_ANSWER, DrippingServer, exactly, read_http_request
from timers import services
from timers.models import Timer, TimerAttempt, TimerStatus
from timers.receiver import Reply


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def create(api, url: str, at: datetime, **extra) -> str:
    response = api.post("/timers", {"execute_at": iso(at), "callback_url": url, **extra}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["data"]["id"]


def status_of(timer_id: str) -> str:
    return Timer.objects.values_list("status", flat=True).get(pk=timer_id)


def test_two_workers_and_two_beats_deliver_each_timer_exactly_once(processes, receiver, tenant, settings):
    short_lookahead = {"SCHEDULER_LOOKAHEAD_SECS": "2"}
    settings.SCHEDULER_LOOKAHEAD_SECS = 2
    for _ in range(2):
        processes.worker(concurrency=8, env=short_lookahead)
        processes.beat(env=short_lookahead)
    now = datetime.now(UTC)
    # Half are sent on commit (inside the lookahead), half by the competing sweeps.
    dues = [now + timedelta(seconds=1 + i * 0.02) for i in range(60)]
    dues += [now + timedelta(seconds=5 + i * 0.05) for i in range(60)]
    for n, due in enumerate(dues):
        services.create_timer(tenant=tenant, execute_at=due, callback_url=receiver.url(f"/t/{n}"))

    hits = exactly(receiver, len(dues), timeout=60)
    eventually(lambda: Timer.objects.filter(status=TimerStatus.COMPLETED).count() == len(dues))

    ids = [hit.headers["webhook-id"] for hit in hits]
    assert len(ids) == len(dues)
    assert len(set(ids)) == len(dues)
    assert all(hit.arrived >= dues[int(hit.path.rsplit("/", 1)[1])].timestamp() for hit in receiver.received)


def test_a_canceled_timer_never_fires(processes, api, receiver):
    processes.worker()
    processes.beat()
    timer_id = create(api, receiver.url("/canceled"), datetime.now(UTC) + timedelta(seconds=2))

    assert api.delete(f"/timers/{timer_id}").json()["data"]["status"] == "canceled"

    assert receiver.wait_for(1, timeout=5) == []
    assert status_of(timer_id) == "canceled"


def test_updating_execute_at_moves_the_firing_and_the_old_dispatch_does_nothing(processes, api, receiver):
    processes.worker()
    processes.beat()
    timer_id = create(api, receiver.url("/moved"), datetime.now(UTC) + timedelta(seconds=2))
    new_time = datetime.now(UTC) + timedelta(seconds=5)

    response = api.put(f"/timers/{timer_id}", {"execute_at": iso(new_time)}, format="json")
    assert response.status_code == 200

    (hit,) = exactly(receiver, 1, timeout=15)
    assert hit.arrived >= new_time.timestamp()
    eventually(lambda: status_of(timer_id) == "completed")


def test_a_cancel_racing_with_firing_either_wins_or_gets_a_conflict(processes, receiver, tenant):
    """Cancels land around the firing time; across the rounds both outcomes occur, and in
    every round the callbacks are exactly those of the timers whose cancel lost."""
    processes.worker(concurrency=16)
    outcomes: set[bool] = set()
    for round_ in range(4):
        won = race_cancels_against_firing(receiver, tenant, prefix=f"/race{round_}")
        outcomes.update(won.values())
        lost = {timer_id for timer_id, ok in won.items() if not ok}
        delivered = exactly(receiver, len(lost), timeout=30) if lost else exactly(receiver, 0, quiet=3)
        assert {hit.path.rsplit("/", 1)[1] for hit in delivered} == lost
        for timer_id, ok in won.items():
            assert status_of(timer_id) == ("canceled" if ok else "completed")
        receiver.received.clear()
        if outcomes == {True, False}:
            break
    assert outcomes == {True, False}  # some cancels won, some lost to the firing


def race_cancels_against_firing(receiver, tenant, *, prefix: str) -> dict[str, bool]:
    """40 timers due in 3 s, each cancelled within 50 ms of that moment; which cancels won
    (by timer id, which is also the last part of its callback path)."""
    due = datetime.now(UTC) + timedelta(seconds=3)
    ids = []
    for _ in range(40):
        timer, _ = services.create_timer(tenant=tenant, execute_at=due, callback_url=receiver.url(prefix))
        Timer.objects.filter(pk=timer.pk).update(callback_url=receiver.url(f"{prefix}/{timer.pk}"))
        ids.append(str(timer.pk))

    def cancel(timer_id: str) -> bool:
        time.sleep(max(0.0, due.timestamp() - time.time() + random.uniform(-0.05, 0.05)))
        try:
            services.cancel_timer(tenant=tenant, timer_id=timer_id)
            return True
        except APIException:
            return False
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=40) as pool:
        return dict(zip(ids, pool.map(cancel, ids), strict=True))


def test_a_killed_worker_attempt_is_delivered_later_with_the_same_webhook_id(processes, api, receiver):
    fast_leases = {"TIMER_CALLBACK_TIMEOUT_SECS": "4", "SCHEDULER_LEASE_SECS": "2"}
    doomed = processes.worker(env=fast_leases, name="doomed")
    receiver.script("/crash", Reply(delay=20), Reply(200))
    timer_id = create(api, receiver.url("/crash"), datetime.now(UTC) + timedelta(seconds=1))
    receiver.wait_for(1, timeout=15)
    assert status_of(timer_id) == "executing"

    doomed.kill()
    doomed.wait()
    processes.worker(env=fast_leases, name="survivor")
    processes.beat(env=fast_leases)

    first, second = exactly(receiver, 2, timeout=40)
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    timer = eventually(lambda: Timer.objects.filter(pk=timer_id, status=TimerStatus.COMPLETED).first())
    # The dead worker recorded nothing; the reaper took its attempt back and said so.
    lost, delivered = timer.attempt_log.all()
    assert (lost.number, lost.outcome, lost.status_code) == (1, "lost", None)
    assert lost.error.startswith("worker lost during the attempt")
    assert (delivered.number, delivered.outcome, delivered.status_code) == (2, "success", 200)


def test_the_work_of_a_killed_worker_is_taken_back_at_once_not_a_lease_later(processes, api, receiver):
    """Default leases (30 s of grace after a 30 s deadline): a worker killed with one
    attempt in flight and ten timers in hand (sent ahead with their ETA). The sweep sees
    the process gone: the attempt is retried at once and the ten arrive on time."""
    processes.worker(name="sweeper", queues="sweeps,default")
    processes.beat()
    doomed = processes.worker(name="doomed", queues="deliveries")
    receiver.script("/in-flight", Reply(delay=30), Reply(200))
    in_flight = create(api, receiver.url("/in-flight"), datetime.now(UTC) + timedelta(seconds=1))
    due = datetime.now(UTC) + timedelta(seconds=8)
    held = [create(api, receiver.url(f"/held/{n}"), due) for n in range(10)]
    receiver.wait_for(1, timeout=15)
    assert status_of(in_flight) == "executing"
    assert Timer.objects.filter(pk__in=held, lease_until__isnull=False).count() == 10  # sent
    processes.worker(name="survivor", queues="deliveries")
    eventually(lambda: WorkerHeartbeat.objects.filter(name__startswith="s").count() == 2, timeout=20)

    doomed.kill()
    doomed.wait()
    killed_at = time.time()

    hits = exactly(receiver, 12, timeout=30)
    retried = [hit for hit in hits if hit.path == "/in-flight"][1]
    assert retried.arrived - killed_at <= 5
    for hit in (hit for hit in hits if hit.path.startswith("/held/")):
        assert due.timestamp() <= hit.arrived <= due.timestamp() + 5
    timer = eventually(lambda: Timer.objects.filter(pk=in_flight, status=TimerStatus.COMPLETED).first())
    lost, delivered = timer.attempt_log.all()
    assert (lost.outcome, delivered.outcome) == ("lost", "success")
    assert Timer.objects.filter(pk__in=held, status=TimerStatus.COMPLETED).count() == 10


def test_failed_deliveries_are_retried_with_backoff_until_success(processes, api, receiver):
    processes.worker()
    receiver.script("/flaky", Reply(500), Reply(503), Reply(200))
    timer_id = create(api, receiver.url("/flaky"), datetime.now(UTC) + timedelta(seconds=1))

    exactly(receiver, 3, timeout=30)

    eventually(lambda: status_of(timer_id) == "completed")
    attempts = api.get(f"/timers/{timer_id}").json()["data"]["attempts"]
    assert [(a["status_code"], a["outcome"]) for a in attempts] == [
        (500, "retry"),
        (503, "retry"),
        (200, "success"),
    ]


def test_retry_after_is_honored(processes, api, receiver):
    processes.worker()
    receiver.script("/limited", Reply(429, headers={"Retry-After": "2"}), Reply(200))
    timer_id = create(api, receiver.url("/limited"), datetime.now(UTC) + timedelta(seconds=1))

    first, second = exactly(receiver, 2, timeout=30)

    assert second.arrived - first.arrived >= 1.9
    eventually(lambda: status_of(timer_id) == "completed")


def test_hanging_targets_do_not_delay_other_timers_due_at_the_same_time(processes, api, receiver):
    """Five hanging targets hold more than half of a worker's eight delivery threads; the
    five other timers due at the same moment still arrive within a second of it."""
    processes.worker(concurrency=8)
    due = datetime.now(UTC) + timedelta(seconds=3)
    hanging = []
    for n in range(5):
        receiver.script(f"/hang/{n}", Reply(delay=6))
        hanging.append(create(api, receiver.url(f"/hang/{n}"), due))
    fast = [create(api, receiver.url(f"/fast/{n}"), due) for n in range(5)]

    arrivals = [hit for hit in receiver.wait_for(10, timeout=12) if hit.path.startswith("/fast/")]

    assert len(arrivals) == 5
    late = [hit.arrived - due.timestamp() for hit in arrivals]
    assert max(late) <= 1.0, late
    assert all(status_of(t) == "executing" for t in hanging)  # their attempts still wait on the targets
    eventually(lambda: all(status_of(t) == "completed" for t in fast))


def test_a_hanging_host_holds_at_most_its_share_and_the_stuck_callbacks_threads(processes, api, receiver):
    """Twelve timers to a host that never answers and four to another, all due at once, on a
    worker of four threads with CALLBACK_MAX_PER_HOST=2: the hanging host holds its two
    threads and, once they are stuck, the four of the stuck callbacks, no more; its other
    timers wait unstarted (no attempt used), and the four arrive on time."""
    env = {"CALLBACK_MAX_PER_HOST": "2", "TIMER_CALLBACK_TIMEOUT_SECS": "8"}
    processes.worker(concurrency=4, env=env)
    with socket.create_server(("127.0.0.1", 0)) as silent:
        silent.listen(64)
        due = datetime.now(UTC) + timedelta(seconds=3)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/hang"
        hanging = [create(api, f"{url}/{n}", due) for n in range(12)]
        fast = [create(api, receiver.url(f"/fast/{n}"), due) for n in range(4)]

        arrivals = receiver.wait_for(4, timeout=12)
        late = [hit.arrived - due.timestamp() for hit in arrivals]
        assert max(late) <= 1.0, late
        time.sleep(3)

        def six_held_six_waiting() -> bool:
            # One snapshot of all twelve; a waiting timer that is being given back again
            # is claimed for a moment, so a snapshot may catch one: look again.
            rows = list(Timer.objects.filter(pk__in=hanging).values_list("status", "attempts"))
            held = [row for row in rows if row[0] == TimerStatus.EXECUTING]
            waiting = [row for row in rows if row[0] == TimerStatus.PENDING]
            return len(held) == 6 and len(waiting) == 6 and all(attempts == 0 for _, attempts in waiting)

        eventually(six_held_six_waiting, timeout=3, interval=0.05)
        assert TimerAttempt.objects.filter(timer_id__in=hanging).count() == 0  # none has ended
        late_ones = [create(api, receiver.url(f"/later/{n}"), datetime.now(UTC) + timedelta(seconds=1))
                     for n in range(4)]  # fmt: skip
        hits = receiver.wait_for(8, timeout=10)
        assert {hit.path for hit in hits} >= {f"/later/{n}" for n in range(4)}
    eventually(lambda: all(status_of(t) == "completed" for t in fast + late_ones))


def test_sigterm_lets_an_in_flight_callback_finish_and_the_worker_exits_by_itself(processes, api, receiver):
    worker = processes.worker()
    receiver.script("/slow", Reply(delay=3))
    timer_id = create(api, receiver.url("/slow"), datetime.now(UTC) + timedelta(seconds=1))
    receiver.wait_for(1, timeout=15)  # the callback is in flight

    worker.terminate()

    assert worker.wait(timeout=30) == 0  # it finished the callback, then stopped
    eventually(lambda: status_of(timer_id) == "completed", timeout=5)
    exactly(receiver, 1, quiet=3)
    timer = Timer.objects.get(pk=timer_id)
    assert [(a.number, a.outcome) for a in timer.attempt_log.all()] == [(1, "success")]


def test_no_second_attempt_starts_while_a_dripping_target_holds_the_first(processes, api):
    """The run lease outlives the attempt's deadline, so the reaper never re-sends an
    attempt still in flight; the retry starts only after the first attempt gave up."""
    short = {"TIMER_CALLBACK_TIMEOUT_SECS": "2", "SCHEDULER_LEASE_SECS": "1"}
    processes.worker(env=short)
    processes.beat(env=short)
    # One byte every 0.5 s: 30 s for the whole answer, far past the lease.
    with DrippingServer(DRIPPED_HTTP_ANSWER, interval=0.5, read_request=read_http_request) as target:
        timer_id = create(api, target.url(), datetime.now(UTC) + timedelta(seconds=1), max_attempts=2)

        timer = eventually(
            lambda: Timer.objects.filter(pk=timer_id, status=TimerStatus.FAILED).first(), timeout=30
        )
        first, second = target.connections
        assert first["closed"] is not None
        assert second["opened"] >= first["closed"]  # the retry began after the first attempt ended
    assert timer.last_error == "timed out after 2s"
    assert [(a.number, a.outcome, a.error) for a in timer.attempt_log.all()] == [
        (1, "retry", timer.attempt_log.first().error),
        (2, "failed", "timed out after 2s"),
    ]
    assert timer.attempt_log.first().error.startswith("timed out after 2s; retrying in")


def test_an_attempt_that_finishes_after_its_lease_was_taken_back_cannot_overwrite_the_next(
    processes, api, receiver
):
    """A worker paused past its lease (SIGSTOP) loses the timer to the reaper; the second
    attempt completes; when the first resumes, its outcome is only logged."""
    short = {"TIMER_CALLBACK_TIMEOUT_SECS": "3", "SCHEDULER_LEASE_SECS": "1"}
    paused = processes.worker(env=short, name="paused")
    # The second answer comes well inside the 3 s deadline.
    receiver.script("/late", Reply(500, delay=0.5), Reply(200, delay=1.5))
    timer_id = create(api, receiver.url("/late"), datetime.now(UTC) + timedelta(seconds=1))
    receiver.wait_for(1, timeout=15)
    os.kill(paused.pid, signal.SIGSTOP)
    try:
        processes.worker(env=short, name="survivor")
        processes.beat(env=short)
        receiver.wait_for(2, timeout=30)  # the second attempt is in flight now
    finally:
        os.kill(paused.pid, signal.SIGCONT)

    timer = eventually(
        lambda: Timer.objects.filter(pk=timer_id, status=TimerStatus.COMPLETED).first(), timeout=20
    )
    exactly(receiver, 2, quiet=3)
    eventually(lambda: "after its lease was taken back; not recorded" in processes.logs(), timeout=10)
    timer.refresh_from_db()
    assert (timer.status, timer.last_error, timer.attempts) == (TimerStatus.COMPLETED, None, 2)
    assert [(a.number, a.outcome) for a in timer.attempt_log.all()] == [(1, "lost"), (2, "success")]


@pytest.mark.parametrize("answered_before", [True, False], ids=["answered-before", "first-contact"])
def test_paths_that_hang_do_not_delay_the_other_paths_of_their_host(
    processes, api, receiver, answered_before
):
    """Twice CALLBACK_MAX_PER_HOST of a host's paths hang, whether or not the host has
    answered a callback before: those callbacks stop counting against its share once they
    are stuck, so timers to its other paths, due just after at a few a second, each arrive
    with no more than the usual lateness."""
    env = {"CALLBACK_MAX_PER_HOST": "2", "TIMER_CALLBACK_TIMEOUT_SECS": "8"}
    processes.worker(concurrency=4, env=env)
    if answered_before:
        create(api, receiver.url("/answered"), datetime.now(UTC) + timedelta(seconds=1))
        receiver.wait_for(1, timeout=15)
    due = datetime.now(UTC) + timedelta(seconds=2)
    for n in range(4):
        receiver.script(f"/hang/{n}", Reply(delay=20))
        create(api, receiver.url(f"/hang/{n}"), due)
    quick = {f"/quick/{n}": due + timedelta(seconds=1 + n / 4) for n in range(12)}
    ids = [create(api, receiver.url(path), at) for path, at in quick.items()]

    hits = receiver.wait_for(int(answered_before) + 4 + len(quick), timeout=15)

    assert quick.keys() <= {hit.path for hit in hits}
    # None was put off: putting an attempt off moves the timer's due time past its own.
    assert not Timer.objects.filter(pk__in=ids).exclude(due_at=F("execute_at")).exists()


def test_a_worker_whose_share_of_a_host_hangs_hears_from_another_that_the_host_answers(
    processes, api, receiver
):
    """One worker holds its whole share of a host with callbacks that hang; another has had
    a quick answer from that host. Once that one is gone, timers to the host's other paths,
    all on the first worker now, still arrive within a second of their time instead of
    being put off until the callbacks that hang end."""
    env = {"CALLBACK_MAX_PER_HOST": "2"}
    holding = processes.worker(concurrency=4, env=env, name="holding")
    due = datetime.now(UTC) + timedelta(seconds=1)
    for n in range(2):
        receiver.script(f"/hang/{n}", Reply(delay=60))
        create(api, receiver.url(f"/hang/{n}"), due)
    receiver.wait_for(2, timeout=15)
    answered = processes.worker(concurrency=4, env=env, name="answered")
    create(api, receiver.url("/answered"), datetime.now(UTC) + timedelta(seconds=1))
    assert len(receiver.wait_for(3, timeout=20)) == 3  # put off by the first worker until the other took it
    answered.terminate()
    assert answered.wait(timeout=30) == 0

    due = datetime.now(UTC) + timedelta(seconds=1)
    quick = {f"/quick/{n}": due + timedelta(seconds=n / 4) for n in range(8)}
    for path, at in quick.items():
        create(api, receiver.url(path), at)

    hits = receiver.wait_for(3 + len(quick), timeout=15)
    assert quick.keys() <= {hit.path for hit in hits}
    # They came while the callbacks that hang were still open, not after those ended.
    hanging = Timer.objects.filter(callback_url__contains="/hang/")
    assert list(hanging.values_list("status", flat=True)) == [TimerStatus.EXECUTING] * 2
    holding.kill()  # its callbacks that hang would hold its warm shutdown for their deadline
