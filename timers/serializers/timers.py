"""One-shot timers: what a create, a batch and an update take, and what they answer
(contract: the timer platform)."""

from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers

from scheduler_project.core.serializers import (
    FieldsBuiltOnce,
    Rfc3339DateTimeField,
    StrictIntegerField,
    StrictSerializer,
)
from timers.models import Timer, TimerAttempt, TimerStatus
from timers.serializers.common import (
    BoundedJSONField,
    CallbackHeadersField,
    CallbackUrlField,
    PageQuerySerializer,
    PartialUpdate,
    StoredJSONField,
)


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


class TimerUpdateSerializer(PartialUpdate, TimerWriteSerializer):
    """The fields of a pending timer to change; a new execute_at is a new schedule."""


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
