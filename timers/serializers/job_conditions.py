"""Condition jobs: a polled source (GET, or POST of a JSON body such as a JSON-RPC call)
whose value is compared with a target, or a composite ``conditions`` expression of such
clauses, each with its own source."""

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scheduler_project.core import schema
from scheduler_project.core.serializers import StrictIntegerField, StrictSerializer
from timers import conditions
from timers.models import Job
from timers.serializers.common import (
    CALLBACK_HEADERS_SCHEMA,
    CALLBACK_URL_SCHEMA,
    JSON_POINTER_SCHEMA,
    TARGET_SCHEMA,
    BoundedJSONField,
    CallbackHeadersField,
    CallbackUrlField,
    ConditionTargetField,
    JsonPointerField,
    StoredJSONField,
    ordering_needs_number,
    type_tag,
)
from timers.serializers.expressions import Expression, group_schema
from timers.serializers.job_base import JobBaseSerializer

METHODS = ("GET", "POST")
VALUE_FORMATS = ("number", "hex")
# The fields of one source; a composite job has them per clause instead.
SINGLE_SOURCE = (
    "source_url", "source_method", "source_body", "source_headers", "value_pointer", "value_format",
    "operator", "target",
)  # fmt: skip
# What a single-source job holds when it has none of them (a composite job).
SINGLE_SOURCE_EMPTY: dict[str, Any] = {
    "source_url": "", "source_method": "GET", "source_body": None, "source_headers": {},
    "value_pointer": "", "value_format": "number", "operator": "", "target": None,
}  # fmt: skip


def source_body_needs_post(fields: dict[str, Any]) -> dict[str, list[str]]:
    if fields.get("source_body") is not None and fields.get("source_method", "GET") != "POST":
        return {"source_body": ["only with source_method POST"]}
    return {}


class ConditionClauseSerializer(StrictSerializer):
    """One clause of a composite condition: its own source, pointer, comparison and format."""

    source_url = CallbackUrlField(max_length=settings.TIMER_MAX_URL_LENGTH)
    source_method = serializers.ChoiceField(choices=METHODS, default="GET")
    source_body = BoundedJSONField(setting="TIMER_MAX_PAYLOAD_BYTES", default=None, allow_null=True)
    source_headers = CallbackHeadersField(default=dict)
    value_pointer = JsonPointerField(default="")
    operator = serializers.ChoiceField(choices=conditions.OPERATORS)
    target = ConditionTargetField()
    value_format = serializers.ChoiceField(choices=VALUE_FORMATS, default="number")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = {**source_body_needs_post(attrs), **ordering_needs_number(attrs)}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


CLAUSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "source_url": CALLBACK_URL_SCHEMA,
        "source_method": {"type": "string", "enum": list(METHODS), "default": "GET"},
        "source_body": {**schema.JSON_FIELD, "description": "Sent as JSON; only with POST."},
        "source_headers": CALLBACK_HEADERS_SCHEMA,
        "value_pointer": JSON_POINTER_SCHEMA,
        "operator": {"type": "string", "enum": list(conditions.OPERATORS)},
        "target": TARGET_SCHEMA,
        "value_format": {"type": "string", "enum": list(VALUE_FORMATS), "default": "number"},
    },
    "required": ["source_url", "operator", "target"],
    "additionalProperties": False,
}


@extend_schema_field(
    {
        **group_schema(CLAUSE_SCHEMA),
        "description": 'A composite condition: {"all": [...]} or {"any": [...]} of clauses, or once '
        "of such groups of clauses; at most 20 clauses. Instead of the single source's fields.",
    }
)
class ConditionsField(serializers.Field):
    def to_internal_value(self, data: Any) -> dict[str, Any]:
        return Expression(ConditionClauseSerializer, bare_clause=False).read(data)

    def to_representation(self, value: Any) -> Any:
        return value


