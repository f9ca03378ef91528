"""Fields and shapes every API of the timers app shares: URLs, headers, bounded JSON, JSON
Pointers and condition targets, partial updates and pages."""

import json
import re
from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scheduler_project.core import schema
from scheduler_project.core.serializers import UNSTORABLE, StrictCharField, StrictIntegerField
from timers import conditions

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


CALLBACK_URL_SCHEMA = {
    "type": "string",
    "maxLength": settings.TIMER_MAX_URL_LENGTH,
    "pattern": schema.anchored(schema.HTTP_URL_PATTERN),
    "example": "https://api.example.com/webhook",
}
CALLBACK_HEADERS_SCHEMA = schema.callback_headers_schema(FORBIDDEN_HEADERS, MAX_HEADERS, MAX_HEADER_VALUE)


@extend_schema_field(CALLBACK_URL_SCHEMA)
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


@extend_schema_field(CALLBACK_HEADERS_SCHEMA)
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


class PartialUpdate:
    """A PUT body: any of the create fields, at least one, each validated on its own."""

    min_fields = 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)  # type: ignore[call-arg]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("give at least one field to update")
        return attrs


class PageQuerySerializer(serializers.Serializer):
    limit = StrictIntegerField(query=True, min_value=1, max_value=200, default=50)
    offset = StrictIntegerField(query=True, min_value=0, max_value=MAX_LIST_OFFSET, default=0)
    order = serializers.ChoiceField(choices=["asc", "desc"], default="desc")


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


TARGET_SCHEMA = {
    "type": ["number", "string", "boolean"],
    "maxLength": 1000,
    "description": "What the value is compared with: a number (compared as a decimal), "
    "or a string or boolean for == and !=.",
}


@extend_schema_field(TARGET_SCHEMA)
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


def type_tag(kind: str) -> serializers.ChoiceField:
    """A job shape's ``schedule_type``: that one value, as the discriminator of the union."""

    @extend_schema_field({"type": "string", "const": kind})
    class ScheduleTypeTag(serializers.ChoiceField):
        pass

    return ScheduleTypeTag(choices=[kind])


def ordering_needs_number(fields: dict[str, Any]) -> dict[str, list[str]]:
    """A clause's (or a single source's) rule across operator, target and value_format."""
    target = fields.get("target")
    if target is None or (not isinstance(target, bool) and isinstance(target, int | float)):
        return {}
    if fields.get("operator") in conditions.ORDERING:
        return {"target": [f"must be a number for {fields['operator']}"]}
    if fields.get("value_format") == "hex":
        return {"target": ["must be a number when value_format is hex"]}
    return {}
