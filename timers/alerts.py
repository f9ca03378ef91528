"""Operations alerts (``ops.monitoring``) delivered as timers of the ``operations`` tenant:
the same delivery, retries, signature (Standard Webhooks, ``ALERT_WEBHOOK_SECRET``),
SSRF guard and history as every callback."""

from typing import Any

from django.conf import settings
from django.utils import timezone

from scheduler_project.core.services import operations_tenant
from timers.services import create_timer, rfc3339

ALERT_MAX_ATTEMPTS = 5


def send_alert(event: str, message: str, data: dict[str, Any]) -> None:
    """Deliver one alert to ``ALERT_WEBHOOK_URL`` now; nothing if it is unset."""
    if not settings.ALERT_WEBHOOK_URL:
        return
    now = timezone.now()
    create_timer(
        tenant=operations_tenant(),
        execute_at=now,
        callback_url=settings.ALERT_WEBHOOK_URL,
        callback_payload={"type": event, "timestamp": rfc3339(now), "message": message, "data": data},
        metadata={"alert": event},
        max_attempts=ALERT_MAX_ATTEMPTS,
    )
