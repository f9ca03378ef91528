import base64
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import CommandError, call_command

from scheduler_project.testing.servers import eventually
from tee.attestation import TRUST_ANCHOR_FILE, load_or_create_root
from tee.client import TeeClient
from tee.crypto import EncryptionEnvelope, unseal
from tee.payload import WithdrawalPayload
from tee.pool import TeePool
from tee.simulator import RSA_KEY_FILE
from tests.conftest import ROOT, wait_or_kill
from tests.tee.conftest import RELAY

LISTENING = re.compile(r"TEE simulator listening on 127\.0\.0\.1:(\d+)")


class SimulatorProcess:
    def __init__(self, proc, log, port, key_dir):
        self.proc, self.log, self.port, self.key_dir = proc, log, port, key_dir

    def pool(self):
        return TeePool(
            lambda: socket.create_connection(("127.0.0.1", self.port), timeout=5),
            capacity=2, acquire_timeout=5, compute_timeout=10,
        )  # fmt: skip


@contextmanager
def start_simulator(tmp_path: Path) -> Iterator[SimulatorProcess]:
    key_dir = tmp_path / "keys"
    log = tmp_path / "tee_simulator.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "TEE_KEY_DIR": str(key_dir)}
    env["PYTHONUNBUFFERED"] = "1"
    with log.open("wb") as handle:
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "tee_simulator", "--port", "0"],
            cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        match = eventually(lambda: LISTENING.search(log.read_text()) or proc.poll() is not None, timeout=60)
        assert proc.poll() is None, log.read_text()
        yield SimulatorProcess(proc, log, int(match.group(1)), key_dir)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            wait_or_kill(proc)


@pytest.fixture(scope="module")
def simulator_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorProcess]:
    """One simulator process for the tests that leave it running (each start generates its keys)."""
    with start_simulator(tmp_path_factory.mktemp("simulator")) as simulator:
        yield simulator


@pytest.fixture
def tee_settings(settings, simulator_process):
    settings.TEE_HOST = "127.0.0.1"
    settings.TEE_PORT = simulator_process.port
    settings.TEE_TRUST_ANCHOR = simulator_process.key_dir / TRUST_ANCHOR_FILE
    return settings


def seal_withdrawal_command(*args):
    out = StringIO()
    call_command("seal_withdrawal", *args, stdout=out)
    return out.getvalue()


def test_the_simulator_command_answers_ping_and_stops_cleanly_on_sigterm(tmp_path):
    with start_simulator(tmp_path) as simulator:  # a process of its own: this test stops it
        pool = simulator.pool()
        TeeClient(pool).ping()
        pool.close()

        simulator.proc.send_signal(signal.SIGTERM)

        assert simulator.proc.wait(timeout=15) == 0


def test_seal_withdrawal_prints_one_line_of_schedule_json_sealed_to_the_attested_key(
    tee_settings, simulator_process
):
    output = seal_withdrawal_command(
        "--relay-after", "+60", "--nullifier-old", "42", "--last-note-index", "77", "--max-relayer-fee", "500"
    )

    assert output.count("\n") == 1
    body = json.loads(output)
    assert set(body) == {"payload", "last_note_index", "max_relayer_fee", "relay_after"}
    assert (body["last_note_index"], body["max_relayer_fee"]) == ("77", "500")
    assert isinstance(body["relay_after"], int) and body["relay_after"] > time.time()
    envelope = EncryptionEnvelope.from_payload(base64.b64decode(body["payload"]))
    key_pem = (simulator_process.key_dir / RSA_KEY_FILE).read_bytes()
    sealed = WithdrawalPayload.from_plaintext(
        unseal(serialization.load_pem_private_key(key_pem, None), envelope)
    )
    assert (sealed.nullifier_old, sealed.last_note_index, sealed.max_relayer_fee) == (42, 77, 500)
    assert sealed.relay_after == body["relay_after"]


def test_a_withdrawal_sealed_by_the_command_is_turned_into_calldata_by_the_simulator_process(
    tee_settings, simulator_process
):
    body = json.loads(
        seal_withdrawal_command("--relay-after", str(int(time.time())), "--nullifier-old", "42")
    )
    envelope = EncryptionEnvelope.from_payload(base64.b64decode(body["payload"]))
    pool = simulator_process.pool()

    calldata = TeeClient(pool).prepare_relay_calldata(envelope, **RELAY)

    pool.close()
    assert calldata["nullifier_hash"] == "0x" + hashlib.sha256(b"42").hexdigest()


def test_seal_withdrawal_refuses_a_tee_whose_attestation_is_not_trusted(tee_settings, tmp_path):
    load_or_create_root(tmp_path / "other-root")
    tee_settings.TEE_TRUST_ANCHOR = tmp_path / "other-root" / TRUST_ANCHOR_FILE

    with pytest.raises(CommandError, match="AttestationError"):
        seal_withdrawal_command("--relay-after", "+60")


def test_seal_withdrawal_refuses_a_relay_time_it_cannot_read(tee_settings):
    with pytest.raises(CommandError, match="--relay-after"):
        seal_withdrawal_command("--relay-after", "tomorrow")


def test_sealing_against_a_remote_tee_needs_no_server_settings(simulator_process):
    """A client seals with only the TEE's address and trust anchor: no API_KEY, no database."""
    env = {name: value for name, value in os.environ.items() if name not in ("API_KEY", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="scheduler_project.settings",
        TEE_HOST="127.0.0.1",
        TEE_PORT=str(simulator_process.port),
        TEE_KEY_DIR=str(simulator_process.key_dir),
        VAR_DIR=str(simulator_process.key_dir.parent / "client-var"),
    )
    command = [sys.executable, "manage.py", "seal_withdrawal"]
    helped = subprocess.run([*command, "--help"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert helped.returncode == 0, helped.stderr
    assert "--relay-after" in helped.stdout
    sealed = subprocess.run(
        [*command, "--relay-after", "+60"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert sealed.returncode == 0, sealed.stderr
    body = json.loads(sealed.stdout)
    assert body["payload"] and body["relay_after"] > time.time()
