"""Leases: which rows are sent to the broker, and how long each is held.

The database is the source of truth. A row moves through:

* pending, no lease: waiting; nothing in the broker.
* pending, leased: a sweep (or the create/update path, for work due inside the
  lookahead horizon) sent one Celery task with ``eta = due_at``; the lease
  lasts until ``max(due_at, now) + SCHEDULER_LEASE_SECS``. If it passes and the
  row is still pending (the message was lost with its worker), the next sweep
  sends it again with the same token.
* running: a task won the conditional update pending -> running (token must
  match, so a task for an older schedule does nothing, see ``attempts``); the
  lease covers the attempt. A row whose running lease passed belonged to a
  worker that died; the app's reaper decides what happens to it.

Every transition is one conditional UPDATE whose row count says who won.
"""

import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from scheduler_project.core import clock
from scheduler_project.core.models import ScheduledWork, ScheduledWorkQuerySet

# How long before its due time a row may be claimed, by the database's clock: an attempt
# claimed ahead waits for its time (core.departures.batched_strategy), and a worker's knowledge of that clock
# is as good as its last reading (core.clock). The claim checks it on the database's own
# clock where it has one (PostgreSQL), so a worker whose clock is fast cannot claim early.
START_TOLERANCE = timedelta(seconds=1)


@dataclass(frozen=True)
class Claimed:
    pk: Any
    token: uuid.UUID
    due_at: datetime


def rows(model: type[ScheduledWork]) -> ScheduledWorkQuerySet:
    return cast(ScheduledWorkQuerySet, model._default_manager.all())


def lookahead() -> timedelta:
    return timedelta(seconds=settings.SCHEDULER_LOOKAHEAD_SECS)


def dispatch_lease() -> timedelta:
    return timedelta(seconds=settings.SCHEDULER_LEASE_SECS)


def claim_batch(
    queryset: models.QuerySet, *, order_by: str, batch_size: int, fields: tuple[str, ...] = ()
) -> list:
    """Inside the caller's transaction: lock and return up to ``batch_size`` of the first
    rows of ``queryset`` that no other sweep holds (their values of ``fields``, or the rows).

    ``SKIP LOCKED`` lets two sweeps take disjoint batches on PostgreSQL; on SQLite the
    immediate transaction serialises them. Every sweep claims through here.
    """
    # of=self: rows joined in (a job's tenant) stay unlocked, for other sweeps and writes.
    locked = queryset.select_for_update(skip_locked=True, of=("self",)).order_by(order_by)
    return list(locked.values_list(*fields)[:batch_size] if fields else locked[:batch_size])


def lease_due_batch(model: type[ScheduledWork], *, now: datetime, batch_size: int) -> list[Claimed]:
    """Lease up to ``batch_size`` of the earliest rows due within the lookahead."""
    if unsent := _unsent.get(model):
        release_leases(model, unsent)
        del _unsent[model]
    leased: list[tuple[Any, uuid.UUID, datetime]] = []
    try:
        with transaction.atomic():
            leased = claim_batch(
                rows(model).ready_to_dispatch(now=now, horizon=lookahead()),
                order_by="due_at",
                batch_size=batch_size,
                fields=("pk", "dispatch_token", "due_at"),
            )
            if leased:
                rows(model).filter(pk__in=[row[0] for row in leased]).update(
                    lease_until=Greatest(F("due_at"), Value(now, output_field=models.DateTimeField()))
                    + dispatch_lease()
                )
    except DatabaseError:
        # The commit may have gone through with its answer lost: rows leased, never sent,
        # would wait for their lease to pass. The next sweep lets them go first.
        _unsent.setdefault(model, set()).update(row[0] for row in leased)
        raise
    return [Claimed(pk, token, due_at) for pk, token, due_at in leased]


# Rows a sweep of this process may have leased without sending them (``lease_due_batch``).
_unsent: dict[type[ScheduledWork], set[Any]] = {}


def release_leases(model: type[ScheduledWork], pks: Collection[Any]) -> int:
    """Let the next sweep send these pending rows again: their message was not sent (the
    broker refused it, or a lost connection left a sweep in doubt).

    A row whose message did survive is then sent twice, which is harmless: only
    one task can claim it.
    """
    if not pks:
        return 0
    return rows(model).filter(pk__in=list(pks), status=model.PENDING).update(lease_until=None)


