"""Detailed health: every part the service depends on, and what it means for the whole.

``down`` (HTTP 503) only when the database, without which nothing works, is unreachable.
``degraded`` (HTTP 200) when a part is missing that some feature needs: the broker, an
online worker, beat's sweeps, the TEE or the relayer; a worker that went offline without
shutting down cleanly degrades it too, until its row is removed. Checks of other
services run in the background (``core.probe``), so the answer never waits on them.
"""

import time
from datetime import datetime
from typing import Any

from django.db import DatabaseError, connection

from scheduler_project.core.models import SweepRecord, WorkerHeartbeat
from scheduler_project.core.probe import probe_state
from scheduler_project.ops import monitoring


def broker_check() -> str:
    """Whether a broker connection can be opened (a channel on Redis pings it)."""
    from scheduler_project.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
            conn.default_channel  # noqa: B018 (opening it is the check)
    except Exception:
        return "unreachable"
    return "connected"


def _database() -> dict[str, Any]:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return {"status": "down"}
    return {"status": "up", "latency_ms": round((time.monotonic() - started) * 1000, 2)}


def worker_view(worker: WorkerHeartbeat, now: datetime) -> dict[str, Any]:
    """A worker as operators see it; ``online`` if seen within WORKER_OFFLINE_AFTER_SECS."""
    if worker.stopped_at is not None:
        state = "stopped"
    elif now - worker.last_seen_at > monitoring.offline_after():
        state = "offline"
    else:
        state = "online"
    return {
        "name": worker.name,
        "status": state,
        "queues": worker.queues,
        "concurrency": worker.concurrency,
        "last_seen_at": worker.last_seen_at,
        # How far the worker's clock is ahead of the database's (None until it measured).
        "clock_offset_ms": worker.clock_offset_ms,
    }


def detailed(now: datetime) -> dict[str, Any]:
    # Imported when first asked: the metrics exporter, which imports this module, needs
    # neither the TEE's client nor the relayer's.
    from tee.client import last_attestation
    from tee.health import tee_state
    from withdrawals.clients import relayer_state

    database = _database()
    broker = {"status": probe_state("broker", broker_check)}
    attested = last_attestation()
    tee = {
        "status": tee_state(),
        "attestation_age_secs": round(time.time() - attested, 1) if attested is not None else None,
    }
    relayer = {"status": probe_state("relayer", relayer_state)}
    body: dict[str, Any] = {"database": database, "broker": broker, "tee": tee, "relayer": relayer}
    if database["status"] == "down":
        return {"status": "down", **body, "workers": [], "beat": {"status": "unknown", "sweeps": {}}}
    try:
        workers = [worker_view(w, now) for w in WorkerHeartbeat.objects.all()]
        sweeps = {
            r.kind: {"last_at": r.last_at, "last_count": r.last_count} for r in SweepRecord.objects.all()
        }
        last_seen = monitoring.beat_last_seen(now)
    except DatabaseError:
        return {"status": "down", **body, "workers": [], "beat": {"status": "unknown", "sweeps": {}}}
    stale = monitoring.beat_is_stale(now, last_seen)
    beat_state = "unknown" if last_seen is None else ("stale" if stale else "up")
    beat = {"status": beat_state, "last_sweep_at": last_seen, "sweeps": sweeps}
    healthy = (
        broker["status"] == "connected"
        and any(w["status"] == "online" for w in workers)
        and not any(w["status"] == "offline" for w in workers)
        and beat_state == "up"
        and tee["status"] == "connected"
        and relayer["status"] == "connected"
    )
    return {"status": "up" if healthy else "degraded", **body, "workers": workers, "beat": beat}


def public_workers(now: datetime) -> list[dict[str, Any]]:
    """Online workers, as ``/public/workers`` lists them (no host, pid or counts)."""
    online = WorkerHeartbeat.objects.online(now=now, offline_after=monitoring.offline_after())
    return [
        {"name": w.name, "queues": w.queues, "concurrency": w.concurrency, "last_seen_at": w.last_seen_at}
        for w in online
    ]
