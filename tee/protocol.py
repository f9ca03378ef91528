"""The TEE wire format: 4-byte big-endian length, then UTF-8 JSON.

This is what tokio's ``LengthDelimitedCodec`` (default settings) with
``serde_json`` speaks on the TEE side: frames of at most 8 MiB, requests and
answers as serde enums in their default JSON form (``"Ping"``,
``{"TeePublicKey": {...}}``).
"""

import base64
import json
import socket
from typing import Any, Protocol

from tee.crypto import EncryptionEnvelope

MAX_FRAME_BYTES = 8 * 1024 * 1024
HEADER_BYTES = 4


class FrameError(Exception):
    """A frame that cannot be read or written: too large, empty, truncated, not UTF-8 JSON."""


class ConnectionClosed(FrameError):
    """The peer closed the connection where a frame would start (no byte of it was read)."""


class Readable(Protocol):
    def read(self, n: int, /) -> bytes | None: ...


def encode_frame(message: Any) -> bytes:
    body = json.dumps(message, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()
    if len(body) > MAX_FRAME_BYTES:
        raise FrameError(f"frame of {len(body)} bytes exceeds the {MAX_FRAME_BYTES}-byte limit")
    return len(body).to_bytes(HEADER_BYTES, "big") + body


def write_frame(sock: socket.socket, message: Any) -> None:
    sock.sendall(encode_frame(message))


def read_frame(stream: Readable) -> Any:
    """Read one frame and return its JSON; raise FrameError (ConnectionClosed at a clean EOF)."""
    length = int.from_bytes(_read_exact(stream, HEADER_BYTES, at_boundary=True), "big")
    if length == 0:
        raise FrameError("zero-length frame")
    if length > MAX_FRAME_BYTES:
        raise FrameError(f"declared frame length {length} exceeds the {MAX_FRAME_BYTES}-byte limit")
    body = _read_exact(stream, length, at_boundary=False)
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError as exc:
        raise FrameError(f"frame is not valid UTF-8: {exc}") from exc
    except ValueError as exc:
        raise FrameError(f"frame is not valid JSON: {exc}") from exc


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _read_exact(stream: Readable, n: int, *, at_boundary: bool) -> bytes:
    data = bytearray()
    while len(data) < n:
        try:
            chunk = stream.read(n - len(data))
        except ConnectionResetError as exc:
            if at_boundary and not data:
                raise ConnectionClosed("connection reset by peer") from exc
            raise
        if not chunk:
            if at_boundary and not data:
                raise ConnectionClosed("connection closed by peer")
            raise FrameError(f"truncated frame: got {len(data)} of {n} bytes before the connection closed")
        data += chunk
    return bytes(data)


def request_kind(message: Any) -> str:
    """The variant name of a request or answer: ``"Ping"``, ``"TeePublicKey"``, ..."""
    if isinstance(message, str):
        return message
    if isinstance(message, dict) and len(message) == 1:
        return str(next(iter(message)))
    return "unknown"


def ping_request() -> str:
    return "Ping"


def public_key_request(nonce: bytes) -> dict[str, Any]:
    if len(nonce) != 32:
        raise ValueError("the attestation nonce must be 32 bytes")
    return {"TeePublicKey": {"nonce": base64.b64encode(nonce).decode()}}


def prepare_request(
    envelope: EncryptionEnvelope,
    *,
    relayer_fee: int,
    relayer_address: str,
    merkle_path: list[list[str]],
    merkle_root: str,
) -> dict[str, Any]:
    return {
        "PrepareRelayCalldata": {
            "encryption_envelope": envelope.to_json(),
            "relayer_fee": str(relayer_fee),
            "relayer_address": relayer_address,
            "merkle_path": merkle_path,
            "merkle_root": merkle_root,
        }
    }


# --- the original enclave's protocol (TEE_PROTOCOL=shielder) ---------------------------------


def shielder_public_key_request() -> str:
    """``TeePublicKey`` is a unit variant there: no nonce (its Nitro document has none)."""
    return "TeePublicKey"


def shielder_prepare_request(
    envelope: EncryptionEnvelope, *, relayer_fee: int, relayer_address: str, merkle_path: list[list[str]]
) -> dict[str, Any]:
    """The original's ``PrepareRelayCalldata``: U256 values as its serde writes them (0x
    hex), no Merkle root (the enclave computes it from the path)."""
    return {
        "PrepareRelayCalldata": {
            "encryption_envelope": envelope.to_json(),
            "relayer_fee": hex(relayer_fee),
            "relayer_address": relayer_address,
            "merkle_path": merkle_path,
        }
    }
