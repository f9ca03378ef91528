"""AWS Nitro Enclaves attestation documents: verify one, and (for the simulator and tests)
issue one.

A document is a COSE_Sign1 structure in CBOR (RFC 9052): ``[protected, unprotected,
payload, signature]``, the protected header naming ES384, the payload a CBOR map with
``module_id``, ``digest``, ``timestamp`` (milliseconds), ``pcrs``, ``certificate`` (the
signing certificate, DER), ``cabundle`` (the chain from the root down, DER),
``public_key``, ``user_data`` and ``nonce``. Verifying means: the signature (ECDSA P-384
over SHA-384 of the COSE ``Sig_structure``) by the certificate's key; each certificate
issued by the one before it, the first being the configured root (``TEE_TRUST_ANCHOR``,
AWS's public Nitro root in production), each valid now; the document recent
(``timestamp``); the enclave image the expected one (the configured PCRs); and the
public key it carries, which is the key withdrawals are sealed to.
"""

import hashlib
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import cbor2
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from cryptography.x509.oid import NameOID

from tee.errors import AttestationError

ES384 = -35  # COSE algorithm: ECDSA with SHA-384
P384_BYTES = 48


@dataclass(frozen=True)
class Attested:
    public_key: bytes
    pcrs: dict[int, bytes]
    timestamp: float  # unix seconds
    module_id: str


def _fail(message: str) -> AttestationError:
    return AttestationError(f"Nitro attestation: {message}")


def _load_certificate(der: Any, what: str) -> x509.Certificate:
    if not isinstance(der, bytes):
        raise _fail(f"{what} is not a DER byte string")
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError as exc:
        raise _fail(f"{what} is not a DER certificate") from exc


def load_root(pem: bytes) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise _fail("the trust anchor is not a PEM certificate") from exc


def _check_chain(
    root: x509.Certificate, bundle: list[x509.Certificate], leaf: x509.Certificate, now: datetime
) -> None:
    if not bundle or bundle[0].fingerprint(hashes.SHA256()) != root.fingerprint(hashes.SHA256()):
        raise _fail("the certificate chain does not start at the configured root")
    chain = [*bundle, leaf]
    for issuer, cert in itertools.pairwise(chain):
        try:
            cert.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature) as exc:
            raise _fail(
                f"{cert.subject.rfc4514_string()} is not issued by {issuer.subject.rfc4514_string()}"
            ) from exc
    for cert in chain:
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
            raise _fail(
                f"the certificate {cert.subject.rfc4514_string()} is not valid now (expired or not yet)"
            )


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return bytes(cbor2.dumps(["Signature1", protected, b"", payload]))


def verify(
    document: bytes, *, root_pem: bytes, pcrs: dict[int, bytes], max_age: float, now: float
) -> Attested:
    """The document's contents once every check passed; AttestationError saying which failed."""
    try:
        cose = cbor2.loads(document)
    except (cbor2.CBORDecodeError, ValueError, TypeError, EOFError) as exc:
        raise _fail("the document is not CBOR") from exc
    if isinstance(cose, cbor2.CBORTag) and cose.tag == 18:  # COSE_Sign1 may come tagged
        cose = cose.value
    if not (
        isinstance(cose, list)
        and len(cose) == 4
        and isinstance(cose[0], bytes)
        and isinstance(cose[2], bytes)
    ):
        raise _fail("the document is not a COSE_Sign1 structure")
    protected, _unprotected, payload, signature = cose
    try:
        header = cbor2.loads(protected) if protected else {}
        body = cbor2.loads(payload)
    except (cbor2.CBORDecodeError, ValueError, TypeError, EOFError) as exc:
        raise _fail("the document's header or payload is not CBOR") from exc
    if not isinstance(header, dict) or header.get(1) != ES384:
        raise _fail("the document is not signed with ES384")
    if not isinstance(body, dict):
        raise _fail("the document's payload is not a map")
    moment = datetime.fromtimestamp(now, tz=UTC)
    leaf = _load_certificate(body.get("certificate"), "certificate")
    bundle = body.get("cabundle")
    if not isinstance(bundle, list):
        raise _fail("cabundle is not a list")
    _check_chain(
        load_root(root_pem), [_load_certificate(c, "a cabundle entry") for c in bundle], leaf, moment
    )
    key = leaf.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp384r1":
        raise _fail("the signing certificate's key is not P-384")
    if not isinstance(signature, bytes) or len(signature) != 2 * P384_BYTES:
        raise _fail("the signature is not 96 bytes")
    der_signature = encode_dss_signature(
        int.from_bytes(signature[:P384_BYTES], "big"), int.from_bytes(signature[P384_BYTES:], "big")
    )
    try:
        key.verify(der_signature, _sig_structure(protected, payload), ec.ECDSA(hashes.SHA384()))
    except InvalidSignature as exc:
        raise _fail("the signature does not verify") from exc
    timestamp = body.get("timestamp")
    if isinstance(timestamp, bool) or not isinstance(timestamp, int):
        raise _fail("timestamp is not an integer")
    age = now - timestamp / 1000
    if not -60 <= age <= max_age:
        raise _fail(f"the document is {age:.0f}s old (at most {max_age:g}s is accepted)")
    found = body.get("pcrs")
    if not isinstance(found, dict):
        raise _fail("pcrs is not a map")
    for index, expected in sorted(pcrs.items()):
        if found.get(index) != expected:
            raise _fail(f"PCR{index} is not the expected enclave image's")
    public_key = body.get("public_key")
    if not isinstance(public_key, bytes) or not public_key:
        raise _fail("the document carries no public key")
    return Attested(
        public_key,
        {int(i): bytes(v) for i, v in found.items()},
        timestamp / 1000,
        str(body.get("module_id", "")),
    )


