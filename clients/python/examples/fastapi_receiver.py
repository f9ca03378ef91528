"""A FastAPI app that takes the scheduler's callbacks and checks their signatures.

    SCHEDULER_WEBHOOK_SECRETS=whsec_... uvicorn fastapi_receiver:app --port 4000

SCHEDULER_WEBHOOK_SECRETS is the tenant's secret (``Client().signing_secret()``), or several
separated by commas while rotating.
"""

import os
from typing import Any

from fastapi import FastAPI, HTTPException, Request

from scheduler_client import WebhookVerificationError, verify_webhook


def create_app(secrets: list[str] | None = None) -> FastAPI:
    app = FastAPI()
    accepted = secrets or os.environ["SCHEDULER_WEBHOOK_SECRETS"].split(",")

    @app.post("/hook")
    async def hook(request: Request) -> dict[str, Any]:
        # The body as received, byte for byte: the signature covers those bytes.
        body = await request.body()
        try:
            payload = verify_webhook(request.headers, body, accepted)
        except WebhookVerificationError as refused:
            # Any 4xx but 408 and 429 ends the timer as failed: the service does not retry it.
            raise HTTPException(status_code=401, detail=str(refused)) from refused
        # webhook-id is the same on every attempt of a timer: deduplicate on it.
        return {"received": request.headers["webhook-id"], "payload": payload}

    return app


if os.environ.get("SCHEDULER_WEBHOOK_SECRETS"):
    app = create_app()
