"""The timers API refuses what it cannot store, in the envelope and before any write: each
field of a create, and the body as a whole."""

import json
from datetime import timedelta
from datetime import timezone as dt_timezone
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.timers.test_api import in_hours, rfc3339, timer_body
from timers.models import Timer

pytestmark = pytest.mark.django_db


def without(key: str) -> dict[str, Any]:
    body = timer_body()
    del body[key]
    return body


def assert_refused(response: Any, field: str, *, status: int = 400, code: int = 2) -> None:
    """The request failed in the envelope, named the field, and stored nothing."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert field in body["message"]
    assert Timer.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(without("execute_at"), id="missing"),
        pytest.param(timer_body(execute_at=1893456000), id="not-a-string"),
        pytest.param(timer_body(execute_at="2030-01-01T12:00:00"), id="naive"),
        pytest.param(timer_body(execute_at="2030-01-01"), id="date-only"),
        pytest.param(timer_body(execute_at="next tuesday"), id="garbage"),
        pytest.param(timer_body(execute_at="2030-02-30T12:00:00Z"), id="no-such-day"),
    ],
)
def test_invalid_execute_at_is_refused(api: APIClient, body: dict[str, Any]) -> None:
    assert_refused(api.post("/timers", body, format="json"), "execute_at")


def test_execute_at_in_the_past_is_due_at_once(api: APIClient) -> None:
    before = timezone.now()
    response = api.post("/timers", timer_body(execute_at="2020-01-01T00:00:00Z"), format="json")

    assert response.status_code == 201
    timer = Timer.objects.get(pk=response.json()["data"]["id"])
    assert before <= timer.execute_at <= timezone.now()
    assert timer.lease_until is not None  # sent right away, not left for a missed-timer sweep


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2030-06-30T23:59:60Z", "2030-07-01T00:00:00+00:00"),  # a leap second is the next second
        ("2030-01-01T00:00:00.123456789+01:00", "2029-12-31T23:00:00.123456+00:00"),
        ("9999-12-31T23:59:59-05:00", "9999-12-31T23:59:59.999999+00:00"),  # past Python's range
        ("2030-01-01t00:00:00z", "2030-01-01T00:00:00+00:00"),
    ],
)
def test_every_rfc3339_timestamp_is_accepted(api: APIClient, written: str, stored: str) -> None:
    response = api.post("/timers", timer_body(execute_at=written), format="json")

    assert response.status_code == 201, response.json()
    assert Timer.objects.get(pk=response.json()["data"]["id"]).execute_at.isoformat() == stored


def test_execute_at_with_an_offset_is_stored_as_utc(api: APIClient) -> None:
    moment = in_hours(24)
    local = moment.astimezone(dt_timezone(timedelta(hours=2))).isoformat()
    assert local.endswith("+02:00")

    response = api.post("/timers", timer_body(execute_at=local), format="json")

    assert response.status_code == 201
    assert response.json()["data"]["execute_at"] == rfc3339(moment)
    assert Timer.objects.get().execute_at == moment


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(without("callback_url"), id="missing"),
        pytest.param(timer_body(callback_url="ftp://example.com/hook"), id="ftp-scheme"),
        pytest.param(timer_body(callback_url="example.com/hook"), id="no-scheme"),
        pytest.param(timer_body(callback_url="http:///hook"), id="no-host"),
        pytest.param(timer_body(callback_url="https://example.com:99999/hook"), id="bad-port"),
        pytest.param(timer_body(callback_url="https://example.com:0/hook"), id="port-zero"),
        pytest.param(timer_body(callback_url="https://[::zz]/hook"), id="bad-ipv6"),
        pytest.param(timer_body(callback_url="https://example.com/" + "a" * 2048), id="too-long"),
        pytest.param(timer_body(callback_url=12345), id="not-a-string"),
        pytest.param(timer_body(callback_url=""), id="empty"),
        pytest.param(timer_body(callback_url="https://example.com/a hook"), id="with-space"),
        pytest.param(timer_body(callback_url="https://example.com/a\u3000hook"), id="with-unicode-space"),
        pytest.param(timer_body(callback_url="https://example.com/a\u0000b"), id="nul-character"),
    ],
)
def test_invalid_callback_url_is_refused(api: APIClient, body: dict[str, Any]) -> None:
    assert_refused(api.post("/timers", body, format="json"), "callback_url")


def test_json_nested_too_deeply_is_refused_not_a_server_error(api: APIClient) -> None:
    too_deep_to_parse = "[" * 50000 + "]" * 50000
    response = api.post("/timers", too_deep_to_parse, content_type="application/json")
    assert_refused(response, "nested too deeply")
    parsed_but_too_deep = {"a": [[[[{"b": [[[[[]]]]]}]]]]}
    for _ in range(60):
        parsed_but_too_deep = {"a": parsed_but_too_deep}
    for field in ("callback_payload", "metadata"):
        body = timer_body(**{field: parsed_but_too_deep})
        assert_refused(api.post("/timers", body, format="json"), field)
    assert Timer.objects.count() == 0


def test_a_lone_surrogate_anywhere_is_refused_not_a_server_error(api: APIClient) -> None:
    """JSON may escape a lone surrogate; PostgreSQL cannot store one."""
    for field, value in [
        ("callback_url", "https://example.com/\ud800"),
        ("callback_payload", {"a": "\udfff"}),
    ]:
        raw = json.dumps(timer_body(**{field: value}))  # ensure_ascii writes the \\udXXX escape
        assert_refused(api.post("/timers", raw, content_type="application/json"), field)


def test_callback_url_of_exactly_the_maximum_length_is_accepted(api: APIClient) -> None:
    prefix = "https://example.com/"
    url = prefix + "a" * (2048 - len(prefix))

    response = api.post("/timers", timer_body(callback_url=url), format="json")

    assert response.status_code == 201
    assert Timer.objects.get().callback_url == url


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(["Authorization: Bearer x"], id="not-an-object"),
        pytest.param("Authorization: Bearer x", id="a-string"),
        pytest.param({"X-Count": 1}, id="non-string-value"),
        pytest.param({"X-Flag": None}, id="null-value"),
        pytest.param({"Bad Header": "x"}, id="space-in-name"),
        pytest.param({"X-Bad:Colon": "x"}, id="colon-in-name"),
        pytest.param({"": "x"}, id="empty-name"),
        pytest.param({"X-Custom": "a\r\nX-Injected: 1"}, id="crlf-in-value"),
        pytest.param({"X-Custom": "a\nb"}, id="lf-in-value"),
        pytest.param({"X-Custom": "a\rb"}, id="cr-in-value"),
        pytest.param({"X-Custom": "a\u0000b"}, id="nul-in-value"),
        pytest.param({f"X-H{i}": "x" for i in range(51)}, id="too-many"),
        pytest.param({"X-Custom": "x" * 4097}, id="value-too-long"),
        # An HTTP client sends header values as ASCII: this one could never be delivered.
        pytest.param({"X-Custom": "caf\u00e9"}, id="non-ascii-value"),
        pytest.param({"Content-TYPE": "text/plain"}, id="service-header-any-case"),
    ],
)
def test_invalid_callback_headers_are_refused(api: APIClient, headers: Any) -> None:
    body = timer_body(callback_headers=headers)

    assert_refused(api.post("/timers", body, format="json"), "callback_headers")


@pytest.mark.parametrize(
    "name",
    [
        "Host",
        "Content-Length",
        "Connection",
        "Transfer-Encoding",
        "Upgrade",
        "Keep-Alive",
        "TE",
        "Proxy-Authorization",
        "webhook-signature",
        "Webhook-Id",
        "Content-Type",
        "HOST",
    ],
)
def test_forbidden_callback_header_is_refused(api: APIClient, name: str) -> None:
    body = timer_body(callback_headers={name: "x"})

    response = api.post("/timers", body, format="json")

    assert_refused(response, "callback_headers")
    assert name in response.json()["message"]


def test_callback_header_name_with_a_trailing_newline_is_refused(api: APIClient) -> None:
    # "Host\n" is neither a valid header name nor allowed to slip past the forbidden list.
    body = timer_body(callback_headers={"Host\n": "evil.example"})

    assert_refused(api.post("/timers", body, format="json"), "callback_headers")


def test_callback_payload_over_the_size_limit_is_refused(api: APIClient, settings: Any) -> None:
    settings.TIMER_MAX_PAYLOAD_BYTES = 64
    body = timer_body(callback_payload={"blob": "x" * 100})

    assert_refused(api.post("/timers", body, format="json"), "callback_payload")


def test_callback_payload_of_exactly_the_size_limit_is_accepted(api: APIClient, settings: Any) -> None:
    payload = {"blob": "x" * 20}
    settings.TIMER_MAX_PAYLOAD_BYTES = len(json.dumps(payload, separators=(",", ":")))

    response = api.post("/timers", timer_body(callback_payload=payload), format="json")

    assert response.status_code == 201
    assert Timer.objects.get().callback_payload == payload


def test_metadata_over_the_size_limit_is_refused(api: APIClient, settings: Any) -> None:
    settings.TIMER_MAX_METADATA_BYTES = 32
    body = timer_body(metadata={"client_ref": "order-" + "4" * 50})

    assert_refused(api.post("/timers", body, format="json"), "metadata")


@pytest.mark.parametrize("field", ["callback_payload", "metadata"])
def test_json_field_containing_a_nul_character_is_refused(api: APIClient, field: str) -> None:
    # PostgreSQL's jsonb cannot store \u0000.
    body = timer_body(**{field: {"note": "a\u0000b"}})

    assert_refused(api.post("/timers", body, format="json"), field)


@pytest.mark.parametrize("max_attempts", [0, 11, -1, "many", "5", True, 2.5])
def test_max_attempts_outside_one_to_ten_is_refused(api: APIClient, max_attempts: Any) -> None:
    body = timer_body(max_attempts=max_attempts)

    assert_refused(api.post("/timers", body, format="json"), "max_attempts")


@pytest.mark.parametrize("max_attempts", [1, 10])
def test_max_attempts_within_one_to_ten_is_stored(api: APIClient, max_attempts: int) -> None:
    response = api.post("/timers", timer_body(max_attempts=max_attempts), format="json")

    assert response.status_code == 201
    assert Timer.objects.get().max_attempts == max_attempts


def test_max_attempts_defaults_to_the_setting(api: APIClient, settings: Any) -> None:
    settings.TIMER_DEFAULT_MAX_ATTEMPTS = 7

    response = api.post("/timers", timer_body(), format="json")

    assert response.status_code == 201
    assert Timer.objects.get().max_attempts == 7


def test_unknown_top_level_field_is_refused(api: APIClient) -> None:
    body = timer_body(callbackUrl="https://api.example.com/webhook")

    response = api.post("/timers", body, format="json")

    assert_refused(response, "callbackUrl")
    assert response.json()["message"] == "callbackUrl: unknown field"


def test_json_array_body_is_refused(api: APIClient) -> None:
    response = api.post("/timers", [timer_body()], format="json")

    assert_refused(response, "JSON object")


def test_malformed_json_body_is_refused(api: APIClient) -> None:
    response = api.generic("POST", "/timers", data='{"execute_at": ', content_type="application/json")

    assert_refused(response, "malformed JSON")


def test_empty_json_object_is_refused(api: APIClient) -> None:
    response = api.post("/timers", {}, format="json")

    assert_refused(response, "execute_at")
    assert set(response.json()["data"]["errors"]) == {"execute_at", "callback_url"}


def test_body_over_the_request_size_limit_is_refused_with_413(api: APIClient, settings: Any) -> None:
    settings.MAXIMUM_REQUEST_SIZE = 2048
    body = timer_body(callback_payload={"blob": "x" * 4096})

    response = api.post("/timers", body, format="json")

    assert_refused(response, "2048", status=413, code=7)


def test_plain_text_body_is_refused_as_unsupported_media_type(api: APIClient) -> None:
    response = api.generic("POST", "/timers", data=json.dumps(timer_body()), content_type="text/plain")

    assert_refused(response, "text/plain", status=415, code=2)


@pytest.mark.parametrize("key", ["k" * 256, "caf\u00e9", "tab\there", ""])
def test_an_idempotency_key_not_of_1_to_255_printable_ascii_characters_is_refused(
    api: APIClient, key: str
) -> None:
    response = api.post("/timers", timer_body(), format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert_refused(response, "Idempotency-Key")


def test_a_query_parameter_given_twice_is_refused(api: APIClient) -> None:
    response = api.get("/timers?limit=5&limit=10")

    assert response.status_code == 400
    assert response.json()["data"]["errors"] == {"limit": ["given more than once"]}


def test_an_overlong_query_string_is_refused_in_the_envelope(api: APIClient) -> None:
    response = api.get("/timers?status=pending&x=" + "a" * 4096)

    assert response.status_code == 400
    assert response.json() == {"code": 2, "message": "query string exceeds 4096 characters"}
