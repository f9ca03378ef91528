"""Event jobs: fire on the events of one type pushed to ``POST /events`` whose data passes
an optional filter, at most one of debounce, batch or throttle."""

import re
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scheduler_project.core.serializers import (
    UNSTORABLE,
    StrictCharField,
    StrictIntegerField,
    StrictSerializer,
)
from timers import conditions
from timers.models import Timer
from timers.serializers.common import (
    JSON_POINTER_SCHEMA,
    TARGET_SCHEMA,
    ConditionTargetField,
    JsonPointerField,
    ordering_needs_number,
    type_tag,
)
from timers.serializers.expressions import Expression, group_schema
from timers.serializers.job_base import JobBaseSerializer

# Printable: no control characters (C0, DEL, C1), 1 to 200 of them.
EVENT_TYPE_PATTERN = "[^\\x00-\\x1f\\x7f-\\x9f]{1,200}"
EVENT_TYPE = re.compile(EVENT_TYPE_PATTERN)
LAST_EVENTS = 10
# Each mode and the fields it is made of (a batch and a throttle need both of theirs).
MODES = {
    "debounce": ("debounce_secs",),
    "batch": ("batch_max", "batch_window_secs"),
    "throttle": ("throttle_max", "throttle_window_secs"),
}


@extend_schema_field(
    {"type": "string", "pattern": f"^{EVENT_TYPE_PATTERN}$", "example": "order.paid",
     "description": "The type of the events that fire the job: 1 to 200 printable characters."}
)  # fmt: skip
class EventTypeField(StrictCharField):
    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        if not EVENT_TYPE.fullmatch(text) or UNSTORABLE.search(text):
            raise serializers.ValidationError("must be 1 to 200 printable characters")
        return text


class EventFilterClauseSerializer(StrictSerializer):
    """One test of an event's data: the value at ``value_pointer`` compared with ``target``."""

    value_pointer = JsonPointerField(default="")
    operator = serializers.ChoiceField(choices=conditions.OPERATORS)
    target = ConditionTargetField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = ordering_needs_number(attrs)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


FILTER_CLAUSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "value_pointer": JSON_POINTER_SCHEMA,
        "operator": {"type": "string", "enum": list(conditions.OPERATORS)},
        "target": TARGET_SCHEMA,
    },
    "required": ["operator", "target"],
    "additionalProperties": False,
}


@extend_schema_field(
    {
        "anyOf": [FILTER_CLAUSE_SCHEMA, group_schema(FILTER_CLAUSE_SCHEMA), {"type": "null"}],
        "description": "Which events' data fire the job: a clause, or all/any of clauses (nested "
        "once at most, at most 20 clauses). None: every event of the type.",
    }
)
class EventFilterField(serializers.Field):
    def to_internal_value(self, data: Any) -> dict[str, Any]:
        return Expression(EventFilterClauseSerializer, bare_clause=True).read(data)

    def to_representation(self, value: Any) -> Any:
        return value


class EventFields(serializers.Serializer):
    """What an event job takes besides the common fields."""

    event_type = EventTypeField(max_length=200, required=False)
    event_filter = EventFilterField(required=False, allow_null=True)
    debounce_secs = StrictIntegerField(
        min_value=1, max_value=86400, required=False, allow_null=True,
        help_text="Fire once the events stop for this long, with the last one.",
    )  # fmt: skip
    batch_max = StrictIntegerField(
        min_value=1, max_value=1000, required=False, allow_null=True,
        help_text="Fire with up to this many events together (with batch_window_secs).",
    )  # fmt: skip
    batch_window_secs = StrictIntegerField(
        min_value=1, max_value=86400, required=False, allow_null=True,
        help_text="Fire a batch at most this long after its first event (with batch_max).",
    )  # fmt: skip
    throttle_max = StrictIntegerField(
        min_value=1, max_value=1_000_000, required=False, allow_null=True,
        help_text="Fire for at most this many events a window (with throttle_window_secs).",
    )  # fmt: skip
    throttle_window_secs = StrictIntegerField(min_value=1, max_value=86400, required=False, allow_null=True)


def event_rules(merged: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """An event job needs its type; it takes at most one mode, and a batch or a throttle
    needs both of its fields."""
    if merged.get("event_type") in (None, ""):
        errors["event_type"] = ["required when schedule_type is event"]
    used = [mode for mode, names in MODES.items() if any(merged.get(name) is not None for name in names)]
    if len(used) > 1:
        message = f"at most one of debounce, batch or throttle (given: {', '.join(used)})"
        for mode in used:
            for name in MODES[mode]:
                if merged.get(name) is not None:
                    errors[name] = [message]
        return
    for mode in used:
        for name in MODES[mode]:
            if merged.get(name) is None:
                errors[name] = [f"required with {' and '.join(n for n in MODES[mode] if n != name)}"]


class EventTaskSerializer(serializers.ModelSerializer):
    task_id = serializers.UUIDField(source="id")
    event_id = serializers.CharField(source="trigger_key")

    class Meta:
        model = Timer
        fields = ["task_id", "event_id", "status", "created_at"]


class EventJobSerializer(JobBaseSerializer):
    """An event job: its event type, filter and mode, and the events that fired it last."""

    schedule_type = type_tag("event")
    event_filter = EventFilterField(allow_null=True)
    last_events = EventTaskSerializer(
        source="recent_event_tasks", many=True, read_only=True,
        help_text=f"The job's last {LAST_EVENTS} tasks fired by events, the latest first.",
    )  # fmt: skip

    class Meta(JobBaseSerializer.Meta):
        fields = [
            *JobBaseSerializer.Meta.fields, "event_type", "event_filter", "debounce_secs", "batch_max",
            "batch_window_secs", "throttle_max", "throttle_window_secs", "dropped_events", "last_event_at",
            "last_events",
        ]  # fmt: skip
