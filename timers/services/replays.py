"""Bulk replay of dead letters: failed timers and tasks put back to pending, each with a
fresh dispatch token and its attempt history kept, paced by their due times so that the
sweeps and workers deliver them as they deliver everything (nothing here sends in a loop)."""

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from scheduler_project.core import scheduling
from scheduler_project.core.models import Tenant
from timers import selectors
from timers.metrics import TIMERS_REPLAYED
from timers.models import Replay, Timer, TimerStatus
from timers.models.replays import MAX_REPLAY
from timers.services import delivery

SAMPLE_SIZE = 20
# Rows per UPDATE: each carries a dozen parameters, well inside SQLite's limit.
UPDATE_CHUNK = 500


@dataclass(frozen=True)
class ReplayResult:
    replay_id: uuid.UUID
    matched: int  # dead letters the filter found
    replayed: int  # put back to pending (0 on a dry run)
    dry_run: bool
    rate: float
    last_due_at: datetime | None  # when the last replayed one is due
    sample_ids: list[uuid.UUID]  # the first of those replayed (or a dry run would replay)


def replay_timers(
    *,
    tenant: Tenant | None,
    filters: Mapping[str, Any],
    dry_run: bool,
    rate: float,
    limit: int | None,
    actor: str,
) -> ReplayResult:
    """Put the dead letters ``filters`` finds (``selectors.dead_letters``; ``tenant`` None:
    every tenant's) back to pending, the oldest failure first, at most ``limit`` (default
    and most ``MAX_REPLAY``): the i-th is due at now + i / ``rate``, so the sweep sends
    them at that pace. Each gets a fresh dispatch token and the whole ``max_attempts``
    again; its attempts are kept and number on. A dry run changes nothing. Either way the
    replay is recorded (``Replay``), with ``actor`` (who asked).

    Each row is taken only while it is still the dead letter it was read as (a conditional
    update on its status and attempts), and rows another replay holds are skipped: two
    replays at once never put one row back twice."""
    if not (math.isfinite(rate) and rate > 0):
        raise ValueError("rate must be a positive number of replays per second")
    if limit is not None and not 1 <= limit <= MAX_REPLAY:
        raise ValueError(f"limit must be 1..{MAX_REPLAY}")
    if not actor:
        raise ValueError("replay_timers needs the actor who asked for the replay")
    rate, cap = float(rate), limit or MAX_REPLAY
    rows = selectors.dead_letters(tenant=tenant, filters=filters)
    oldest_first = ("updated_at", "pk")
    with transaction.atomic():
        replay = Replay.objects.create(
            tenant=tenant, actor=actor, filters=dict(filters), dry_run=dry_run, rate=rate, limit=limit,
            matched=rows.count(),
        )  # fmt: skip
        if dry_run:
            sample = list(rows.order_by(*oldest_first).values_list("pk", flat=True)[:SAMPLE_SIZE])
            return _result(replay, sample)
        # of=self: a task's job (joined to leave out deleted jobs) stays unlocked.
        locked = rows.select_for_update(skip_locked=True, of=("self",)).order_by(*oldest_first)
        picked = list(locked.values_list("pk", "status", "attempts")[:cap])
        now = timezone.now()
        changes = [
            _back_to_pending(
                pk, status, attempts, due_at=now + timedelta(seconds=n / rate), replay=replay, now=now
            )
            for n, (pk, status, attempts) in enumerate(picked)
        ]
        changed: set[Any] = set()
        for start in range(0, len(changes), UPDATE_CHUNK):
            changed |= scheduling.update_each(Timer, changes[start : start + UPDATE_CHUNK])
        replayed = [change for change in changes if change.pk in changed]
        near = [
            scheduling.Claimed(c.pk, c.values["dispatch_token"], c.values["due_at"])
            for c in replayed
            if c.values["lease_until"] is not None
        ]
        scheduling.send_on_commit(Timer, delivery.send_delivery, near)
        replay.replayed = len(replayed)
        replay.last_due_at = replayed[-1].values["due_at"] if replayed else None
        replay.save(update_fields=["replayed", "last_due_at"])
    TIMERS_REPLAYED.inc(len(replayed))
    return _result(replay, [change.pk for change in replayed[:SAMPLE_SIZE]])


def _back_to_pending(
    pk: Any, status: str, attempts: int, *, due_at: datetime, replay: Replay, now: datetime
) -> scheduling.Change:
    """One dead letter due again at ``due_at`` under a new token, with its whole
    ``max_attempts`` (counted from its attempts so far); sent at once by the caller if that
    is within the lookahead (leased here), else by a sweep."""
    return scheduling.Change(
        pk,
        {
            "status": TimerStatus.PENDING,
            "due_at": due_at,
            "dispatch_token": uuid.uuid4(),
            "lease_until": scheduling.lease_if_near(due_at, now=now),
            "attempt_base": attempts,
            "last_error": None,
            "executed_at": None,
            "updated_at": now,
            "replay": replay.pk,
        },
        expected={"status": status, "attempts": attempts},
    )


def _result(replay: Replay, sample: list[Any]) -> ReplayResult:
    return ReplayResult(
        replay_id=replay.pk,
        matched=replay.matched,
        replayed=replay.replayed,
        dry_run=replay.dry_run,
        rate=replay.rate,
        last_due_at=replay.last_due_at,
        sample_ids=sample,
    )
