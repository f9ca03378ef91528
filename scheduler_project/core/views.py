from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scheduler_project.core.auth import tenant_of
from scheduler_project.core.envelope import INTERNAL, error_body, success
from tee.client import TeeClient
from tee.errors import PoolExhausted, TeeError, TeeTimeout


class HealthView(APIView):
    """Liveness and database reachability, in the timer platform's shape."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        responses={
            200: inline_serializer(
                "Health",
                {
                    "status": serializers.CharField(),
                    "database": serializers.CharField(),
                    "timestamp": serializers.DateTimeField(),
                },
            )
        }
    )
    def get(self, request: Request) -> Response:
        timestamp = timezone.now().isoformat().replace("+00:00", "Z")
        tee = tee_state()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            body = error_body(INTERNAL, "database unavailable")
            body["data"] = {"status": "down", "database": "disconnected", "tee": tee, "timestamp": timestamp}
            return Response(body, status=503)
        return success({"status": "up", "database": "connected", "tee": tee, "timestamp": timestamp})


def tee_state() -> str:
    """Whether the TEE answers a ping through the pool within ``TEE_HEALTH_TIMEOUT_SECS``.

    Withdrawals need the TEE; timers do not, so a TEE that is down ("unreachable")
    or hung ("unresponsive") is reported without making the service unhealthy, and
    a hung one does not hold the probe for the pool's much longer compute timeout.
    """
    try:
        TeeClient().ping(timeout=settings.TEE_HEALTH_TIMEOUT_SECS)
    except (TeeTimeout, PoolExhausted):
        return "unresponsive"
    except TeeError:
        return "unreachable"
    return "connected"


class SigningSecretView(APIView):
    """The tenant's ``whsec_`` secret, for verifying callback signatures."""

    @extend_schema(
        responses={200: inline_serializer("SigningSecret", {"webhook_secret": serializers.CharField()})}
    )
    def get(self, request: Request) -> Response:
        return success({"webhook_secret": tenant_of(request).webhook_secret})
