"""The OpenAPI document, true to what the service answers.

drf-spectacular describes the serializers; this module adds what it cannot see:

- the envelope: every success of an enveloped view is ``{"code": 0, "message", "data"}``
  (withdrawal views answer flat, as the service they replace did);
- every error a request can meet, each with its envelope code: 400 for bodies, queries and
  headers, 401 behind ``X-API-Key``, 404 for paths with ids, 409 where a view declares
  conflicts, 413 and 415 for bodies, 429 where a throttle applies, 503 everywhere (the
  database; 400 too, for an overlong query string), with ``Retry-After`` where one is sent;
- ``X-API-Key`` as the security scheme;
- request constraints the validators enforce: patterns shared with them (``HTTP_URL_PATTERN``),
  closed bodies (``additionalProperties: false``) and ``minProperties``.
"""

import re
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from scheduler_project.core import envelope


def anchored(pattern: str) -> str:
    return f"^(?:{pattern})$"


def _ipv6_pattern() -> str:
    """RFC 3986's IPv6address, as a regular expression."""
    h16 = "[0-9A-Fa-f]{1,4}"
    octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
    ls32 = f"(?:{h16}:{h16}|{octet}(?:\\.{octet}){{3}})"

    def head(n: int) -> str:  # up to n+1 groups of h16 before "::"
        return "" if n < 0 else f"(?:(?:{h16}:){{0,{n}}}{h16})?"

    forms = [f"(?:{h16}:){{6}}{ls32}", f"::(?:{h16}:){{5}}{ls32}"]
    forms += [f"{head(n)}::(?:{h16}:){{{4 - n}}}{ls32}" for n in range(0, 4)]
    forms += [f"{head(4)}::{ls32}", f"{head(5)}::{h16}", f"{head(6)}::"]
    return "|".join(f"(?:{form})" for form in forms)


_PORT = "(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
_USERINFO = "(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@"
# Anything but ASCII controls and space, and Unicode spaces. Patterns leave out lone
# surrogates (a regex over UTF-8 cannot name them); the validators refuse them too.
_URL_CHAR = "[^\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]"
HTTP_URL_PATTERN = (
    f"[Hh][Tt][Tt][Pp][Ss]?://(?:{_USERINFO})?(?:[A-Za-z0-9._~-]+|\\[(?:{_ipv6_pattern()})\\])"
    f"(?::{_PORT})?(?:[/?#]{_URL_CHAR}*)?"
)

# Any JSON value whose strings and keys PostgreSQL can store (no NUL, no lone surrogate),
# a component of its own (it is recursive); fields refer to it through JSON_FIELD.
_STORABLE_TEXT = "^[^\\u0000]*$"
JSON_FIELD: dict[str, Any] = {"anyOf": [{"$ref": "#/components/schemas/JsonValue"}]}
_JSON_REF = {"$ref": "#/components/schemas/JsonValue"}
JSON_VALUE: dict[str, Any] = {
    "description": "Any JSON value; strings and keys must not contain U+0000.",
    "anyOf": [
        {"type": "object", "additionalProperties": _JSON_REF, "propertyNames": {"pattern": _STORABLE_TEXT}},
        {"type": "array", "items": _JSON_REF},
        {"type": "string", "pattern": _STORABLE_TEXT},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "null"},
    ],
}


def decimal_at_most(bound: int) -> str:
    """Decimal strings (leading zeros allowed, as many digits as ``bound`` has at most)
    whose value is at most ``bound``."""
    digits = str(bound)
    forms = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - i - 1
            forms.append(digits[:i] + f"[0-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    forms.append(digits)
    return "|".join(forms)


BASE64_PATTERN = "(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"


def _any_case(word: str) -> str:
    return "".join(f"[{ch.upper()}{ch.lower()}]" if ch.isalpha() else re.escape(ch) for ch in word)


def callback_headers_schema(forbidden: set[str], max_headers: int, max_value: int) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Header names to values, sent with the callback. Hop-by-hop, framing and "
        "signature headers cannot be set (compared without regard to case).",
        "maxProperties": max_headers,
        "propertyNames": {
            "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
            "not": {"pattern": "^(?:" + "|".join(_any_case(name) for name in sorted(forbidden)) + ")$"},
        },
        "additionalProperties": {"type": "string", "maxLength": max_value, "pattern": "^[\\t\\x20-\\x7e]*$"},
        "example": {"Authorization": "Bearer token123"},
    }


_ERRORS: dict[int, tuple[str, int, str]] = {
    400: ("ValidationError", envelope.VALIDATION, "The request is malformed or a value is invalid."),
    401: ("Unauthorized", envelope.UNAUTHORIZED, "Missing or invalid X-API-Key header."),
    404: ("NotFound", envelope.NOT_FOUND, "No such resource (for this tenant)."),
    409: ("Conflict", envelope.CONFLICT, "The resource's state does not allow this."),
    413: ("TooLarge", envelope.TOO_LARGE, "The body exceeds MAXIMUM_REQUEST_SIZE."),
    415: ("UnsupportedMediaType", envelope.VALIDATION, "The body is not application/json."),
    429: ("RateLimited", envelope.RATE_LIMITED, "Too many requests; see Retry-After."),
    503: (
        "Unavailable",
        envelope.INTERNAL,
        "A dependency is down: the database, or for /public_key the TEE.",
    ),
}
_RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "scheduler_project.core.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "X-API-Key"}


