"""Publishing to Celery: leased rows sent as tasks, a sweep's batch in one round trip to
the broker, and a send the broker refuses turned into a lease let go, so that the next
sweep sends the row as soon as the broker is back rather than when the lease passes."""

import logging
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any, cast

from celery import current_app
from celery.exceptions import Retry
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, transaction

from scheduler_project.core import clock
from scheduler_project.core.models import ScheduledWork
from scheduler_project.core.scheduling.leases import (
    Claimed,
    eta_for,
    lease_due_batch,
    lease_if_near,
    lookahead,
    release_leases,
    rows,
)

logger = logging.getLogger(__name__)

_publishing = threading.local()


@contextmanager
def publishing_together() -> Iterator[None]:
    """Inside the block, ``send_task`` publishes through one producer whose messages go to
    the broker together when the block ends: one pipelined round trip to Redis for a
    sweep's batch, instead of one per message (which was half of a sweep's time). Brokers
    without batches (RabbitMQ, the embedded one) publish each message at once. A failure
    to send the batch is raised when the block ends; nested blocks join the outer one."""
    if getattr(_publishing, "producer", None) is not None:
        yield
        return
    with current_app.producer_or_acquire() as producer, producer.batch():
        _publishing.producer = producer
        try:
            yield
        finally:
            _publishing.producer = None


def dispatch_due(
    model: type[ScheduledWork], send: Callable[[Claimed], bool], *, batch_size: int | None = None
) -> int:
    """Lease due rows batch after batch and send each batch together (``send_together``);
    returns how many were sent.

    Leased rows cannot be leased again until their lease passes, so the loop
    ends when the due work does. If the broker refuses a send, the sweep ends
    there: the next one tries again.
    """
    batch_size = batch_size or settings.SCHEDULER_BATCH_SIZE
    total = 0
    while True:
        claimed = lease_due_batch(model, now=clock.now(), batch_size=batch_size)
        sent = send_together(model, send, claimed)
        total += sent
        if sent < len(claimed) or len(claimed) < batch_size:
            return total


def send_together(
    model: type[ScheduledWork], send: Callable[[Claimed], bool], claimed: Sequence[Claimed]
) -> int:
    """``send`` each leased row, their messages going to the broker together
    (``publishing_together``); returns how many were sent. If the broker refuses one,
    the rest are let go too; if it refuses them all at once, all are let go: either
    way the next sweep sends them, not a lease later."""
    sent = 0
    # One message goes at once: a batch's producer and pipeline would cost as much again.
    together = publishing_together() if len(claimed) > 1 else nullcontext()
    try:
        with together:
            for item in claimed:
                if not send(item):  # its own lease was let go
                    break
                sent += 1
    except Exception as exc:  # whatever the broker's client raised: the batch was not taken
        logger.warning("could not send %d %s tasks: %s; a sweep sends them", len(claimed), model.__name__,
                       exc)  # fmt: skip
        _release_quietly(model, [item.pk for item in claimed])
        return 0
    _release_quietly(model, [unsent.pk for unsent in claimed[sent + 1 :]])
    return sent


def send_on_commit(
    model: type[ScheduledWork], send: Callable[[Claimed], bool], claimed: Sequence[Claimed]
) -> None:
    """Send these rows together once their leases are committed (at once outside a
    transaction).

    A send the broker refuses lets the leases go (see ``send_together``): the rows
    are stored, and the first sweep after the broker is back sends them.
    """
    if claimed:
        transaction.on_commit(lambda: send_together(model, send, claimed), robust=True)


def lease_one_on_commit(model: type[ScheduledWork], pk: Any, send: Callable[[Claimed], bool]) -> None:
    """If the row is due within the lookahead, lease it now and send it after commit.

    Used by update and requeue so that near work does not wait for a sweep (create
    sets the lease in its INSERT instead).
    """
    now = clock.now()
    row = (
        rows(model)
        .ready_to_dispatch(now=now, horizon=lookahead())
        .filter(pk=pk)
        .values_list("pk", "dispatch_token", "due_at")
        .first()
    )
    if row is None:
        return
    rows(model).filter(pk=pk).update(lease_until=lease_if_near(row[2], now=now))
    send_on_commit(model, send, [Claimed(*row)])


def model_of(task: Any) -> type[ScheduledWork]:
    """The model whose rows a task works on (its ``scheduled_model``, e.g. ``"timers.Timer"``)."""
    return cast("type[ScheduledWork]", apps.get_model(task.scheduled_model))


def send_task(task: Any, claimed: Claimed, pk: Any) -> bool:
    """Send ``task(pk, token)`` to run at the row's due time (at once if that has passed).

    If the broker refuses it, the row's lease is let go and False returned: a
    sweep sends it as soon as the broker is back, not when the lease passes.
    """
    args = (pk, str(claimed.token))
    try:
        # A plain repr for Flower: Celery's own safe repr costs more than the rest of the publish.
        task.apply_async(
            args=args,
            eta=eta_for(claimed.due_at),
            argsrepr=repr(args),
            kwargsrepr="{}",
            producer=getattr(_publishing, "producer", None),
        )
    except Exception as exc:  # whatever the broker's client raised: the message was not taken
        logger.warning(
            "could not send %s(%s): %s; a sweep sends it once the broker is back", task.name, pk, exc
        )
        _release_quietly(model_of(task), [claimed.pk])
        return False
    return True


def retry_task(task: Any, *, pk: Any, delay: float) -> None:
    """Send the running task again after ``delay`` seconds as a Celery retry (same
    arguments, so the same token); if the broker refuses it, let the row's lease go
    so that a sweep sends it once it is due and the broker is back."""
    try:
        task.retry(countdown=delay)
    except Retry:
        raise
    except Exception as exc:  # whatever the broker's client raised: the retry was not sent
        logger.warning("could not send the retry of %s(%s): %s; a sweep sends it", task.name, pk, exc)
        _release_quietly(model_of(task), [pk])


def _release_quietly(model: type[ScheduledWork], pks: Collection[Any]) -> None:
    try:
        release_leases(model, pks)
    except DatabaseError as exc:
        logger.warning("could not let go of %s leases (%s): they pass by themselves", model.__name__, exc)
