import io
import json
import socket

import pytest

from tee.crypto import EncryptionEnvelope
from tee.protocol import (
    MAX_FRAME_BYTES,
    ConnectionClosed,
    FrameError,
    encode_frame,
    ping_request,
    prepare_request,
    public_key_request,
    read_frame,
    write_frame,
)


def frame_of(body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + body


def test_a_frame_is_a_big_endian_length_then_json():
    assert encode_frame("Ping") == b'\x00\x00\x00\x06"Ping"'


def test_a_message_round_trips_over_a_real_socket():
    message = {"TeePublicKey": {"public_key": "AAEC", "note": "żółw ✓"}}
    left, right = socket.socketpair()
    with left, right, right.makefile("rb") as reader:
        write_frame(left, message)
        write_frame(left, "Pong")

        assert read_frame(reader) == message
        assert read_frame(reader) == "Pong"


def test_two_frames_back_to_back_in_one_buffer_are_read_one_at_a_time():
    stream = io.BytesIO(encode_frame("Ping") + encode_frame({"a": [1, 2]}))

    assert read_frame(stream) == "Ping"
    assert read_frame(stream) == {"a": [1, 2]}
    with pytest.raises(ConnectionClosed):
        read_frame(stream)


def test_a_zero_length_frame_is_refused():
    with pytest.raises(FrameError, match="zero-length"):
        read_frame(io.BytesIO(b"\x00\x00\x00\x00"))


def test_an_oversize_declared_length_is_refused_before_reading_the_body():
    stream = io.BytesIO((MAX_FRAME_BYTES + 1).to_bytes(4, "big") + b'"body"')

    with pytest.raises(FrameError, match="exceeds"):
        read_frame(stream)
    assert stream.tell() == 4


def test_a_frame_of_exactly_the_limit_is_accepted():
    body = json.dumps("x" * (MAX_FRAME_BYTES - 2)).encode()

    assert len(body) == MAX_FRAME_BYTES
    assert read_frame(io.BytesIO(frame_of(body))) == "x" * (MAX_FRAME_BYTES - 2)


def test_encoding_a_message_over_the_limit_is_refused():
    with pytest.raises(FrameError, match="exceeds"):
        encode_frame("x" * MAX_FRAME_BYTES)


def test_a_truncated_body_is_an_error_and_not_a_clean_close():
    with pytest.raises(FrameError, match="truncated") as caught:
        read_frame(io.BytesIO(frame_of(b'"Pong"')[:-2]))
    assert not isinstance(caught.value, ConnectionClosed)


def test_a_truncated_length_prefix_is_an_error_and_not_a_clean_close():
    with pytest.raises(FrameError, match="truncated") as caught:
        read_frame(io.BytesIO(b"\x00\x00"))
    assert not isinstance(caught.value, ConnectionClosed)


def test_a_peer_closing_between_frames_is_reported_as_connection_closed():
    left, right = socket.socketpair()
    with right, right.makefile("rb") as reader:
        left.close()
        with pytest.raises(ConnectionClosed):
            read_frame(reader)


def test_a_peer_closing_in_the_middle_of_a_frame_is_a_truncated_frame():
    left, right = socket.socketpair()
    with right, right.makefile("rb") as reader:
        left.sendall(frame_of(b'{"long": "answer"}')[:9])
        left.close()
        with pytest.raises(FrameError, match="truncated"):
            read_frame(reader)


@pytest.mark.parametrize("body", [b"{not json", b'{"a": 1', b"NaN", b'"Ping" "Pong"'])
def test_malformed_json_is_refused(body):
    with pytest.raises(FrameError, match="not valid JSON"):
        read_frame(io.BytesIO(frame_of(body)))


def test_a_body_that_is_not_utf8_is_refused():
    with pytest.raises(FrameError, match="UTF-8"):
        read_frame(io.BytesIO(frame_of(b'"\xff\xfe"')))


def test_requests_are_serde_enums_in_default_json_form():
    envelope = EncryptionEnvelope(b"payload", b"dek", b"i" * 12, b"t" * 16)

    assert ping_request() == "Ping"
    assert public_key_request(b"\x00" * 32) == {"TeePublicKey": {"nonce": "A" * 43 + "="}}
    assert prepare_request(
        envelope,
        relayer_fee=10**18,
        relayer_address="0x" + "ab" * 20,
        merkle_path=[["0x1"]],
        merkle_root="0x2",
    ) == {
        "PrepareRelayCalldata": {
            "encryption_envelope": envelope.to_json(),
            "relayer_fee": "1000000000000000000",
            "relayer_address": "0x" + "ab" * 20,
            "merkle_path": [["0x1"]],
            "merkle_root": "0x2",
        }
    }


def test_a_public_key_request_needs_a_32_byte_nonce():
    with pytest.raises(ValueError, match="32 bytes"):
        public_key_request(b"short")