# --- issuing (the simulator in its Nitro mode, and tests) ---------------------------------------


@dataclass(frozen=True)
class Issuer:
    """A root CA and a signing certificate under it, as AWS's attestation PKI has (shortened)."""

    root: x509.Certificate
    root_key: ec.EllipticCurvePrivateKey
    leaf: x509.Certificate
    leaf_key: ec.EllipticCurvePrivateKey

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name | None,
    signer: ec.EllipticCurvePrivateKey,
    *,
    ca: bool,
    not_before: datetime,
    not_after: datetime,
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer or name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(signer, hashes.SHA384())
    )


def new_issuer(*, now: datetime | None = None, leaf_valid: timedelta = timedelta(days=30)) -> Issuer:
    now = now or datetime.now(UTC)
    root_key, leaf_key = ec.generate_private_key(ec.SECP384R1()), ec.generate_private_key(ec.SECP384R1())
    root = _certificate("simulated nitro root", root_key, None, root_key, ca=True,
                        not_before=now - timedelta(days=1), not_after=now + timedelta(days=3650))  # fmt: skip
    leaf = _certificate("simulated enclave", leaf_key, root.subject, root_key, ca=False,
                        not_before=now - timedelta(days=1), not_after=now + leaf_valid)  # fmt: skip
    return Issuer(root, root_key, leaf, leaf_key)


def issue(
    issuer: Issuer, *, public_key: bytes, pcrs: dict[int, bytes], now: float, module_id: str = "i-sim"
) -> bytes:
    """A Nitro-format document for ``public_key``, signed by the issuer's certificate."""
    protected = bytes(cbor2.dumps({1: ES384}))
    payload = bytes(
        cbor2.dumps(
            {
                "module_id": module_id,
                "digest": "SHA384",
                "timestamp": int(now * 1000),
                "pcrs": pcrs,
                "certificate": issuer.leaf.public_bytes(serialization.Encoding.DER),
                "cabundle": [issuer.root.public_bytes(serialization.Encoding.DER)],
                "public_key": public_key,
                "user_data": None,
                "nonce": None,
            }
        )
    )
    r, s = decode_dss_signature(
        issuer.leaf_key.sign(_sig_structure(protected, payload), ec.ECDSA(hashes.SHA384()))
    )
    signature = r.to_bytes(P384_BYTES, "big") + s.to_bytes(P384_BYTES, "big")
    return bytes(cbor2.dumps([protected, {}, payload, signature]))


def simulated_pcrs(seed: bytes) -> dict[int, bytes]:
    """PCR0..2 of a simulated enclave image (48 bytes each, as SHA-384 measurements are)."""
    return {index: hashlib.sha384(seed + bytes([index])).digest() for index in range(3)}
