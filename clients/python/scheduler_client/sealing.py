"""Sealing a withdrawal to the TEE's key, as the service expects it (docs/api.md,
"Withdrawals"): the withdrawal's JSON encrypted with AES-256-GCM (12-byte IV, no associated
data) under a fresh 32-byte key, that key wrapped with RSA-OAEP-SHA256 under the TEE's key.
Only the TEE can open it; the service stores and relays it unread."""

import base64
import json
import os
import secrets
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import load_der_public_key

from scheduler_client import models

CONTRACT_VERSION = "0x000101"
TAG_BYTES = 16
U256_MAX = 2**256 - 1
OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def seal_withdrawal(
    public_key: str | bytes,
    *,
    account_id: int,
    nullifier_old: int,
    nullifier_new: int,
    last_note_index: int,
    chain_id: int,
    token_address: str,
    withdrawal_value: int,
    withdraw_address: str,
    pocket_money: int,
    protocol_fee: int,
    max_relayer_fee: int,
    relay_after: int,
    memo: bytes = b"",
    account_old_balance: int = 0,
) -> models.ScheduleWithdraw:
    """The body of ``Client.schedule_withdrawal``: the withdrawal sealed to ``public_key``
    (``Client.public_key().public_key``, base64 DER, or the DER bytes), with its
    ``last_note_index``, ``max_relayer_fee`` and ``relay_after`` (unix seconds) beside it,
    the same values as sealed inside. Raises ValueError on a field out of range."""
    der = base64.b64decode(public_key, validate=True) if isinstance(public_key, str) else public_key
    key = load_der_public_key(der)
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("the public key is not an RSA key")
    numbers = {
        "account_id": account_id, "account_old_balance": account_old_balance, "nullifier_old": nullifier_old,
        "nullifier_new": nullifier_new, "last_note_index": last_note_index, "chain_id": chain_id,
        "withdrawal_value": withdrawal_value, "pocket_money": pocket_money, "protocol_fee": protocol_fee,
        "max_relayer_fee": max_relayer_fee, "relay_after": relay_after,
    }  # fmt: skip
    for name, value in numbers.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= U256_MAX:
            raise ValueError(f"{name} must be an integer between 0 and 2^256-1")
    for name, address in (("token_address", token_address), ("withdraw_address", withdraw_address)):
        if not (address.startswith("0x") and len(address) == 42 and is_hex(address[2:])):
            raise ValueError(f"{name} must be 0x followed by 40 hex digits")
    # The original's Payload, field for field and in its order, as its serde writes it:
    # numbers as 0x hex without leading zeros, bytes as 0x hex.
    plaintext: dict[str, Any] = {
        "account_id": account_id,
        "account_old_balance": account_old_balance,
        "nullifier_old": nullifier_old,
        "nullifier_new": nullifier_new,
        "last_note_index": last_note_index,
        "mac_salt": secrets.randbits(248),
        "contract_version": CONTRACT_VERSION,
        "chain_id": chain_id,
        "token_address": token_address,
        "withdrawal_value": withdrawal_value,
        "withdraw_address": withdraw_address,
        "pocket_money": pocket_money,
        "protocol_fee": protocol_fee,
        "memo": "0x" + memo.hex(),
        "max_relayer_fee": max_relayer_fee,
        "relay_after": relay_after,
    }
    written = {name: hex(value) if isinstance(value, int) else value for name, value in plaintext.items()}
    data_key = AESGCM.generate_key(bit_length=256)
    iv = os.urandom(12)
    sealed = AESGCM(data_key).encrypt(iv, json.dumps(written, separators=(",", ":")).encode(), None)
    envelope = {
        "encrypted_payload": sealed[:-TAG_BYTES],
        "encrypted_dek": key.encrypt(data_key, OAEP),
        "iv": iv,
        "auth_tag": sealed[-TAG_BYTES:],
    }
    encoded = {name: base64.b64encode(part).decode() for name, part in envelope.items()}
    payload = base64.b64encode(json.dumps(encoded, separators=(",", ":")).encode()).decode()
    return models.ScheduleWithdraw.model_validate(
        {"payload": payload, "last_note_index": str(last_note_index),
         "max_relayer_fee": str(max_relayer_fee), "relay_after": relay_after}
    )  # fmt: skip


def is_hex(text: str) -> bool:
    return all(character in "0123456789abcdefABCDEF" for character in text)
