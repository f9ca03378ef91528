"""One delivery attempt, run in-process against a real loopback receiver."""

import socket
import threading
import time
import uuid
from contextlib import ExitStack
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from scheduler_project.testing.factories import TenantFactory, TimerFactory
from tests.conftest import DRIPPED_HTTP_ANSWER, DrippingServer, read_http_request
from timers import services
from timers.hosts import HostSlots, stuck_threads
from timers.models import Timer, TimerStatus
from timers.receiver import Reply


@pytest.fixture
def due_timer(tenant, receiver):
    def make(path: str = "/hook", **fields):
        now = timezone.now()
        fields.setdefault("execute_at", now)
        fields.setdefault("due_at", fields["execute_at"])
        return TimerFactory(tenant=tenant, callback_url=receiver.url(path), **fields)

    return make


def deliver(timer: Timer) -> float | None:
    timer.refresh_from_db()
    return services.deliver_timer(timer_id=timer.pk, token=timer.dispatch_token)


def test_successful_delivery_completes_the_timer_and_records_the_attempt(due_timer, receiver):
    timer = due_timer(callback_payload={"event": "due"}, callback_headers={"Authorization": "Bearer t"})

    assert deliver(timer) is None

    (hit,) = receiver.received
    assert hit.json() == {"event": "due"}
    assert hit.headers["Authorization"] == "Bearer t"
    assert hit.headers["Content-Type"] == "application/json"
    timer.refresh_from_db()
    assert timer.status == TimerStatus.COMPLETED
    assert timer.executed_at is not None
    assert timer.last_error is None
    (attempt,) = timer.attempt_log.all()
    assert (attempt.number, attempt.status_code, attempt.outcome, attempt.response_body) == (
        1,
        200,
        "success",
        "ok",
    )


def test_a_timer_without_payload_posts_an_empty_json_object(due_timer, receiver):
    deliver(due_timer(callback_payload=None))
    assert receiver.received[0].body == b"{}"


def test_server_errors_are_retried_until_max_attempts_then_the_timer_fails(due_timer, receiver, time_machine):
    receiver.script("/flaky", Reply(500), Reply(502), Reply(503, body="still down"))
    timer = due_timer("/flaky", max_attempts=3)

    for attempt in (1, 2):
        delay = deliver(timer)
        assert delay is not None and 0 <= delay <= 2  # test settings: base 0.2 s, cap 2 s
        timer.refresh_from_db()
        assert (timer.status, timer.attempts) == (TimerStatus.PENDING, attempt)
        assert "retrying" in timer.last_error
        time_machine.move_to(timer.due_at + timedelta(milliseconds=10), tick=True)
    assert deliver(timer) is None

    timer.refresh_from_db()
    assert timer.status == TimerStatus.FAILED
    assert timer.last_error == "HTTP 503"
    assert [a.outcome for a in timer.attempt_log.all()] == ["retry", "retry", "failed"]
    assert timer.attempt_log.last().response_body == "still down"
    assert len(receiver.received) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422])
def test_client_errors_fail_at_once_without_retry(due_timer, receiver, status):
    receiver.script("/gone", Reply(status))
    timer = due_timer("/gone", max_attempts=5)

    assert deliver(timer) is None

    timer.refresh_from_db()
    assert timer.status == TimerStatus.FAILED
    assert timer.last_error == f"HTTP {status}"
    assert timer.attempts == 1


@pytest.mark.parametrize("status", [408, 429, 500, 503])
def test_timeouts_throttling_and_server_errors_are_retried(due_timer, receiver, status):
    receiver.script("/busy", Reply(status))
    timer = due_timer("/busy", max_attempts=2)

    assert deliver(timer) is not None

    timer.refresh_from_db()
    assert timer.status == TimerStatus.PENDING
    assert timer.attempts == 1


def test_retry_after_seconds_sets_the_next_attempt_time(due_timer, receiver):
    receiver.script("/slow-down", Reply(429, headers={"Retry-After": "5"}))
    timer = due_timer("/slow-down")

    assert deliver(timer) == 5.0

    timer.refresh_from_db()
    assert timezone.now() + timedelta(seconds=4) < timer.due_at <= timezone.now() + timedelta(seconds=5)
    assert timer.lease_until is not None  # the Celery retry holds it; no sweep sends it twice


def test_a_long_retry_after_waits_in_the_database_for_a_later_sweep(due_timer, receiver):
    receiver.script("/maintenance", Reply(503, headers={"Retry-After": "3600"}))
    timer = due_timer("/maintenance")

    assert deliver(timer) is None  # no Celery retry: nothing far away sits in the broker

    timer.refresh_from_db()
    assert timer.status == TimerStatus.PENDING
    assert timer.lease_until is None
    assert timer.due_at > timezone.now() + timedelta(minutes=59)


