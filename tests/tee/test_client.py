import hashlib
import socket
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from scheduler_project.testing.factories import sealed_withdrawal as withdrawal
from tee.attestation import TRUST_ANCHOR_FILE, load_or_create_root
from tee.client import TeeClient
from tee.crypto import seal
from tee.errors import (
    AttestationError,
    TeeDecryptError,
    TeeFeeTooHigh,
    TeeProtocolError,
    TeeRejected,
    TeeTooEarly,
)
from tee.pool import TeePool
from tee.protocol import encode_frame
from tests.conftest import DrippingServer, read_tee_frame
from tests.tee.conftest import RELAY


def test_ping_is_answered(client):
    client.ping()


def test_the_public_key_is_the_tees_and_its_attestation_verifies(client, simulator):
    info = client.public_key()

    assert info.public_key_der == simulator.public_key_der
    assert hashlib.sha256(info.public_key_der).hexdigest().encode() in info.attestation_document


def test_a_public_key_attested_by_an_untrusted_root_is_refused(client, settings, tmp_path):
    load_or_create_root(tmp_path / "other-root")
    settings.TEE_TRUST_ANCHOR = tmp_path / "other-root" / TRUST_ANCHOR_FILE

    with pytest.raises(AttestationError, match="bad signature"):
        client.public_key()


def test_a_missing_trust_anchor_file_is_an_attestation_error(client, settings, tmp_path):
    settings.TEE_TRUST_ANCHOR = tmp_path / "nowhere.pem"

    with pytest.raises(AttestationError, match="cannot read the trust anchor"):
        client.public_key()


def test_a_sealed_withdrawal_becomes_relay_calldata(client):
    envelope = withdrawal(client.public_key().public_key_der, nullifier_old=1111, nullifier_new=2222)

    calldata = client.prepare_relay_calldata(envelope, **RELAY)

    assert calldata["nullifier_hash"] == "0x" + hashlib.sha256(b"1111").hexdigest()
    assert calldata["new_note"] == "0x" + hashlib.sha256(b"2222").hexdigest()
    assert calldata["amount"] == str(10**17)
    assert calldata["fee_amount"] == str(RELAY["relayer_fee"])
    assert calldata["withdraw_address"] == "0x" + "ab" * 20
    assert calldata["merkle_root"] == RELAY["merkle_root"]
    assert calldata["expected_contract_version"] == "0x000101"
    assert calldata["fee_token"] == "Native"
    assert calldata["pocket_money"] == "5"
    assert calldata["proof"].startswith("0x")
    assert set(calldata) >= {"mac_salt", "mac_commitment"}


def test_the_same_envelope_gives_the_same_calldata_so_a_retry_is_harmless(client):
    envelope = withdrawal(client.public_key().public_key_der)

    assert client.prepare_relay_calldata(envelope, **RELAY) == client.prepare_relay_calldata(
        envelope, **RELAY
    )


def test_a_relayer_fee_equal_to_the_sealed_maximum_is_accepted(client):
    envelope = withdrawal(client.public_key().public_key_der, max_relayer_fee=RELAY["relayer_fee"])

    assert client.prepare_relay_calldata(envelope, **RELAY)["fee_amount"] == str(RELAY["relayer_fee"])


def test_a_relayer_fee_above_the_sealed_maximum_is_refused(client):
    envelope = withdrawal(client.public_key().public_key_der, max_relayer_fee=RELAY["relayer_fee"] - 1)

    with pytest.raises(TeeFeeTooHigh) as caught:
        client.prepare_relay_calldata(envelope, **RELAY)
    assert caught.value.kind == "fee_too_high"


def test_a_relay_before_the_sealed_relay_after_is_refused(client):
    envelope = withdrawal(client.public_key().public_key_der, relay_after=int(time.time()) + 3600)

    with pytest.raises(TeeTooEarly):
        client.prepare_relay_calldata(envelope, **RELAY)


def test_a_payload_sealed_to_another_key_is_a_decrypt_error(client):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    der = stranger.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)

    with pytest.raises(TeeDecryptError):
        client.prepare_relay_calldata(withdrawal(der), **RELAY)


def test_a_sealed_payload_that_is_not_a_withdrawal_is_rejected(client):
    envelope = seal(client.public_key().public_key_der, b'{"withdrawal": "sealed"}')

    with pytest.raises(TeeRejected) as caught:
        client.prepare_relay_calldata(envelope, **RELAY)
    assert caught.value.kind == "bad_request"


def test_a_malformed_relay_request_is_rejected(client):
    envelope = withdrawal(client.public_key().public_key_der)

    with pytest.raises(TeeRejected, match="relayer_address"):
        client.prepare_relay_calldata(envelope, **{**RELAY, "relayer_address": "nobody"})


@pytest.mark.parametrize(
    "answer",
    [
        {"PrepareRelayCalldata": {"calldata": {"to": "0x1"}}},
        {"PrepareRelayCalldata": {"calldata": {"nullifier_hash": 12}}},
        {"PrepareRelayCalldata": {"calldata": ["not", "an", "object"]}},
        {"SomethingElse": {}},
        [1, 2, 3],
    ],
)
def test_a_malformed_calldata_answer_is_a_protocol_error(simulator, answer):
    """The enclave's answer is checked before anything relies on it: a withdrawal then
    records the error and is retried, rather than its worker failing on a KeyError."""
    with DrippingServer(encode_frame(answer), interval=0, read_request=read_tee_frame) as tee:
        pool = TeePool(lambda: socket.create_connection(("127.0.0.1", tee.port)),
                       capacity=1, acquire_timeout=1, compute_timeout=5)  # fmt: skip

        with pytest.raises(TeeProtocolError):
            TeeClient(pool).prepare_relay_calldata(withdrawal(simulator.public_key_der), **RELAY)
        pool.close()
