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
from scheduler_project.core.serializers import FieldsBuiltOnce, StrictSerializer
from tee.crypto import ENVELOPE_FIELDS, EncryptionEnvelope
from withdrawals.models import ScheduledRequest

U256_MAX = 2**256 - 1
DECIMAL = re.compile(r"[0-9]{1,78}")


HEX = re.compile(r"0x[0-9a-fA-F]{1,64}")


@extend_schema_field(
    {
        "oneOf": [
            {
                "type": "string",
                "pattern": schema.anchored(schema.decimal_at_most(U256_MAX)),
                "example": "12345",
            },
            {"type": "string", "pattern": "^0x[0-9a-fA-F]{1,64}$", "example": "0x3039"},
            {"type": "integer", "minimum": 0, "maximum": U256_MAX, "example": 12345},
        ],
        "description": "A 256-bit unsigned integer: a decimal string, a 0x hex string or a JSON "
        "integer, as the original server reads it.",
    }
)
class U256Field(serializers.Field):
    """A non-negative integer up to 2^256-1, from a decimal string, a ``0x`` hex string (up
    to 64 digits) or a JSON integer, as the original server's U256 reads it; not an empty
    string, a boolean or a fraction."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, int) and not isinstance(data, bool):
            value = data
        elif isinstance(data, str) and DECIMAL.fullmatch(data):
            value = int(data)
        elif isinstance(data, str) and HEX.fullmatch(data):
            value = int(data[2:], 16)
        else:
            raise serializers.ValidationError(
                'must be a 256-bit unsigned integer: a decimal string ("12345"), a 0x hex string '
                '("0x3039") or a JSON integer'
            )
        if not 0 <= value <= U256_MAX:
            raise serializers.ValidationError("must be between 0 and 2^256-1")
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

    default_error_messages = {"required": "this field is required (or give encryption_envelope)"}

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


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            name: {
                "type": "string",
                "format": "byte",
                "minLength": 4,
                "pattern": schema.anchored(schema.BASE64_PATTERN),
            }
            for name in ENVELOPE_FIELDS
        },
        "required": list(ENVELOPE_FIELDS),
        "additionalProperties": False,
        "description": "The sealed envelope as the original's clients send it, each part base64.",
    }
)
class EnvelopeObjectField(serializers.Field):
    """The original's ``encryption_envelope`` object; returns the same bytes as ``payload``."""

    def to_internal_value(self, data: Any) -> bytes:
        try:
            return EncryptionEnvelope.from_json(data).to_payload()
        except ValueError as exc:
            raise serializers.ValidationError(f"is not a sealed withdrawal envelope: {exc}") from exc


class ScheduleWithdrawSerializer(StrictSerializer):
    """A sealed withdrawal and the time after which it may be relayed. The envelope comes
    either as ``payload`` (base64 of its JSON) or as ``encryption_envelope`` (the
    original's object form): exactly one of them."""

    # null is as good as absent: generated clients send their unset optional fields as null.
    payload = SealedPayloadField(required=False, allow_null=True)
    encryption_envelope = EnvelopeObjectField(required=False, allow_null=True)
    last_note_index = U256Field()
    max_relayer_fee = U256Field()
    relay_after = UnixTimeField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("payload", "encryption_envelope") if attrs.get(name) is not None]
        if len(given) != 1:
            message = "give the sealed envelope once: payload or encryption_envelope"
            raise serializers.ValidationError({"payload": [message]})
        attrs["payload"] = attrs[given[0]]
        attrs.pop("encryption_envelope", None)
        return attrs

    def validate_relay_after(self, value: datetime) -> datetime:
        now = timezone.now()
        if value <= now:
            raise serializers.ValidationError("must be in the future")
        if value > now + timedelta(seconds=settings.WITHDRAWAL_MAX_HORIZON_SECS):
            raise serializers.ValidationError(
                f"must be at most WITHDRAWAL_MAX_HORIZON_SECS={settings.WITHDRAWAL_MAX_HORIZON_SECS} ahead"
            )
        return value


class WithdrawalStatusSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
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
