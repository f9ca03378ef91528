"""Serializer pieces shared by every API: strict bodies and RFC 3339 times."""

import re
from datetime import UTC, datetime
from typing import Any

from rest_framework import serializers

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")


class StrictSerializer(serializers.Serializer):
    """Rejects bodies that are not JSON objects and fields it does not know."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["request body must be a JSON object"]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: ["unknown field"] for name in unknown})
        return super().to_internal_value(data)


class Rfc3339DateTimeField(serializers.DateTimeField):
    """An RFC 3339 timestamp with an explicit offset, returned as aware UTC."""

    default_error_messages = {
        "invalid": "must be an RFC 3339 timestamp with a time zone offset, e.g. 2030-01-01T12:00:00Z",
    }

    def to_internal_value(self, value: Any) -> datetime:
        if not isinstance(value, str) or not RFC3339.fullmatch(value):
            self.fail("invalid")
        text = value.upper().replace("Z", "+00:00")
        # Python parses at most 6 fractional digits.
        text = re.sub(r"(\.\d{6})\d+", r"\1", text)
        try:
            return datetime.fromisoformat(text).astimezone(UTC)
        except (ValueError, OverflowError):
            self.fail("invalid")
