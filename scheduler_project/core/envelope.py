"""The API's response envelope: ``{"code": N, "message": "...", "data": ...}``.

Codes 0-4 are the timer platform's contract; 5-7 extend it:

====  ====================  ===========
code  meaning               HTTP status
====  ====================  ===========
0     success               200 / 201
1     internal error        500 / 503
2     validation error      400 / 405 / 415
3     not found             404
4     unauthorized          401 / 403
5     conflict              409
6     rate limited          429
7     request too large     413
====  ====================  ===========

Errors carry no ``data`` key, except validation errors, whose ``data.errors``
maps each field to its messages.
"""

from typing import Any

from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

SUCCESS = 0
INTERNAL = 1
VALIDATION = 2
NOT_FOUND = 3
UNAUTHORIZED = 4
CONFLICT = 5
RATE_LIMITED = 6
TOO_LARGE = 7


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "conflict"
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "service unavailable"
    default_code = "unavailable"


def success(data: Any, http_status: int = status.HTTP_200_OK) -> Response:
    return Response({"code": SUCCESS, "message": "success", "data": data}, status=http_status)


def error_body(code: int, message: str, data: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        body["data"] = data
    return body


_CODES: list[tuple[type[exceptions.APIException], int]] = [
    (exceptions.ValidationError, VALIDATION),
    (exceptions.ParseError, VALIDATION),
    (exceptions.MethodNotAllowed, VALIDATION),
    (exceptions.UnsupportedMediaType, VALIDATION),
    (exceptions.NotAcceptable, VALIDATION),
    (exceptions.NotAuthenticated, UNAUTHORIZED),
    (exceptions.AuthenticationFailed, UNAUTHORIZED),
    (exceptions.PermissionDenied, UNAUTHORIZED),
    (exceptions.NotFound, NOT_FOUND),
    (exceptions.Throttled, RATE_LIMITED),
    (Conflict, CONFLICT),
]


def _first_message(detail: Any) -> str:
    if isinstance(detail, dict):
        for field, value in detail.items():
            message = _first_message(value)
            return message if field == "non_field_errors" else f"{field}: {message}"
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler that renders every API error in the envelope."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's handler500 renders it
    code = next((c for cls, c in _CODES if isinstance(exc, cls)), INTERNAL)
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    if isinstance(exc, exceptions.ParseError):
        message = f"malformed JSON body: {detail}"
    else:
        message = _first_message(detail)
    data = {"errors": detail} if isinstance(exc, exceptions.ValidationError) else None
    response.data = error_body(code, message, data)
    return response


def not_found_view(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body(NOT_FOUND, "not found"), status=404)


def server_error_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(error_body(INTERNAL, "internal error"), status=500)
