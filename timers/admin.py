"""Operators' screens for timers: search, filter, cancel, retry now, attempt history."""

import uuid

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from scheduler_project.core.admin_actions import apply_to_each
from timers import services
from timers.models import Timer, TimerAttempt


class TimerAttemptInline(admin.TabularInline):
    model = TimerAttempt
    extra = 0
    can_delete = False
    fields = (
        "number",
        "started_at",
        "outcome",
        "status_code",
        "duration_ms",
        "error",
        "response_body",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Timer | None = None) -> bool:
        return False


@admin.register(Timer)
class TimerAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "tenant",
        "status",
        "execute_at",
        "callback_url",
        "attempts",
        "executed_at",
        "last_error",
    ]
    list_filter = ["status", "tenant"]
    search_fields = ["callback_url", "metadata"]
    ordering = ["-created_at"]
    date_hierarchy = "execute_at"
    inlines = [TimerAttemptInline]
    actions = ["cancel_timers", "retry_timers_now"]
    readonly_fields = [
        "id",
        "tenant",
        "status",
        "execute_at",
        "due_at",
        "callback_url",
        "callback_headers",
        "callback_payload",
        "metadata",
        "max_attempts",
        "attempts",
        "created_at",
        "updated_at",
        "executed_at",
        "last_error",
        "dispatch_token",
        "lease_until",
        "idempotency_key",
    ]
    exclude = ["request_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        try:
            timer_id = uuid.UUID(search_term.strip())
        except ValueError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(pk=timer_id), False

    @admin.action(description="Cancel selected pending timers")
    def cancel_timers(self, request: HttpRequest, queryset: QuerySet) -> None:
        apply_to_each(
            self,
            request,
            queryset,
            lambda pk: services.cancel_timer(tenant=None, timer_id=pk),
            "Canceled {} timer(s).",
        )

    @admin.action(description="Retry selected timers now")
    def retry_timers_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        retry = lambda pk: services.retry_timer_now(timer_id=pk)  # noqa: E731
        apply_to_each(self, request, queryset, retry, "Queued {} timer(s).")
