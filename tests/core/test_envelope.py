"""The response envelope around every API answer, API-key auth, rate limits, health,
the signing secret and the OpenAPI pages."""

import socket
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from scheduler_project.core.auth import TenantRateThrottle
from scheduler_project.core.models import ApiKey, Tenant
from scheduler_project.core.services import create_api_key
from timers.models import Timer

pytestmark = pytest.mark.django_db

TIMER_BODY = {"execute_at": "2999-01-01T00:00:00Z", "callback_url": "https://api.example.com/webhook"}


def client_with_key(raw_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw_key)
    return client


# --- health -----------------------------------------------------------------------------------


def test_health_reports_up_and_connected_in_the_contract_shape(db: Any, settings: Any) -> None:
    settings.TEE_PORT = 9  # nothing listens: the TEE is reported, the service stays up
    with time_machine.travel("2025-10-28T10:30:00Z", tick=False):
        response = APIClient().get("/health")

    assert response.status_code == 200
    assert response.json() == {
        "code": 0,
        "message": "success",
        "data": {
            "status": "up",
            "database": "connected",
            "tee": "unreachable",
            "timestamp": "2025-10-28T10:30:00Z",
        },
    }


def test_health_reports_a_hung_tee_as_unresponsive_without_waiting_for_the_pool(
    db: Any, settings: Any
) -> None:
    with socket.socket() as hung:  # connections complete in its backlog; nothing ever answers
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        settings.TEE_PORT = hung.getsockname()[1]
        settings.TEE_COMPUTE_TIMEOUT_SECS = 600  # the suite's time limit fails the test if waited for
        settings.TEE_HEALTH_TIMEOUT_SECS = 0.2
        response = APIClient().get("/health")

    assert response.status_code == 200
    assert response.json()["data"]["status"] == "up"
    assert response.json()["data"]["tee"] == "unresponsive"


def test_health_ignores_a_wrong_api_key(db: Any) -> None:
    response = client_with_key("not-a-key").get("/health")

    assert response.status_code == 200
    assert response.json()["code"] == 0


# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"), [("get", "/timers"), ("post", "/timers"), ("get", "/signing_secret")]
)
def test_request_without_an_api_key_is_unauthorized(db: Any, method: str, path: str) -> None:
    response = getattr(APIClient(), method)(path, TIMER_BODY, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == 4
    assert response.headers["WWW-Authenticate"] == "X-API-Key"
    assert Timer.objects.count() == 0


def test_request_with_a_wrong_api_key_is_unauthorized(db: Any) -> None:
    response = client_with_key("sk_wrong").post("/timers", TIMER_BODY, format="json")

    assert response.status_code == 401
    assert response.json() == {"code": 4, "message": "invalid API key"}
    assert Timer.objects.count() == 0


def test_default_key_with_extra_characters_is_unauthorized(db: Any) -> None:
    response = client_with_key(django_settings.API_KEY + "x").get("/timers")

    assert response.status_code == 401
    assert response.json()["code"] == 4


def test_a_tenant_api_key_authenticates_as_its_tenant(db: Any) -> None:
    _, raw_key = create_api_key(tenant_slug="acme", name="ci")

    response = client_with_key(raw_key).post("/timers", TIMER_BODY, format="json")

    assert response.status_code == 201
    assert Timer.objects.get().tenant.slug == "acme"


def test_a_revoked_api_key_is_refused(db: Any) -> None:
    api_key, raw_key = create_api_key(tenant_slug="acme")
    ApiKey.objects.filter(pk=api_key.pk).update(revoked_at=timezone.now())

    response = client_with_key(raw_key).post("/timers", TIMER_BODY, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == 4
    assert Timer.objects.count() == 0


def test_create_api_key_command_prints_a_key_that_authenticates(db: Any) -> None:
    out, err = StringIO(), StringIO()

    call_command("create_api_key", "acme", "--name", "ops", stdout=out, stderr=err)

    raw_key = out.getvalue().strip()
    assert raw_key.startswith("sk_")
    assert raw_key not in err.getvalue()
    assert ApiKey.objects.get().name == "ops"
    response = client_with_key(raw_key).post("/timers", TIMER_BODY, format="json")
    assert response.status_code == 201
    assert Timer.objects.get().tenant == Tenant.objects.get(slug="acme")


# --- the envelope for errors ------------------------------------------------------------------


def test_unknown_route_is_not_found_in_the_envelope(api: APIClient) -> None:
    response = api.get("/no-such-thing")

    assert response.status_code == 404
    assert response.json() == {"code": 3, "message": "not found"}


def test_unsupported_method_is_refused_with_405_in_the_envelope(api: APIClient) -> None:
    response = api.patch("/timers", TIMER_BODY, format="json")

    assert response.status_code == 405
    body = response.json()
    assert body["code"] == 2
    assert "PATCH" in body["message"]
    assert Timer.objects.count() == 0


def test_validation_error_lists_every_field_under_data_errors(api: APIClient) -> None:
    response = api.post("/timers", {"execute_at": "soon", "callback_url": "ftp://x"}, format="json")

    body = response.json()
    assert set(body) == {"code", "message", "data"}
    assert body["code"] == 2
    assert body["message"].startswith("execute_at: ")
    assert set(body["data"]["errors"]) == {"execute_at", "callback_url"}


def test_errors_other_than_validation_carry_no_data(api: APIClient) -> None:
    body = api.get("/timers/00000000-0000-0000-0000-000000000000").json()

    assert set(body) == {"code", "message"}


def test_request_over_the_size_limit_is_refused_before_authentication(db: Any, settings: Any) -> None:
    settings.MAXIMUM_REQUEST_SIZE = 2048
    body = dict(TIMER_BODY, callback_payload={"blob": "x" * 4096})

    response = APIClient().post("/timers", body, format="json")

    assert response.status_code == 413
    assert response.json() == {"code": 7, "message": "request body exceeds 2048 bytes"}
    assert Timer.objects.count() == 0


# --- rate limit -------------------------------------------------------------------------------


@pytest.fixture
def three_per_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    # DRF copies the rates onto the throttle class when it is defined.
    monkeypatch.setattr(TenantRateThrottle, "THROTTLE_RATES", {"tenant": "3/min"})


def test_requests_over_the_tenant_rate_limit_are_refused_with_429(
    api: APIClient, three_per_minute: None
) -> None:
    for _ in range(3):
        assert api.get("/timers").status_code == 200

    response = api.get("/timers")

    assert response.status_code == 429
    assert response.json()["code"] == 6
    assert "Retry-After" in response.headers


def test_rate_limit_is_counted_per_tenant(
    api: APIClient, other_api: APIClient, three_per_minute: None
) -> None:
    for _ in range(3):
        api.get("/timers")
    assert api.get("/timers").status_code == 429

    assert other_api.get("/timers").status_code == 200


def test_health_is_not_rate_limited(db: Any, three_per_minute: None) -> None:
    client = APIClient()

    statuses = {client.get("/health").status_code for _ in range(5)}

    assert statuses == {200}


# --- signing secret ---------------------------------------------------------------------------


def test_signing_secret_returns_the_tenants_whsec_secret(api: APIClient) -> None:
    response = api.get("/signing_secret")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 0
    assert body["data"] == {"webhook_secret": django_settings.WEBHOOK_SECRET}
    assert body["data"]["webhook_secret"].startswith("whsec_")


def test_each_tenant_gets_its_own_signing_secret(api: APIClient, other_api: APIClient) -> None:
    mine = api.get("/signing_secret").json()["data"]["webhook_secret"]
    theirs = other_api.get("/signing_secret").json()["data"]["webhook_secret"]

    assert theirs.startswith("whsec_")
    assert theirs != mine
    assert theirs == Tenant.objects.get(slug="other").webhook_secret


# --- OpenAPI ----------------------------------------------------------------------------------


def test_openapi_schema_describes_the_timers_endpoints(db: Any) -> None:
    response = APIClient().get("/api/schema/")

    assert response.status_code == 200
    schema = response.content.decode()
    assert "/timers:" in schema
    assert "/timers/{timer_id}:" in schema


def test_api_docs_page_is_served(db: Any) -> None:
    response = APIClient().get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_api_answers_set_no_session_or_csrf_cookie_and_the_metrics_count_them(api: APIClient) -> None:
    response = api.post("/timers", TIMER_BODY, format="json")
    assert response.status_code == 201
    assert not response.cookies  # sessions and CSRF belong to the admin's pages
    assert "Set-Cookie" not in response
    assert "cookie" not in response.get("Vary", "").lower()  # key-authenticated: no session read
    listed = api.get("/timers")
    assert listed.status_code == 200
    assert not listed.cookies and "cookie" not in listed.get("Vary", "").lower()
    metrics = APIClient().get("/metrics").content.decode()
    assert (
        'django_http_responses_total_by_status_view_method_total{method="POST",status="201",view="timer-list"}'
        in (metrics)
    )
    assert (
        'django_http_requests_latency_seconds_by_view_method_count{method="POST",view="timer-list"}'
        in metrics
    )


def test_the_admin_keeps_its_session_login_and_csrf_check(db: Any) -> None:
    User.objects.create_superuser("ops", "ops@example.com", "a-long-password-1")
    browser = Client(enforce_csrf_checks=True)
    login_page = browser.get("/admin/login/")
    assert login_page.status_code == 200
    refused = browser.post("/admin/login/", {"username": "ops", "password": "a-long-password-1"})
    assert refused.status_code == 403  # no CSRF token
    token = browser.cookies["csrftoken"].value
    logged_in = browser.post(
        "/admin/login/?next=/admin/",
        {"username": "ops", "password": "a-long-password-1", "csrfmiddlewaretoken": token},
    )
    assert logged_in.status_code == 302
    assert browser.get("/admin/").status_code == 200
    assert "sessionid" in browser.cookies
