"""The relayer: fee quotes, the fee address and relays, over pooled HTTP (``RELAYER_URL``).

Every relay carries an idempotency key; the relayer answers the same key with
the same transaction, and ``lookup`` tells whether a key was already relayed.
"""

import threading
from typing import Any

import httpx
from django.conf import settings


class RelayerError(Exception):
    """The relayer could not be reached or failed; worth retrying."""


class RelayerRejected(Exception):
    """The relayer refused the relay for good (e.g. the nullifier was already spent)."""


_lock = threading.Lock()
_client: httpx.Client | None = None


def http_client() -> httpx.Client:
    global _client
    with _lock:
        if _client is None:
            _client = httpx.Client(
                trust_env=False,
                limits=httpx.Limits(max_connections=128, max_keepalive_connections=32),
            )
        return _client


def _call(method: str, path: str, **kwargs: Any) -> httpx.Response:
    try:
        response = http_client().request(
            method, settings.RELAYER_URL.rstrip("/") + path, timeout=settings.RELAYER_TIMEOUT_SECS, **kwargs
        )
    except httpx.HTTPError as exc:
        raise RelayerError(f"relayer unreachable: {type(exc).__name__}") from exc
    if response.status_code >= 500 or response.status_code == 429:
        raise RelayerError(f"relayer answered HTTP {response.status_code}")
    return response


def _json(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise RelayerRejected(f"relayer refused: HTTP {response.status_code} {response.text[:200]}")
    try:
        return response.json()
    except ValueError as exc:
        raise RelayerError("relayer answered malformed JSON") from exc


def quote_fee() -> int:
    """The relayer's current fee, in wei."""
    return int(_json(_call("POST", "/quote_fees", json={"fee_token": "Native"}))["fee"])


def fee_address() -> str:
    return str(_json(_call("GET", "/fee_address"))["address"])


def relay(calldata: dict[str, Any], *, idempotency_key: str) -> str:
    """Submit the relay; returns the transaction hash."""
    response = _call(
        "POST", "/relay", json={"calldata": calldata}, headers={"Idempotency-Key": idempotency_key}
    )
    return str(_json(response)["tx_hash"])


def lookup(idempotency_key: str) -> str | None:
    """The transaction hash of an earlier relay with this key, or None if there was none."""
    response = _call("GET", f"/relay/{idempotency_key}")
    if response.status_code == 404:
        return None
    return str(_json(response)["tx_hash"])
