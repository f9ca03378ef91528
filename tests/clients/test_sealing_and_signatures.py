"""The Python client's sealing and signature checks, without a service: what it seals the
TEE's own code opens, and what ``verify_webhook`` refuses."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from standardwebhooks import Webhook

from scheduler_client import WebhookVerificationError, seal_withdrawal, verify_webhook
from tee.crypto import EncryptionEnvelope, unseal
from tee.payload import WithdrawalPayload
from tests.clients.conftest import WITHDRAWAL


def test_what_the_client_seals_the_tee_opens_field_for_field() -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = private.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    request = seal_withdrawal(base64.b64encode(der).decode(), **WITHDRAWAL, relay_after=1_900_000_000)
    body = request.model_dump(mode="json", exclude_none=True)
    opened = WithdrawalPayload.from_plaintext(
        unseal(private, EncryptionEnvelope.from_payload(base64.b64decode(body["payload"])))
    )
    assert {name: getattr(opened, name) for name in WITHDRAWAL} == WITHDRAWAL
    assert (opened.relay_after, opened.contract_version) == (1_900_000_000, "0x000101")
    assert (body["last_note_index"], body["max_relayer_fee"], body["relay_after"]) == (
        "12345",
        str(10**18),
        1_900_000_000,
    )
    with pytest.raises(ValueError, match="withdraw_address"):
        seal_withdrawal(der, **{**WITHDRAWAL, "withdraw_address": "0x12"}, relay_after=1)


def test_a_stale_or_foreign_signature_is_refused_with_the_reason() -> None:
    secret = "whsec_" + base64.b64encode(b"a tenant's signing secret").decode()
    body = b'{"n": 1}'

    def signed(at: datetime, key: str = secret) -> dict[str, str]:
        signature = Webhook(key).sign("msg_1", at, body.decode())
        return {
            "Webhook-Id": "msg_1",
            "Webhook-Timestamp": str(int(at.timestamp())),
            "Webhook-Signature": signature,
        }

    now = datetime.now(UTC)
    assert verify_webhook(signed(now), body, secret) == {"n": 1}
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify_webhook(signed(now - timedelta(minutes=10)), body, secret)
    other = "whsec_" + base64.b64encode(b"another tenant's secret").decode()
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        verify_webhook(
            signed(now, other), body, [secret, "whsec_" + base64.b64encode(b"the previous secret").decode()]
        )
    with pytest.raises(WebhookVerificationError, match="Missing required headers"):
        verify_webhook({}, body, secret)