class AutoSchema(SpectacularAutoSchema):
    """Views say ``envelope = False`` to answer flat, and ``conflicts`` lists the
    methods (lower case) that can answer 409."""

    def _map_serializer(self, serializer: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        from scheduler_project.core.serializers import StrictSerializer

        mapped = super()._map_serializer(serializer, direction, bypass_extensions)
        if isinstance(serializer, StrictSerializer) or (
            isinstance(serializer, type) and issubclass(serializer, StrictSerializer)
        ):
            mapped["additionalProperties"] = False
            minimum = getattr(serializer, "min_fields", 0)
            if minimum:
                mapped["minProperties"] = minimum
        return mapped

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        mapped = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.ListSerializer) and mapped.get("type") == "array":
            # drf-spectacular leaves out a nested list's bounds (a batch's 1..1000 items).
            least, most = getattr(field, "min_length", None), getattr(field, "max_length", None)
            if not field.allow_empty or least:
                mapped["minItems"] = max(0 if field.allow_empty else 1, least or 0)
            if most is not None:
                mapped["maxItems"] = most
        return mapped

    def _get_request_body(self, direction: Any = "request") -> Any:
        body = super()._get_request_body(direction)
        if body is not None:
            body["required"] = True  # every body the API reads is required, PUT's too
        return body

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        enveloped = getattr(self.view, "envelope", True)
        for status, response in responses.items():
            for media in response.get("content", {}).values():
                if status.startswith("2"):
                    if enveloped:
                        media["schema"] = self._envelope(media["schema"])
                else:
                    media["schema"] = self._error(int(status), data=media["schema"])
            if int(status) in (429, 503):
                response.setdefault("headers", {}).update(_RETRY_AFTER)
        for error in self._error_statuses():
            if str(error) not in responses:
                responses[str(error)] = self._error_response(error)
        return responses

    def _error_statuses(self) -> list[int]:
        method = self.method.lower()
        statuses = {400, 503}  # anywhere: a query string over MAXIMUM_QUERY_LENGTH; the database
        if method in ("post", "put", "patch") and self.get_request_serializer() is not None:
            statuses |= {413, 415}
        if "{" in self.path:
            statuses.add(404)
        if self.view.get_authenticators():
            statuses.add(401)
        if self.view.get_throttles():
            statuses.add(429)
        if method in getattr(self.view, "conflicts", ()):
            statuses.add(409)
        return sorted(statuses)

    def _error_response(self, status: int) -> dict[str, Any]:
        response: dict[str, Any] = {
            "description": _ERRORS[status][2],
            "content": {"application/json": {"schema": self._error(status)}},
        }
        if status in (429, 503):
            response["headers"] = dict(_RETRY_AFTER)
        return response

    def _error(self, status: int, data: dict[str, Any] | None = None) -> dict[str, Any]:
        name, code, _ = _ERRORS[status]
        properties: dict[str, Any] = {
            "code": {"type": "integer", "const": code},
            "message": {"type": "string"},
        }
        if data is not None:
            properties["data"] = data
            return {"type": "object", "properties": properties, "required": ["code", "message", "data"]}
        if status == 400:
            properties["data"] = {
                "type": "object",
                "properties": {"errors": {"type": "object", "description": "Each field's messages."}},
                "required": ["errors"],
            }
        return self._component(
            f"{name}Error", {"type": "object", "properties": properties, "required": ["code", "message"]}
        )

    def _envelope(self, schema: dict[str, Any]) -> dict[str, Any]:
        wrapped = {
            "type": "object",
            "properties": {
                "code": {"type": "integer", "const": envelope.SUCCESS},
                "message": {"type": "string", "const": "success"},
                "data": schema,
            },
            "required": ["code", "message", "data"],
        }
        if "$ref" not in schema:
            return wrapped
        return self._component(schema["$ref"].rsplit("/", 1)[-1] + "Envelope", wrapped)

    def _component(self, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return component.ref


# Where a response names a resource, the operations that take it (OpenAPI links): clients
# and stateful fuzzers follow them from a create to the resource it made.
LINKS = {
    ("/timers", "post", "201"): (
        "timer_id", "$response.body#/data/id", ["timers_retrieve", "timers_update", "timers_destroy"],
    ),
    ("/jobs", "post", "201"): (
        "job_id", "$response.body#/data/id",
        ["jobs_retrieve", "jobs_update", "jobs_destroy", "jobs_pause", "jobs_resume", "jobs_tasks_list"],
    ),
    ("/schedule_withdraw", "post", "201"): (
        "status_token", "$response.body#/status_token", ["withdrawals_retrieve", "withdrawals_destroy"],
    ),
}  # fmt: skip


def served_only(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """Pre-processing: only the routes this service serves now. A view whose ``served()`` is
    false (the admin API without its token) answers 404 to everything, so a client generated
    from the document must not know it."""
    return [e for e in endpoints if not hasattr(e[3].cls, "served") or e[3].cls.served()]


def finish(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Post-processing: the JsonValue component and the links."""
    result.setdefault("components", {}).setdefault("schemas", {})["JsonValue"] = JSON_VALUE
    for (path, method, status), (parameter, value, operations) in LINKS.items():
        response = result["paths"].get(path, {}).get(method, {}).get("responses", {}).get(status)
        if response is not None:
            response["links"] = {
                operation: {"operationId": operation, "parameters": {parameter: value}}
                for operation in operations
            }
    return result
