"""Timer API input validation and output shapes (contract: the timer platform)."""

import json
import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers

from scheduler_project.core.serializers import Rfc3339DateTimeField, StrictSerializer
from timers.models import Timer, TimerAttempt, TimerStatus

HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
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
MAX_HEADERS = 50
MAX_HEADER_VALUE = 4096


def json_size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def contains_nul(value: Any) -> bool:
    """Whether any string or key holds U+0000, which PostgreSQL's jsonb cannot store."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


class CallbackUrlField(serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError("must be a string")
        url = super().to_internal_value(data)
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise serializers.ValidationError(f"is not a valid URL: {exc}") from exc
        if parts.scheme not in {"http", "https"}:
            raise serializers.ValidationError("must start with http:// or https://")
        if not parts.hostname or any(ch.isspace() for ch in url):
            raise serializers.ValidationError("must be an absolute URL with a host")
        if port == 0:
            raise serializers.ValidationError("has an invalid port")
        return url


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
            if len(value) > MAX_HEADER_VALUE or any(ch in value for ch in "\r\n\0"):
                raise serializers.ValidationError(f"header {name!r} has an invalid value")
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class BoundedJSONField(serializers.JSONField):
    def __init__(self, *, setting: str, **kwargs: Any) -> None:
        self.setting = setting
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        limit = getattr(settings, self.setting)
        if json_size(value) > limit:
            raise serializers.ValidationError(f"must serialize to at most {limit} bytes of JSON")
        if contains_nul(value):
            raise serializers.ValidationError("must not contain the NUL character (\\u0000)")
        return value


class TimerWriteSerializer(StrictSerializer):
    execute_at = Rfc3339DateTimeField()
    callback_url = CallbackUrlField(max_length=settings.TIMER_MAX_URL_LENGTH)
    callback_headers = CallbackHeadersField(required=False)
    callback_payload = BoundedJSONField(setting="TIMER_MAX_PAYLOAD_BYTES", required=False, allow_null=True)
    metadata = BoundedJSONField(setting="TIMER_MAX_METADATA_BYTES", required=False, allow_null=True)
    max_attempts = serializers.IntegerField(min_value=1, max_value=10, required=False)

    def validate_execute_at(self, value: Any) -> Any:
        if value <= timezone.now():
            raise serializers.ValidationError("must be in the future")
        return value


class TimerUpdateSerializer(TimerWriteSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("give at least one field to update")
        return attrs


class TimerListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TimerStatus.values, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)
    offset = serializers.IntegerField(min_value=0, default=0)
    sort = serializers.ChoiceField(choices=["created_at", "execute_at", "updated_at"], default="created_at")
    order = serializers.ChoiceField(choices=["asc", "desc"], default="desc")


class TimerSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Timer
        fields = ["id", "created_at", "execute_at", "callback_url", "status", "executed_at"]


class TimerAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimerAttempt
        fields = ["number", "started_at", "duration_ms", "status_code", "response_body", "error", "outcome"]


class TimerDetailSerializer(serializers.ModelSerializer):
    attempt_count = serializers.IntegerField(source="attempts")
    attempts = TimerAttemptSerializer(source="attempt_log", many=True)
    webhook_id = serializers.CharField()

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
