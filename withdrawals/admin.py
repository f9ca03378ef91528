"""Operators' screens for withdrawals: never the payload, only its length and hash."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from scheduler_project.core.admin_actions import apply_to_each
from withdrawals import services
from withdrawals.models import DeadLetter, ScheduledRequest

SHOWN = (
    "id", "status", "relay_after", "created_at", "processed_at", "attempts", "retry_count",
    "error_message", "tx_hash", "nullifier_hash", "payload_length", "payload_sha256",
    "last_note_index", "max_relayer_fee", "due_at", "lease_until", "relay_started_at",
)  # fmt: skip


class WithdrawalAdminBase(admin.ModelAdmin):
    list_display = ("id", "status", "relay_after", "attempts", "processed_at", "tx_hash", "error_message")
    list_filter = ("status",)
    search_fields = ("=id", "=tx_hash", "=nullifier_hash")
    ordering = ("-id",)
    fields = SHOWN
    readonly_fields = SHOWN
    actions = ["cancel_requests"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).defer("payload")

    @admin.action(description="Cancel selected withdrawals (pending or failed)")
    def cancel_requests(self, request: HttpRequest, queryset: QuerySet) -> None:
        cancel = lambda pk: services.cancel_withdrawal(request_id=pk)  # noqa: E731
        apply_to_each(self, request, queryset, cancel, "Cancelled {} withdrawal(s).")


@admin.register(ScheduledRequest)
class ScheduledRequestAdmin(WithdrawalAdminBase):
    pass


@admin.register(DeadLetter)
class DeadLetterAdmin(WithdrawalAdminBase):
    actions = ["requeue_requests", "cancel_requests"]

    @admin.action(description="Requeue selected failed withdrawals now")
    def requeue_requests(self, request: HttpRequest, queryset: QuerySet) -> None:
        requeue = lambda pk: services.requeue_withdrawal(request_id=pk)  # noqa: E731
        apply_to_each(self, request, queryset, requeue, "Requeued {} withdrawal(s).")
