from django.contrib import admin, messages
from django.http import HttpRequest

from scheduler_project.core import services
from scheduler_project.core.admin_actions import apply_to_each
from scheduler_project.core.models import ApiKey, SweepRecord, Tenant, WorkerHeartbeat


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    fields = ["prefix", "name", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Tenant | None = None) -> bool:
        return False


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "created_at", "previous_secret_until"]
    search_fields = ["slug", "name"]
    readonly_fields = ["webhook_secret", "previous_webhook_secret", "previous_secret_until"]
    inlines = [ApiKeyInline]
    actions = ["create_key", "rotate_secret"]

    @admin.action(description="Rotate the signing secret (the old one signs beside it for a day)")
    def rotate_secret(self, request: HttpRequest, queryset) -> None:
        apply_to_each(
            self, request, queryset,
            lambda pk: services.rotate_signing_secret(tenant=Tenant.objects.get(pk=pk), grace_secs=86400),
            "Rotated the signing secret of {} tenant(s).",
        )  # fmt: skip

    @admin.action(description="Create a new API key for the selected tenants")
    def create_key(self, request: HttpRequest, queryset) -> None:
        for tenant in queryset:
            _, raw_key = services.create_api_key(tenant_slug=tenant.slug, name="created in admin")
            self.message_user(
                request, f"New key for {tenant.slug} (shown once, copy it now): {raw_key}", messages.WARNING
            )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "tenant", "name", "created_at", "revoked_at"]
    list_filter = ["tenant"]
    readonly_fields = ["prefix", "key_hash", "created_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke the selected keys (refused from the next request on)")
    def revoke(self, request: HttpRequest, queryset) -> None:
        apply_to_each(
            self, request, queryset, lambda pk: services.revoke_api_key(key_id=pk), "Revoked {} key(s)."
        )


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Workers as their heartbeats describe them; *delete* deregisters one gone for good."""

    list_display = ["name", "host", "pid", "concurrency", "last_seen_at", "stopped_at", "tasks_in_flight",
                    "tasks_done"]  # fmt: skip
    search_fields = ["name", "host"]
    actions = ["deregister"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: WorkerHeartbeat | None = None) -> bool:
        return False

    @admin.action(description="Deregister the selected workers")
    def deregister(self, request: HttpRequest, queryset) -> None:
        names = list(queryset.values_list("name", flat=True))
        for name in names:
            services.deregister_worker(name=name)
        self.message_user(request, f"Deregistered {len(names)} worker(s).", messages.SUCCESS)


@admin.register(SweepRecord)
class SweepRecordAdmin(admin.ModelAdmin):
    """When each kind of periodic work last ran (beat's pulse)."""

    list_display = ["kind", "last_at", "last_count"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SweepRecord | None = None) -> bool:
        return False
