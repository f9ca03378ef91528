"""Operators' screens for timers and jobs: search, filter, cancel, retry now, pause,
resume, delete, attempt and task history."""

import uuid

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from scheduler_project.core.admin_actions import apply_to_each
from timers import services
from timers.models import Job, Timer, TimerAttempt


class SearchByIdMixin:
    """A search for a UUID finds that row; any other text searches ``search_fields``."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        try:
            row_id = uuid.UUID(search_term.strip())
        except ValueError:
            return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        return queryset.filter(pk=row_id), False


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
class TimerAdmin(SearchByIdMixin, admin.ModelAdmin):
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
    list_filter = ["status", "tenant", "job__schedule_type"]
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
        "job",
        "scheduled_for",
        "retry_base_secs",
    ]
    exclude = ["request_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

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


class TaskInline(admin.TabularInline):
    model = Timer
    fk_name = "job"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("scheduled_for", "status", "attempts", "executed_at", "last_error")
    readonly_fields = fields
    ordering = ["-scheduled_for"]

    def has_add_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(SearchByIdMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "name",
        "tenant",
        "status",
        "schedule_type",
        "next_run_at",
        "last_run_at",
        "run_count",
    ]
    list_filter = ["status", "schedule_type", "tenant"]
    search_fields = ["name", "callback_url", "cron_expression", "metadata"]
    ordering = ["-created_at"]
    inlines = [TaskInline]
    actions = ["pause_jobs", "resume_jobs", "delete_jobs"]
    exclude = ["request_hash"]

    def get_readonly_fields(self, request: HttpRequest, obj: Job | None = None) -> list[str]:
        # Changes go through the API or the actions, which keep the schedule consistent.
        return [field.name for field in Job._meta.fields if field.name != "request_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Pause selected jobs")
    def pause_jobs(self, request: HttpRequest, queryset: QuerySet) -> None:
        pause = lambda pk: services.pause_job(tenant=None, job_id=pk)  # noqa: E731
        apply_to_each(self, request, queryset, pause, "Paused {} job(s).")

    @admin.action(description="Resume selected jobs")
    def resume_jobs(self, request: HttpRequest, queryset: QuerySet) -> None:
        resume = lambda pk: services.resume_job(tenant=None, job_id=pk)  # noqa: E731
        apply_to_each(self, request, queryset, resume, "Resumed {} job(s).")

    @admin.action(description="Delete selected jobs (kept with their tasks)")
    def delete_jobs(self, request: HttpRequest, queryset: QuerySet) -> None:
        delete = lambda pk: services.delete_job(tenant=None, job_id=pk)  # noqa: E731
        apply_to_each(self, request, queryset, delete, "Deleted {} job(s).")
