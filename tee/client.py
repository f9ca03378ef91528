"""The TEE's three requests as methods, over the shared connection pool.

Answers of the form ``{"Error": {"kind": ..., "message": ...}}`` become the
exceptions of ``tee.errors``; an answer of the wrong shape is a
``TeeProtocolError``. ``public_key`` only returns a key whose attestation
checks out against the trust anchor in ``settings.TEE_TRUST_ANCHOR``.
"""

import base64
import binascii
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key
from django.conf import settings
from django.core.cache import cache

from tee import attestation, nitro
from tee.crypto import EncryptionEnvelope
from tee.errors import (
    AttestationError,
    TeeDecryptError,
    TeeError,
    TeeErrorResponse,
    TeeFeeTooHigh,
    TeeProtocolError,
    TeeRejected,
    TeeTooEarly,
    error_from_response,
)
from tee.metrics import TEE_ERRORS
from tee.pool import TeePool, get_pool
from tee.protocol import (
    ping_request,
    prepare_request,
    public_key_request,
    shielder_prepare_request,
    shielder_public_key_request,
)

logger = logging.getLogger(__name__)

__all__ = [
    "AttestationError",
    "PublicKeyInfo",
    "TeeClient",
    "TeeDecryptError",
    "TeeError",
    "TeeFeeTooHigh",
    "TeeRejected",
    "TeeTooEarly",
]

NONCE_BYTES = 32
ERROR_KINDS = frozenset({"decrypt", "fee_too_high", "too_early", "bad_request", "internal"})


@dataclass(frozen=True)
class PublicKeyInfo:
    public_key_der: bytes
    attestation_document: bytes


class TeeClient:
    def __init__(self, pool: TeePool | None = None) -> None:
        self.pool = pool if pool is not None else get_pool()

    def ping(self, *, timeout: float | None = None) -> None:
        """Check that the TEE answers (within ``timeout``, if given); raise a TeeError if not."""
        answer = self._call(ping_request(), timeout=timeout)
        if answer != "Pong":
            raise self._protocol_error(f"expected Pong, got {answer!r}")

    @property
    def shielder(self) -> bool:
        return bool(settings.TEE_PROTOCOL == "shielder")

    def public_key(self) -> PublicKeyInfo:
        """The TEE's RSA public key (DER), attested (for a fresh nonce, or by a Nitro
        document in shielder mode); else AttestationError."""
        nonce = os.urandom(NONCE_BYTES)
        request = shielder_public_key_request() if self.shielder else public_key_request(nonce)
        body = self._variant(self._call(request), "TeePublicKey")
        try:
            der = base64.b64decode(body["public_key"], validate=True)
            document = base64.b64decode(body["attestation_document"], validate=True)
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise self._protocol_error(f"malformed TeePublicKey answer: {exc}") from exc
        anchor = _read_trust_anchor(Path(settings.TEE_TRUST_ANCHOR))
        max_age, now = settings.TEE_ATTESTATION_MAX_AGE_SECS, time.time()
        try:
            if self.shielder:
                attested = nitro.verify(
                    document, root_pem=anchor, pcrs=settings.TEE_PCRS, max_age=max_age, now=now
                )
                if attested.public_key != der:
                    raise AttestationError("Nitro attestation: the document vouches for another public key")
            else:
                attestation.verify(
                    document,
                    trust_anchor_pem=anchor,
                    public_key_der=der,
                    nonce=nonce,
                    max_age=max_age,
                    now=now,
                )
        except AttestationError:
            TEE_ERRORS.labels("attestation").inc()
            raise
        record_attestation(time.time())
        return PublicKeyInfo(public_key_der=self._rsa_der(der), attestation_document=document)

    def _rsa_der(self, der: bytes) -> bytes:
        try:
            key = load_der_public_key(der)
        except ValueError as exc:
            raise self._protocol_error("the TEE public key is not DER SubjectPublicKeyInfo") from exc
        if not isinstance(key, rsa.RSAPublicKey):
            raise self._protocol_error("the TEE public key is not an RSA key")
        return der

    def prepare_relay_calldata(
        self,
        envelope: EncryptionEnvelope,
        *,
        relayer_fee: int,
        relayer_address: str,
        merkle_path: list[list[str]],
        merkle_root: str,
    ) -> dict[str, Any]:
        """Have the TEE open the envelope and return the relay calldata (a dict of strings)."""
        if self.shielder:
            message = shielder_prepare_request(
                envelope, relayer_fee=relayer_fee, relayer_address=relayer_address, merkle_path=merkle_path
            )
        else:
            message = prepare_request(
                envelope,
                relayer_fee=relayer_fee,
                relayer_address=relayer_address,
                merkle_path=merkle_path,
                merkle_root=merkle_root,
            )
        body = self._variant(self._call(message), "PrepareRelayCalldata")
        calldata = body.get("calldata")
        if not isinstance(calldata, dict):
            raise self._protocol_error("the PrepareRelayCalldata answer has no calldata object")
        nullifier = calldata.get("nullifier_hash")
        if not isinstance(nullifier, str) or not nullifier:
            raise self._protocol_error("the PrepareRelayCalldata answer's calldata has no nullifier_hash")
        return calldata

    def _call(self, message: Any, *, timeout: float | None = None) -> Any:
        answer = self.pool.request(message, timeout=timeout)
        # The original enclave has no error variant: it closes the connection (TeeUnavailable).
        if not self.shielder and isinstance(answer, dict) and set(answer) == {"Error"}:
            error: TeeErrorResponse = error_from_response(answer["Error"])
            TEE_ERRORS.labels(error.kind if error.kind in ERROR_KINDS else "other").inc()
            raise error
        return answer

    def _variant(self, answer: Any, name: str) -> dict[str, Any]:
        if not isinstance(answer, dict) or set(answer) != {name} or not isinstance(answer[name], dict):
            raise self._protocol_error(f"expected a {name} answer, got {str(answer)[:200]}")
        return answer[name]

    @staticmethod
    def _protocol_error(message: str) -> TeeProtocolError:
        TEE_ERRORS.labels("protocol").inc()
        return TeeProtocolError(message)


def _read_trust_anchor(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise AttestationError(f"cannot read the trust anchor {path}: {exc.strerror}") from exc


ATTESTED_AT_KEY = "tee:attested_at"


def record_attestation(at: float) -> None:
    """When an attestation last verified, for detailed health (shared by every process)."""
    try:
        cache.set(ATTESTED_AT_KEY, at, None)
    except Exception:
        logger.warning("could not record the attestation time", exc_info=True)


def last_attestation() -> float | None:
    try:
        found = cache.get(ATTESTED_AT_KEY)
    except Exception:
        return None
    return float(found) if found is not None else None
