"""Withdrawal API: unauthenticated, like the service it replaces; requests are
addressed by an unguessable status token, never by their sequential id."""

import base64

from django.conf import settings
from django.core.cache import cache
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scheduler_project.core.auth import ClientIpRateThrottle
from scheduler_project.core.envelope import ServiceUnavailable
from tee.client import TeeClient
from tee.errors import AttestationError, TeeError
from withdrawals import services
from withdrawals.models import ScheduledRequest
from withdrawals.serializers import ScheduleWithdrawSerializer, WithdrawalStatusSerializer

PUBLIC_KEY_CACHE_KEY = "tee:public_key"


class PublicView(APIView):
    """Answers flat (no envelope) as the service it replaces; errors keep the envelope."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    envelope = False


class ScheduleWithdrawView(PublicView):
    conflicts = ("post",)  # the same sealed payload again, with other outer values
    throttle_classes = [ClientIpRateThrottle] if settings.PUBLIC_RATE_LIMIT else []

    @extend_schema(
        request=ScheduleWithdrawSerializer,
        responses={
            201: inline_serializer(
                "Scheduled",
                {
                    "request_id": serializers.IntegerField(),
                    "message": serializers.CharField(),
                    "status_token": serializers.CharField(),
                },
            )
        },
    )
    def post(self, request: Request) -> Response:
        serializer = ScheduleWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scheduled = services.schedule_withdrawal(**serializer.validated_data)
        body = {
            "request_id": scheduled.pk,
            "message": f"Withdraw request scheduled successfully. Request ID: {scheduled.pk}",
            "status_token": scheduled.status_token,
        }
        return Response(body, status=status.HTTP_201_CREATED)


TEE_PUBLIC_KEY = inline_serializer(
    "TeePublicKeyBody",
    {
        "public_key": serializers.CharField(help_text="Base64 of the DER RSA public key."),
        "attestation_document": serializers.CharField(help_text="Base64 of the attestation document."),
    },
)


class PublicKeyView(PublicView):
    """The TEE's public key and attestation document, verified and cached briefly: in the
    original's shape (``TeePublicKey``), and flat beside it."""

    @extend_schema(
        responses={
            200: inline_serializer(
                "TeePublicKey",
                {
                    "TeePublicKey": TEE_PUBLIC_KEY,
                    "public_key": serializers.CharField(),
                    "attestation_document": serializers.CharField(),
                },
            ),
        }
    )
    def get(self, request: Request) -> Response:
        body = cache.get(PUBLIC_KEY_CACHE_KEY)
        if body is None:
            try:
                info = TeeClient().public_key()
            except (TeeError, AttestationError) as exc:
                raise ServiceUnavailable(f"TEE unavailable: {type(exc).__name__}") from exc
            body = {
                "public_key": base64.b64encode(info.public_key_der).decode(),
                "attestation_document": base64.b64encode(info.attestation_document).decode(),
            }
            cache.set(PUBLIC_KEY_CACHE_KEY, body, settings.TEE_PUBLIC_KEY_CACHE_SECS)
        return Response({"TeePublicKey": body, **body})


class WithdrawalStatusView(PublicView):
    conflicts = ("delete",)

    @extend_schema(responses={200: WithdrawalStatusSerializer})
    def get(self, request: Request, status_token: str) -> Response:
        found = ScheduledRequest.objects.filter(status_token=status_token).first()
        if found is None:
            raise NotFound("withdrawal not found")
        return Response(WithdrawalStatusSerializer(found).data)

    @extend_schema(request=None, responses={200: WithdrawalStatusSerializer})
    def delete(self, request: Request, status_token: str) -> Response:
        cancelled = services.cancel_withdrawal(status_token=status_token)
        return Response(WithdrawalStatusSerializer(cancelled).data)
