"""Exceptions of the TEE app, in one place so callers can import them without the machinery.

``TeeError`` and its subclasses are failures of a call to the TEE. The four
``TeeErrorResponse`` classes are the TEE's own answers (``{"Error": {...}}``):
``TeeDecryptError`` and ``TeeRejected`` are permanent, ``TeeFeeTooHigh`` and
``TeeTooEarly`` may pass (a lower fee, a later time). ``DecryptError`` and
``AttestationError`` are local checks, not TEE calls.
"""

from typing import Any


class DecryptError(Exception):
    """A sealed envelope could not be opened: wrong key, or tampered with."""


class AttestationError(Exception):
    """An attestation document does not vouch for the key it came with."""


class TeeError(Exception):
    """A call to the TEE failed."""


class PoolExhausted(TeeError):
    """Every TEE connection stayed busy for the whole acquire timeout."""


class TeeTimeout(TeeError):
    """The TEE did not answer within the compute timeout."""


class TeeUnavailable(TeeError):
    """The TEE could not be reached, or the connection broke during the call."""


class TeeProtocolError(TeeError):
    """The TEE answered something this client does not understand."""


class TeeErrorResponse(TeeError):
    """The TEE answered with an error of some ``kind``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}" if message else kind)
        self.kind = kind
        self.message = message


class TeeDecryptError(TeeErrorResponse):
    """The TEE cannot open the payload: it was sealed to another key or damaged. Permanent."""


class TeeFeeTooHigh(TeeErrorResponse):
    """The relayer fee is above the ``max_relayer_fee`` sealed in the payload."""


class TeeTooEarly(TeeErrorResponse):
    """The TEE's clock is before the ``relay_after`` sealed in the payload."""


class TeeRejected(TeeErrorResponse):
    """The TEE refused the request for another reason (bad request, internal). Permanent."""


ERROR_KINDS: dict[str, type[TeeErrorResponse]] = {
    "decrypt": TeeDecryptError,
    "fee_too_high": TeeFeeTooHigh,
    "too_early": TeeTooEarly,
}


def error_from_response(body: Any) -> TeeErrorResponse:
    """The exception for the body of an ``{"Error": body}`` answer."""
    if not isinstance(body, dict):
        return TeeRejected("internal", f"malformed error answer: {body!r}")
    kind = str(body.get("kind", "internal"))
    message = str(body.get("message", ""))
    return ERROR_KINDS.get(kind, TeeRejected)(kind, message)
