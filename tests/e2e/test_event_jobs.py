"""Event jobs through a real worker and beat into a loopback receiver, and POST /events
answered by the real web server."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import httpx
from django.conf import settings

from scheduler_project.testing.factories import event_job
from scheduler_project.testing.servers import free_port
from tests.conftest import exactly
from timers.models import Event, Job, Timer
from timers.receiver import verify


def header(hit: Any, name: str) -> str:
    return next(value for key, value in hit.headers.items() if key.lower() == name.lower())


def push(api: Any, event_type: str = "order.paid", data: Any = None, event_id: str | None = None) -> Any:
    body = {"type": event_type, "data": data, **({"id": event_id} if event_id else {})}
    response = api.post("/events", body, format="json")
    assert response.status_code == 202, response.json()
    return response.json()["data"]


def received_at(answer: dict[str, Any]) -> float:
    return datetime.fromisoformat(answer["received_at"].replace("Z", "+00:00")).timestamp()


def test_an_event_fires_its_job_as_a_signed_task_with_the_data_as_body(processes, api, receiver, tenant):
    processes.worker()
    processes.beat()
    job = event_job(tenant=tenant, callback_url=receiver.url("/paid"))

    answer = push(api, data={"order": "o-42", "amount": 120}, event_id="evt_o42")

    (hit,) = exactly(receiver, 1, path="/paid", timeout=30, quiet=3)
    assert answer["matched"] == 1
    assert verify(tenant.webhook_secret, hit) == {"order": "o-42", "amount": 120}
    assert header(hit, "X-Scheduler-Event-Id") == "evt_o42"
    assert header(hit, "X-Scheduler-Event-Type") == "order.paid"
    assert header(hit, "X-Scheduler-Job-Id") == str(job.pk)
    assert hit.headers["webhook-id"] == f"msg_{header(hit, 'X-Scheduler-Task-Id').replace('-', '')}"


def test_an_event_its_filter_refuses_fires_nothing(processes, api, receiver, tenant):
    processes.worker()
    processes.beat()
    event_filter = {"all": [{"value_pointer": "/amount", "operator": ">=", "target": 100},
                            {"value_pointer": "/currency", "operator": "==", "target": "EUR"}]}  # fmt: skip
    event_job(tenant=tenant, callback_url=receiver.url("/big"), event_filter=event_filter)

    small = push(api, data={"amount": 5, "currency": "EUR"})
    dollars = push(api, data={"amount": 500, "currency": "USD"})
    push(api, data={"amount": 500, "currency": "EUR"}, event_id="evt_big")

    (hit,) = exactly(receiver, 1, path="/big", timeout=30, quiet=3)
    assert header(hit, "X-Scheduler-Event-Id") == "evt_big"
    assert (small["matched"], dollars["matched"]) == (0, 0)


def test_a_throttled_job_delivers_its_max_per_window_and_drops_the_rest(processes, api, receiver, tenant):
    processes.worker()
    processes.beat()
    job = event_job(
        tenant=tenant, callback_url=receiver.url("/limited"), throttle_max=2, throttle_window_secs=3600
    )

    for number in range(5):
        push(api, data={"n": number})

    hits = exactly(receiver, 2, path="/limited", timeout=30, quiet=3)
    assert sorted(hit.json()["n"] for hit in hits) == [0, 1]
    job.refresh_from_db()
    assert (job.dropped_events, job.run_count) == (3, 2)


def test_a_burst_to_a_debounced_job_fires_once_with_the_last_event_after_the_quiet_period(
    processes, api, receiver, tenant
):
    processes.worker()
    processes.beat()
    event_job(tenant=tenant, callback_url=receiver.url("/settled"), debounce_secs=2)

    answers = [push(api, data={"n": number}, event_id=f"evt_burst_{number}") for number in range(5)]

    (hit,) = exactly(receiver, 1, path="/settled", timeout=30, quiet=4)
    assert hit.json() == {"n": 4}
    assert header(hit, "X-Scheduler-Event-Id") == "evt_burst_4"
    assert hit.arrived >= received_at(answers[-1]) + 2


def test_a_full_batch_is_delivered_at_once_with_its_events_in_order(processes, api, receiver, tenant):
    processes.worker()
    processes.beat()
    event_job(tenant=tenant, callback_url=receiver.url("/batch"), batch_max=3, batch_window_secs=3600)

    answers = [push(api, data={"n": number}, event_id=f"evt_full_{number}") for number in range(3)]

    (hit,) = exactly(receiver, 1, path="/batch", timeout=30, quiet=3)
    assert hit.json() == {
        "events": [
            {
                "id": answer["id"],
                "type": "order.paid",
                "data": {"n": number},
                "received_at": answer["received_at"],
            }
            for number, answer in enumerate(answers)
        ]
    }
    assert header(hit, "X-Scheduler-Event-Id") == "evt_full_0"
    assert header(hit, "X-Scheduler-Event-Count") == "3"


def test_a_partial_batch_is_delivered_when_its_window_ends(processes, api, receiver, tenant):
    processes.worker()
    processes.beat()
    event_job(tenant=tenant, callback_url=receiver.url("/window"), batch_max=100, batch_window_secs=2)

    first = push(api, data={"n": 0})
    push(api, data={"n": 1})

    (hit,) = exactly(receiver, 1, path="/window", timeout=30, quiet=3)
    assert [item["data"] for item in hit.json()["events"]] == [{"n": 0}, {"n": 1}]
    assert header(hit, "X-Scheduler-Event-Count") == "2"
    assert hit.arrived >= received_at(first) + 2


def test_the_task_is_stored_when_the_202_is_answered(processes, tenant):
    port = free_port()
    processes.web(port)
    job = event_job(tenant=tenant, callback_url="http://127.0.0.1:9/hook")
    headers = {"X-API-Key": settings.API_KEY}

    for number in range(5):
        response = httpx.post(
            f"http://127.0.0.1:{port}/events",
            json={"type": "order.paid", "data": {"n": number}, "id": f"evt_durable_{number}"},
            headers=headers,
            timeout=30,
        )
        assert response.status_code == 202
        # Read at once, from another connection than the web server's.
        assert Timer.objects.filter(job=job, trigger_key=f"evt_durable_{number}").exists()
        assert Event.objects.filter(event_id=f"evt_durable_{number}", matched=1).exists()


def test_concurrent_events_to_a_batched_job_lose_none_and_fire_each_batch_once(processes, receiver, tenant):
    port = free_port()
    processes.web(port, workers=2, threads=8)
    processes.worker()
    processes.beat()
    job = event_job(tenant=tenant, callback_url=receiver.url("/many"), batch_max=5, batch_window_secs=2)
    count = 60

    def push_over_http(number: int) -> int:
        response = httpx.post(
            f"http://127.0.0.1:{port}/events",
            json={"type": "order.paid", "data": {"n": number}, "id": f"evt_many_{number}"},
            headers={"X-API-Key": settings.API_KEY},
            timeout=60,
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(push_over_http, range(count)))

    assert statuses == [202] * count
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and sum(len(h.json()["events"]) for h in receiver.received) < count:
        time.sleep(0.2)
    time.sleep(4)  # a late duplicate, or a held batch still to come
    batches = [hit.json()["events"] for hit in receiver.received if hit.path == "/many"]
    delivered = [item["id"] for batch in batches for item in batch]
    assert sorted(delivered) == sorted(f"evt_many_{number}" for number in range(count))
    assert all(1 <= len(batch) <= 5 for batch in batches)
    assert len({batch[0]["id"] for batch in batches}) == len(batches)
    job.refresh_from_db()
    assert job.run_count == len(batches) and job.pending_events == []
    assert Job.objects.get(pk=job.pk).tasks.count() == len(batches)
