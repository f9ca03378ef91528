from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django_prometheus.middleware import PrometheusAfterMiddleware
from django_prometheus.utils import Time, TimeSince

from scheduler_project.core.departures.database import unavailable
from scheduler_project.core.envelope import INTERNAL, TOO_LARGE, VALIDATION, error_body

# What a client is told to wait before trying again while the database is unreachable.
DATABASE_RETRY_AFTER_SECS = 5


# A longer query string is a validation error (400 in the envelope; no route takes one that
# long). The web server answers its own 414 to a request line past its buffer.
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
    the envelope, not 500: the service is fine, its database is restarting or gone. A
    statement the database refused is the service's error, not an outage, and stays a 500.

    Before any write reached the database, nothing was stored (every write is one
    statement or one transaction). Once one was sent, a connection lost before its answer
    leaves the outcome unknown: the database may have committed it just before it went
    away. That 503 says so, and the client's retry with the same ``Idempotency-Key``
    answers what was stored, or stores it now."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        with connection.execute_wrapper(_WritesSent(request)):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not unavailable(exception):
            return None  # a bug, not an outage: 500
        message = (
            IN_DOUBT if getattr(request, _WRITE_SENT, False) else "database unavailable; try again shortly"
        )
        response = JsonResponse(error_body(INTERNAL, message), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECS)
        return response


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
IN_DOUBT = (
    "database connection lost after a write was sent; it may have been stored: "
    "retry with the same Idempotency-Key to learn which"
)
_WRITE_SENT = "_scheduler_write_sent"
# Statements that change nothing a client could see stored.
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK")


class _WritesSent:
    """A database execute wrapper noting on the request that a write left for the database."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if not sql.lstrip()[:9].upper().startswith(_READS):
            setattr(self.request, _WRITE_SENT, True)
        return execute(sql, params, many, context)


class RequestMetricsMiddleware(PrometheusAfterMiddleware):
    """django-prometheus's per-view metrics, the two an operator reads: responses by status,
    view and method (``django_http_responses_total_by_status_view_method``) and latency by
    view and method (``django_http_requests_latency_seconds_by_view_method``), with
    exceptions by type and view.

    Its other eight series per request (by method, by transport, by status alone, by
    charset, body sizes in and out...) repeat what these say and were a tenth of a create's
    CPU; ``PrometheusBeforeMiddleware`` still counts every request and its whole latency."""

    def process_request(self, request: HttpRequest) -> None:
        request.prometheus_after_middleware_event = Time()  # type: ignore[attr-defined]

    def process_view(self, *args: Any, **kwargs: Any) -> None:
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        method, name = self._method(request), self._get_view_name(request)
        self.metrics.responses_by_status_view_method.labels(
            status=str(response.status_code), view=name, method=method
        ).inc()
        started = getattr(request, "prometheus_after_middleware_event", None)
        if started is not None:
            self.metrics.requests_latency_by_view_method.labels(view=name, method=method).observe(
                TimeSince(started)
            )
        return response
