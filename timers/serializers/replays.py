"""Bulk replay of dead letters (``POST /timers/replay``): the filter and the pace it takes,
and what it answers."""

import math
from typing import Any

from django.core.validators import RegexValidator
from rest_framework import serializers

from scheduler_project.core.serializers import (
    Rfc3339DateTimeField,
    StrictCharField,
    StrictIntegerField,
    StrictSerializer,
)
from timers.models import TimerStatus
from timers.models.replays import MAX_REPLAY

DEFAULT_LIMIT = 1000
DEFAULT_RATE = 50.0
MAX_RATE = 10_000.0
MIN_RATE = 0.001
MAX_IDS = 1000
# A host as it is written in a URL: a name or IPv4 address, or an IPv6 one in brackets.
HOST_PATTERN = r"^(?:[A-Za-z0-9._~-]{1,255}|\[[0-9A-Fa-f:.]{2,45}\])$"


class StrictBooleanField(serializers.BooleanField):
    """``true`` or ``false`` as JSON has them (DRF also takes "yes", 1, "on"…)."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictNumberField(serializers.FloatField):
    """A JSON number (no strings, booleans, infinities)."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, int | float) or not math.isfinite(data):
            self.fail("invalid")
        return float(super().to_internal_value(data))


class StrictUUIDField(serializers.UUIDField):
    """A UUID written as a JSON string (DRF also reads integers, booleans among them)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class HostField(StrictCharField):
    """A host as written in a URL, without its port (also the schema's pattern)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # First, so that the schema's pattern is this one (it leaves out NUL too).
        message = "must be a host name or address as in a URL, without a port"
        self.validators.insert(0, RegexValidator(HOST_PATTERN, message))


class ReplayFilterSerializer(StrictSerializer):
    """Which dead letters (``timers.selectors.dead_letters``): failed timers and tasks of the
    tenant by default, narrowed by every field given."""

    status = serializers.ListField(
        child=serializers.ChoiceField(choices=[TimerStatus.FAILED, TimerStatus.SKIPPED]),
        min_length=1,
        max_length=2,
        required=False,
        help_text='Default ["failed"]; "skipped": tasks an overlap_policy skip job never attempted.',
    )
    kind = serializers.ChoiceField(
        choices=["timer", "task"], required=False, help_text="Only one-shot timers, or only jobs' tasks."
    )
    job_id = StrictUUIDField(required=False, help_text="Only this job's tasks.")
    callback_host = HostField(
        max_length=255,
        required=False,
        help_text="The callback URL's host, exactly (any case; without the port; IPv6 in brackets).",
    )
    error = StrictCharField(
        min_length=1, max_length=500, required=False, help_text="Text in the last error (any case)."
    )
    failed_after = Rfc3339DateTimeField(required=False, help_text="Ended (last changed) after this time.")
    failed_before = Rfc3339DateTimeField(required=False, help_text="Ended (last changed) before this time.")
    ids = serializers.ListField(
        child=StrictUUIDField(), min_length=1, max_length=MAX_IDS, required=False,
        help_text=f"Only these timers or tasks (at most {MAX_IDS}).",
    )  # fmt: skip


class ReplayRequestSerializer(StrictSerializer):
    """Which dead letters to replay, and how fast; every field is optional (``{}``: every
    failed timer and task of the tenant, up to 1,000, 50 a second)."""

    filter = ReplayFilterSerializer(required=False, help_text="Which dead letters; none: every failed one.")
    dry_run = StrictBooleanField(
        default=False, help_text="Only count them and show a sample; change nothing."
    )
    rate = StrictNumberField(
        min_value=MIN_RATE,
        max_value=MAX_RATE,
        default=DEFAULT_RATE,
        help_text="Replays per second: the i-th replayed is due i / rate seconds from now.",
    )
    limit = StrictIntegerField(
        min_value=1, max_value=MAX_REPLAY, default=DEFAULT_LIMIT, help_text="At most this many are replayed."
    )


class ReplayAnswerSerializer(serializers.Serializer):
    replay_id = serializers.UUIDField()
    matched = serializers.IntegerField(help_text="Dead letters the filter found.")
    replayed = serializers.IntegerField(help_text="Put back to pending (0 on a dry run).")
    dry_run = serializers.BooleanField()
    rate = serializers.FloatField()
    last_due_at = serializers.DateTimeField(allow_null=True, help_text="When the last one replayed is due.")
    sample_ids = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="The first (up to 20) replayed, or that a dry run would replay.",
    )
