"""Timer API: parse, call a service, render in the envelope."""

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scheduler_project.core.auth import actor_of, tenant_of
from scheduler_project.core.envelope import success
from timers import services
from timers.models import Timer
from timers.serializers import (
    ReplayAnswerSerializer,
    ReplayRequestSerializer,
    TimerBatchCreatedSerializer,
    TimerBatchSerializer,
    TimerDetailSerializer,
    TimerListQuerySerializer,
    TimerListSerializer,
    TimerSummarySerializer,
    TimerUpdateSerializer,
    TimerWriteSerializer,
)

IDEMPOTENCY_KEY_MAX = 255
IDEMPOTENCY_KEY_PATTERN = f"[\\x20-\\x7e]{{1,{IDEMPOTENCY_KEY_MAX}}}"
IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)


def request_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "pattern": f"^{IDEMPOTENCY_KEY_PATTERN}$"},
    OpenApiParameter.HEADER,
    description="Replays return what the first request created (with `Idempotent-Replayed: "
    "true`); the same key with another body is a 409. 1 to 255 printable ASCII characters; "
    "an empty value (or one of other characters, which the web server hands on empty) is a 400.",
)


def idempotency_key_of(request: Request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    # The web server hands on a value with other than ASCII characters as an empty one: a key
    # the client sent, which must not be taken for none (a retry would then create twice).
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise ValidationError(
            {"Idempotency-Key": [f"must be 1 to {IDEMPOTENCY_KEY_MAX} printable ASCII characters"]}
        )
    return key


def create_idempotently(
    request: Request,
    serializer_class: type[serializers.Serializer],
    create: Callable[..., tuple[Any, bool]],
    output_class: type[serializers.Serializer],
) -> Response:
    """Validate a create body, call the service with the tenant and the request's
    Idempotency-Key, and answer 201 (with ``Idempotent-Replayed: true`` for a replay)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    key = idempotency_key_of(request)
    created, replayed = create(
        tenant=tenant_of(request),
        idempotency_key=key,
        request_hash=request_hash(request.data) if key else "",
        **serializer.validated_data,
    )
    response = success(output_class(created).data, status.HTTP_201_CREATED)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def query_of(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    """The validated query string; a parameter given twice, or given empty, is an error."""
    repeated = sorted(name for name, values in request.query_params.lists() if len(values) > 1)
    if repeated:
        raise ValidationError({name: ["given more than once"] for name in repeated})
    query = serializer_class(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


# The timer platform's own examples (its README): a past execute_at is due at once.
SEED_CREATE = {
    "execute_at": "2025-10-28T16:00:00Z",
    "callback_url": "https://api.example.com/webhook",
    "callback_headers": {"Authorization": "Bearer token123"},
    "callback_payload": {"event": "timer_triggered", "user_id": "user123"},
    "metadata": {"client_ref": "order-456"},
}
SEED_CREATED = {
    "code": 0,
    "message": "success",
    "data": {
        "id": "550e8400-e29b-41d4-a716-446655440000",
        "created_at": "2025-10-28T10:30:00Z",
        "execute_at": "2025-10-28T16:00:00Z",
        "callback_url": "https://api.example.com/webhook",
        "status": "pending",
        "executed_at": None,
    },
}


class TimerCollectionView(APIView):
    conflicts = ("post",)  # an Idempotency-Key reused with another body

    @extend_schema(
        request=TimerWriteSerializer,
        responses={201: TimerSummarySerializer},
        examples=[
            OpenApiExample("Create a timer", value=SEED_CREATE, request_only=True),
            OpenApiExample("Created", value=SEED_CREATED, response_only=True, status_codes=["201"]),
        ],
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    def post(self, request: Request) -> Response:
        return create_idempotently(
            request, TimerWriteSerializer, services.create_timer, TimerSummarySerializer
        )

    @extend_schema(
        operation_id="timers_list",
        parameters=[TimerListQuerySerializer],
        responses={200: TimerListSerializer},
    )
    def get(self, request: Request) -> Response:
        params = query_of(request, TimerListQuerySerializer)
        timers = Timer.objects.for_tenant(tenant_of(request))
        if "status" in params:
            timers = timers.filter(status=params["status"])
        prefix = "-" if params["order"] == "desc" else ""
        ordered = timers.order_by(f"{prefix}{params['sort']}", f"{prefix}id")
        page = ordered[params["offset"] : params["offset"] + params["limit"]]
        return success(
            {
                "timers": TimerSummarySerializer(page, many=True).data,
                "total": timers.count(),
                "limit": params["limit"],
                "offset": params["offset"],
            }
        )


class TimerBatchView(APIView):
    """Up to 1,000 timers in one request, all or none."""

    @extend_schema(
        operation_id="timers_batch_create",
        request=TimerBatchSerializer,
        responses={201: TimerBatchCreatedSerializer},
    )
    def post(self, request: Request) -> Response:
        given = TimerBatchSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        created = services.create_timers(tenant=tenant_of(request), timers=given.validated_data["timers"])
        return success(TimerBatchCreatedSerializer({"timers": created}).data, http_status=201)


class TimerReplayView(APIView):
    """Failed timers and tasks sent again, in bulk, at a chosen pace."""

    @extend_schema(
        operation_id="timers_replay",
        request=ReplayRequestSerializer,
        responses={201: ReplayAnswerSerializer},
        examples=[
            OpenApiExample(
                "Count the failed callbacks to one host",
                value={"filter": {"callback_host": "api.example.com"}, "dry_run": True},
                request_only=True,
            ),
            OpenApiExample(
                "Replay them, 20 a second",
                value={"filter": {"callback_host": "api.example.com", "error": "HTTP 503"}, "rate": 20},
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        if not request.body:  # required, as every body is: {} takes every default
            raise ValidationError({"non_field_errors": ["request body must be a JSON object"]})
        given = ReplayRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        result = services.replay_timers(
            tenant=tenant_of(request),
            filters=given.validated_data.get("filter", {}),
            dry_run=given.validated_data["dry_run"],
            rate=given.validated_data["rate"],
            limit=given.validated_data["limit"],
            actor=actor_of(request),
        )
        return success(ReplayAnswerSerializer(result).data, http_status=201)


class TimerItemView(APIView):
    conflicts = ("put", "delete")  # the timer is no longer pending

    def get_timer(self, request: Request, timer_id: str) -> Timer:
        timer = (
            Timer.objects.for_tenant(tenant_of(request))
            .prefetch_related("attempt_log")
            .filter(pk=timer_id)
            .first()
        )
        if timer is None:
            raise NotFound("timer not found")
        return timer

    @extend_schema(responses={200: TimerDetailSerializer})
    def get(self, request: Request, timer_id: str) -> Response:
        return success(TimerDetailSerializer(self.get_timer(request, timer_id)).data)

    @extend_schema(request=TimerUpdateSerializer, responses={200: TimerSummarySerializer})
    def put(self, request: Request, timer_id: str) -> Response:
        serializer = TimerUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        timer = services.update_timer(
            tenant=tenant_of(request), timer_id=timer_id, changes=serializer.validated_data
        )
        return success(TimerSummarySerializer(timer).data)

    @extend_schema(request=None, responses={200: TimerSummarySerializer})
    def delete(self, request: Request, timer_id: str) -> Response:
        timer = services.cancel_timer(tenant=tenant_of(request), timer_id=timer_id)
        return success(TimerSummarySerializer(timer).data)
