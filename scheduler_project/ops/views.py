"""The public operations routes: liveness, detailed health, the workers online and the
service's counts. None needs a key, and none shows a tenant's data."""

from django.db import DatabaseError, connection
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scheduler_project.core.envelope import INTERNAL, error_body, success
from scheduler_project.core.middleware import DATABASE_RETRY_AFTER_SECS
from scheduler_project.ops import health, stats
from tee.health import tee_state

HEALTH = inline_serializer(
    "Health",
    {
        "status": serializers.ChoiceField(choices=["up", "down"]),
        "database": serializers.ChoiceField(choices=["connected", "disconnected"]),
        "tee": serializers.ChoiceField(choices=["connected", "unresponsive", "unreachable", "unknown"]),
        "timestamp": serializers.DateTimeField(),
    },
)


class HealthView(APIView):
    """Liveness and database reachability, in the timer platform's shape."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(responses={200: HEALTH, 503: HEALTH})
    def get(self, request: Request) -> Response:
        """The database first (the service's health); then the TEE's last known state,
        which never makes the answer wait nor the service unhealthy (timers do not
        need the TEE)."""
        timestamp = timezone.now().isoformat().replace("+00:00", "Z")
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            body = error_body(INTERNAL, "database unavailable")
            body["data"] = {"status": "down", "database": "disconnected", "tee": tee_state(),
                            "timestamp": timestamp}  # fmt: skip
            response = Response(body, status=503)
            response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECS)
            return response
        return success({"status": "up", "database": "connected", "tee": tee_state(), "timestamp": timestamp})


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []


class DetailedHealthView(PublicView):
    """Every part the service depends on; 200 while ``up`` or ``degraded``, 503 ``down``."""

    @extend_schema(responses={200: dict, 503: dict})
    def get(self, request: Request) -> Response:
        report = health.detailed(timezone.now())
        report["timestamp"] = timezone.now()
        if report["status"] == "down":
            response = Response(error_body(INTERNAL, "database unavailable", report), status=503)
            response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECS)
            return response
        return success(report)


class PublicWorkersView(PublicView):
    """Workers online now, with their queues and concurrency (no tenant data)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return success({"workers": health.public_workers(timezone.now())})


class PublicStatsView(PublicView):
    """Counts by status, the last hour's deliveries, the last 5 minutes' lateness."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        return success(stats.public_stats(timezone.now()))
