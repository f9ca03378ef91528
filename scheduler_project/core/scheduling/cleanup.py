"""Periodic cleanups in short batches: no table is locked for long, and two sweeps never
wait on each other (each skips the rows the other holds)."""

from collections.abc import Callable
from typing import Any

from django.db import models, router, transaction

from scheduler_project.core import metrics
from scheduler_project.core.scheduling.leases import claim_batch

CLEANUP_BATCH = 500


CLEANUP_MAX_BATCHES = 20


def in_batches(
    queryset: models.QuerySet, *, order_by: str, kind: str, apply: Callable[[models.QuerySet], Any]
) -> int:
    """A periodic cleanup: ``apply`` (a delete or an update) to the rows of ``queryset``,
    at most ``CLEANUP_BATCH`` at a time, each batch claimed and changed in its own short
    transaction (rows another sweep holds are skipped), so no table is locked for long;
    at most ``CLEANUP_MAX_BATCHES`` a run, the next run goes on. Returns the rows done."""
    done = 0
    for _ in range(CLEANUP_MAX_BATCHES):
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            batch = claim_batch(queryset, order_by=order_by, batch_size=CLEANUP_BATCH, fields=("pk",))
            if batch:
                apply(queryset.model._default_manager.filter(pk__in=[pk for (pk,) in batch]))
        done += len(batch)
        if len(batch) < CLEANUP_BATCH:
            break
    metrics.CLEANUP_REMOVED.labels(kind=kind).inc(done)
    return done
