"""The relayer: fee quotes, the fee address and relays, over pooled HTTP (``RELAYER_URL``).

Every relay carries an idempotency key; the relayer answers the same key with
the same transaction, and ``lookup`` tells whether a key was already relayed.
"""

from typing import Any

import httpx
from django.conf import settings

from scheduler_project.core.http import ThreadClient, deadline
from scheduler_project.core.recent import Recent


class RelayerError(Exception):
    """The relayer could not be reached, failed, or answered nonsense; worth retrying."""


class RelayerProtocolError(RelayerError):
    """The relayer answered something that is not the reply its API promises."""


class RelayerRejected(Exception):
    """The relayer refused the relay for good (e.g. the nullifier was already spent)."""


# One relay (or lookup) in flight per thread at a time: a connection each, kept open.
http_client = ThreadClient(limits=httpx.Limits(max_connections=2, max_keepalive_connections=1))


def _call(method: str, path: str, *, timeout: float | None = None, **kwargs: Any) -> httpx.Response:
    """One request, all of it (connecting to the last byte) within ``timeout`` seconds
    (``RELAYER_TIMEOUT_SECS`` unless given)."""
    timeout = settings.RELAYER_TIMEOUT_SECS if timeout is None else timeout
    try:
        with deadline(timeout):
            response = http_client().request(
                method, settings.RELAYER_URL.rstrip("/") + path, timeout=timeout, **kwargs
            )
    except httpx.TimeoutException as exc:
        raise RelayerError(f"relayer did not answer within {timeout:g}s") from exc
    except httpx.HTTPError as exc:
        raise RelayerError(f"relayer unreachable: {type(exc).__name__}") from exc
    if response.status_code >= 500 or response.status_code == 429:
        raise RelayerError(f"relayer answered HTTP {response.status_code}")
    return response


def _field(response: httpx.Response, name: str) -> Any:
    """``name`` from the JSON object a successful reply carries; typed errors otherwise."""
    if response.status_code >= 400:
        raise RelayerRejected(f"relayer refused: HTTP {response.status_code} {response.text[:200]}")
    try:
        body = response.json()
    except ValueError as exc:
        raise RelayerProtocolError("relayer answered malformed JSON") from exc
    if not isinstance(body, dict) or name not in body:
        raise RelayerProtocolError(f"relayer reply has no {name!r}: {response.text[:200]}")
    return body[name]


def _text(response: httpx.Response, name: str) -> str:
    value = _field(response, name)
    if not isinstance(value, str) or not value:
        raise RelayerProtocolError(f"relayer reply's {name!r} is not a non-empty string: {value!r}")
    return value


def _fee(response: httpx.Response) -> int:
    value = _field(response, "fee")
    try:
        fee = int(value) if isinstance(value, int | str) and not isinstance(value, bool) else -1
    except ValueError:
        fee = -1
    if fee < 0:
        raise RelayerProtocolError(f"relayer quoted a fee that is not a whole number of wei: {value!r}")
    return fee


# Under load many relays share one quote or address lookup.
_recent: Recent[str, Any] = Recent()
FEE_ADDRESS_CACHE_SECS = 60.0


def quote_fee() -> int:
    """The relayer's current fee in wei, reused for ``RELAYER_QUOTE_CACHE_SECS``."""
    return int(
        _recent.get(
            "quote",
            lambda: _fee(_call("POST", "/quote_fees", json={"fee_token": "Native"})),
            ttl=settings.RELAYER_QUOTE_CACHE_SECS,
        )
    )


def fee_address() -> str:
    return str(
        _recent.get(
            "fee_address", lambda: _text(_call("GET", "/fee_address"), "address"), ttl=FEE_ADDRESS_CACHE_SECS
        )
    )


def forget_cached() -> None:
    """Drop cached quotes and addresses (e.g. after pointing at another relayer)."""
    _recent.forget()


def relay(calldata: dict[str, Any], *, idempotency_key: str) -> str:
    """Submit the relay; returns the transaction hash."""
    response = _call(
        "POST", "/relay", json={"calldata": calldata}, headers={"Idempotency-Key": idempotency_key}
    )
    return _text(response, "tx_hash")


def lookup(idempotency_key: str, *, timeout: float | None = None) -> str | None:
    """The transaction hash of an earlier relay with this key, or None if there was none."""
    response = _call("GET", f"/relay/{idempotency_key}", timeout=timeout)
    if response.status_code == 404:
        return None
    return _text(response, "tx_hash")


RELAYER_HEALTH_TIMEOUT_SECS = 1.0


def relayer_state() -> str:
    """Whether the relayer answers ``GET /fee_address`` within a second: ``connected`` or
    ``unreachable`` (for detailed health, from a background probe)."""
    try:
        _text(_call("GET", "/fee_address", timeout=RELAYER_HEALTH_TIMEOUT_SECS), "address")
    except RelayerError:
        return "unreachable"
    return "connected"