def test_redirects_are_not_followed(due_timer, receiver):
    receiver.script("/moved", Reply(302, headers={"Location": receiver.url("/elsewhere")}))
    timer = due_timer("/moved")

    deliver(timer)

    timer.refresh_from_db()
    assert timer.status == TimerStatus.FAILED
    assert "redirects are not followed" in timer.last_error
    assert [r.path for r in receiver.received] == ["/moved"]


def test_a_long_response_body_is_stored_truncated(due_timer, receiver, settings):
    settings.TIMER_RESPONSE_BODY_LIMIT = 16
    receiver.script("/chatty", Reply(200, body="x" * 100_000))
    timer = due_timer("/chatty")

    deliver(timer)

    timer.refresh_from_db()
    assert timer.status == TimerStatus.COMPLETED
    assert timer.attempt_log.get().response_body == "x" * 16


def test_cookies_a_target_sets_are_never_sent_to_later_callbacks(due_timer, receiver, tenant):
    """Callbacks of every tenant share one connection pool, not a cookie jar."""
    receiver.script("/sets-cookie", Reply(200, headers={"Set-Cookie": "session=secret; Path=/"}))
    deliver(due_timer("/sets-cookie"))
    other = TenantFactory()
    deliver(TimerFactory(tenant=other, callback_url=receiver.url("/next"), due_at=timezone.now()))

    _, second = receiver.received
    assert second.path == "/next"
    assert "Cookie" not in second.headers


def test_an_unreachable_target_is_retried(due_timer):
    timer = TimerFactory(tenant=due_timer().tenant, callback_url="http://127.0.0.1:9/closed",
                         execute_at=timezone.now(), due_at=timezone.now())  # fmt: skip

    assert deliver(timer) is not None

    timer.refresh_from_db()
    assert timer.status == TimerStatus.PENDING
    assert "ConnectError" in timer.last_error


def test_a_hanging_target_times_out(due_timer, receiver, settings):
    settings.TIMER_CALLBACK_TIMEOUT_SECS = 0.5
    receiver.script("/hang", Reply(delay=3))
    timer = due_timer("/hang", max_attempts=1)

    deliver(timer)

    timer.refresh_from_db()
    assert timer.status == TimerStatus.FAILED
    assert timer.last_error == "timed out after 0.5s"


def test_a_dispatch_with_an_old_token_does_nothing(due_timer, receiver):
    timer = due_timer()

    assert services.deliver_timer(timer_id=timer.pk, token=uuid.uuid4()) is None

    assert receiver.received == []
    timer.refresh_from_db()
    assert (timer.status, timer.attempts) == (TimerStatus.PENDING, 0)


def test_a_canceled_timer_is_not_delivered(due_timer, receiver):
    timer = due_timer()
    services.cancel_timer(tenant=timer.tenant, timer_id=timer.pk)

    assert deliver(timer) is None

    assert receiver.received == []
    timer.refresh_from_db()
    assert timer.status == TimerStatus.CANCELED


def test_an_attempt_does_not_start_before_the_timer_is_due(due_timer, receiver):
    later = timezone.now() + timedelta(minutes=5)
    timer = due_timer(execute_at=later)

    assert deliver(timer) is None

    assert receiver.received == []
    timer.refresh_from_db()
    assert timer.status == TimerStatus.PENDING


def test_a_completed_timer_is_not_delivered_twice(due_timer, receiver):
    timer = due_timer()
    token = timer.dispatch_token
    services.deliver_timer(timer_id=timer.pk, token=token)

    services.deliver_timer(timer_id=timer.pk, token=token)

    assert len(receiver.received) == 1


def test_every_attempt_carries_the_same_webhook_id(due_timer, receiver, time_machine):
    receiver.script("/again", Reply(500))
    timer = due_timer("/again")
    delay = deliver(timer)
    timer.refresh_from_db()
    time_machine.move_to(timer.due_at + timedelta(milliseconds=10), tick=True)
    deliver(timer)

    assert delay is not None
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == timer.webhook_id


