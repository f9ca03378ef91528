"""The operations routes: health, the public workers and stats, and the admin API."""

from django.urls import path, register_converter
from django.urls.converters import StringConverter

from scheduler_project.ops import admin_api, views


class WorkerNameConverter(StringConverter):
    """A worker's name (``deliverer@host``): text without ``/`` or NUL, which no name holds
    and PostgreSQL cannot even compare; anything else is a 404 before any query."""

    regex = "[^/\\x00]{1,255}"


register_converter(WorkerNameConverter, "worker_name")

urlpatterns = [
    path("health", views.HealthView.as_view(), name="health"),
    path("health/detailed", views.DetailedHealthView.as_view(), name="health-detailed"),
    path("public/workers", views.PublicWorkersView.as_view(), name="public-workers"),
    path("public/stats", views.PublicStatsView.as_view(), name="public-stats"),
    path("api/admin/tenants", admin_api.TenantsView.as_view(), name="admin-tenants"),
    path("api/admin/tenants/<slug:slug>/keys", admin_api.TenantKeysView.as_view(), name="admin-keys"),
    path(
        "api/admin/tenants/<slug:slug>/rotate-secret",
        admin_api.TenantRotateView.as_view(),
        name="admin-rotate",
    ),
    path("api/admin/keys/<int:key_id>/revoke", admin_api.KeyRevokeView.as_view(), name="admin-key-revoke"),
    path("api/admin/workers", admin_api.WorkersView.as_view(), name="admin-workers"),
    path("api/admin/workers/<worker_name:name>", admin_api.WorkerItemView.as_view(), name="admin-worker"),
]
