"""A Flask app that takes the scheduler's callbacks and checks their signatures.

    SCHEDULER_WEBHOOK_SECRETS=whsec_... flask --app flask_receiver run --port 4000

SCHEDULER_WEBHOOK_SECRETS is the tenant's secret (``scheduler signing-secret`` or
``Client().signing_secret()``), or several separated by commas while rotating.
"""

import os

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue

from scheduler_client import WebhookVerificationError, verify_webhook


def create_app(secrets: list[str] | None = None) -> Flask:
    app = Flask(__name__)
    accepted = secrets or os.environ["SCHEDULER_WEBHOOK_SECRETS"].split(",")

    @app.post("/hook")
    def hook() -> ResponseReturnValue:
        try:
            payload = verify_webhook(request.headers, request.get_data(), accepted)
        except WebhookVerificationError as refused:
            # Any 4xx but 408 and 429 ends the timer as failed: the service does not retry it.
            return jsonify(error=str(refused)), 401
        # webhook-id is the same on every attempt of a timer: deduplicate on it.
        return jsonify(received=request.headers["webhook-id"], payload=payload)

    return app
