"""Nitro-format attestation (COSE_Sign1, ECDSA P-384, a chain to a configured root, PCRs,
freshness) and the original enclave's protocol, against documents and frames the tests
build with their own CA."""

import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cbor2
import pytest

from scheduler_project.testing.factories import sealed_withdrawal
from tee import nitro
from tee.client import TeeClient
from tee.errors import AttestationError, TeeUnavailable
from tee.pool import TeePool
from tee.protocol import read_frame, write_frame
from tee.simulator import TeeSimulator

KEY = b"0\x82\x01\x22 a DER public key"
PCRS = nitro.simulated_pcrs(b"image-a")
NOW = time.time()


@pytest.fixture(scope="module")
def issuer() -> nitro.Issuer:
    return nitro.new_issuer()


def check(document: bytes, issuer: nitro.Issuer, **overrides) -> nitro.Attested:
    options = {"root_pem": issuer.root_pem(), "pcrs": PCRS, "max_age": 300, "now": NOW}
    options.update(overrides)
    return nitro.verify(document, **options)


def test_a_document_from_the_configured_root_with_the_expected_image_verifies(issuer):
    attested = check(nitro.issue(issuer, public_key=KEY, pcrs=PCRS, now=NOW), issuer)
    assert attested.public_key == KEY and attested.pcrs == PCRS


def test_a_document_under_another_root_is_refused(issuer):
    other = nitro.new_issuer()
    with pytest.raises(AttestationError, match="configured root"):
        check(nitro.issue(other, public_key=KEY, pcrs=PCRS, now=NOW), issuer)


def test_a_document_of_another_enclave_image_is_refused(issuer):
    with pytest.raises(AttestationError, match="PCR0"):
        check(nitro.issue(issuer, public_key=KEY, pcrs=nitro.simulated_pcrs(b"image-b"), now=NOW), issuer)


def test_a_document_signed_by_an_expired_certificate_is_refused():
    expired = nitro.new_issuer(now=datetime.now(UTC) - timedelta(days=10), leaf_valid=timedelta(days=2))
    with pytest.raises(AttestationError, match="not valid now"):
        check(nitro.issue(expired, public_key=KEY, pcrs=PCRS, now=NOW), expired)


def test_a_stale_document_is_refused(issuer):
    with pytest.raises(AttestationError, match="old"):
        check(nitro.issue(issuer, public_key=KEY, pcrs=PCRS, now=NOW - 301), issuer)


def test_a_document_whose_payload_was_changed_is_refused(issuer):
    protected, unprotected, payload, signature = cbor2.loads(
        nitro.issue(issuer, public_key=KEY, pcrs=PCRS, now=NOW)
    )
    body = cbor2.loads(payload)
    body["public_key"] = b"another key"
    forged = cbor2.dumps([protected, unprotected, cbor2.dumps(body), signature])
    with pytest.raises(AttestationError, match="signature"):
        check(forged, issuer)


@pytest.mark.parametrize(
    "document", [b"", b"not cbor \xff", cbor2.dumps({"a": 1}), cbor2.dumps([b"", {}, b"", b""])]
)
def test_what_is_not_a_nitro_document_is_refused(issuer, document):
    with pytest.raises(AttestationError):
        check(document, issuer)


@pytest.fixture
def shielder(tmp_path: Path, settings):
    """The simulator speaking the original enclave's protocol, and a client set up for it."""
    with TeeSimulator(key_dir=tmp_path / "tee", protocol="shielder") as simulator:
        settings.TEE_PROTOCOL = "shielder"
        settings.TEE_HOST, settings.TEE_PORT = simulator.host, simulator.port
        settings.TEE_TRUST_ANCHOR = simulator.nitro_root_file
        settings.TEE_PCRS = simulator.pcrs
        pcrs_file = (tmp_path / "tee" / "nitro-pcrs").read_text().strip()
        assert pcrs_file == ",".join(f"{i}:{v.hex()}" for i, v in sorted(simulator.pcrs.items()))
        yield simulator


def pool_to(host: str, port: int) -> TeePool:
    return TeePool(lambda: socket.create_connection((host, port), timeout=5), capacity=2,
                   acquire_timeout=5, compute_timeout=5, single_use=True)  # fmt: skip


def client_for(simulator: TeeSimulator) -> TeeClient:
    return TeeClient(pool_to(simulator.host, simulator.port))


def test_the_pool_in_shielder_mode_gets_an_attested_key_from_a_nitro_document(shielder):
    info = client_for(shielder).public_key()
    assert info.public_key_der == shielder.public_key_der


def test_a_wrong_pcr_pin_refuses_the_enclave(shielder, settings):
    settings.TEE_PCRS = nitro.simulated_pcrs(b"another image")
    with pytest.raises(AttestationError, match="PCR"):
        client_for(shielder).public_key()


def test_in_shielder_mode_an_error_is_a_closed_connection(shielder):
    too_dear = sealed_withdrawal(shielder.public_key_der, max_relayer_fee=1)  # the TEE refuses a fee of 10
    with pytest.raises(TeeUnavailable):
        client_for(shielder).prepare_relay_calldata(
            too_dear,
            relayer_fee=10,
            relayer_address="0x" + "11" * 20,
            merkle_path=[["0x01"]],
            merkle_root="0x02",
        )


def test_shielder_frames_are_the_originals(shielder):
    """What goes over the wire: a bare "TeePublicKey", the original's PrepareRelayCalldata."""
    sent = []
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def enclave() -> None:
        for _ in range(2):
            conn, _ = listener.accept()
            with conn:
                message = read_frame(conn.makefile("rb"))
                sent.append(message)
                write_frame(conn, shielder.answer(message))

    thread = threading.Thread(target=enclave, daemon=True)
    thread.start()
    client = TeeClient(pool_to("127.0.0.1", port))
    client.public_key()
    envelope = sealed_withdrawal(shielder.public_key_der)
    calldata = client.prepare_relay_calldata(
        envelope,
        relayer_fee=255,
        relayer_address="0x" + "11" * 20,
        merkle_path=[["0x01", "0x02"]],
        merkle_root="0x03",
    )
    thread.join(5)
    listener.close()

    assert sent[0] == "TeePublicKey"
    prepare = sent[1]["PrepareRelayCalldata"]
    assert set(prepare) == {"encryption_envelope", "relayer_fee", "relayer_address", "merkle_path"}
    assert prepare["relayer_fee"] == "0xff"
    assert prepare["encryption_envelope"] == envelope.to_json()
    assert calldata["fee_amount"] == "0xff" and calldata["amount"].startswith("0x")
    assert calldata["fee_token"] == "Native" and calldata["expected_contract_version"] == "0x000101"
