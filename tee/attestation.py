"""Attestation documents: a root key vouches that a public key came from the TEE, just now.

A real enclave gets its document from the hardware (AWS Nitro's NSM); the
simulator signs with an Ed25519 root key whose public half is the trust
anchor. A document binds the SHA-256 of the TEE's public key to the caller's
nonce and a timestamp, so it cannot be replayed for another key or request.
"""

import base64
import binascii
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tee.errors import AttestationError
from tee.keyfiles import read_or_create

ROOT_PRIVATE_KEY_FILE = "attestation-root.pem"
TRUST_ANCHOR_FILE = "attestation-root.pub.pem"

__all__ = ["AttestationError", "issue", "load_or_create_root", "verify"]


def _canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def issue(root_private_key: Ed25519PrivateKey, *, public_key_der: bytes, nonce: bytes, now: float) -> bytes:
    """A signed document saying ``public_key_der`` answered ``nonce`` at ``now``."""
    fields: dict[str, Any] = {
        "public_key_sha256": hashlib.sha256(public_key_der).hexdigest(),
        "nonce": base64.b64encode(nonce).decode(),
        "timestamp": now,
    }
    signature = root_private_key.sign(_canonical(fields))
    return _canonical({**fields, "signature": base64.b64encode(signature).decode()})


def verify(
    document: bytes,
    *,
    trust_anchor_pem: bytes,
    public_key_der: bytes,
    nonce: bytes,
    max_age: float,
    now: float,
) -> None:
    """Raise AttestationError unless the anchor signed it, recently, for this key and nonce."""
    anchor = _load_anchor(trust_anchor_pem)
    fields = _parse(document)
    signature = fields.pop("signature")
    try:
        anchor.verify(signature, _canonical(fields))
    except InvalidSignature as exc:
        raise AttestationError("bad signature: the document is not signed by the trusted root") from exc
    if not hmac.compare_digest(fields["public_key_sha256"], hashlib.sha256(public_key_der).hexdigest()):
        raise AttestationError("key mismatch: the document vouches for another public key")
    if not hmac.compare_digest(fields["nonce"], base64.b64encode(nonce).decode()):
        raise AttestationError("nonce mismatch: the document answers another request")
    age = now - fields["timestamp"]
    if age > max_age:
        raise AttestationError(f"stale: the document is {age:.0f}s old, more than {max_age:.0f}s")
    if -age > max_age:
        raise AttestationError(f"the document is dated {-age:.0f}s in the future")


def _load_anchor(trust_anchor_pem: bytes) -> Ed25519PublicKey:
    try:
        anchor = serialization.load_pem_public_key(trust_anchor_pem)
    except ValueError as exc:
        raise AttestationError("the trust anchor is not a PEM public key") from exc
    if not isinstance(anchor, Ed25519PublicKey):
        raise AttestationError("the trust anchor is not an Ed25519 public key")
    return anchor


def _parse(document: bytes) -> dict[str, Any]:
    try:
        fields = json.loads(document.decode("utf-8"))
    except ValueError as exc:
        raise AttestationError("the document is not UTF-8 JSON") from exc
    if not isinstance(fields, dict) or set(fields) != {
        "public_key_sha256",
        "nonce",
        "timestamp",
        "signature",
    }:
        raise AttestationError("the document must hold public_key_sha256, nonce, timestamp and signature")
    timestamp = fields["timestamp"]
    if isinstance(timestamp, bool) or not isinstance(timestamp, int | float):
        raise AttestationError("the document's timestamp is not a number")
    if not isinstance(fields["public_key_sha256"], str) or not isinstance(fields["nonce"], str):
        raise AttestationError("the document's public_key_sha256 and nonce must be strings")
    try:
        fields["signature"] = base64.b64decode(fields["signature"], validate=True)
    except (binascii.Error, TypeError, ValueError) as exc:
        raise AttestationError("the document's signature is not base64") from exc
    return fields


def load_or_create_root(key_dir: Path) -> Ed25519PrivateKey:
    """The simulator's root key from ``key_dir``, created (with its trust anchor file) if missing."""
    key_dir = Path(key_dir)

    def generate() -> bytes:
        return Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    pem = read_or_create(key_dir / ROOT_PRIVATE_KEY_FILE, generate, mode=0o600)
    root = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(root, Ed25519PrivateKey):
        raise ValueError(f"{key_dir / ROOT_PRIVATE_KEY_FILE} is not an Ed25519 private key")
    anchor = root.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    read_or_create(key_dir / TRUST_ANCHOR_FILE, lambda: anchor, mode=0o644)
    return root
