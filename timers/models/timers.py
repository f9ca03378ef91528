"""Timers: one HTTP callback at a chosen time, with its delivery attempts."""

import uuid
from datetime import datetime

from django.db import models
from django.db.models import Q

from scheduler_project.core.models import ScheduledWork, ScheduledWorkQuerySet, Tenant
from timers.models.jobs import Job


class TimerStatus(models.TextChoices):
    PENDING = "pending"
    EXECUTING = "executing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELED = "canceled"
    SKIPPED = "skipped"  # a job's task never attempted: another of the job's was in flight


class TimerQuerySet(ScheduledWorkQuerySet):
    def for_tenant(self, tenant: Tenant) -> "TimerQuerySet":
        return self.filter(tenant=tenant)

    def pending(self) -> "TimerQuerySet":
        return self.filter(status=TimerStatus.PENDING)

    def missed(self, *, before: datetime) -> "TimerQuerySet":
        """Never-attempted pending timers due before ``before`` and not in flight."""
        return (
            self.pending()
            .filter(attempts=0, due_at__lt=before)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=before))
        )

    def overdue(self, *, now: datetime) -> "TimerQuerySet":
        return self.pending().filter(due_at__lt=now)


class Timer(ScheduledWork):
    PENDING = TimerStatus.PENDING
    RUNNING = TimerStatus.EXECUTING

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the tenant indexes below lead with it.
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="timers", db_index=False)
    execute_at = models.DateTimeField()
    callback_url = models.URLField(max_length=2048)
    callback_headers = models.JSONField(default=dict, blank=True)
    callback_payload = models.JSONField(null=True, blank=True)
    metadata = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=TimerStatus.choices, default=TimerStatus.PENDING)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    # ``attempts`` when the current schedule began (creation, a PUT of execute_at, an
    # operator's retry): max_attempts counts from here, the history keeps numbering.
    attempt_base = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(null=True, blank=True)  # noqa: DJ001 (null in the API contract)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001 (unique when set)
    request_hash = models.CharField(max_length=64, blank=True, default="")
    # A task: one firing of a job at its nominal time; its retries back off from retry_base_secs.
    job = models.ForeignKey(
        Job, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks", db_index=False
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    # What fired a task of an event or chain job (an event's id, a log's
    # ``transactionHash:logIndex``): one task per job and trigger, ever.
    trigger_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001 (unique when set)
    retry_base_secs = models.FloatField(null=True, blank=True)
    # Who ran a job's task by hand (``POST /jobs/{id}/run``), outside the job's schedule.
    run_by = models.CharField(max_length=200, blank=True, default="")
    # The bulk replay that last put this failed timer back to pending.
    replay = models.ForeignKey(
        "timers.Replay", models.SET_NULL, null=True, blank=True, related_name="timers", db_index=False
    )

    objects = TimerQuerySet.as_manager()

    class Meta:
        indexes = [
            # The sweep's claim: earliest due pending rows.
            models.Index(fields=["due_at"], name="timer_pending_due", condition=Q(status="pending")),
            # The reaper's search for attempts whose worker died. Partial, like the
            # one above, so that most writes of the hot path have no entry to add.
            models.Index(fields=["lease_until"], name="timer_running_lease", condition=Q(status="executing")),
            models.Index(fields=["tenant", "created_at"], name="timer_tenant_created"),
            models.Index(fields=["tenant", "status", "execute_at"], name="timer_tenant_status"),
            # The retention cleanup: finished tasks by age (one-shot timers have no entry).
            models.Index(
                fields=["updated_at"],
                name="task_finished_updated",
                condition=Q(job__isnull=False, status__in=["completed", "failed", "canceled", "skipped"]),
            ),
            # A replay's timers (most timers were never replayed: no entry).
            models.Index(fields=["replay"], name="timer_replay", condition=Q(replay__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="timer_unique_idempotency_key",
            ),
            # One firing per scheduled time, however many sweeps run (and the tasks' index).
            models.UniqueConstraint(fields=["job", "scheduled_for"], name="task_unique_firing"),
            models.UniqueConstraint(
                fields=["job", "trigger_key"],
                condition=Q(trigger_key__isnull=False),
                name="task_unique_trigger",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.id} → {self.callback_url} at {self.execute_at:%Y-%m-%d %H:%M:%S}Z"

    @property
    def schedule_attempts(self) -> int:
        """Attempts made since the current schedule began."""
        return self.attempts - self.attempt_base

    @property
    def manual(self) -> bool:
        """A job's task run by hand (run now), not by the job's own rule."""
        return bool(self.run_by)

    @property
    def webhook_id(self) -> str:
        """The Standard Webhooks message id: the same on every attempt, for deduplication."""
        return f"msg_{self.id.hex}"


class AttemptOutcome(models.TextChoices):
    SUCCESS = "success"
    RETRY = "retry"
    FAILED = "failed"
    LOST = "lost"


class TimerAttempt(models.Model):
    """One delivery attempt of a timer's callback."""

    timer = models.ForeignKey(Timer, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, default="")
    error = models.TextField(blank=True, default="")
    outcome = models.CharField(max_length=16, choices=AttemptOutcome.choices)

    class Meta:
        ordering = ["timer", "number", "id"]
        # Public stats (the last hour, the last 5 minutes) and the attempts cleanup.
        indexes = [models.Index(fields=["started_at"], name="attempt_started")]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.timer_id}: {self.outcome}"
