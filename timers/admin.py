"""Operators' screens for timers and jobs: search, filter, cancel, retry now, run now, pause,
resume, delete, attempt and task history; each job with the fields of its type; the record
of bulk replays, read only."""

import uuid
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from scheduler_project.core.admin_actions import apply_to_each
from timers import schedules, selectors, services
from timers.models import Job, Replay, ScheduleType, Timer, TimerAttempt


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
        "run_by",
        "replay",
    ]
    exclude = ["request_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Timer | None = None) -> bool:
        # A timer is cancelled (the action), never removed: its attempts are its history.
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


JOB_COMMON = (
    "id", "tenant", "name", "status", "schedule_type", "callback_url", "callback_headers", "callback_payload",
    "max_attempts", "metadata", "run_count", "manual_runs", "max_runs", "next_run_at", "last_run_at",
    "in_job_zone", "idempotency_key", "created_at", "updated_at",
)  # fmt: skip
_TIMES = ("timezone", "start_at", "end_at", "start_at_defaulted", "misfire_policy", "misfire_grace_secs",
          "overlap_policy", "skipped_runs")  # fmt: skip
_CONDITION = (
    "source_url", "source_method", "source_body", "source_headers", "source_timeout_secs", "value_pointer",
    "value_format", "operator", "target", "conditions", "poll_interval_secs", "for_secs", "cooldown_secs",
    "overlap_policy", "skipped_runs",
)  # fmt: skip
# Each type's fieldsets after the common fields: what it is, then where it stands.
JOB_FIELDSETS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    ScheduleType.CRON: [("Schedule", ("cron_expression", *_TIMES))],
    ScheduleType.INTERVAL: [("Schedule", ("interval_secs", *_TIMES))],
    ScheduleType.SPECIFIC: [("Schedule", ("run_at", *_TIMES))],
    ScheduleType.CONDITION: [
        ("Condition", _CONDITION),
        ("State", ("condition_state", "condition_since", "last_value", "last_evaluated_at", "last_error")),
    ],
    ScheduleType.EVENT: [
        (
            "Events",
            (
                "event_type",
                "event_filter",
                "debounce_secs",
                "batch_max",
                "batch_window_secs",
                "throttle_max",
                "throttle_window_secs",
            ),
        ),
        (
            "Last events",
            (
                "last_events",
                "last_event_at",
                "dropped_events",
                "pending_events",
                "throttle_window_start",
                "throttle_count",
            ),
        ),
    ],
    ScheduleType.CHAIN_EVENT: [
        (
            "Chain",
            (
                "rpc_url",
                "addresses",
                "topics",
                "confirmations",
                "from_block",
                "poll_interval_secs",
                "max_block_range",
                "reorg_depth",
            ),
        ),
        ("Checkpoint", ("last_processed_block", "last_processed_hash", "lag", "last_error")),
    ],
}


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
    search_fields = ["name", "callback_url", "cron_expression", "event_type", "rpc_url", "metadata"]
    ordering = ["-created_at"]
    inlines = [TaskInline]
    actions = ["run_jobs_now", "pause_jobs", "resume_jobs", "delete_jobs"]
    exclude = ["request_hash"]

    def get_fieldsets(self, request: HttpRequest, obj: Job | None = None) -> Any:
        if obj is None:
            return super().get_fieldsets(request, obj)
        return [(None, {"fields": JOB_COMMON})] + [
            (title, {"fields": fields}) for title, fields in JOB_FIELDSETS[obj.schedule_type]
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Job | None = None) -> list[str]:
        # Changes go through the API or the actions, which keep the schedule consistent.
        stored = [field.name for field in Job._meta.fields if field.name != "request_hash"]
        return [*stored, "lag", "last_events", "in_job_zone"]

    @admin.display(description="in the job's time zone")
    def in_job_zone(self, job: Job) -> str:
        """The job's own times (shown above in UTC) on its wall clock, where its schedule runs."""
        zone = schedules.zone(job.timezone)
        times = {"next run": job.next_run_at, "last run": job.last_run_at, "run at": job.run_at,
                 "start at": job.start_at, "end at": job.end_at}  # fmt: skip
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td></tr>",
            (
                (label, date_format(moment.astimezone(zone), "DATETIME_FORMAT"))
                for label, moment in times.items()
                if moment is not None
            ),
        )
        return format_html("<table><tr><td>zone</td><td>{}</td></tr>{}</table>", job.timezone, rows)

    @admin.display(description="lag (blocks behind the endpoint's head)")
    def lag(self, job: Job) -> int | None:
        return selectors.chain_lag(selectors.with_answer_extras([job])[0])

    @admin.display(description="last events (tasks fired by events, the latest first)")
    def last_events(self, job: Job) -> str:
        tasks = getattr(selectors.with_answer_extras([job])[0], "recent_event_tasks", [])
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>',
            (
                (reverse("admin:timers_timer_change", args=[task.pk]), task.trigger_key, task.status,
                 task.created_at)
                for task in tasks
            ),
        )  # fmt: skip
        return format_html("<table><tr><th>event</th><th>status</th><th>created</th></tr>{}</table>", rows)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        # Django's delete would remove the row and its tasks; a job is deleted by the
        # service (the action above), kept with its history as the API keeps it.
        return False

    @admin.action(description="Run selected jobs now (outside their schedules)")
    def run_jobs_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        actor = f"staff:{request.user.get_username()}"
        run = lambda pk: services.run_job_now(job=Job.objects.get(pk=pk), actor=actor)  # noqa: E731
        apply_to_each(self, request, queryset, run, "Ran {} job(s) now.")

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


@admin.register(Replay)
class ReplayAdmin(admin.ModelAdmin):
    """Who replayed which dead letters, when and how fast: a record, never changed here."""

    list_display = ["created_at", "tenant", "actor", "dry_run", "matched", "replayed", "rate", "last_due_at"]
    list_filter = ["dry_run", "tenant"]
    search_fields = ["actor"]
    ordering = ["-created_at"]
    fields = readonly_fields = (
        "id", "tenant", "actor", "created_at", "filters", "dry_run", "rate", "limit", "matched", "replayed",
        "last_due_at", "replayed_timers",
    )  # fmt: skip

    @admin.display(description="timers replayed (still linked: a later replay of one takes it)")
    def replayed_timers(self, replay: Replay) -> str:
        url = reverse("admin:timers_timer_changelist") + f"?replay__id__exact={replay.pk}"
        return format_html('<a href="{}">{}</a>', url, replay.timers.count())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Replay | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Replay | None = None) -> bool:
        return False
