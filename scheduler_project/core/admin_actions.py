"""Admin actions that run a service on each selected row and report what happened."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from rest_framework.exceptions import APIException


def apply_to_each(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    action: Callable[[Any], Any],
    summary: str,
) -> None:
    """Call ``action(pk)`` per selected row; refusals (conflicts) become warnings.

    ``summary`` takes the number done, e.g. ``"Canceled {} timer(s)."``.
    """
    done = 0
    for pk in queryset.values_list("pk", flat=True):
        try:
            action(pk)
            done += 1
        except APIException as exc:
            model_admin.message_user(request, f"{pk}: {exc.detail}", messages.WARNING)
    model_admin.message_user(request, summary.format(done), messages.SUCCESS)
