"""Serializer pieces shared by every API: strict bodies and RFC 3339 times."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.validators import RegexValidator
from django.http import QueryDict
from rest_framework import serializers

from scheduler_project.core.departures.drf_fields import FieldsBuiltOnce


class StrictSerializer(FieldsBuiltOnce):
    """Rejects bodies that are not JSON objects and fields it does not know."""

    def to_internal_value(self, data: Any) -> Any:
        # A missing body reaches here as an empty QueryDict, whose missing fields DRF would
        # read as blanks: it is not a JSON object either.
        if not isinstance(data, dict) or isinstance(data, QueryDict):
            raise serializers.ValidationError({"non_field_errors": ["request body must be a JSON object"]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: ["unknown field"] for name in unknown})
        return super().to_internal_value(data)


# Characters PostgreSQL cannot store in text or jsonb: NUL and lone surrogates.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class StrictCharField(serializers.CharField):
    """A JSON string only (DRF turns numbers into strings), without what PostgreSQL
    cannot store (NUL, lone surrogates)."""

    def __init__(self, **kwargs: Any) -> None:
        # Taken as sent: trimmed, "\x0b" would be blank and refused though the schema allows it.
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        # Also the schema's pattern (lone surrogates cannot be written in one).
        self.validators.append(RegexValidator(r"^[^\u0000]*$", "must not contain NUL"))

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if UNSTORABLE.search(data):
            raise serializers.ValidationError("must not contain NUL or lone surrogates")
        return str(super().to_internal_value(data))


class StrictIntegerField(serializers.IntegerField):
    """An integer as JSON has it: no strings, booleans or fractions (DRF coerces all three).
    In a query string (``query=True``) it is an optionally signed run of digits."""

    def __init__(self, *, query: bool = False, **kwargs: Any) -> None:
        self.query = query
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if self.query and isinstance(data, str) and QUERY_INTEGER.fullmatch(data):
            data = int(data)
        if isinstance(data, float) and data.is_integer():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


QUERY_INTEGER = re.compile(r"[+-]?[0-9]{1,30}")
RFC3339 = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt](?P<hms>[0-9]{2}:[0-9]{2}):(?P<second>[0-9]{2})(?P<fraction>\.[0-9]+)?"
    r"(?P<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})"
)
EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


class Rfc3339DateTimeField(serializers.DateTimeField):
    """Any RFC 3339 ``date-time``, returned as aware UTC.

    Every timestamp the format allows is accepted: a leap second (``:60``) is the next
    second, fractions beyond microseconds are cut, and times outside what Python holds
    (year 0, or past year 9999 once in UTC) are the earliest or latest representable one.
    """

    default_error_messages = {
        "invalid": "must be an RFC 3339 timestamp with a time zone offset, e.g. 2030-01-01T12:00:00Z",
    }

    def to_internal_value(self, value: Any) -> datetime:
        match = RFC3339.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            self.fail("invalid")
        second = int(match["second"])
        fraction = (match["fraction"] or "")[:7]
        offset = match["offset"].upper().replace("Z", "+00:00")
        if int(offset[1:3]) > 23 or int(offset[4:]) > 59 or second > 60:
            self.fail("invalid")
        year = int(match["date"][:4])
        date = match["date"] if year else "0004" + match["date"][4:]  # year 0: a leap year too
        try:
            parsed = datetime.fromisoformat(f"{date}T{match['hms']}:{min(second, 59):02d}{fraction}{offset}")
        except ValueError:
            self.fail("invalid")
        if not year:
            return EARLIEST
        try:
            return (parsed + timedelta(seconds=second - min(second, 59))).astimezone(UTC)
        except OverflowError:
            return EARLIEST if year < 5000 else LATEST
