"""Timer API input validation and output shapes (contract: the timer platform)."""

import json
import re
from typing import Any
from zoneinfo import available_timezones

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scheduler_project.core import schema
from scheduler_project.core.serializers import (
    UNSTORABLE,
    FieldsBuiltOnce,
    Rfc3339DateTimeField,
    StrictCharField,
    StrictIntegerField,
    StrictSerializer,
)
from timers import conditions, schedules
from timers.models import (
    Job,
    JobStatus,
    MisfirePolicy,
    OverlapPolicy,
    ScheduleType,
    Timer,
    TimerAttempt,
    TimerStatus,
)

HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# RFC 9110 field-value without obs-text: what an HTTP client can send as it is.
HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")
FORBIDDEN_HEADERS = {
    # hop-by-hop (RFC 9110 section 7.6.1) and framing headers set by the client
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
    # set by the service on every callback
    "content-type",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
}
MAX_JSON_DEPTH = 64
MAX_HEADERS = 50
MAX_HEADER_VALUE = 4096
# Offsets past any realistic listing are refused rather than sent to the database.
MAX_LIST_OFFSET = 1_000_000_000
CALLBACK_URL = re.compile(schema.HTTP_URL_PATTERN)


def json_size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value`` (without recursion)."""
    deepest, pending = 0, [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            if depth <= MAX_JSON_DEPTH:
                children = item.values() if isinstance(item, dict) else item
                pending.extend((child, depth) for child in children)
    return deepest


def contains_nul(value: Any) -> bool:
    """Whether any string or key holds U+0000 or a lone surrogate, which PostgreSQL's
    jsonb cannot store."""
    if isinstance(value, str):
        return UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


@extend_schema_field(
    {
        "type": "string",
        "maxLength": settings.TIMER_MAX_URL_LENGTH,
        "pattern": schema.anchored(schema.HTTP_URL_PATTERN),
        "example": "https://api.example.com/webhook",
    }
)
class CallbackUrlField(serializers.CharField):
    """An absolute ``http(s)`` URL with a host: exactly the schema's pattern."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError("must be a string")
        if len(data) > settings.TIMER_MAX_URL_LENGTH:
            raise serializers.ValidationError(f"must be at most {settings.TIMER_MAX_URL_LENGTH} characters")
        if not CALLBACK_URL.fullmatch(data) or UNSTORABLE.search(data):
            raise serializers.ValidationError(
                "must be an absolute http:// or https:// URL with a host, "
                "without spaces or control characters"
            )
        return data


@extend_schema_field(schema.callback_headers_schema(FORBIDDEN_HEADERS, MAX_HEADERS, MAX_HEADER_VALUE))
class CallbackHeadersField(serializers.Field):
    def to_internal_value(self, data: Any) -> dict[str, str]:
        if not isinstance(data, dict):
            raise serializers.ValidationError("must be a JSON object of header names to strings")
        if len(data) > MAX_HEADERS:
            raise serializers.ValidationError(f"at most {MAX_HEADERS} headers")
        for name, value in data.items():
            if not HEADER_NAME.fullmatch(name):
                raise serializers.ValidationError(f"{name!r} is not a valid header name")
            if name.lower() in FORBIDDEN_HEADERS:
                raise serializers.ValidationError(f"header {name!r} cannot be set")
            if not isinstance(value, str):
                raise serializers.ValidationError(f"header {name!r} must be a string")
            if len(value) > MAX_HEADER_VALUE or not HEADER_VALUE.fullmatch(value):
                raise serializers.ValidationError(
                    f"header {name!r} must be at most {MAX_HEADER_VALUE} printable ASCII characters"
                )
        return data

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_field(schema.JSON_FIELD)
class StoredJSONField(serializers.JSONField):
    """A JSON value as stored (see ``schema.JSON_VALUE``)."""


class BoundedJSONField(StoredJSONField):
    def __init__(self, *, setting: str, **kwargs: Any) -> None:
        self.setting = setting
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if json_depth(data) > MAX_JSON_DEPTH:  # before anything recurses into it
            raise serializers.ValidationError(f"must not nest arrays and objects over {MAX_JSON_DEPTH} deep")
        value = super().to_internal_value(data)
        limit = getattr(settings, self.setting)
        if json_size(value) > limit:
            raise serializers.ValidationError(f"must serialize to at most {limit} bytes of JSON")
        if contains_nul(value):
            raise serializers.ValidationError("must not contain the NUL character (\\u0000)")
        return value


