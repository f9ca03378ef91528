"""The Python client (clients/python) driving a live service: every operation through the
blocking and the awaiting client, callbacks received and verified with ``verify_webhook``,
retries after 429 and 503, the CLI, the receiver examples, and the committed models against
the served document."""

import asyncio
import base64
import io
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from scheduler_client import (
    AsyncClient,
    Client,
    Conflict,
    NotFound,
    Retries,
    Unauthorized,
    Unavailable,
    ValidationError,
    WebhookVerificationError,
    models,
    seal_withdrawal,
    verify_webhook,
)
from scheduler_client.cli import Tail, main
from scheduler_project.testing.servers import eventually
from tests.clients.conftest import CLIENT, WITHDRAWAL, Live, Proxy, Refusal, load_example
from timers.receiver import Reply

# The module's tests share one started stack, kept on one pytest worker so it starts once.
# The mark has pytest-django make the test database (the stack's) even when only these run;
# the tests themselves write only through the API.
pytestmark = [pytest.mark.xdist_group("python-client"), pytest.mark.django_db]


def later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


FAR = "2099-01-01T00:00:00Z"


def test_timers_are_created_read_listed_changed_and_delivered_signed(live: Live) -> None:
    with Client(live.url, live.api_key) as scheduler:
        secret = scheduler.signing_secret()
        timer = scheduler.create_timer(
            models.TimerWrite(
                execute_at=later(1),
                callback_url=live.receiver.url("/sync"),
                callback_payload={"n": 1},
                metadata={"ref": "sync"},
            )
        )
        assert timer.status == models.TimerStatusEnum.pending

        hit = live.receiver.wait_for(1, path="/sync", timeout=30)[0]
        assert verify_webhook(hit.headers, hit.body, secret) == {"n": 1}
        with pytest.raises(WebhookVerificationError, match="No matching signature"):
            verify_webhook(hit.headers, hit.body.replace(b"1", b"2"), secret)
        detail = eventually(lambda: done(scheduler.get_timer(str(timer.id))))
        assert detail.webhook_id == hit.headers["webhook-id"] and detail.metadata is not None
        assert [attempt.outcome.value for attempt in detail.attempts] == ["success"]

        # The same Idempotency-Key and body: the same timer; another body: a conflict.
        body = {"execute_at": FAR, "callback_url": live.receiver.url("/same")}
        first = scheduler.create_timer(body, idempotency_key="client-same-key")
        assert scheduler.create_timer(body, idempotency_key="client-same-key").id == first.id
        with pytest.raises(Conflict) as conflict:
            scheduler.create_timer({**body, "metadata": {"other": 1}}, idempotency_key="client-same-key")
        assert (conflict.value.status, conflict.value.code) == (409, 5)

        batch = scheduler.create_timers(
            [{"execute_at": FAR, "callback_url": live.receiver.url(f"/batch/{n}")} for n in range(3)]
        )
        assert [item.callback_url for item in batch] == [live.receiver.url(f"/batch/{n}") for n in range(3)]
        listed = [item.id for item in scheduler.iter_timers(status="pending", sort="created_at", page_size=2)]
        assert {item.id for item in batch} | {first.id} <= set(listed) and len(listed) == len(set(listed))

        moved = scheduler.update_timer(str(first.id), {"execute_at": "2099-06-01T00:00:00Z"})
        assert moved.execute_at.month == 6
        assert scheduler.cancel_timer(str(first.id)).status == models.TimerStatusEnum.canceled
        with pytest.raises(Conflict):
            scheduler.cancel_timer(str(first.id))


def done(timer: Any) -> Any:
    return timer if timer.status and timer.status.value in ("completed", "failed") else None


def test_refusals_raise_errors_carrying_the_envelope(live: Live) -> None:
    with Client(live.url, live.api_key) as scheduler:
        with pytest.raises(NotFound) as missing:
            scheduler.get_timer(str(uuid.uuid4()))
        assert (missing.value.status, missing.value.code) == (404, 3)
        with pytest.raises(ValidationError) as invalid:
            scheduler.create_timer(
                {
                    "execute_at": FAR,
                    "callback_url": live.receiver.url("/x"),
                    "callback_headers": {"Host": "x"},
                }
            )
        assert invalid.value.code == 2 and "callback_headers" in invalid.value.errors
    with Client(live.url, "not-a-key") as stranger, pytest.raises(Unauthorized) as refused:
        stranger.list_timers()
    assert (refused.value.status, refused.value.code) == (401, 4)