def test_a_put_of_headers_between_retries_keeps_the_retry_and_the_attempts_used(
    due_timer, receiver, api, time_machine
):
    receiver.script("/flaky", Reply(500), Reply(500))
    timer = due_timer("/flaky", max_attempts=2)
    assert deliver(timer) is not None  # attempt 1 failed; a retry is due soon
    timer.refresh_from_db()
    waiting = (timer.due_at, timer.dispatch_token, timer.lease_until, timer.attempts)

    response = api.put(f"/timers/{timer.pk}", {"callback_headers": {"X-Fixed": "yes"}}, format="json")

    assert response.status_code == 200
    timer.refresh_from_db()
    assert (timer.due_at, timer.dispatch_token, timer.lease_until, timer.attempts) == waiting
    assert timer.last_error.startswith("HTTP 500")
    time_machine.move_to(timer.due_at + timedelta(milliseconds=10), tick=True)
    assert deliver(timer) is None  # attempt 2 of 2: the last one
    timer.refresh_from_db()
    assert timer.status == TimerStatus.FAILED
    assert receiver.received[1].headers["X-Fixed"] == "yes"


def come_due(timer: Timer) -> None:
    Timer.objects.filter(pk=timer.pk).update(due_at=timezone.now())
    timer.refresh_from_db()


def test_a_put_of_execute_at_between_retries_is_a_new_schedule_with_all_its_attempts(
    due_timer, receiver, api
):
    receiver.script("/flaky", Reply(500), Reply(500), Reply(500))
    timer = due_timer("/flaky", max_attempts=2)
    assert deliver(timer) is not None
    timer.refresh_from_db()
    old_token = timer.dispatch_token
    new_time = timezone.now() + timedelta(minutes=10)

    response = api.put(f"/timers/{timer.pk}", {"execute_at": new_time.isoformat()}, format="json")

    assert response.status_code == 200
    timer.refresh_from_db()
    assert (timer.due_at, timer.schedule_attempts, timer.last_error) == (new_time, 0, None)
    assert timer.dispatch_token != old_token
    assert timer.lease_until is None  # ten minutes away: a later sweep sends it
    come_due(timer)  # the new time has come (by the database's clock, which claims check)
    assert deliver(timer) is not None  # attempt 1 of the new schedule: retried
    come_due(timer)  # and its retry's
    assert deliver(timer) is None
    timer.refresh_from_db()
    assert timer.status == TimerStatus.FAILED
    assert [a.number for a in timer.attempt_log.all()] == [1, 2, 3]  # one history, numbered on
    assert api.get(f"/timers/{timer.pk}").json()["data"]["attempt_count"] == 3


def test_a_target_that_drips_its_answer_is_cut_off_at_the_attempts_deadline(tenant, settings):
    """TIMER_CALLBACK_TIMEOUT_SECS bounds the whole attempt, not each read: every byte
    arrives within it, the whole answer would take 12 s."""
    settings.TIMER_CALLBACK_TIMEOUT_SECS = 1
    with DrippingServer(DRIPPED_HTTP_ANSWER, interval=0.2, read_request=read_http_request) as target:
        now = timezone.now()
        timer = TimerFactory(
            tenant=tenant, callback_url=target.url(), execute_at=now, due_at=now, max_attempts=1
        )

        deliver(timer)

    timer.refresh_from_db()
    assert (timer.status, timer.last_error) == (TimerStatus.FAILED, "timed out after 1s")
    assert timer.attempt_log.get().duration_ms <= 2500


def _deliver_in_background(timer: Timer) -> threading.Thread:
    def run() -> None:
        try:
            deliver(timer)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)  # the deliveries run on threads of their own
def test_a_busy_host_that_is_answering_gets_the_next_attempt_after_a_short_wait(
    due_timer, receiver, settings
):
    """A burst to one receiver: its slots are all taken, but it is answering, so the next
    attempt waits for a slot rather than being put off (a second claim, a second late)."""
    settings.CALLBACK_MAX_PER_HOST = 1
    receiver.script("/slow", Reply(delay=0.1))
    first = _deliver_in_background(due_timer("/slow"))
    receiver.wait_for(1, timeout=5)  # it is in flight, holding the only slot, since just now
    waiting = due_timer("/next")

    assert deliver(waiting) is None
    first.join()

    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (TimerStatus.COMPLETED, 1)
    assert [hit.path for hit in receiver.received] == ["/slow", "/next"]


@pytest.mark.django_db(transaction=True)
def test_each_callback_that_ends_hands_its_slot_to_the_next_waiting_attempt_at_once(
    due_timer, receiver, settings, monkeypatch
):
    """A burst to one host with more attempts than slots: as each callback ends, a waiting
    attempt takes its slot then, not when its own wait would have run out."""
    settings.CALLBACK_MAX_PER_HOST = 2
    monkeypatch.setattr(HostSlots, "SLOT_WAIT", 3.0)
    monkeypatch.setattr(HostSlots, "STUCK", 3.0)
    receiver.script("/quick", Reply(delay=0.05))
    timers = [due_timer("/quick") for _ in range(6)]

    started = time.monotonic()
    for thread in [_deliver_in_background(timer) for timer in timers]:
        thread.join()

    assert time.monotonic() - started < 2.0
    assert [(t.status, t.attempts) for t in Timer.objects.filter(pk__in=[t.pk for t in timers])] == [
        (TimerStatus.COMPLETED, 1)
    ] * 6


