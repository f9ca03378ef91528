"""A Django view that takes the scheduler's callbacks and checks their signatures.

In settings.py, the tenant's secret (``Client().signing_secret()``), or several while
rotating::

    SCHEDULER_WEBHOOK_SECRETS = ["whsec_..."]

and in urls.py::

    path("hook", django_receiver.scheduler_callback)
"""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from scheduler_client import WebhookVerificationError, verify_webhook

SECRETS_SETTING = "SCHEDULER_WEBHOOK_SECRETS"


def secrets() -> list[str]:
    # A setting of your project's, which Django's own settings (and their stubs) do not know.
    return list(getattr(settings, SECRETS_SETTING))


@csrf_exempt  # the signature, not a cookie, says who sent it
@require_POST
def scheduler_callback(request: HttpRequest) -> JsonResponse:
    try:
        payload = verify_webhook(request.headers, request.body, secrets())
    except WebhookVerificationError as refused:
        # Any 4xx but 408 and 429 ends the timer as failed: the service does not retry it.
        return JsonResponse({"error": str(refused)}, status=401)
    # webhook-id is the same on every attempt of a timer: deduplicate on it.
    return JsonResponse({"received": request.headers["webhook-id"], "payload": payload})
