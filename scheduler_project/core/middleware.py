from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from scheduler_project.core.envelope import TOO_LARGE, error_body


class RequestSizeLimitMiddleware:
    """Refuse bodies over ``MAXIMUM_REQUEST_SIZE`` with 413 before anything reads them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAXIMUM_REQUEST_SIZE:
            message = f"request body exceeds {settings.MAXIMUM_REQUEST_SIZE} bytes"
            return JsonResponse(error_body(TOO_LARGE, message), status=413)
        return self.get_response(request)