def test_jobs_of_every_type_their_tasks_and_events(live: Live) -> None:
    hook = live.receiver.url
    with Client(live.url, live.api_key) as scheduler:
        written = [
            models.CronJobWrite(
                schedule_type="cron", cron_expression="*/5 * * * *", callback_url=hook("/cron")
            ),
            models.IntervalJobWrite(
                schedule_type="interval",
                interval_secs=1,
                max_runs=1,
                callback_url=hook("/interval"),
                callback_payload={"job": "interval"},
            ),
            models.SpecificJobWrite(schedule_type="specific", run_at=FAR, callback_url=hook("/specific")),
            models.ConditionJobWrite(
                schedule_type="condition",
                poll_interval_secs=3600,
                source_url=hook("/src"),
                value_pointer="/n",
                operator=">",
                target=1,
                callback_url=hook("/cond"),
            ),
            models.EventJobWrite(
                schedule_type="event",
                event_type="client.paid",
                callback_url=hook("/event"),
                event_filter={"value_pointer": "/amount", "operator": ">", "target": 100},
            ),
            models.ChainEventJobWrite(
                schedule_type="chain_event",
                rpc_url=hook("/rpc"),
                address=["0x" + "ab" * 20],
                from_block="latest",
                poll_interval_secs=3600,
                callback_url=hook("/chain"),
            ),
        ]
        jobs = [scheduler.create_job(job) for job in written]
        assert [type(job).__name__ for job in jobs] == [
            "CronJob",
            "IntervalJob",
            "SpecificJob",
            "ConditionJob",
            "EventJob",
            "ChainEventJob",
        ]
        cron, interval, _, _, event, chain = jobs
        assert {job.id for job in scheduler.iter_jobs(page_size=2)} >= {job.id for job in jobs}
        assert [job.id for job in scheduler.iter_jobs(schedule_type="event")] == [event.id]

        changed = scheduler.update_job(str(cron.id), {"cron_expression": "0 * * * *"})
        assert isinstance(changed, models.CronJob) and changed.cron_expression == "0 * * * *"
        upcoming = scheduler.get_job(str(cron.id), upcoming=2)
        assert isinstance(upcoming, models.CronJob) and len(upcoming.upcoming_runs or []) == 2
        assert scheduler.pause_job(str(cron.id)).status.value == "paused"
        assert scheduler.resume_job(str(cron.id)).status.value == "active"
        assert scheduler.delete_job(str(chain.id)).status.value == "deleted"
        manual = scheduler.run_now(str(cron.id))  # once now, outside the schedule
        assert manual.manual and manual.job_id == cron.id and manual.scheduled_for is None

        # The interval job's one run, and a task fired by an event: each delivered and signed.
        secret = scheduler.signing_secret()
        run = live.receiver.wait_for(1, path="/interval", timeout=30)[0]
        assert verify_webhook(run.headers, run.body, secret) == {"job": "interval"}
        accepted = scheduler.send_event({"type": "client.paid", "data": {"amount": 250}})
        assert accepted.matched == 1 and accepted.id.startswith("evt_")
        fired = live.receiver.wait_for(1, path="/event", timeout=30)[0]
        assert verify_webhook(fired.headers, fired.body, [secret]) == {"amount": 250}
        assert fired.headers["X-Scheduler-Event-Id"] == accepted.id

        tasks = eventually(
            lambda: [t for t in scheduler.iter_job_tasks(str(event.id)) if t.status.value == "completed"]
        )
        task = scheduler.get_task(str(tasks[0].id))
        assert task.job_id == event.id and task.webhook_id == fired.headers["webhook-id"]
        assert scheduler.list_job_tasks(str(interval.id)).total == 1
        ran = eventually(lambda: by_header(live.receiver, "X-Scheduler-Task-Id", str(manual.id)))
        assert verify_webhook(ran.headers, ran.body, secret) == {}
        assert (ran.headers["X-Scheduler-Task-Id"], ran.headers["X-Scheduler-Manual"]) == (
            str(manual.id),
            "true",
        )


