"""Events API: parse, call a service, render in the envelope."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scheduler_project.core.auth import tenant_of
from scheduler_project.core.envelope import success
from timers import services
from timers.event_serializers import EventAcceptedSerializer, EventWriteSerializer

EXAMPLE = {"type": "order.paid", "data": {"order_id": "o-42", "amount": 120}, "id": "evt_order_42_paid"}
ACCEPTED = {
    "code": 0,
    "message": "success",
    "data": {"id": "evt_order_42_paid", "received_at": "2026-12-07T10:30:00.123456Z", "matched": 2},
}


class EventCollectionView(APIView):
    conflicts = ("post",)  # an event id reused with another type or data

    @extend_schema(
        operation_id="events_create",
        request=EventWriteSerializer,
        responses={202: EventAcceptedSerializer},
        examples=[
            OpenApiExample("Push an event", value=EXAMPLE, request_only=True),
            OpenApiExample("Accepted", value=ACCEPTED, response_only=True, status_codes=["202"]),
        ],
    )
    def post(self, request: Request) -> Response:
        given = EventWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        event, replayed = services.receive_event(tenant=tenant_of(request), **given.validated_data)
        response = success(EventAcceptedSerializer(event).data, status.HTTP_202_ACCEPTED)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response
