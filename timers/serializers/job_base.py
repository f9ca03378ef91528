"""What every job takes and answers, whatever its schedule type: its name, its callback
and its run counts."""

from django.conf import settings
from rest_framework import serializers

from scheduler_project.core.serializers import FieldsBuiltOnce, StrictCharField, StrictIntegerField
from timers.models import Job
from timers.serializers.common import (
    BoundedJSONField,
    CallbackHeadersField,
    CallbackUrlField,
    StoredJSONField,
)


class JobCommonFields(serializers.Serializer):
    name = StrictCharField(max_length=200, required=False, allow_blank=True)
    callback_url = CallbackUrlField(max_length=settings.TIMER_MAX_URL_LENGTH)
    callback_headers = CallbackHeadersField(required=False)
    callback_payload = BoundedJSONField(setting="TIMER_MAX_PAYLOAD_BYTES", required=False, allow_null=True)
    metadata = BoundedJSONField(setting="TIMER_MAX_METADATA_BYTES", required=False, allow_null=True)
    max_attempts = StrictIntegerField(min_value=1, max_value=10, required=False)
    max_runs = StrictIntegerField(min_value=1, max_value=1_000_000_000, required=False)


class JobBaseSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """The fields every job answers; each type's shape adds its own."""

    callback_url = CallbackUrlField()
    callback_headers = CallbackHeadersField()
    callback_payload = StoredJSONField(allow_null=True)
    metadata = StoredJSONField(allow_null=True)

    class Meta:
        model = Job
        fields = [
            "id", "name", "status", "schedule_type", "callback_url", "callback_headers", "callback_payload",
            "max_attempts", "metadata", "run_count", "manual_runs", "max_runs", "next_run_at", "last_run_at",
            "created_at", "updated_at",
        ]  # fmt: skip
