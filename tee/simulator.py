"""A TEE simulator that speaks the real wire format over TCP, for local runs and tests.

It does what the enclave does, minus the hardware: holds an RSA-2048 key
(kept in ``key_dir`` so restarts keep it), attests it with a root key whose
public half is the trust anchor, opens sealed withdrawals, refuses a fee above
the sealed maximum or a relay before the sealed time, and answers calldata
whose proof is an HMAC standing in for the zero-knowledge proof.

``latency_ms``, ``failure_rate`` and ``drop_next_requests`` may be changed
while it runs, to script slow or crashing enclaves.
"""

import base64
import binascii
import hashlib
import hmac
import json
import logging
import random
import re
import socket
import socketserver
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tee import attestation, nitro
from tee.crypto import EncryptionEnvelope, unseal
from tee.errors import DecryptError
from tee.keyfiles import read_or_create
from tee.payload import ADDRESS, DECIMAL, U256_MAX, WithdrawalPayload, read_u256
from tee.protocol import FrameError, read_frame, request_kind, write_frame

logger = logging.getLogger(__name__)

RSA_KEY_FILE = "tee-rsa.pem"
NITRO_ROOT_FILE = "nitro-root.pem"
NITRO_PCRS_FILE = "nitro-pcrs"
SIMULATED_IMAGE = b"tee-simulator-image"  # what its PCRs measure (manage.py tee_simulator --print-pcrs)
HEX_WORD = re.compile(r"0x[0-9a-fA-F]{1,64}")
PREPARE_FIELDS = {"encryption_envelope", "relayer_fee", "relayer_address", "merkle_path", "merkle_root"}


