from django.contrib import admin, messages
from django.http import HttpRequest

from scheduler_project.core import services
from scheduler_project.core.models import ApiKey, Tenant


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
    list_display = ["slug", "name", "created_at"]
    search_fields = ["slug", "name"]
    inlines = [ApiKeyInline]
    actions = ["create_key"]

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
    readonly_fields = ["prefix", "key_hash", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