class TimerWriteSerializer(StrictSerializer):
    """A timer: POST this URL the payload at execute_at (now, if that is past)."""

    execute_at = Rfc3339DateTimeField()
    callback_url = CallbackUrlField(max_length=settings.TIMER_MAX_URL_LENGTH)
    callback_headers = CallbackHeadersField(required=False)
    callback_payload = BoundedJSONField(setting="TIMER_MAX_PAYLOAD_BYTES", required=False, allow_null=True)
    metadata = BoundedJSONField(setting="TIMER_MAX_METADATA_BYTES", required=False, allow_null=True)
    max_attempts = StrictIntegerField(min_value=1, max_value=10, required=False)

    def validate_execute_at(self, value: Any) -> Any:
        """A time in the past is due at once: the timer fires now (as Cloud Tasks does)."""
        return max(value, timezone.now())


class TimerBatchSerializer(StrictSerializer):
    """Up to 1,000 timers created together, all or none: one invalid item refuses the batch,
    with each item's errors at its index (an empty object for a valid one)."""

    timers = TimerWriteSerializer(many=True, allow_empty=False, min_length=1, max_length=1000)  # type: ignore[call-arg]


class PartialUpdate:
    """A PUT body: any of the create fields, at least one, each validated on its own."""

    min_fields = 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)  # type: ignore[call-arg]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("give at least one field to update")
        return attrs


class TimerUpdateSerializer(PartialUpdate, TimerWriteSerializer):
    """The fields of a pending timer to change; a new execute_at is a new schedule."""


class PageQuerySerializer(serializers.Serializer):
    limit = StrictIntegerField(query=True, min_value=1, max_value=200, default=50)
    offset = StrictIntegerField(query=True, min_value=0, max_value=MAX_LIST_OFFSET, default=0)
    order = serializers.ChoiceField(choices=["asc", "desc"], default="desc")


class TimerListQuerySerializer(PageQuerySerializer):
    status = serializers.ChoiceField(choices=TimerStatus.values, required=False)
    sort = serializers.ChoiceField(choices=["created_at", "execute_at", "updated_at"], default="created_at")


class TimerSummarySerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    callback_url = CallbackUrlField()

    class Meta:
        model = Timer
        fields = ["id", "created_at", "execute_at", "callback_url", "status", "executed_at"]


class TimerBatchCreatedSerializer(serializers.Serializer):
    timers = TimerSummarySerializer(many=True, help_text="The timers created, in the order given.")


class TimerAttemptSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = TimerAttempt
        fields = ["number", "started_at", "duration_ms", "status_code", "response_body", "error", "outcome"]


class TimerDetailSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    attempt_count = serializers.IntegerField(source="attempts")
    attempts = TimerAttemptSerializer(source="attempt_log", many=True)
    webhook_id = serializers.CharField()
    callback_url = CallbackUrlField()
    callback_headers = CallbackHeadersField()
    callback_payload = StoredJSONField(allow_null=True)
    metadata = StoredJSONField(allow_null=True)

    class Meta:
        model = Timer
        fields = [
            "id",
            "created_at",
            "updated_at",
            "execute_at",
            "callback_url",
            "callback_headers",
            "callback_payload",
            "status",
            "last_error",
            "executed_at",
            "metadata",
            "max_attempts",
            "attempt_count",
            "webhook_id",
            "attempts",
        ]


class TimerListSerializer(serializers.Serializer):
    timers = TimerSummarySerializer(many=True)
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()


# --- jobs and tasks ------------------------------------------------------------------------

ZONES = sorted(available_timezones())
SCHEDULE_NEEDS = {
    ScheduleType.CRON: "cron_expression",
    ScheduleType.INTERVAL: "interval_secs",
    ScheduleType.SPECIFIC: "run_at",
    ScheduleType.CONDITION: "source_url",
}
# Besides source_url, what a condition job needs (and a time job may not have).
CONDITION_NEEDS = ("poll_interval_secs", "operator", "target")
CONDITION_FIELDS = (
    "source_url", "source_headers", "source_timeout_secs", "poll_interval_secs", "value_pointer",
    "operator", "target", "for_secs", "cooldown_secs",
)  # fmt: skip
MAX_INTERVAL_SECS = 10 * 366 * 86400
UPCOMING_MAX = 20


