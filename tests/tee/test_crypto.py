import base64
import dataclasses
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scheduler_project.testing.factories import sealed_withdrawal as withdrawal
from tee.crypto import EncryptionEnvelope, seal, seal_withdrawal, unseal
from tee.errors import DecryptError
from tee.payload import WithdrawalPayload


def public_der(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def envelope(key) -> EncryptionEnvelope:
    return seal(public_der(key), b"the withdrawal")


def flip_last_bit(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


def test_a_sealed_payload_opens_with_the_matching_private_key(key, envelope):
    assert unseal(key, envelope) == b"the withdrawal"


def test_an_envelope_has_a_12_byte_iv_a_16_byte_tag_and_a_dek_wrapped_for_rsa_2048(envelope):
    assert len(envelope.iv) == 12
    assert len(envelope.auth_tag) == 16
    assert len(envelope.encrypted_dek) == 256
    assert len(envelope.encrypted_payload) == len(b"the withdrawal")


def test_sealing_twice_uses_a_fresh_key_and_iv(key):
    first, second = seal(public_der(key), b"same"), seal(public_der(key), b"same")

    assert first.iv != second.iv
    assert first.encrypted_dek != second.encrypted_dek


@pytest.mark.parametrize("field", ["encrypted_payload", "auth_tag", "iv", "encrypted_dek"])
def test_a_tampered_envelope_does_not_open(key, envelope, field):
    tampered = dataclasses.replace(envelope, **{field: flip_last_bit(getattr(envelope, field))})

    with pytest.raises(DecryptError):
        unseal(key, tampered)


def test_an_envelope_sealed_to_another_key_does_not_open(other_key, envelope):
    with pytest.raises(DecryptError):
        unseal(other_key, envelope)


def test_sealing_refuses_a_key_that_is_not_rsa():
    ed25519 = Ed25519PrivateKey.generate().public_key()
    der = ed25519.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)

    with pytest.raises(ValueError, match="not an RSA key"):
        seal(der, b"x")


def test_an_envelope_round_trips_through_json_and_the_payload_bytes(envelope):
    assert EncryptionEnvelope.from_json(envelope.to_json()) == envelope
    assert EncryptionEnvelope.from_payload(envelope.to_payload()) == envelope
    assert set(json.loads(envelope.to_payload())) == {"encrypted_payload", "encrypted_dek", "iv", "auth_tag"}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"iv": b64(b"x" * 11)}, "iv must be 12 bytes"),
        ({"auth_tag": b64(b"x" * 15)}, "auth_tag must be 16 bytes"),
        ({"encrypted_dek": ""}, "encrypted_dek must not be empty"),
        ({"encrypted_payload": ""}, "encrypted_payload must not be empty"),
        ({"iv": "not base64!"}, "iv is not valid base64"),
        ({"auth_tag": 16}, "auth_tag must be a base64 string"),
        ({"surprise": "x"}, "unknown envelope fields: surprise"),
    ],
)
def test_envelope_json_is_validated_field_by_field(envelope, change, message):
    body = {**envelope.to_json(), **change}

    with pytest.raises(ValueError, match=message):
        EncryptionEnvelope.from_json(body)


def test_envelope_json_missing_a_field_is_refused(envelope):
    body = envelope.to_json()
    del body["encrypted_dek"]

    with pytest.raises(ValueError, match="encrypted_dek must be a base64 string"):
        EncryptionEnvelope.from_json(body)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"Hello World", "not UTF-8 JSON"),
        (b"\xff\xfe", "not UTF-8 JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b"{}", "must be a base64 string"),
    ],
)
def test_payload_bytes_that_are_not_an_envelope_are_refused(payload, message):
    with pytest.raises(ValueError, match=message):
        EncryptionEnvelope.from_payload(payload)


ORIGINAL_FIELDS = [  # the original's Payload (shielder-scheduler-common, protocol.rs), in order
    "account_id", "account_old_balance", "nullifier_old", "nullifier_new", "last_note_index", "mac_salt",
    "contract_version", "chain_id", "token_address", "withdrawal_value", "withdraw_address", "pocket_money",
    "protocol_fee", "memo", "max_relayer_fee", "relay_after",
]  # fmt: skip


def test_a_sealed_withdrawal_is_the_originals_payload_as_its_serde_writes_it(key):
    envelope = withdrawal(public_der(key), nullifier_old=2**255, memo=b"\xca\xfe", protocol_fee=0)

    body = json.loads(unseal(key, envelope))

    assert list(body) == ORIGINAL_FIELDS
    assert body["nullifier_old"] == "0x8" + "0" * 63  # U256: 0x hex, no leading zeros
    assert body["protocol_fee"] == "0x0"
    assert body["memo"] == "0xcafe"
    assert body["withdraw_address"] == "0x" + "ab" * 20
    assert body["contract_version"] == "0x000101"
    assert WithdrawalPayload.from_plaintext(unseal(key, envelope)).nullifier_old == 2**255


def test_a_payload_written_by_a_real_client_opens_whatever_form_its_numbers_take(key):
    """serde's U256 reads 0x hex, decimal strings and JSON integers: so does the TEE side."""
    plaintext: dict = {name: "0x1" for name in ORIGINAL_FIELDS}
    plaintext.update(account_old_balance="1000", last_note_index=12345, relay_after=1700000000,
                     contract_version="0x000101", token_address="0x" + "00" * 20,
                     withdraw_address="0x" + "ab" * 20, memo="0x")  # fmt: skip
    envelope = seal(public_der(key), json.dumps(plaintext).encode())

    opened = WithdrawalPayload.from_plaintext(unseal(key, envelope))

    assert (opened.account_id, opened.account_old_balance, opened.last_note_index) == (1, 1000, 12345)
    assert opened.relay_after == 1700000000 and opened.memo == b""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"withdraw_address": "0x1234"}, "withdraw_address must be 0x followed by 40 hex digits"),
        ({"token_address": "ab" * 20}, "token_address must be 0x followed by 40 hex digits"),
        ({"withdrawal_value": -1}, "withdrawal_value must be between 0 and 2"),
        ({"max_relayer_fee": 2**256}, "max_relayer_fee must be between 0 and 2"),
        ({"relay_after": "soon"}, "relay_after must be an integer"),
    ],
)
def test_sealing_a_withdrawal_refuses_out_of_range_fields(key, change, message):
    with pytest.raises(ValueError, match=message):
        withdrawal(public_der(key), **change)


def test_a_decrypted_payload_missing_fields_is_refused_by_name():
    with pytest.raises(ValueError, match=r"lacks .*relay_after"):
        WithdrawalPayload.from_plaintext(b'{"account_id": "1"}')


def test_seal_withdrawal_takes_every_field_by_keyword(key):
    envelope = seal_withdrawal(
        public_der(key), account_id=1, nullifier_old=2, nullifier_new=3, last_note_index=4, chain_id=5,
        token_address="0x" + "00" * 20, withdrawal_value=6, withdraw_address="0x" + "11" * 20, pocket_money=7,
        protocol_fee=8, memo=b"", max_relayer_fee=9, relay_after=10,
    )  # fmt: skip

    opened = WithdrawalPayload.from_plaintext(unseal(key, envelope))

    assert (opened.account_id, opened.pocket_money, opened.protocol_fee, opened.memo) == (1, 7, 8, b"")