class ConditionFields(serializers.Serializer):
    """What a condition job takes besides the common fields."""

    source_url = CallbackUrlField(max_length=settings.TIMER_MAX_URL_LENGTH, required=False)
    source_method = serializers.ChoiceField(
        choices=METHODS, required=False, help_text="GET (default) or POST."
    )
    source_body = BoundedJSONField(
        setting="TIMER_MAX_PAYLOAD_BYTES", required=False, allow_null=True,
        help_text="Sent as JSON (Content-Type application/json); only with source_method POST.",
    )  # fmt: skip
    source_headers = CallbackHeadersField(required=False)
    source_timeout_secs = StrictIntegerField(min_value=1, max_value=30, required=False)
    value_pointer = JsonPointerField(required=False)
    value_format = serializers.ChoiceField(
        choices=VALUE_FORMATS, required=False,
        help_text='number (default: a number, or a number written as a string) or hex (a "0x" quantity).',
    )  # fmt: skip
    operator = serializers.ChoiceField(choices=conditions.OPERATORS, required=False)
    target = ConditionTargetField(required=False)
    conditions = ConditionsField(required=False)
    poll_interval_secs = StrictIntegerField(min_value=1, max_value=86400, required=False)
    for_secs = StrictIntegerField(min_value=0, max_value=7 * 86400, required=False)
    cooldown_secs = StrictIntegerField(min_value=0, max_value=30 * 86400, required=False)


def condition_rules(merged: dict[str, Any], given: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """A composite job has ``conditions`` and none of the single source's fields; a single
    source needs its URL, operator and target. Both need ``poll_interval_secs``."""
    if merged.get("poll_interval_secs") is None:
        errors["poll_interval_secs"] = ["required when schedule_type is condition"]
    if merged.get("conditions") is not None:
        for name in SINGLE_SOURCE:
            if name in given:
                errors[name] = ["not with conditions: each clause has its own"]
        return
    for name in ("source_url", "operator", "target"):
        if merged.get(name) in (None, ""):
            errors.setdefault(name, ["required when schedule_type is condition"])
    for name, messages in {**source_body_needs_post(merged), **ordering_needs_number(merged)}.items():
        errors.setdefault(name, messages)


def stored_condition(job: Job, given: dict[str, Any]) -> dict[str, Any]:
    """The stored job's condition fields a PUT builds on: a PUT that gives ``conditions``
    replaces the single source, and one that gives ``source_url`` replaces ``conditions``."""
    stored = {name: getattr(job, name) for name in ConditionFields._declared_fields}
    if "conditions" in given:
        stored.update(SINGLE_SOURCE_EMPTY)
    if "source_url" in given:
        stored["conditions"] = None
    return stored


class ConditionJobSerializer(JobBaseSerializer):
    """A condition job: its source (or its clauses), its comparison and what it last saw."""

    schedule_type = type_tag("condition")
    source_url = serializers.CharField(required=False)
    source_method = serializers.CharField(required=False)
    source_body = StoredJSONField(required=False, allow_null=True)
    source_headers = CallbackHeadersField(required=False)
    value_pointer = serializers.CharField(required=False)
    value_format = serializers.CharField(required=False)
    operator = serializers.CharField(required=False)
    target = ConditionTargetField(required=False, allow_null=True)
    conditions = ConditionsField(
        required=False, help_text="A composite job's expression, instead of the source."
    )
    last_value = StoredJSONField(
        allow_null=True, help_text="The value read; for a composite job, each clause's, in clause order."
    )
    upcoming_runs = serializers.ListField(
        child=serializers.DateTimeField(), required=False,
        help_text="GET /jobs/{id} only: always empty (a condition's runs cannot be foreseen).",
    )  # fmt: skip

    def to_representation(self, instance: Job) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        for name in SINGLE_SOURCE if instance.conditions is not None else ("conditions",):
            data.pop(name, None)
        return data

    class Meta(JobBaseSerializer.Meta):
        fields = [
            *JobBaseSerializer.Meta.fields, "source_url", "source_method", "source_body", "source_headers",
            "source_timeout_secs", "value_pointer", "value_format", "operator", "target", "conditions",
            "poll_interval_secs", "for_secs", "cooldown_secs", "condition_state", "last_value",
            "last_evaluated_at", "last_error", "overlap_policy", "skipped_runs", "upcoming_runs",
        ]  # fmt: skip
