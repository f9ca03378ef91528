"""The admin API (``/api/admin/...``): tenants, their API keys and signing secrets, and
workers. Behind ``Authorization: Bearer <ADMIN_BEARER_TOKEN>``; with the variable unset
every route answers 404, as if it did not exist."""

import secrets
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator, validate_slug
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import authentication, exceptions, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scheduler_project.core import services
from scheduler_project.core.envelope import success
from scheduler_project.core.models import ApiKey, Tenant, WorkerHeartbeat
from scheduler_project.core.serializers import StrictCharField, StrictIntegerField, StrictSerializer


class AdminTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[None, str] | None:
        if not settings.ADMIN_BEARER_TOKEN:
            raise exceptions.NotFound("not found")
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        if not secrets.compare_digest(token.strip().encode(), settings.ADMIN_BEARER_TOKEN.encode()):
            raise exceptions.AuthenticationFailed("invalid admin token")
        return (None, "admin")

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="admin"'


class AdminBearerScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI document names the admin token (drf-spectacular finds it by class)."""

    target_class = AdminTokenAuthentication
    name = "AdminBearer"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "ADMIN_BEARER_TOKEN"}


class IsAdmin(permissions.BasePermission):
    message = "missing Authorization: Bearer <ADMIN_BEARER_TOKEN>"

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.auth == "admin"


class AdminView(APIView):
    authentication_classes = [AdminTokenAuthentication]
    permission_classes = [IsAdmin]
    throttle_classes: list = []

    @staticmethod
    def served() -> bool:
        """Whether the routes exist (the OpenAPI document leaves them out otherwise)."""
        return bool(settings.ADMIN_BEARER_TOKEN)


class TenantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tenant
        fields = ["slug", "name", "created_at", "previous_secret_until"]


class SlugField(StrictCharField):
    """A slug, and a JSON string (letters, digits, ``_`` and ``-``: no NUL either)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        kept = [v for v in self.validators if not isinstance(v, RegexValidator)]  # the NUL pattern
        self.validators = [*kept, validate_slug]


class NewTenantSerializer(StrictSerializer):
    slug = SlugField(max_length=50)
    name = StrictCharField(min_length=1, max_length=200, required=False, help_text="The slug if not given.")


class ApiKeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "created_at", "revoked_at"]


class NewKeySerializer(StrictSerializer):
    name = StrictCharField(min_length=1, max_length=200, help_text="What the key is for.")


class RotationSerializer(StrictSerializer):
    grace_secs = StrictIntegerField(
        min_value=0,
        max_value=services.MAX_GRACE_SECS,
        help_text="How long the old secret signs too (0: not).",
    )


class WorkerSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkerHeartbeat
        exclude = ["id"]


ISSUED = inline_serializer(
    "IssuedApiKey", {"key": serializers.CharField(help_text="Shown once; only its hash is kept."),
                     "api_key": ApiKeySerializer()},
)  # fmt: skip
ROTATED = inline_serializer(
    "RotatedSecret", {"webhook_secret": serializers.CharField(), "tenant": TenantSerializer()}
)


class TenantsView(AdminView):
    conflicts = ("post",)

    @extend_schema(operation_id="admin_tenants_list", responses={200: TenantSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return success(TenantSerializer(Tenant.objects.order_by("slug"), many=True).data)

    @extend_schema(
        operation_id="admin_tenants_create", request=NewTenantSerializer, responses={201: TenantSerializer}
    )
    def post(self, request: Request) -> Response:
        given = NewTenantSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        tenant = services.create_tenant(**given.validated_data)
        return success(TenantSerializer(tenant).data, http_status=status.HTTP_201_CREATED)


class TenantKeysView(AdminView):
    @extend_schema(operation_id="admin_keys_list", responses={200: ApiKeySerializer(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        tenant = services.tenant_by_slug(slug)
        return success(ApiKeySerializer(tenant.api_keys.order_by("id"), many=True).data)

    @extend_schema(operation_id="admin_keys_create", request=NewKeySerializer, responses={201: ISSUED})
    def post(self, request: Request, slug: str) -> Response:
        given = NewKeySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        key, raw = services.issue_api_key(tenant=services.tenant_by_slug(slug), **given.validated_data)
        return success(
            {"key": raw, "api_key": ApiKeySerializer(key).data}, http_status=status.HTTP_201_CREATED
        )


class TenantRotateView(AdminView):
    conflicts = ("post",)  # a secret pinned by the environment

    @extend_schema(operation_id="admin_secret_rotate", request=RotationSerializer, responses={200: ROTATED})
    def post(self, request: Request, slug: str) -> Response:
        given = RotationSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        tenant = services.rotate_signing_secret(tenant=services.tenant_by_slug(slug), **given.validated_data)
        return success({"webhook_secret": tenant.webhook_secret, "tenant": TenantSerializer(tenant).data})


class KeyRevokeView(AdminView):
    @extend_schema(operation_id="admin_key_revoke", request=None, responses={200: ApiKeySerializer})
    def post(self, request: Request, key_id: int) -> Response:
        return success(ApiKeySerializer(services.revoke_api_key(key_id=key_id)).data)


class WorkersView(AdminView):
    @extend_schema(operation_id="admin_workers_list", responses={200: WorkerSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return success(WorkerSerializer(WorkerHeartbeat.objects.all(), many=True).data)


class WorkerItemView(AdminView):
    @extend_schema(
        operation_id="admin_worker_deregister",
        request=None,
        responses={200: inline_serializer("DeregisteredWorker", {"name": serializers.CharField()})},
    )
    def delete(self, request: Request, name: str) -> Response:
        services.deregister_worker(name=name)
        return success({"name": name})
