import hashlib
import json
import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tee.attestation import ROOT_PRIVATE_KEY_FILE, TRUST_ANCHOR_FILE, issue, load_or_create_root, verify
from tee.errors import AttestationError

KEY = b"der of the tee public key"
NONCE = os.urandom(32)
NOW = 1_800_000_000.25


@pytest.fixture
def root(tmp_path):
    return load_or_create_root(tmp_path)


@pytest.fixture
def anchor(tmp_path, root):
    return (tmp_path / TRUST_ANCHOR_FILE).read_bytes()


def check(document, anchor, **overrides):
    arguments = {
        "trust_anchor_pem": anchor,
        "public_key_der": KEY,
        "nonce": NONCE,
        "max_age": 300,
        "now": NOW,
    }
    verify(document, **{**arguments, **overrides})


def test_a_document_from_the_trusted_root_for_this_key_and_nonce_verifies(root, anchor):
    check(issue(root, public_key_der=KEY, nonce=NONCE, now=NOW - 10), anchor)


def test_a_document_binds_the_key_hash_the_nonce_and_the_time(root):
    document = json.loads(issue(root, public_key_der=KEY, nonce=NONCE, now=NOW))

    assert document["public_key_sha256"] == hashlib.sha256(KEY).hexdigest()
    assert document["timestamp"] == NOW
    assert set(document) == {"public_key_sha256", "nonce", "timestamp", "signature"}


def test_a_document_signed_by_another_root_fails(anchor):
    impostor = Ed25519PrivateKey.generate()

    with pytest.raises(AttestationError, match="bad signature"):
        check(issue(impostor, public_key_der=KEY, nonce=NONCE, now=NOW), anchor)


def test_a_document_for_another_nonce_fails(root, anchor):
    with pytest.raises(AttestationError, match="nonce mismatch"):
        check(issue(root, public_key_der=KEY, nonce=os.urandom(32), now=NOW), anchor)


def test_a_document_for_another_key_fails(root, anchor):
    with pytest.raises(AttestationError, match="key mismatch"):
        check(issue(root, public_key_der=b"another key", nonce=NONCE, now=NOW), anchor)


def test_a_stale_document_fails(root, anchor):
    with pytest.raises(AttestationError, match="stale"):
        check(issue(root, public_key_der=KEY, nonce=NONCE, now=NOW - 301), anchor)


def test_a_document_dated_in_the_future_fails(root, anchor):
    with pytest.raises(AttestationError, match="future"):
        check(issue(root, public_key_der=KEY, nonce=NONCE, now=NOW + 3600), anchor)


def test_a_document_whose_fields_were_edited_after_signing_fails(root, anchor):
    document = json.loads(issue(root, public_key_der=KEY, nonce=NONCE, now=NOW - 3600))
    document["timestamp"] = NOW

    with pytest.raises(AttestationError, match="bad signature"):
        check(json.dumps(document).encode(), anchor)


@pytest.mark.parametrize("document", [b"", b"not json", b"[]", b'{"nonce": "x"}'])
def test_a_malformed_document_fails(anchor, document):
    with pytest.raises(AttestationError):
        check(document, anchor)


def test_a_trust_anchor_that_is_not_an_ed25519_key_fails(root):
    with pytest.raises(AttestationError, match="trust anchor"):
        check(issue(root, public_key_der=KEY, nonce=NONCE, now=NOW), b"-----BEGIN nonsense-----")


def test_the_root_key_is_created_once_with_a_private_file_and_a_trust_anchor(tmp_path):
    first = load_or_create_root(tmp_path)
    second = load_or_create_root(tmp_path)

    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    assert first.public_key().public_bytes(*raw) == second.public_key().public_bytes(*raw)
    assert stat.S_IMODE((tmp_path / ROOT_PRIVATE_KEY_FILE).stat().st_mode) == 0o600
    anchor = serialization.load_pem_public_key((tmp_path / TRUST_ANCHOR_FILE).read_bytes())
    assert anchor.public_bytes(*raw) == first.public_key().public_bytes(*raw)
    assert sorted(path.name for path in tmp_path.iterdir()) == [ROOT_PRIVATE_KEY_FILE, TRUST_ANCHOR_FILE]
