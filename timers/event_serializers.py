"""Events API input validation and output shape."""

from typing import Any

from django.core.validators import RegexValidator
from rest_framework import serializers

from scheduler_project.core.serializers import StrictCharField, StrictSerializer
from timers.models import Event
from timers.serializers import BoundedJSONField

# Printable ASCII without space at either end: the type and id are sent on as header
# values (X-Scheduler-Event-Type, X-Scheduler-Event-Id), where other characters cannot go
# and surrounding space would not survive.
PRINTABLE = r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$"
PRINTABLE_MESSAGE = "must be printable ASCII characters, without space at either end"


def printable_field(*, max_length: int, **kwargs: Any) -> StrictCharField:
    return StrictCharField(
        min_length=1,
        max_length=max_length,
        validators=[RegexValidator(PRINTABLE, PRINTABLE_MESSAGE)],
        **kwargs,
    )


class EventWriteSerializer(StrictSerializer):
    """An event: the tenant's active event jobs of its type whose filter its data passes
    take it."""

    type = printable_field(max_length=200, source="event_type", help_text="e.g. order.paid")
    # DRF takes declared fields off the class, so this does not hide Serializer.data.
    data = BoundedJSONField(setting="TIMER_MAX_PAYLOAD_BYTES", required=False, allow_null=True)  # type: ignore[assignment]
    id = printable_field(
        max_length=255,
        source="event_id",
        required=False,
        help_text="The client's id of the event: the same id again within the idempotency "
        "window answers as the first time and fires nothing. One is given (evt_…) when absent.",
    )


class EventAcceptedSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="event_id")
    matched = serializers.IntegerField(help_text="How many jobs the event matched.")

    class Meta:
        model = Event
        fields = ["id", "received_at", "matched"]