def by_header(receiver: Any, name: str, value: str) -> Any:
    return next((hit for hit in list(receiver.received) if hit.headers.get(name) == value), None)


def test_dead_letters_are_replayed(live: Live) -> None:
    """A timer whose target refused it (a 404 fails it at once) is found by a dry run and
    delivered again by a replay, with its webhook-id."""
    live.receiver.script("/dead", Reply(status=404))
    with Client(live.url, live.api_key) as scheduler:
        timer = scheduler.create_timer({"execute_at": later(0), "callback_url": live.receiver.url("/dead")})
        eventually(lambda: scheduler.get_timer(str(timer.id)).status == models.TimerStatusEnum.failed)
        only = {"filter": {"ids": [str(timer.id)]}}
        dry = scheduler.replay({**only, "dry_run": True})
        assert (dry.matched, dry.replayed, dry.sample_ids) == (1, 0, [timer.id])
        assert scheduler.replay(models.ReplayRequest.model_validate(only)).replayed == 1
        first, again = live.receiver.wait_for(2, path="/dead", timeout=30)
        assert again.headers["webhook-id"] == first.headers["webhook-id"]
        replayed = eventually(lambda: done(scheduler.get_timer(str(timer.id))))
        assert [attempt.outcome.value for attempt in replayed.attempts][-1] == "success"


def test_the_async_client_has_the_same_surface(live: Live) -> None:
    async def scenario() -> None:
        async with AsyncClient(live.url, live.api_key) as scheduler:
            secret = await scheduler.signing_secret()
            timer = await scheduler.create_timer(
                {
                    "execute_at": later(1),
                    "callback_url": live.receiver.url("/async"),
                    "callback_payload": {"via": "async"},
                }
            )
            batch = await scheduler.create_timers(
                [{"execute_at": FAR, "callback_url": live.receiver.url("/ab")}] * 2
            )
            listed = [
                item.id async for item in scheduler.iter_timers(page_size=1, sort="created_at", order="desc")
            ]
            assert {item.id for item in batch} <= set(listed)
            job = await scheduler.create_job(
                {
                    "schedule_type": "interval",
                    "interval_secs": 3600,
                    "callback_url": live.receiver.url("/async-job"),
                }
            )
            assert (await scheduler.pause_job(str(job.id))).status.value == "paused"
            assert (await scheduler.resume_job(str(job.id))).status.value == "active"
            assert [item.id async for item in scheduler.iter_jobs(schedule_type="interval", status="active")]
            assert (await scheduler.list_job_tasks(str(job.id))).total == 0
            assert (await scheduler.run_now(str(job.id))).manual
            assert (
                await scheduler.replay({"filter": {"ids": [str(timer.id)]}, "dry_run": True})
            ).matched == 0
            assert (await scheduler.delete_job(str(job.id))).status.value == "deleted"
            with pytest.raises(NotFound):
                await scheduler.get_task(str(uuid.uuid4()))
            hit = await asyncio.to_thread(live.receiver.wait_for, 1, path="/async", timeout=30)
            assert verify_webhook(hit[0].headers, hit[0].body, secret) == {"via": "async"}
            assert (await scheduler.get_timer(str(timer.id))).webhook_id == hit[0].headers["webhook-id"]

    asyncio.run(scenario())


def test_a_create_whose_answer_was_lost_is_retried_with_its_key_and_stored_once(
    live: Live, proxy: Proxy
) -> None:
    """A 503 after the service stored the write (the connection lost on the way back): the
    client waits Retry-After and sends the same request with the same Idempotency-Key, and
    the service answers the timer it stored, not a second one. A 429 is waited out too."""
    url = live.receiver.url(f"/lost/{uuid.uuid4().hex}")
    proxy.refusals = [Refusal(503, retry_after="1", forward=True), Refusal(429, retry_after="0")]
    with Client(proxy.url, live.api_key) as scheduler:
        started = time.monotonic()
        timer = scheduler.create_timer({"execute_at": FAR, "callback_url": url})
        assert time.monotonic() - started >= 1  # Retry-After: 1 was waited
        keys = [headers["Idempotency-Key"] for method, path, headers in proxy.seen if method == "POST"]
        assert len(keys) == 3 and len(set(keys)) == 1
        assert [t.id for t in scheduler.iter_timers(status="pending") if t.callback_url == url] == [timer.id]


