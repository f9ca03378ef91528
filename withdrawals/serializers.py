"""Withdrawal API input validation and output shapes (contract: the shielder scheduler)."""

import base64
import binascii
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scheduler_project.core import schema
from scheduler_project.core.serializers import StrictSerializer
from tee.crypto import EncryptionEnvelope
from withdrawals.models import ScheduledRequest

U256_MAX = 2**256 - 1
DECIMAL = re.compile(r"[0-9]{1,78}")


@extend_schema_field(
    {
        "type": "string",
        "pattern": schema.anchored(schema.decimal_at_most(U256_MAX)),
        "description": "A 256-bit unsigned integer as a decimal string.",
        "example": "12345",
    }
)
class U256DecimalField(serializers.Field):
    """A non-negative integer up to 2^256-1, written as a decimal string."""

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, str) or not DECIMAL.fullmatch(data):
            raise serializers.ValidationError('must be a decimal string of digits, e.g. "12345"')
        value = int(data)
        if value > U256_MAX:
            raise serializers.ValidationError("must be at most 2^256-1")
        return value


@extend_schema_field(
    {
        "type": "string",
        "format": "byte",
        "minLength": 4,
        "pattern": schema.anchored(schema.BASE64_PATTERN),
        "description": "Base64 of the sealed envelope (JSON with encrypted_payload, "
        "encrypted_dek, iv and auth_tag), as `manage.py seal_withdrawal` prints it.",
    }
)
class SealedPayloadField(serializers.Field):
    """Base64 of a sealed envelope (see ``manage.py seal_withdrawal``); returns its bytes."""

    def to_internal_value(self, data: Any) -> bytes:
        if not isinstance(data, str):
            raise serializers.ValidationError("must be a base64 string")
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise serializers.ValidationError("must be valid base64") from exc
        if not raw:
            raise serializers.ValidationError("must not be empty")
        try:
            EncryptionEnvelope.from_payload(raw)
        except ValueError as exc:
            raise serializers.ValidationError(f"is not a sealed withdrawal envelope: {exc}") from exc
        return raw


@extend_schema_field(
    {
        "type": "integer",
        "minimum": 0,
        "maximum": 253402300799,
        "description": "Unix seconds; the relay happens at or after this time.",
        "example": 1693564800,
    }
)
class UnixTimeField(serializers.Field):
    def to_internal_value(self, data: Any) -> datetime:
        if isinstance(data, bool) or not isinstance(data, int):
            raise serializers.ValidationError("must be a unix timestamp in whole seconds")
        try:
            return datetime.fromtimestamp(data, tz=UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise serializers.ValidationError("is out of range") from exc


class ScheduleWithdrawSerializer(StrictSerializer):
    """A sealed withdrawal and the time after which it may be relayed."""

    payload = SealedPayloadField()
    last_note_index = U256DecimalField()
    max_relayer_fee = U256DecimalField()
    relay_after = UnixTimeField()

    def validate_relay_after(self, value: datetime) -> datetime:
        now = timezone.now()
        if value <= now:
            raise serializers.ValidationError("must be in the future")
        if value > now + timedelta(seconds=settings.WITHDRAWAL_MAX_HORIZON_SECS):
            raise serializers.ValidationError(
                f"must be at most WITHDRAWAL_MAX_HORIZON_SECS={settings.WITHDRAWAL_MAX_HORIZON_SECS} ahead"
            )
        return value


class WithdrawalStatusSerializer(serializers.ModelSerializer):
    relay_after = serializers.SerializerMethodField()

    class Meta:
        model = ScheduledRequest
        fields = [
            "status",
            "relay_after",
            "created_at",
            "processed_at",
            "retry_count",
            "error_message",
            "tx_hash",
        ]

    def get_relay_after(self, request: ScheduledRequest) -> int:
        return int(request.relay_after.timestamp())
