"""Events pushed to ``POST /events``: each stored before it is answered, so a crash after
the 202 loses nothing; an id seen again within the idempotency window answers as before."""

import uuid

from django.db import models

from scheduler_project.core.models import Tenant


class Event(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="events", db_index=False)
    event_id = models.CharField(max_length=255)  # the client's id, or one given here (evt_…)
    type = models.CharField(max_length=200)
    data = models.JSONField(null=True, blank=True)
    received_at = models.DateTimeField()
    matched = models.PositiveIntegerField(default=0)
    request_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        indexes = [
            # Retention, and an operator's latest events.
            models.Index(fields=["received_at"], name="event_received"),
            models.Index(fields=["tenant", "type", "received_at"], name="event_tenant_type"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "event_id"], name="event_unique_id"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} ({self.type})"