def test_a_batch_is_not_sent_again_after_a_503_that_may_have_stored_it(live: Live, proxy: Proxy) -> None:
    """A batch has no key: sent again it would be stored twice, so the 503 is raised, while
    one the service says stored nothing is retried; retries are bounded."""
    url = live.receiver.url(f"/batch-lost/{uuid.uuid4().hex}")
    proxy.refusals = [Refusal(503, retry_after="0", forward=True)]
    with Client(proxy.url, live.api_key, retries=Retries(attempts=3)) as scheduler:
        with pytest.raises(Unavailable) as lost:
            scheduler.create_timers([{"execute_at": FAR, "callback_url": url}])
        assert (lost.value.status, lost.value.code, lost.value.retry_after) == (503, 1, 0.0)
        assert len([t for t in scheduler.iter_timers(status="pending") if t.callback_url == url]) == 1

        proxy.seen.clear()
        proxy.refusals = [Refusal(503, retry_after="0", message="database unavailable; try again shortly")]
        assert len(scheduler.create_timers([{"execute_at": FAR, "callback_url": url}])) == 1
        assert len(proxy.seen) == 2

        proxy.seen.clear()
        proxy.refusals = [Refusal(429, retry_after="0")] * 5
        with pytest.raises(Exception) as limited:
            scheduler.list_timers()
        assert type(limited.value).__name__ == "RateLimited" and len(proxy.seen) == 3


def test_the_async_client_retries_as_the_blocking_one(live: Live, proxy: Proxy) -> None:
    proxy.refusals = [Refusal(429, retry_after="0"), Refusal(503, retry_after="0", forward=True)]

    async def scenario() -> None:
        async with AsyncClient(proxy.url, live.api_key) as scheduler:
            accepted = await scheduler.send_event({"type": "client.async", "data": {"n": 1}})
            assert accepted.matched == 0
            ids = {headers.get("Idempotency-Key") for _, _, headers in proxy.seen}
            assert len(proxy.seen) == 3 and ids == {None}

    asyncio.run(scenario())


def test_a_withdrawal_sealed_by_the_client_is_scheduled_read_and_cancelled(live: Live) -> None:
    with Client(live.url) as scheduler:
        key = scheduler.public_key()
        request = seal_withdrawal(key.public_key, **WITHDRAWAL, relay_after=int(time.time()) + 3600)
        scheduled = scheduler.schedule_withdrawal(request)
        assert scheduler.schedule_withdrawal(request) == scheduled  # the same sealed payload: the same answer
        assert scheduler.get_withdrawal(scheduled.status_token).status.value == "pending"
        assert scheduler.cancel_withdrawal(scheduled.status_token).status.value == "cancelled"
        with pytest.raises(Conflict):
            scheduler.cancel_withdrawal(scheduled.status_token)


