"""The withdrawal API: the replaced service's contract, every validation rule, status and cancel by token."""

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from rest_framework.test import APIClient

from tee.crypto import seal
from withdrawals.models import ScheduledRequest

U256_MAX = 2**256 - 1


def sealed(plaintext: bytes) -> str:
    """Base64 of an envelope sealed to a throwaway key (intake cannot open it anyway)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(seal(der, plaintext).to_payload()).decode()


@pytest.fixture(scope="module")
def sealed_payload() -> str:
    return sealed(b'{"withdrawal": "sealed"}')


@pytest.fixture
def client(db) -> APIClient:
    return APIClient()  # the withdrawal API needs no API key, like the service it replaces


@pytest.fixture
def body(sealed_payload):
    return {
        "payload": sealed_payload,
        "last_note_index": "12345",
        "max_relayer_fee": "1000000000000000000",
        "relay_after": int(time.time()) + 3600,
    }


def schedule(client, body):
    return client.post("/schedule_withdraw", body, format="json")


def test_scheduling_answers_in_the_seed_shape_with_a_status_token(client, body):
    response = schedule(client, body)

    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"request_id", "message", "status_token"}
    assert data["message"] == f"Withdraw request scheduled successfully. Request ID: {data['request_id']}"
    assert len(data["status_token"]) >= 32
    stored = ScheduledRequest.objects.get(pk=data["request_id"])
    assert bytes(stored.payload) == base64.b64decode(body["payload"])
    assert (stored.last_note_index, stored.max_relayer_fee) == ("12345", "1000000000000000000")
    assert int(stored.relay_after.timestamp()) == body["relay_after"]
    assert stored.status == "pending"


def test_status_tokens_are_unguessable_and_ids_are_not_routes(client, body):
    first = schedule(client, body).json()
    second = schedule(client, {**body, "payload": sealed(b'{"withdrawal": "another"}')}).json()

    assert first["status_token"] != second["status_token"]
    assert client.get(f"/withdrawals/{first['request_id']}").status_code == 404


def test_status_by_token_shows_progress_without_the_payload(client, body):
    token = schedule(client, body).json()["status_token"]

    response = client.get(f"/withdrawals/{token}")

    assert response.status_code == 200
    assert response.json() == {
        "status": "pending",
        "relay_after": body["relay_after"],
        "created_at": response.json()["created_at"],
        "processed_at": None,
        "retry_count": 0,
        "error_message": "",
        "tx_hash": "",
    }


def test_a_pending_withdrawal_can_be_cancelled_by_its_token(client, body):
    token = schedule(client, body).json()["status_token"]

    response = client.delete(f"/withdrawals/{token}")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    stored = ScheduledRequest.objects.get(status_token=token)
    assert bytes(stored.payload) == b""  # wiped once finished
    assert stored.payload_length > 0


def test_cancelling_twice_is_a_conflict(client, body):
    token = schedule(client, body).json()["status_token"]
    client.delete(f"/withdrawals/{token}")

    response = client.delete(f"/withdrawals/{token}")

    assert response.status_code == 409
    assert response.json()["code"] == 5


def test_an_unknown_token_is_not_found(client):
    response = client.get("/withdrawals/no-such-token")
    assert response.status_code == 404
    assert response.json() == {"code": 3, "message": "withdrawal not found"}


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("payload", "", "must not be empty"),
        ("payload", "not base64!", "valid base64"),
        ("payload", "SGVsbG8gV29ybGQ=", "not a sealed withdrawal envelope"),
        pytest.param(
            "payload",
            base64.b64encode(b"[" * 50000).decode(),
            "not a sealed withdrawal envelope",
            id="payload-nested-too-deeply",
        ),
        ("payload", 12, "base64 string"),
        ("last_note_index", -1, "between 0 and 2^256-1"),
        ("last_note_index", "-1", "256-bit unsigned integer"),
        ("last_note_index", "12.5", "256-bit unsigned integer"),
        ("last_note_index", 12.5, "256-bit unsigned integer"),
        ("last_note_index", True, "256-bit unsigned integer"),
        ("last_note_index", "0x", "256-bit unsigned integer"),
        ("last_note_index", "0xg1", "256-bit unsigned integer"),
        ("last_note_index", "0x" + "f" * 65, "256-bit unsigned integer"),
        ("last_note_index", "", "256-bit unsigned integer"),
        ("max_relayer_fee", str(U256_MAX + 1), "between 0 and 2^256-1"),
        ("max_relayer_fee", U256_MAX + 1, "between 0 and 2^256-1"),
        ("max_relayer_fee", "1e18", "256-bit unsigned integer"),
        ("max_relayer_fee", None, "may not be null"),
        # Named: a test id must not depend on the time it is collected at (pytest-xdist).
        pytest.param("relay_after", int(time.time()) - 10, "in the future", id="relay_after-in-the-past"),
        pytest.param(
            "relay_after",
            int(time.time()) + 10**9,
            "WITHDRAWAL_MAX_HORIZON_SECS",
            id="relay_after-beyond-the-horizon",
        ),
        ("relay_after", "1693564800", "unix timestamp"),
        ("relay_after", 1693564800.5, "unix timestamp"),
        ("relay_after", True, "unix timestamp"),
        ("relay_after", 10**20, "out of range"),
    ],
)
def test_invalid_fields_are_refused_and_nothing_is_stored(client, body, field, value, says):
    body[field] = value

    response = schedule(client, body)

    assert response.status_code == 400
    assert response.json()["code"] == 2
    assert field in response.json()["message"]
    assert says in response.json()["message"]
    assert ScheduledRequest.objects.count() == 0


@pytest.mark.parametrize(
    "value",
    ["12345", "0x3039", "0x0000003039", 12345, "000012345"],
    ids=["decimal", "hex", "hex-zeros", "int", "zeros"],
)
def test_numbers_come_in_the_originals_forms_and_are_stored_as_decimals(client, body, value):
    body["last_note_index"] = value
    body["max_relayer_fee"] = "0x" + "f" * 64

    assert schedule(client, body).status_code == 201

    stored = ScheduledRequest.objects.get()
    assert (stored.last_note_index, stored.max_relayer_fee) == ("12345", str(U256_MAX))


@pytest.mark.parametrize("missing", ["payload", "last_note_index", "max_relayer_fee", "relay_after"])
def test_every_field_is_required(client, body, missing):  # payload: or encryption_envelope
    del body[missing]

    response = schedule(client, body)

    assert response.status_code == 400
    assert missing in response.json()["message"]
    assert ScheduledRequest.objects.count() == 0


def test_the_largest_fee_is_accepted(client, body):
    body["max_relayer_fee"] = str(U256_MAX)
    assert schedule(client, body).status_code == 201


def test_unknown_fields_are_refused(client, body):
    body["relayer"] = "me"

    response = schedule(client, body)

    assert response.status_code == 400
    assert "relayer: unknown field" in response.json()["message"]
    assert ScheduledRequest.objects.count() == 0


def test_a_body_that_is_not_an_object_is_refused(client, body):
    response = client.post("/schedule_withdraw", json.dumps([body]), content_type="application/json")
    assert response.status_code == 400
    assert ScheduledRequest.objects.count() == 0


def test_malformed_json_is_refused(client):
    response = client.post("/schedule_withdraw", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == 2


def test_a_body_over_the_maximum_request_size_is_refused_with_413(client, body, settings):
    settings.MAXIMUM_REQUEST_SIZE = 102400
    body["payload"] = base64.b64encode(b"x" * 90000).decode()

    response = schedule(client, body)

    assert response.status_code == 413
    assert response.json()["code"] == 7
    assert ScheduledRequest.objects.count() == 0


def test_the_seed_example_body_is_refused_because_its_payload_is_not_sealed(client):
    # The replaced service's example uses "Hello World" as the payload and a relay time in
    # 2023: both are refused with clear messages rather than stored.
    response = client.post(
        "/schedule_withdraw",
        {"payload": "SGVsbG8gV29ybGQ=", "last_note_index": "12345",
         "max_relayer_fee": "1000000000000000000", "relay_after": 1693564800},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert set(response.json()["data"]["errors"]) == {"payload", "relay_after"}


def test_public_key_returns_the_tee_key_with_a_verified_attestation_in_the_originals_shape(client, tee):
    response = client.get("/public_key")

    assert response.status_code == 200
    original = response.json()["TeePublicKey"]
    assert set(original) == {"public_key", "attestation_document"}
    assert base64.b64decode(original["public_key"]) == tee.public_key_der
    assert original["attestation_document"]
    # The flat fields beside it, as before.
    assert {k: v for k, v in response.json().items() if k != "TeePublicKey"} == original


def test_the_envelope_may_come_as_the_originals_encryption_envelope_object(client, body):
    envelope = json.loads(base64.b64decode(body.pop("payload")))
    body["encryption_envelope"] = envelope

    response = schedule(client, body)

    assert response.status_code == 201
    stored = ScheduledRequest.objects.get(pk=response.json()["request_id"])
    assert json.loads(bytes(stored.payload)) == envelope  # stored as a payload would be


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"encryption_envelope": {"iv": "AAAA"}}, "encryption_envelope"),
        ({"encryption_envelope": "not an object"}, "encryption_envelope"),
        ({"encryption_envelope": None}, "encryption_envelope"),
    ],
)
def test_a_bad_encryption_envelope_is_refused(client, body, change, says):
    del body["payload"]
    body.update(change)
    response = schedule(client, body)
    assert response.status_code == 400 and says in response.json()["message"]
    assert ScheduledRequest.objects.count() == 0


def test_the_envelope_comes_once_not_twice_nor_never(client, body):
    both = {**body, "encryption_envelope": json.loads(base64.b64decode(body["payload"]))}
    neither = {k: v for k, v in body.items() if k != "payload"}
    for sent in (both, neither):
        response = schedule(client, sent)
        assert response.status_code == 400 and "payload or encryption_envelope" in response.json()["message"]
    assert ScheduledRequest.objects.count() == 0


def test_a_retry_of_the_same_sealed_payload_returns_the_first_request(client, body):
    first = schedule(client, body)
    envelope = json.loads(base64.b64decode(body.pop("payload")))
    again = schedule(client, {**body, "encryption_envelope": envelope})

    assert (first.status_code, again.status_code) == (201, 201), again.json()
    assert again.json() == first.json()
    assert ScheduledRequest.objects.count() == 1


def test_the_same_sealed_payload_with_other_outer_values_is_a_conflict(client, body):
    assert schedule(client, body).status_code == 201
    response = schedule(client, {**body, "max_relayer_fee": "1"})
    assert response.status_code == 409 and response.json()["code"] != 0
    assert ScheduledRequest.objects.count() == 1


def test_public_key_is_503_when_the_tee_is_down(client, tee):
    tee.stop()

    response = client.get("/public_key")

    assert response.status_code == 503
    assert response.json()["code"] == 1
    assert "TEE unavailable" in response.json()["message"]


def test_public_key_is_503_when_the_attestation_does_not_verify(client, tee, settings, tmp_path):
    from tee.attestation import load_or_create_root

    load_or_create_root(tmp_path / "other-root")
    settings.TEE_TRUST_ANCHOR = tmp_path / "other-root" / "attestation-root.pub.pem"

    response = client.get("/public_key")

    assert response.status_code == 503
    assert "AttestationError" in response.json()["message"]


def test_health_reports_a_reachable_tee(client, tee):
    assert client.get("/health").json()["data"]["tee"] == "connected"
