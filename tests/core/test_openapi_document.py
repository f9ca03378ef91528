"""What the OpenAPI document promises a generated client, read from /api/schema/."""

from typing import Any

import pytest
from rest_framework.test import APIClient

ENVELOPED = [
    "/health", "/signing_secret", "/timers", "/timers/{timer_id}", "/jobs", "/jobs/{job_id}",
    "/jobs/{job_id}/pause", "/jobs/{job_id}/resume", "/jobs/{job_id}/tasks", "/tasks/{task_id}",
]  # fmt: skip
FLAT = ["/public_key", "/schedule_withdraw", "/withdrawals/{status_token}"]


@pytest.fixture
def document(db: Any) -> dict[str, Any]:
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(document: dict[str, Any], paths: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path in paths for method, op in document["paths"][path].items()]


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    return document["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else schema


def test_every_success_of_the_timer_api_is_in_the_envelope(document: dict[str, Any]) -> None:
    for path, method, op in operations(document, ENVELOPED):
        success = next(code for code in op["responses"] if code.startswith("2"))
        schema = resolve(document, op["responses"][success]["content"]["application/json"]["schema"])
        assert schema["required"] == ["code", "message", "data"], (method, path)
        assert schema["properties"]["code"] == {"type": "integer", "const": 0}


def test_withdrawal_successes_are_flat_as_in_the_service_they_replace(document: dict[str, Any]) -> None:
    for path, method, op in operations(document, FLAT):
        success = next(code for code in op["responses"] if code.startswith("2"))
        schema = resolve(document, op["responses"][success]["content"]["application/json"]["schema"])
        assert "code" not in schema.get("properties", {}), (method, path)


def test_every_error_is_declared_with_its_envelope_code(document: dict[str, Any]) -> None:
    create = document["paths"]["/timers"]["post"]["responses"]
    assert set(create) == {"201", "400", "401", "409", "413", "415", "429", "503"}
    codes = {status: resolve(document, create[status]["content"]["application/json"]["schema"])
             for status in create if status != "201"}  # fmt: skip
    assert {status: schema["properties"]["code"]["const"] for status, schema in codes.items()} == {
        "400": 2, "401": 4, "409": 5, "413": 7, "415": 2, "429": 6, "503": 1,
    }  # fmt: skip
    assert "Retry-After" in create["503"]["headers"]
    assert set(document["paths"]["/timers/{timer_id}"]["get"]["responses"]) >= {"401", "404"}
    for path, method, op in operations(document, ENVELOPED + FLAT):
        assert "503" in op["responses"], (method, path)


def test_the_api_key_is_a_security_scheme_on_the_timer_api_only(document: dict[str, Any]) -> None:
    assert document["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    for path, method, op in operations(document, ["/timers", "/timers/{timer_id}", "/signing_secret"]):
        assert op["security"] == [{"ApiKey": []}], (method, path)
    for path, method, op in operations(document, [*FLAT, "/health"]):
        assert {"ApiKey": []} not in op.get("security", []), (method, path)


def test_request_bodies_are_closed_and_constrained(document: dict[str, Any]) -> None:
    write = document["components"]["schemas"]["TimerWrite"]
    assert write["additionalProperties"] is False
    assert write["properties"]["max_attempts"] == {"type": "integer", "maximum": 10, "minimum": 1}
    assert write["properties"]["callback_url"]["pattern"].startswith("^")
    update = document["components"]["schemas"]["PatchedTimerUpdate"]
    assert update["minProperties"] == 1
    assert document["paths"]["/timers/{timer_id}"]["put"]["requestBody"]["required"] is True
    query = {p["name"]: p["schema"] for p in document["paths"]["/timers"]["get"]["parameters"]}
    assert query["offset"]["maximum"] == 1_000_000_000 and query["limit"]["maximum"] == 200


def test_the_admin_api_is_left_out_of_the_document_while_its_token_is_unset(settings) -> None:
    settings.ADMIN_BEARER_TOKEN = ""

    paths = APIClient().get("/api/schema/?format=json").json()["paths"]

    assert not [path for path in paths if path.startswith("/api/admin/")]
    assert "/timers" in paths


def test_the_admin_api_is_in_the_document_while_its_token_is_set(settings) -> None:
    settings.ADMIN_BEARER_TOKEN = "an-admin-token-0123456789abcdefghijklmnop"

    admin = APIClient().get("/api/schema/?format=json").json()["paths"]["/api/admin/tenants"]["get"]

    assert set(admin["responses"]) == {"200", "400", "401", "503"}
    assert admin["security"] == [{"AdminBearer": []}]