def test_the_cli_creates_reads_lists_and_tails(
    live: Live, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SCHEDULER_URL", live.url)
    monkeypatch.setenv("API_KEY", live.api_key)
    with Client() as scheduler:
        tail_out = io.StringIO()
        tail = Tail(scheduler, tail_out)
        finished_before = {str(timer.id) for timer in scheduler.iter_timers(status="completed")}
        tail.poll()

        url = live.receiver.url("/cli")
        assert main(["timers", "create", "--url", url, "--in", "1s", "--payload", '{"via": "cli"}']) == 0
        created = json.loads(capsys.readouterr().out)
        assert created["callback_url"] == url and created["status"] == "pending"
        live.receiver.wait_for(1, path="/cli", timeout=30)

        def tailed() -> bool:
            tail.poll()
            return f"{created['id']}  completed" in tail_out.getvalue()

        eventually(tailed, interval=0.3)
        tail.poll()  # a timer that finished is shown once
        shown = tail_out.getvalue()
        assert shown.count(f"{created['id']}  attempt 1  success  HTTP 200") == 1
        assert shown.count(f"{created['id']}  completed") == 1
        assert finished_before and not [done for done in finished_before if done in shown]

    assert main(["timers", "get", created["id"]]) == 0
    assert json.loads(capsys.readouterr().out)["attempts"][0]["outcome"] == "success"
    assert main(["jobs", "list", "--type", "event"]) == 0
    assert {job["schedule_type"] for job in json.loads(capsys.readouterr().out)} <= {"event"}
    assert main(["signing-secret"]) == 0
    assert capsys.readouterr().out.startswith("whsec_")
    assert main(["timers", "get", str(uuid.uuid4())]) == 1
    assert "HTTP 404 (code 3)" in capsys.readouterr().err
    assert main(["timers", "create", "--url", "ftp://example.com/", "--in", "1s"]) == 2
    assert "callback_url" in capsys.readouterr().err

    # The module runs as the console script does (python -m, with the environment's settings).
    env = {**os.environ, "PYTHONPATH": str(CLIENT)}
    shown = subprocess.run(
        [sys.executable, "-m", "scheduler_client.cli", "timers", "list", "--limit", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert len(json.loads(shown.stdout)) == 1


def test_the_receiver_examples_accept_a_real_delivery_and_refuse_a_tampered_one(
    live: Live, settings: Any
) -> None:
    from django.test import RequestFactory

    with Client(live.url, live.api_key) as scheduler:
        secret = scheduler.signing_secret()
        scheduler.create_timer(
            {
                "execute_at": later(0.5),
                "callback_url": live.receiver.url("/examples"),
                "callback_payload": {"order": 42},
            }
        )
    hit = live.receiver.wait_for(1, path="/examples", timeout=30)[0]
    signed = {name: hit.headers[name] for name in ("webhook-id", "webhook-timestamp", "webhook-signature")}
    rotated = ["whsec_" + base64.b64encode(b"the old secret, retired").decode(), secret]

    flask_app = load_example("flask_receiver").create_app(rotated).test_client()
    fastapi_app = load_example("fastapi_receiver").create_app(rotated)
    django_view = load_example("django_receiver").scheduler_callback
    settings.SCHEDULER_WEBHOOK_SECRETS = rotated

    def flask_post(body: bytes) -> tuple[int, Any]:
        answer = flask_app.post("/hook", data=body, headers=signed, content_type="application/json")
        return answer.status_code, answer.get_json()

    def fastapi_post(body: bytes) -> tuple[int, Any]:
        async def post() -> httpx.Response:
            transport = httpx.ASGITransport(app=fastapi_app)  # the app in-process, as its test client does
            async with httpx.AsyncClient(transport=transport, base_url="http://receiver") as client:
                return await client.post("/hook", content=body, headers=signed)

        answer = asyncio.run(post())
        return answer.status_code, answer.json()

    def django_post(body: bytes) -> tuple[int, Any]:
        request = RequestFactory().post("/hook", data=body, content_type="application/json", headers=signed)
        answer = django_view(request)
        return answer.status_code, json.loads(answer.content)

    for post in (flask_post, fastapi_post, django_post):
        status, answer = post(hit.body)
        assert (status, answer["received"], answer["payload"]) == (
            200,
            hit.headers["webhook-id"],
            {"order": 42},
        )
        status, answer = post(hit.body.replace(b"42", b"43"))
        assert status == 401, (post.__name__, answer)


def test_the_committed_models_are_those_the_served_document_generates(live: Live, tmp_path: Path) -> None:
    """Fails when the API changed without ``make client-models`` (clients/python/README.md)."""
    generator = load_module(CLIENT / "generate_models.py")
    fresh = tmp_path / "models.py"
    generator.generate(live.url, fresh)
    committed = CLIENT / "scheduler_client" / "models.py"
    assert fresh.read_text() == committed.read_text(), "run make client-models and commit the result"


def load_module(path: Path) -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