def validate_schedule(fields: dict[str, Any]) -> dict[str, Any]:
    """The rules across a job's schedule fields (on create, and on PUT against the stored
    job): each type needs its own field and takes no other's, a cron expression must be
    able to fire (aliases are expanded), and ``start_at`` comes before ``end_at``."""
    kind = fields.get("schedule_type")
    errors: dict[str, list[str]] = {}
    for other_kind, name in SCHEDULE_NEEDS.items():
        present = fields.get(name) not in (None, "")
        if other_kind == kind and not present:
            errors[name] = [f"required when schedule_type is {kind}"]
        elif other_kind != kind and present:
            errors[name] = [f"only for schedule_type {other_kind}"]
    if kind == ScheduleType.CRON and "cron_expression" not in errors:
        try:
            fields["cron_expression"] = schedules.cron_expression(fields["cron_expression"])
        except schedules.ScheduleError as exc:
            errors["cron_expression"] = [str(exc)]
    if kind == ScheduleType.CONDITION:
        for name in CONDITION_NEEDS:
            if fields.get(name) in (None, ""):
                errors[name] = ["required when schedule_type is condition"]
        if fields.get("operator") in conditions.ORDERING and fields.get("target") is not None:
            target = fields["target"]
            if isinstance(target, bool) or not isinstance(target, int | float):
                errors["target"] = [f"must be a number for {fields['operator']}"]
    else:
        for name in CONDITION_NEEDS:
            if fields.get(name) not in (None, ""):
                errors[name] = ["only for schedule_type condition"]
    start, end = fields.get("start_at"), fields.get("end_at")
    if start is not None and end is not None and end <= start:
        errors["end_at"] = ["must be after start_at"]
    if errors:
        raise serializers.ValidationError(errors)
    return fields


JSON_POINTER_SCHEMA = {
    "type": "string",
    "maxLength": 500,
    "pattern": "^(/([^~/]|~[01])*)*$",
    "description": "A JSON Pointer (RFC 6901) into the source's answer; empty for all of it.",
}


