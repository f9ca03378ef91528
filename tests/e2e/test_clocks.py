"""A worker whose clock is off: the database's clock decides when work is due. Real
workers, one of them with its wall clock moved (``tests/drifted_clock``), as on a host
whose clock drifted; the receiver and the database read the true time."""

import time
from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from scheduler_project.core.models import OperationsAlert, WorkerHeartbeat
from scheduler_project.testing.servers import eventually


def create_timers(api, receiver, *, count: int, rate: float, ahead: float) -> dict[str, float]:
    """``count`` timers at ``rate`` a second, each due ``ahead`` seconds after its create;
    returns each one's path on the receiver and due time."""
    due = {}
    for n in range(count):
        at = time.time() + ahead
        execute_at = datetime.fromtimestamp(at, UTC).isoformat().replace("+00:00", "Z")
        path = f"/clock/{n}"
        body = {"execute_at": execute_at, "callback_url": receiver.url(path)}
        response = api.post("/timers", body, format="json")
        assert response.status_code == 201, response.json()
        due[path] = at
        time.sleep(1 / rate)
    return due


def lateness(receiver, due: dict[str, float]) -> list[float]:
    """Each timer's arrival after its due time (negative: early), once all have arrived."""
    hits = {hit.path: hit for hit in receiver.wait_for(len(due), timeout=60) if hit.path in due}
    assert hits.keys() == due.keys(), f"{len(hits)} of {len(due)} arrived"
    return sorted(hits[path].arrived - at for path, at in due.items())


@pytest.mark.parametrize("clock", [3.0, -3.0])
def test_a_worker_whose_clock_is_off_fires_nothing_early_and_nothing_late(processes, api, receiver, clock):
    """The only delivery worker runs 3 s fast (or slow), within the allowed offset: it reads
    the database's clock and fires every timer at its time by it."""
    within = {"WORKER_MAX_CLOCK_OFFSET_SECS": "10"}
    processes.worker(queues="sweeps,default", name="sweeper", env=within)
    processes.beat()
    processes.worker(queues="deliveries,withdrawals", name="drifted", clock=clock, env=within)
    due = create_timers(api, receiver, count=40, rate=20, ahead=4)

    late = lateness(receiver, due)

    assert late[0] >= 0, f"fired {-late[0]:.3f} s early"
    assert late[-1] <= 1.0, f"fired {late[-1]:.3f} s late"
    drifted = WorkerHeartbeat.objects.get(name__startswith="drifted")
    assert abs(drifted.clock_offset_ms - clock * 1000) < 1000  # what it reports


def test_a_worker_whose_clock_is_off_beyond_the_limit_claims_nothing_and_is_reported(
    processes, api, receiver
):
    """One delivery worker runs 3 s fast, beyond the allowed 2 s, beside one on time: it
    stops claiming, the other delivers everything on time, detailed health shows its offset
    and an alert is raised."""
    beating = {"WORKER_HEARTBEAT_SECS": "0.5"}
    processes.worker(queues="sweeps,default", name="sweeper", env=beating)
    processes.beat()
    processes.worker(queues="deliveries,withdrawals", name="fast", clock=3.0, env=beating)
    processes.worker(queues="deliveries,withdrawals", name="on-time", env=beating)
    due = create_timers(api, receiver, count=60, rate=20, ahead=3)

    late = lateness(receiver, due)

    assert late[0] >= 0, f"fired {-late[0]:.3f} s early"
    assert late[-1] <= 1.0, f"fired {late[-1]:.3f} s late"
    health = APIClient().get("/health/detailed").json()["data"]
    workers = {w["name"].split("-")[0]: w for w in health["workers"]}
    assert workers["fast"]["clock_offset_ms"] > 2000
    assert abs(workers["on"]["clock_offset_ms"]) < 250
    fast = WorkerHeartbeat.objects.get(name__startswith="fast")
    eventually(lambda: OperationsAlert.objects.filter(key=f"clock:{fast.name}").exists(), timeout=30)
