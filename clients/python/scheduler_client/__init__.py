"""A typed client of the scheduler service: timers, jobs, tasks, events and withdrawals.

from scheduler_client import Client
with Client("http://127.0.0.1:3000", api_key) as scheduler:
    timer = scheduler.create_timer({"execute_at": "2030-01-01T12:00:00Z",
                                    "callback_url": "https://example.com/hook"})
"""

from scheduler_client import models
from scheduler_client._retry import Retries
from scheduler_client.async_client import AsyncClient
from scheduler_client.client import Client
from scheduler_client.errors import (
    Conflict,
    NotFound,
    RateLimited,
    SchedulerError,
    TooLarge,
    Unauthorized,
    Unavailable,
    ValidationError,
)
from scheduler_client.sealing import seal_withdrawal
from scheduler_client.webhooks import WebhookVerificationError, verify_webhook

__all__ = [
    "AsyncClient",
    "Client",
    "Conflict",
    "NotFound",
    "RateLimited",
    "Retries",
    "SchedulerError",
    "TooLarge",
    "Unauthorized",
    "Unavailable",
    "ValidationError",
    "WebhookVerificationError",
    "models",
    "seal_withdrawal",
    "verify_webhook",
]
