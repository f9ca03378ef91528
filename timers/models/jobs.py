"""Jobs: standing rules that create tasks (timers linked to their job), by schedule type:
a time (cron, interval, a specific time), a condition on polled sources, an event pushed
to ``POST /events``, or logs on an EVM chain. One table holds every type; each type reads
only its own fields (the API and the admin show those only)."""

import uuid
from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q

from scheduler_project.core.models import Tenant


class JobStatus(models.TextChoices):
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"  # the schedule ended: end_at, max_runs, or its one specific time
    DELETED = "deleted"


class ScheduleType(models.TextChoices):
    CRON = "cron"
    INTERVAL = "interval"
    SPECIFIC = "specific"
    CONDITION = "condition"
    EVENT = "event"
    CHAIN_EVENT = "chain_event"


TIMED_TYPES = (ScheduleType.CRON, ScheduleType.INTERVAL, ScheduleType.SPECIFIC)


class ConditionState(models.TextChoices):
    UNKNOWN = "unknown"
    FALSE = "false"
    PENDING = "pending"  # true, not yet for for_secs
    TRUE = "true"


class MisfirePolicy(models.TextChoices):
    FIRE_ONCE = "fire_once"
    SKIP = "skip"


class OverlapPolicy(models.TextChoices):
    ALLOW = "allow"
    SKIP = "skip"


class JobQuerySet(models.QuerySet):
    def for_tenant(self, tenant: Tenant) -> "JobQuerySet":
        return self.filter(tenant=tenant)

    def due(self, *, before: datetime) -> "JobQuerySet":
        """Active jobs whose next run (or evaluation) falls before ``before``."""
        return self.filter(status=JobStatus.ACTIVE, next_run_at__lte=before)

    def timed(self) -> "JobQuerySet":
        return self.filter(schedule_type__in=TIMED_TYPES)

    def conditions(self) -> "JobQuerySet":
        return self.filter(schedule_type=ScheduleType.CONDITION)

    def events(self) -> "JobQuerySet":
        return self.filter(schedule_type=ScheduleType.EVENT)

    def chain_events(self) -> "JobQuerySet":
        return self.filter(schedule_type=ScheduleType.CHAIN_EVENT)