class _Refusal(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class TeeSimulator:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        key_dir: Path,
        latency_ms: int = 0,
        failure_rate: float = 0.0,
        protocol: str = "scheduler",
    ) -> None:
        """``protocol``: ``scheduler`` (this service's), or ``shielder``: the original
        enclave's requests and answers, a Nitro-format attestation document under a root
        certificate of its own (written to ``nitro-root.pem`` in ``key_dir``, its PCRs to
        ``nitro-pcrs``), no error variant (it closes the connection) and one request per
        connection."""
        if protocol not in ("scheduler", "shielder"):
            raise ValueError("protocol must be scheduler or shielder")
        self.protocol = protocol
        self.host = host
        self.port = port
        self.key_dir = Path(key_dir)
        self.latency_ms = latency_ms
        self.failure_rate = failure_rate
        self.drop_next_requests = 0
        self.private_key = _load_or_create_rsa(self.key_dir / RSA_KEY_FILE)
        self.public_key_der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.root = attestation.load_or_create_root(self.key_dir)
        self.nitro_root_file = self.key_dir / NITRO_ROOT_FILE
        self.pcrs = nitro.simulated_pcrs(SIMULATED_IMAGE)
        if protocol == "shielder":
            self.issuer = nitro.new_issuer()
            self.nitro_root_file.write_bytes(self.issuer.root_pem())
            (self.key_dir / NITRO_PCRS_FILE).write_text(
                ",".join(f"{index}:{value.hex()}" for index, value in sorted(self.pcrs.items())) + "\n"
            )
        private_der = self.private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        self._proof_key = hashlib.sha256(b"tee-simulator-proof-key:" + private_der).digest()
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self.connections_accepted = 0
        self.peak_connections = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> "TeeSimulator":
        """Listen on ``host:port`` (the same port again after a ``stop``)."""
        self._stopping = threading.Event()
        self._server = _Server((self.host, self.port), self)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="tee-simulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and close every open connection, as a crashed enclave would."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self.drop_connections()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    def drop_connections(self) -> None:
        """Close the server side of every open connection, leaving the listener up."""
        with self._lock:
            connections = list(self._connections)
        for sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> "TeeSimulator":
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._connections.add(sock)
            self.connections_accepted += 1
            self.peak_connections = max(self.peak_connections, len(self._connections))

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._connections.discard(sock)

    def _crash_now(self) -> bool:
        with self._lock:
            if self.drop_next_requests > 0:
                self.drop_next_requests -= 1
                return True
        return random.random() < self.failure_rate

    # --- requests ------------------------------------------------------------------------
    def answer(self, message: Any) -> Any | None:
        """The answer to one request, or None if the simulator stopped while computing it
        (or, speaking the original's protocol, refused it: it then closes the connection)."""
        if self.protocol == "shielder":
            return self._shielder_answer(message)
        kind = request_kind(message)
        try:
            if message == "Ping":
                return "Pong"
            if kind == "TeePublicKey":
                return {"TeePublicKey": self._public_key(message[kind])}
            if kind == "PrepareRelayCalldata":
                if self.latency_ms and self._stopping.wait(self.latency_ms / 1000):
                    return None
                return {"PrepareRelayCalldata": {"calldata": self._calldata(message[kind])}}
            raise _Refusal("bad_request", f"unknown request {kind}")
        except _Refusal as refusal:
            return {"Error": {"kind": refusal.kind, "message": str(refusal)}}
        except Exception:
            logger.exception("TEE simulator failed on a %s request", kind)
            return {"Error": {"kind": "internal", "message": "internal error"}}

    def _shielder_answer(self, message: Any) -> Any | None:
        kind = request_kind(message)
        try:
            if message == "Ping":
                return "Pong"
            if message == "TeePublicKey":
                document = nitro.issue(
                    self.issuer, public_key=self.public_key_der, pcrs=self.pcrs, now=time.time()
                )
                return {
                    "TeePublicKey": {
                        "public_key": base64.b64encode(self.public_key_der).decode(),
                        "attestation_document": base64.b64encode(document).decode(),
                    }
                }
            if kind == "PrepareRelayCalldata" and isinstance(message[kind], dict):
                if self.latency_ms and self._stopping.wait(self.latency_ms / 1000):
                    return None
                return {"PrepareRelayCalldata": {"calldata": self._shielder_calldata(message[kind])}}
            logger.warning("TEE simulator (shielder): unknown request %s, closing", kind)
        except _Refusal as refusal:
            logger.warning("TEE simulator (shielder) refused %s: %s; closing", kind, refusal)
        except Exception:
            logger.exception("TEE simulator failed on a %s request", kind)
        return None

    def _shielder_calldata(self, body: dict[str, Any]) -> dict[str, str]:
        """The original's request (relayer_fee as U256, no merkle_root: derived from the
        path here) and its RelayCalldata (U256 values as 0x hex, memo included)."""
        if set(body) != PREPARE_FIELDS - {"merkle_root"}:
            raise _Refusal("bad_request", "PrepareRelayCalldata fields")
        try:
            fee = read_u256("relayer_fee", body["relayer_fee"])
        except ValueError as exc:
            raise _Refusal("bad_request", str(exc)) from exc
        root = "0x" + hashlib.sha256(json.dumps(body["merkle_path"]).encode()).hexdigest()
        ours_body = {**body, "relayer_fee": str(fee), "merkle_root": root}
        withdrawal = self._checked_withdrawal(ours_body)
        ours = self._relay_calldata(withdrawal, ours_body)
        numbers = ("amount", "fee_amount", "mac_salt", "pocket_money")
        return {
            **ours,
            **{name: hex(int(ours[name])) for name in numbers},
            "memo": "0x" + withdrawal.memo.hex(),
        }

    def _public_key(self, body: Any) -> dict[str, str]:
        try:
            nonce = base64.b64decode(body["nonce"], validate=True)
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise _Refusal("bad_request", "nonce must be base64") from exc
        if len(nonce) != 32:
            raise _Refusal("bad_request", "nonce must be 32 bytes")
        document = attestation.issue(
            self.root, public_key_der=self.public_key_der, nonce=nonce, now=time.time()
        )
        return {
            "public_key": base64.b64encode(self.public_key_der).decode(),
            "attestation_document": base64.b64encode(document).decode(),
        }

    def _calldata(self, body: Any) -> dict[str, str]:
        return self._relay_calldata(self._checked_withdrawal(body), body)

    def _checked_withdrawal(self, body: Any) -> WithdrawalPayload:
        """The sealed withdrawal of a valid request, once the TEE's own checks pass."""
        if not isinstance(body, dict) or set(body) != PREPARE_FIELDS:
            raise _Refusal("bad_request", f"PrepareRelayCalldata needs {', '.join(sorted(PREPARE_FIELDS))}")
        relayer_fee = body["relayer_fee"]
        if (
            not isinstance(relayer_fee, str)
            or not DECIMAL.fullmatch(relayer_fee)
            or int(relayer_fee) > U256_MAX
        ):
            raise _Refusal("bad_request", "relayer_fee must be a decimal string")
        if not isinstance(body["relayer_address"], str) or not ADDRESS.fullmatch(body["relayer_address"]):
            raise _Refusal("bad_request", "relayer_address must be 0x followed by 40 hex digits")
        merkle_path = body["merkle_path"]
        if not isinstance(merkle_path, list) or not all(
            isinstance(level, list)
            and all(isinstance(node, str) and HEX_WORD.fullmatch(node) for node in level)
            for level in merkle_path
        ):
            raise _Refusal("bad_request", "merkle_path must be a list of lists of 0x-hex strings")
        if not isinstance(body["merkle_root"], str) or not HEX_WORD.fullmatch(body["merkle_root"]):
            raise _Refusal("bad_request", "merkle_root must be a 0x-hex string")
        try:
            envelope = EncryptionEnvelope.from_json(body["encryption_envelope"])
        except ValueError as exc:
            raise _Refusal("bad_request", f"encryption_envelope: {exc}") from exc
        try:
            withdrawal = WithdrawalPayload.from_plaintext(unseal(self.private_key, envelope))
        except DecryptError as exc:
            raise _Refusal("decrypt", str(exc)) from exc
        except ValueError as exc:
            raise _Refusal("bad_request", str(exc)) from exc
        if int(relayer_fee) > withdrawal.max_relayer_fee:
            raise _Refusal("fee_too_high", f"relayer_fee {relayer_fee} exceeds the sealed max_relayer_fee")
        if time.time() < withdrawal.relay_after:
            raise _Refusal("too_early", f"the sealed relay_after {withdrawal.relay_after} has not passed")
        return withdrawal

    def _relay_calldata(self, withdrawal: WithdrawalPayload, body: dict[str, Any]) -> dict[str, str]:
        inputs = {
            "withdrawal": json.loads(withdrawal.to_plaintext()),
            "relayer_fee": body["relayer_fee"],
            "relayer_address": body["relayer_address"],
            "merkle_path": body["merkle_path"],
            "merkle_root": body["merkle_root"],
        }
        canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()
        mac = f"{withdrawal.mac_salt}:{withdrawal.account_id}".encode()
        return {
            "expected_contract_version": withdrawal.contract_version,
            "amount": str(withdrawal.withdrawal_value),
            "withdraw_address": withdrawal.withdraw_address,
            "merkle_root": body["merkle_root"],
            "nullifier_hash": "0x" + hashlib.sha256(str(withdrawal.nullifier_old).encode()).hexdigest(),
            "new_note": "0x" + hashlib.sha256(str(withdrawal.nullifier_new).encode()).hexdigest(),
            "proof": "0x" + hmac.new(self._proof_key, canonical, hashlib.sha256).hexdigest(),
            "fee_token": "Native",
            "fee_amount": body["relayer_fee"],
            "mac_salt": str(withdrawal.mac_salt),
            "mac_commitment": "0x" + hashlib.sha256(mac).hexdigest(),
            "pocket_money": str(withdrawal.pocket_money),
        }


class _Handler(socketserver.StreamRequestHandler):
    """One connection: many requests, answered in order, until the peer or the simulator closes it."""

    server: "_Server"

    def handle(self) -> None:
        simulator = self.server.simulator
        while True:
            try:
                message = read_frame(self.rfile)
            except (FrameError, OSError):
                return  # closed, oversize or malformed: drop the connection
            answer = simulator.answer(message)
            if answer is None or simulator._crash_now():
                return
            try:
                write_frame(self.connection, answer)
            except OSError:
                return
            if simulator.protocol == "shielder":
                return  # one request per connection, as the original enclave


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    # Every call is a connection of its own: 5 (socketserver's backlog) overflowed when the
    # attempt threads of two workers called at once.
    request_queue_size = 1024
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], simulator: TeeSimulator) -> None:
        self.simulator = simulator
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        # Tracked here, in the serving thread, so stop() cannot miss a just-accepted connection.
        self.simulator._track(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        self.simulator._untrack(request)
        super().shutdown_request(request)


def _load_or_create_rsa(path: Path) -> rsa.RSAPrivateKey:
    def generate() -> bytes:
        return rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    key = serialization.load_pem_private_key(read_or_create(path, generate, mode=0o600), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{path} is not an RSA private key")
    return key
