"""Bulk replays of dead letters: who put which failed timers back to pending, with what
filter and at what rate. A dry run is recorded too (it changed nothing)."""

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from scheduler_project.core.models import Tenant

MAX_REPLAY = 10_000  # timers one replay puts back at most


class Replay(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # None: an operator's replay across every tenant.
    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, null=True, blank=True, related_name="replays", db_index=False
    )
    actor = models.CharField(max_length=200)  # the API key's name, or an operator's username
    created_at = models.DateTimeField(auto_now_add=True)
    filters = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    dry_run = models.BooleanField(default=False)
    rate = models.FloatField()  # replays per second
    limit = models.PositiveIntegerField(null=True, blank=True)
    matched = models.PositiveIntegerField(default=0)
    replayed = models.PositiveIntegerField(default=0)
    last_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "created_at"], name="replay_tenant_created")]

    def __str__(self) -> str:
        kind = "dry run" if self.dry_run else "replay"
        return f"{kind} {self.id} by {self.actor}: {self.replayed} of {self.matched}"