class Job(models.Model):
    """A standing rule that creates tasks. Each firing is a timer linked to its job
    (``Timer.job``), so delivery, retries, signing, history and metrics are the timers'."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="jobs", db_index=False)
    name = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.ACTIVE)
    schedule_type = models.CharField(max_length=16, choices=ScheduleType.choices)
    cron_expression = models.CharField(max_length=200, blank=True, default="")
    interval_secs = models.PositiveIntegerField(null=True, blank=True)
    run_at = models.DateTimeField(null=True, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    start_at = models.DateTimeField(null=True, blank=True)
    # start_at was not given but defaulted (an interval's first run): a new cadence re-plans it.
    start_at_defaulted = models.BooleanField(default=False)
    end_at = models.DateTimeField(null=True, blank=True)
    max_runs = models.PositiveIntegerField(null=True, blank=True)
    run_count = models.PositiveIntegerField(default=0)
    skipped_runs = models.PositiveIntegerField(default=0)  # overlap_policy skip
    manual_runs = models.PositiveIntegerField(default=0)  # run now: not in run_count nor max_runs
    misfire_policy = models.CharField(
        max_length=16, choices=MisfirePolicy.choices, default=MisfirePolicy.FIRE_ONCE
    )
    misfire_grace_secs = models.PositiveIntegerField(default=60)
    overlap_policy = models.CharField(
        max_length=16, choices=OverlapPolicy.choices, default=OverlapPolicy.ALLOW
    )
    callback_url = models.URLField(max_length=2048)
    callback_headers = models.JSONField(default=dict, blank=True)
    callback_payload = models.JSONField(null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    metadata = models.JSONField(null=True, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)  # a condition job: its next evaluation
    last_run_at = models.DateTimeField(null=True, blank=True)
    # Condition jobs: poll source_url, read value_pointer, compare with target.
    source_url = models.URLField(max_length=2048, blank=True, default="")
    source_headers = models.JSONField(default=dict, blank=True)
    source_timeout_secs = models.FloatField(default=5.0)
    poll_interval_secs = models.PositiveIntegerField(null=True, blank=True)
    value_pointer = models.CharField(max_length=500, blank=True, default="")
    operator = models.CharField(max_length=2, blank=True, default="")
    target = models.JSONField(null=True, blank=True)
    for_secs = models.PositiveIntegerField(default=0)
    cooldown_secs = models.PositiveIntegerField(default=0)
    condition_state = models.CharField(
        max_length=16, choices=ConditionState.choices, default=ConditionState.UNKNOWN
    )
    condition_since = models.DateTimeField(null=True, blank=True)
    last_value = models.JSONField(null=True, blank=True)
    last_evaluated_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    # Condition jobs, each clause as the single source: GET, or POST of source_body (a
    # JSON-RPC call); a value read as a decimal number or a 0x hex quantity. ``conditions``
    # holds a composite expression ({"all": [...]} or {"any": [...]}) instead of the single
    # source; then source_url is empty.
    source_method = models.CharField(max_length=8, default="GET")
    source_body = models.JSONField(null=True, blank=True)
    value_format = models.CharField(max_length=8, default="number")
    conditions = models.JSONField(null=True, blank=True)
    # Event jobs: fire on events of event_type whose data passes event_filter, at most
    # one of debounce, batch or throttle.
    event_type = models.CharField(max_length=200, blank=True, default="")
    event_filter = models.JSONField(null=True, blank=True)
    debounce_secs = models.PositiveIntegerField(null=True, blank=True)
    batch_max = models.PositiveIntegerField(null=True, blank=True)
    batch_window_secs = models.PositiveIntegerField(null=True, blank=True)
    throttle_max = models.PositiveIntegerField(null=True, blank=True)
    throttle_window_secs = models.PositiveIntegerField(null=True, blank=True)
    # Events held for a debounce (the last one) or a batch, fired when next_run_at comes.
    pending_events = models.JSONField(default=list, blank=True)
    throttle_window_start = models.DateTimeField(null=True, blank=True)
    throttle_count = models.PositiveIntegerField(default=0)
    dropped_events = models.PositiveBigIntegerField(default=0)
    last_event_at = models.DateTimeField(null=True, blank=True)
    # Chain event jobs: logs of these addresses and topics on the chain behind rpc_url,
    # each fired once its block has ``confirmations`` blocks on top. The checkpoint
    # (last_processed_block and its hash) is where the next scan starts.
    rpc_url = models.URLField(max_length=2048, blank=True, default="")
    addresses = models.JSONField(default=list, blank=True)
    topics = models.JSONField(default=list, blank=True)
    confirmations = models.PositiveIntegerField(default=3)
    from_block = models.PositiveBigIntegerField(null=True, blank=True)  # None: the head at creation
    max_block_range = models.PositiveIntegerField(default=1000)
    reorg_depth = models.PositiveIntegerField(default=64)
    last_processed_block = models.PositiveBigIntegerField(null=True, blank=True)
    last_processed_hash = models.CharField(max_length=66, blank=True, default="")
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001 (unique when set)
    request_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        indexes = [
            # The sweep's claim: active jobs by their next run.
            models.Index(fields=["next_run_at"], name="job_active_next", condition=Q(status="active")),
            models.Index(fields=["tenant", "created_at"], name="job_tenant_created"),
            # An event's match: the active event jobs of its tenant and type.
            models.Index(
                fields=["tenant", "event_type"],
                name="job_active_event_type",
                condition=Q(status="active", schedule_type="event"),
            ),
            # The chain poll: the active chain jobs of one endpoint.
            models.Index(
                fields=["rpc_url"],
                name="job_active_rpc_url",
                condition=Q(status="active", schedule_type="chain_event"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="job_unique_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or self.id} ({self.schedule_type})"

    def held_events_due(self) -> datetime | None:
        """When an event job's held events fire: a debounce ``debounce_secs`` after the last
        one came, a batch at the end of the window its first one opened (a batch without a
        window only when full); None when it holds none."""
        if not self.pending_events:
            return None
        if self.debounce_secs:
            last = datetime.fromisoformat(self.pending_events[-1]["received_at"])
            return last + timedelta(seconds=self.debounce_secs)
        if not self.batch_window_secs:
            return None
        first = datetime.fromisoformat(self.pending_events[0]["received_at"])
        return first + timedelta(seconds=self.batch_window_secs)
