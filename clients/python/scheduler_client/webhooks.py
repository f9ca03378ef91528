"""Checking a callback the service sent: Standard Webhooks, with the tenant's secret."""

from collections.abc import Iterable
from typing import Any, Protocol

from standardwebhooks.webhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError as Refused


class Headers(Protocol):
    """Any request's headers: a dict, Django's ``request.headers``, Flask's, Starlette's…"""

    def items(self) -> Iterable[tuple[str, str]]: ...


class WebhookVerificationError(Exception):
    """The callback's signature matches none of the secrets, or its timestamp is more than
    five minutes from now (a replay), or its ``webhook-*`` headers are missing."""


def verify_webhook(headers: Headers, body: bytes | str, secret: str | Iterable[str]) -> Any:
    """The callback's JSON payload, once its signature is checked against ``secret``
    (``whsec_…``, from ``Client.signing_secret()``) or any of several (while rotating: the
    new one and the old). ``headers`` in any case; ``body`` exactly as received. Raises
    ``WebhookVerificationError`` saying why it was refused."""
    secrets = [secret] if isinstance(secret, str) else list(secret)
    if not secrets:
        raise ValueError("verify_webhook needs at least one secret")
    plain = dict(headers.items())
    reasons = []
    for candidate in secrets:
        try:
            return Webhook(candidate).verify(body, plain)
        except Refused as refused:
            reasons.append(str(refused))
    raise WebhookVerificationError(f"callback refused: {'; '.join(dict.fromkeys(reasons))}")