@extend_schema_field(JSON_POINTER_SCHEMA)
class JsonPointerField(StrictCharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=500, allow_blank=True, trim_whitespace=False, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        try:
            conditions.pointer(text)
        except conditions.Unreadable as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return text


@extend_schema_field({"type": ["number", "string", "boolean"], "maxLength": 1000,
                      "description": "What the value is compared with: a number (compared as a decimal), "
                      "or a string or boolean for == and !=."})  # fmt: skip
class ConditionTargetField(serializers.Field):
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            if len(data) > 1000 or UNSTORABLE.search(data):
                raise serializers.ValidationError("must be at most 1000 characters, without NUL")
            return data
        if isinstance(data, bool | int | float):
            return data
        raise serializers.ValidationError("must be a number, a string or a boolean")

    def to_representation(self, value: Any) -> Any:
        return value


class JobWriteSerializer(StrictSerializer):
    """A job: a standing schedule that creates one task (a callback) per run."""

    name = StrictCharField(max_length=200, required=False, allow_blank=True)
    schedule_type = serializers.ChoiceField(choices=ScheduleType.values)
    cron_expression = StrictCharField(max_length=200, required=False)
    interval_secs = StrictIntegerField(min_value=1, max_value=MAX_INTERVAL_SECS, required=False)
    run_at = Rfc3339DateTimeField(required=False)
    timezone = serializers.ChoiceField(choices=ZONES, required=False)
    start_at = Rfc3339DateTimeField(required=False)
    end_at = Rfc3339DateTimeField(required=False)
    max_runs = StrictIntegerField(min_value=1, max_value=1_000_000_000, required=False)
    misfire_policy = serializers.ChoiceField(choices=MisfirePolicy.values, required=False)
    misfire_grace_secs = StrictIntegerField(min_value=0, max_value=7 * 86400, required=False)
    overlap_policy = serializers.ChoiceField(choices=OverlapPolicy.values, required=False)
    callback_url = CallbackUrlField(max_length=settings.TIMER_MAX_URL_LENGTH)
    callback_headers = CallbackHeadersField(required=False)
    callback_payload = BoundedJSONField(setting="TIMER_MAX_PAYLOAD_BYTES", required=False, allow_null=True)
    metadata = BoundedJSONField(setting="TIMER_MAX_METADATA_BYTES", required=False, allow_null=True)
    max_attempts = StrictIntegerField(min_value=1, max_value=10, required=False)
    source_url = CallbackUrlField(max_length=settings.TIMER_MAX_URL_LENGTH, required=False)
    source_headers = CallbackHeadersField(required=False)
    source_timeout_secs = StrictIntegerField(min_value=1, max_value=30, required=False)
    poll_interval_secs = StrictIntegerField(min_value=1, max_value=86400, required=False)
    value_pointer = JsonPointerField(required=False)
    operator = serializers.ChoiceField(choices=conditions.OPERATORS, required=False)
    target = ConditionTargetField(required=False)
    for_secs = StrictIntegerField(min_value=0, max_value=7 * 86400, required=False)
    cooldown_secs = StrictIntegerField(min_value=0, max_value=30 * 86400, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return validate_schedule(attrs)


class JobUpdateSerializer(PartialUpdate, JobWriteSerializer):
    """The fields of a job to change; a schedule change takes effect at once (the rules
    across schedule fields are checked against the stored job, in the view)."""


class JobSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    callback_url = CallbackUrlField()
    callback_headers = CallbackHeadersField()
    source_url = serializers.CharField()
    source_headers = CallbackHeadersField()
    target = ConditionTargetField(allow_null=True)
    last_value = StoredJSONField(allow_null=True)
    callback_payload = StoredJSONField(allow_null=True)
    metadata = StoredJSONField(allow_null=True)

    class Meta:
        model = Job
        fields = [
            "id", "name", "status", "schedule_type", "cron_expression", "interval_secs", "run_at",
            "timezone", "start_at", "end_at", "max_runs", "run_count", "skipped_runs",
            "misfire_policy", "misfire_grace_secs", "overlap_policy", "callback_url",
            "callback_headers", "callback_payload", "max_attempts", "metadata", "next_run_at", "last_run_at",
            "source_url", "source_headers", "source_timeout_secs", "poll_interval_secs",
            "value_pointer", "operator", "target", "for_secs", "cooldown_secs", "condition_state",
            "last_value", "last_evaluated_at", "last_error", "created_at", "updated_at",
        ]  # fmt: skip


class JobDetailSerializer(JobSerializer):
    upcoming_runs = serializers.ListField(child=serializers.DateTimeField(), read_only=True)

    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "upcoming_runs"]


class JobListQuerySerializer(PageQuerySerializer):
    status = serializers.ChoiceField(choices=JobStatus.values, required=False)
    schedule_type = serializers.ChoiceField(choices=ScheduleType.values, required=False)
    # A top-level key of the metadata object (letters, digits, _ and -).
    metadata_key = serializers.RegexField(r"^[A-Za-z0-9_-]{1,100}$", required=False)
    metadata_value = StrictCharField(max_length=1000, required=False)
    sort = serializers.ChoiceField(choices=["created_at", "next_run_at", "updated_at"], default="created_at")


class JobDetailQuerySerializer(serializers.Serializer):
    upcoming = StrictIntegerField(query=True, min_value=0, max_value=UPCOMING_MAX, default=0)


class JobListSerializer(serializers.Serializer):
    jobs = JobSerializer(many=True)
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()


class TaskSummarySerializer(TimerSummarySerializer):
    class Meta(TimerSummarySerializer.Meta):
        fields = [*TimerSummarySerializer.Meta.fields, "job_id", "scheduled_for"]


class TaskDetailSerializer(TimerDetailSerializer):
    job_id = serializers.UUIDField()

    class Meta(TimerDetailSerializer.Meta):
        fields = [*TimerDetailSerializer.Meta.fields, "job_id", "scheduled_for"]


class TaskListQuerySerializer(PageQuerySerializer):
    status = serializers.ChoiceField(choices=TimerStatus.values, required=False)


class TaskListSerializer(serializers.Serializer):
    tasks = TaskSummarySerializer(many=True)
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
