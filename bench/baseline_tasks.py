"""The baseline: a plain Celery task posting to the receiver, scheduled with ``eta``."""

import httpx
from celery import shared_task

_client = httpx.Client(timeout=30)


@shared_task(ignore_result=True, acks_late=True)
def post_callback(url: str) -> None:
    _client.post(url, json={})
