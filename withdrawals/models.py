"""Scheduled private withdrawals: a sealed payload relayed once after ``relay_after``."""

import hashlib
import secrets
import uuid

from django.db import models
from django.db.models import Q

from scheduler_project.core.models import ScheduledWork, ScheduledWorkQuerySet


def new_status_token() -> str:
    return secrets.token_urlsafe(24)


class WithdrawalStatus(models.TextChoices):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ScheduledRequestQuerySet(ScheduledWorkQuerySet):
    def dead_letters(self) -> "ScheduledRequestQuerySet":
        return self.filter(status=WithdrawalStatus.FAILED)


class ScheduledRequest(ScheduledWork):
    """One scheduled withdrawal (table ``scheduled_requests``, as in the service it replaces).

    The payload is sealed to the TEE's key; the service never reads it, shows
    only its length and hash, and wipes it once the request is finished.
    """

    PENDING = WithdrawalStatus.PENDING
    RUNNING = WithdrawalStatus.PROCESSING

    id = models.BigAutoField(primary_key=True)
    status_token = models.CharField(max_length=64, unique=True, default=new_status_token, editable=False)
    payload = models.BinaryField()
    payload_length = models.PositiveIntegerField(default=0)
    payload_sha256 = models.CharField(max_length=64, default="")
    # The intake's idempotency key: the SHA-256 of the sealed bytes as posted (a client's
    # retry of the same payload finds its first request). NULL for requests stored
    # before intake was idempotent.
    intake_sha256 = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    last_note_index = models.TextField()
    max_relayer_fee = models.TextField()
    relay_after = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=WithdrawalStatus.choices, default=WithdrawalStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    retry_count = models.PositiveIntegerField(default=0)
    error_message = models.TextField(blank=True, default="")
    relay_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relay_started_at = models.DateTimeField(null=True, blank=True)
    nullifier_hash = models.CharField(max_length=80, null=True, blank=True, unique=True)
    tx_hash = models.CharField(max_length=80, blank=True, default="")

    objects = ScheduledRequestQuerySet.as_manager()

    class Meta:
        db_table = "scheduled_requests"
        indexes = [
            models.Index(fields=["due_at"], name="request_pending_due", condition=Q(status="pending")),
            models.Index(
                fields=["lease_until"], name="request_running_lease", condition=Q(status="processing")
            ),
        ]

    def __str__(self) -> str:
        return f"withdrawal {self.pk} ({self.status})"

    def set_payload(self, payload: bytes) -> None:
        self.payload = payload
        self.payload_length = len(payload)
        self.payload_sha256 = hashlib.sha256(payload).hexdigest()


class DeadLetterManager(models.Manager["DeadLetter"]):
    def get_queryset(self) -> models.QuerySet["DeadLetter"]:
        return super().get_queryset().filter(status=WithdrawalStatus.FAILED)


class DeadLetter(ScheduledRequest):
    """Failed withdrawals, for the operators' dead-letter view."""

    objects = DeadLetterManager()  # type: ignore[assignment,misc]

    class Meta:
        proxy = True
        verbose_name = "dead letter"
