"""A tenant's routes that belong to no app: its signing secret, for every kind of callback."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scheduler_project.core.auth import tenant_of
from scheduler_project.core.envelope import success


class SigningSecretView(APIView):
    """The tenant's ``whsec_`` secret, for verifying callback signatures."""

    @extend_schema(
        responses={200: inline_serializer("SigningSecret", {"webhook_secret": serializers.CharField()})}
    )
    def get(self, request: Request) -> Response:
        return success({"webhook_secret": tenant_of(request).webhook_secret})