@pytest.mark.django_db(transaction=True)
def test_a_host_that_hangs_gets_no_waiters_its_next_attempt_is_put_off_unstarted(
    due_timer, receiver, settings
):
    settings.CALLBACK_MAX_PER_HOST = 1
    receiver.script("/hang", Reply(delay=2))
    hanging = _deliver_in_background(due_timer("/hang"))
    receiver.wait_for(1, timeout=5)
    time.sleep(HostSlots.SLOT_WAIT)  # nothing has ended since it began
    put_off = due_timer("/next")

    started = time.monotonic()
    delay = deliver(put_off)

    assert time.monotonic() - started < HostSlots.SLOT_WAIT
    assert delay is not None and 0.5 <= delay <= 1.5
    put_off.refresh_from_db()
    assert (put_off.status, put_off.attempts) == (TimerStatus.PENDING, 0)
    assert not put_off.attempt_log.exists()
    hanging.join()


@pytest.mark.django_db(transaction=True)
def test_a_callback_stuck_on_one_path_of_a_host_that_answers_does_not_hold_up_its_other_paths(
    due_timer, receiver, settings
):
    settings.CALLBACK_MAX_PER_HOST = 1
    assert deliver(due_timer("/answers")) is None  # quickly
    receiver.script("/hang", Reply(delay=2))
    hanging = _deliver_in_background(due_timer("/hang"))
    receiver.wait_for(2, timeout=5)
    time.sleep(HostSlots.SLOT_WAIT)  # far longer than the host's usual answer: it is stuck
    other = due_timer("/other")

    assert deliver(other) is None

    other.refresh_from_db()
    assert (other.status, other.attempts) == (TimerStatus.COMPLETED, 1)
    assert [hit.path for hit in receiver.received] == ["/answers", "/hang", "/other"]
    hanging.join()


@pytest.mark.django_db(transaction=True)
def test_a_callback_stuck_at_a_host_never_heard_from_does_not_hold_up_its_other_paths(
    due_timer, receiver, settings
):
    settings.CALLBACK_MAX_PER_HOST = 1
    receiver.script("/hang", Reply(delay=3))
    hanging = _deliver_in_background(due_timer("/hang"))
    receiver.wait_for(1, timeout=5)
    time.sleep(HostSlots.STUCK + 0.1)
    other = due_timer("/other")

    assert deliver(other) is None

    other.refresh_from_db()
    assert (other.status, other.attempts) == (TimerStatus.COMPLETED, 1)
    assert [hit.path for hit in receiver.received] == ["/hang", "/other"]
    hanging.join()


@pytest.mark.django_db(transaction=True)
def test_hosts_that_hang_hold_the_stuck_callbacks_threads_and_one_hosts_share_together(
    due_timer, receiver, settings, tenant
):
    """With one thread a host, the stuck callbacks' own threads are two: once three hosts
    that hang have each had a callback in flight for over a second, together they hold
    all they may, and a further attempt to any of them is put off unstarted, while a host
    that answers is served."""
    settings.CALLBACK_MAX_PER_HOST = 1
    settings.TIMER_CALLBACK_TIMEOUT_SECS = 3
    assert stuck_threads(1) == 2
    with ExitStack() as stack:
        silent = [stack.enter_context(socket.create_server(("127.0.0.1", 0))) for _ in range(3)]
        for server in silent:
            server.listen(8)
        hanging = [f"http://127.0.0.1:{s.getsockname()[1]}/hang" for s in silent]

        def to(url: str) -> Timer:
            now = timezone.now()
            return TimerFactory(tenant=tenant, callback_url=url, execute_at=now, due_at=now)

        held = [_deliver_in_background(to(url)) for url in hanging[:2]]
        time.sleep(HostSlots.STUCK + 0.3)
        # Two stuck callbacks have threads of their own: a third host that hangs gets one.
        held.append(_deliver_in_background(to(hanging[2])))
        time.sleep(HostSlots.STUCK + 0.3)
        put_off = to(hanging[0])

        assert deliver(put_off) is not None
        put_off.refresh_from_db()
        assert (put_off.status, put_off.attempts) == (TimerStatus.PENDING, 0)
        answering = due_timer("/fine")
        assert deliver(answering) is None
        answering.refresh_from_db()
        assert answering.status == TimerStatus.COMPLETED
        for thread in held:
            thread.join()
