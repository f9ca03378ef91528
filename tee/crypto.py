"""Sealing a withdrawal to the TEE's key: AES-256-GCM under a fresh key, wrapped with RSA-OAEP.

The client seals; only the TEE, which holds the RSA private key, can unseal.
The server stores and forwards the envelope without being able to read it.
"""

import base64
import binascii
import json
import os
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import load_der_public_key

from tee.errors import DecryptError
from tee.payload import CONTRACT_VERSION, WithdrawalPayload

DEK_BYTES = 32
IV_BYTES = 12
TAG_BYTES = 16
OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
ENVELOPE_FIELDS = ("encrypted_payload", "encrypted_dek", "iv", "auth_tag")


@dataclass(frozen=True)
class EncryptionEnvelope:
    encrypted_payload: bytes
    encrypted_dek: bytes
    iv: bytes
    auth_tag: bytes

    def to_json(self) -> dict[str, str]:
        return {name: base64.b64encode(getattr(self, name)).decode() for name in ENVELOPE_FIELDS}

    @classmethod
    def from_json(cls, body: Any) -> "EncryptionEnvelope":
        """Build from the JSON form; raise ValueError saying which field is wrong."""
        if not isinstance(body, dict):
            raise ValueError("the envelope must be a JSON object")
        unknown = sorted(set(body) - set(ENVELOPE_FIELDS))
        if unknown:
            raise ValueError(f"unknown envelope fields: {', '.join(unknown)}")
        values: dict[str, bytes] = {}
        for name in ENVELOPE_FIELDS:
            raw = body.get(name)
            if not isinstance(raw, str):
                raise ValueError(f"{name} must be a base64 string")
            try:
                values[name] = base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ValueError(f"{name} is not valid base64") from exc
        if len(values["iv"]) != IV_BYTES:
            raise ValueError(f"iv must be {IV_BYTES} bytes, got {len(values['iv'])}")
        if len(values["auth_tag"]) != TAG_BYTES:
            raise ValueError(f"auth_tag must be {TAG_BYTES} bytes, got {len(values['auth_tag'])}")
        if not values["encrypted_dek"]:
            raise ValueError("encrypted_dek must not be empty")
        if not values["encrypted_payload"]:
            raise ValueError("encrypted_payload must not be empty")
        return cls(**values)

    def to_payload(self) -> bytes:
        """The bytes a client base64-encodes as ``payload`` of POST /schedule_withdraw."""
        return json.dumps(self.to_json(), separators=(",", ":")).encode()

    @classmethod
    def from_payload(cls, payload: bytes) -> "EncryptionEnvelope":
        try:
            body = json.loads(payload.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            raise ValueError("the envelope is not UTF-8 JSON") from exc
        return cls.from_json(body)


def seal(public_key_der: bytes, plaintext: bytes) -> EncryptionEnvelope:
    """Encrypt ``plaintext`` so that only the holder of the RSA private key can read it."""
    try:
        public_key = load_der_public_key(public_key_der)
    except ValueError as exc:
        raise ValueError("the public key is not DER SubjectPublicKeyInfo") from exc
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise ValueError("the public key is not an RSA key")
    dek = AESGCM.generate_key(bit_length=DEK_BYTES * 8)
    iv = os.urandom(IV_BYTES)
    sealed = AESGCM(dek).encrypt(iv, plaintext, None)
    return EncryptionEnvelope(
        encrypted_payload=sealed[:-TAG_BYTES],
        encrypted_dek=public_key.encrypt(dek, OAEP),
        iv=iv,
        auth_tag=sealed[-TAG_BYTES:],
    )


def unseal(private_key: rsa.RSAPrivateKey, envelope: EncryptionEnvelope) -> bytes:
    """Decrypt an envelope; raise DecryptError if the key is wrong or anything was altered."""
    try:
        dek = private_key.decrypt(envelope.encrypted_dek, OAEP)
    except ValueError as exc:
        raise DecryptError("the data key cannot be unwrapped with this private key") from exc
    if len(dek) != DEK_BYTES:
        raise DecryptError(f"the data key must be {DEK_BYTES} bytes")
    try:
        return AESGCM(dek).decrypt(envelope.iv, envelope.encrypted_payload + envelope.auth_tag, None)
    except (InvalidTag, ValueError) as exc:
        raise DecryptError("the payload fails authentication (tampered or wrong key)") from exc


def seal_withdrawal(
    public_key_der: bytes,
    *,
    account_id: int,
    nullifier_old: int,
    account_old_balance: int = 0,
    nullifier_new: int,
    last_note_index: int,
    chain_id: int,
    token_address: str,
    withdrawal_value: int,
    withdraw_address: str,
    pocket_money: int,
    protocol_fee: int,
    memo: bytes,
    max_relayer_fee: int,
    relay_after: int,
) -> EncryptionEnvelope:
    """Seal a withdrawal for the TEE; raise ValueError on an out-of-range field."""
    payload = WithdrawalPayload(
        account_id=account_id,
        account_old_balance=account_old_balance,
        nullifier_old=nullifier_old,
        nullifier_new=nullifier_new,
        last_note_index=last_note_index,
        mac_salt=secrets.randbits(248),
        contract_version=CONTRACT_VERSION,
        chain_id=chain_id,
        token_address=token_address,
        withdrawal_value=withdrawal_value,
        withdraw_address=withdraw_address,
        pocket_money=pocket_money,
        protocol_fee=protocol_fee,
        memo=memo,
        max_relayer_fee=max_relayer_fee,
        relay_after=relay_after,
    )
    return seal(public_key_der, payload.to_plaintext())
