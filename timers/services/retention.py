"""What the timers keep and for how long: finished tasks, old attempt records, expired
Idempotency-Keys, events past their idempotency window and fired chain logs below any
rescan's reach are removed in batches by a periodic task."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F

from scheduler_project.core import metrics, scheduling
from timers.models import ChainLog, Event, Job, Timer, TimerAttempt, TimerStatus

FINISHED = (TimerStatus.COMPLETED, TimerStatus.FAILED, TimerStatus.CANCELED, TimerStatus.SKIPPED)


def remove_old_tasks(*, now: datetime) -> int:
    """Delete finished tasks (and their attempts) last changed more than
    ``TASK_RETENTION_DAYS`` ago, in small batches (``scheduling.in_batches``). One-shot
    timers are not removed (their old attempts are, see ``clean_up``)."""
    cutoff = now - timedelta(days=settings.TASK_RETENTION_DAYS)
    removed = scheduling.in_batches(
        Timer.objects.filter(job__isnull=False, status__in=FINISHED, updated_at__lt=cutoff),
        order_by="updated_at",
        kind="tasks",
        apply=lambda rows: rows.delete(),
    )
    metrics.TASKS_REMOVED.inc(removed)
    return removed


def clean_up(*, now: datetime) -> int:
    """The timers' periodic cleanups: finished tasks past retention; attempt records of
    finished one-shot timers past retention (the timer stays); Idempotency-Keys, and events,
    older than ``IDEMPOTENCY_KEY_TTL_HOURS`` (the same key or event id then creates anew);
    fired chain logs more than the job's ``reorg_depth`` below its checkpoint. Returns rows
    changed."""
    retention = now - timedelta(days=settings.TASK_RETENTION_DAYS)
    keys_expired = now - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    done = remove_old_tasks(now=now)
    done += scheduling.in_batches(
        TimerAttempt.objects.filter(started_at__lt=retention, timer__status__in=FINISHED),
        order_by="started_at",
        kind="attempts",
        apply=lambda rows: rows.delete(),
    )
    for model in (Timer, Job):
        done += scheduling.in_batches(
            model.objects.filter(idempotency_key__isnull=False, created_at__lt=keys_expired),
            order_by="created_at",
            kind="idempotency_keys",
            apply=lambda rows: rows.update(idempotency_key=None, request_hash=""),
        )
    done += scheduling.in_batches(
        Event.objects.filter(received_at__lt=keys_expired),
        order_by="received_at",
        kind="events",
        apply=lambda rows: rows.delete(),
    )
    # A rescan after a reorganisation starts at most reorg_depth blocks below the job's
    # checkpoint: the logs fired below that are never looked at again (the task's unique
    # trigger still guards them while the task is kept).
    done += scheduling.in_batches(
        ChainLog.objects.filter(
            job__last_processed_block__isnull=False,
            block_number__lt=F("job__last_processed_block") - F("job__reorg_depth"),
        ),
        order_by="id",
        kind="chain_logs",
        apply=lambda rows: rows.delete(),
    )
    return done
