from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from scheduler_project.core.database import CONNECTION_ERRORS
from scheduler_project.core.envelope import INTERNAL, TOO_LARGE, VALIDATION, error_body

# What a client is told to wait before trying again while the database is unreachable.
DATABASE_RETRY_AFTER_SECS = 5


# A longer query string is a validation error (400 in the envelope; no route takes one that
# long). gunicorn, started with --limit-request-line 8190, answers its own 414 beyond that.
MAXIMUM_QUERY_LENGTH = 4096


# Routes that take many items in one body: BATCH_MAXIMUM_REQUEST_SIZE instead.
BATCH_PATHS = frozenset({"/timers/batch"})


class RequestSizeLimitMiddleware:
    """Refuse bodies over ``MAXIMUM_REQUEST_SIZE`` (``BATCH_MAXIMUM_REQUEST_SIZE`` on batch
    routes) with 413 before anything reads them, and query strings over
    ``MAXIMUM_QUERY_LENGTH`` with 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = (
            settings.BATCH_MAXIMUM_REQUEST_SIZE
            if request.path_info in BATCH_PATHS
            else settings.MAXIMUM_REQUEST_SIZE
        )
        if length > limit:
            message = f"request body exceeds {limit} bytes"
            return JsonResponse(error_body(TOO_LARGE, message), status=413)
        if len(request.META.get("QUERY_STRING", "")) > MAXIMUM_QUERY_LENGTH:
            message = f"query string exceeds {MAXIMUM_QUERY_LENGTH} characters"
            return JsonResponse(error_body(VALIDATION, message), status=400)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A request that could not reach the database answers 503 with ``Retry-After`` in
    the envelope, not 500: the service is fine, its database is restarting or gone.
    Nothing was stored (every write is one statement or one transaction)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, CONNECTION_ERRORS):
            return None
        response = JsonResponse(error_body(INTERNAL, "database unavailable; try again shortly"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECS)
        return response