def release_dispatched(model: type[ScheduledWork]) -> int:
    """Let every sent, unstarted row go (its lease), so that the next sweep sends it again:
    after a broker connection broke, any of their messages may be lost. Every such row
    is due within the lookahead (nothing later is ever sent), which the index serves."""
    now = clock.now()
    pending = rows(model).filter(status=model.PENDING, due_at__lte=now + lookahead())
    return pending.filter(lease_until__isnull=False).update(lease_until=None)


# The worker process this one is, which its claims name as their holder: set by its
# heartbeat when the worker is ready (core.heartbeat), which imports this module, not the
# other way round. None outside a worker.
_holding: uuid.UUID | None = None


def holder() -> uuid.UUID | None:
    """The instance this process's claims name as their holder (``take_back_from``)."""
    return _holding


def hold_as(instance: uuid.UUID | None) -> None:
    """Name ``instance`` as the holder of this process's claims from now on."""
    global _holding
    _holding = instance


# Leased work of the apps that is not a ScheduledWork row (a chain endpoint's poll): each
# registers how to let go what a dead worker process held, by name (``on_take_back``).
_take_backs: dict[str, Callable[[uuid.UUID, datetime], int]] = {}


def on_take_back(name: str, release: Callable[[uuid.UUID, datetime], int]) -> None:
    """Have ``take_back_from`` also call ``release(instance, now)``, which lets go the work
    of ``name`` that the dead instance held and returns how much (an app's ``ready``)."""
    _take_backs[name] = release


def scheduled_models() -> list[type[ScheduledWork]]:
    """Every kind of scheduled work (timers, withdrawals)."""
    return [m for m in apps.get_models() if issubclass(m, ScheduledWork)]


def take_back_from(instance: uuid.UUID, *, now: datetime) -> tuple[dict[str, int], dict[str, int]]:
    """The work a worker process held when it stopped or died, made available again now
    rather than when its leases pass: its running attempts' leases end now (the app's
    reaper, run next, settles them), and every sent, unstarted row is let go (the next
    sweep sends it again; any message of it that did survive, in the broker or in a live
    worker, is then a second copy that cannot claim the row twice). Returns, per model,
    the running attempts taken back and the sent rows let go."""
    running, sent = {}, {}
    for model in scheduled_models():
        held = rows(model).filter(status=model.RUNNING, holder=instance)
        running[model.__name__] = held.update(lease_until=now - timedelta(microseconds=1))
        sent[model.__name__] = release_dispatched(model)
    for name, release in _take_backs.items():
        running[name] = release(instance, now)
    return running, sent


def lease_if_near(due_at: datetime, *, now: datetime | None = None) -> datetime | None:
    """The lease a row due at ``due_at`` gets when it is sent now, or None if it is not
    due within the lookahead (then a later sweep sends it)."""
    now = now or clock.now()
    if due_at > now + lookahead():
        return None
    return max(due_at, now) + dispatch_lease()


def deferral(model: type[ScheduledWork], delay: float) -> dict[str, Any]:
    """The fields that put a running row back to pending, due again after ``delay`` seconds.

    Within the lookahead the caller re-sends the task itself (a retry) and the lease
    stops a sweep from sending it twice; beyond it the row waits in the database,
    unleased, for a later sweep.
    """
    now = clock.now()
    due_at = now + timedelta(seconds=delay)
    lease_until = due_at + dispatch_lease() if due_at <= now + lookahead() else None
    return {"status": model.PENDING, "due_at": due_at, "lease_until": lease_until}


def retry_in_flight(delay: float) -> bool:
    """Whether a retry after ``delay`` seconds is sent now (else a sweep sends it later)."""
    return delay <= settings.SCHEDULER_LOOKAHEAD_SECS


def after(seconds: float) -> datetime:
    """The time ``seconds`` from now."""
    return clock.now() + timedelta(seconds=seconds)


def eta_for(due_at: datetime) -> datetime | None:
    return due_at if due_at > clock.now() else None
