from django.contrib import admin
from django.urls import include, path, register_converter
from django.urls.converters import StringConverter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from scheduler_project.core import admin_api
from scheduler_project.core import views as core_views


class WorkerNameConverter(StringConverter):
    """A worker's name (``deliverer@host``): text without ``/`` or NUL, which no name holds
    and PostgreSQL cannot even compare; anything else is a 404 before any query."""

    regex = "[^/\\x00]{1,255}"


register_converter(WorkerNameConverter, "worker_name")

handler404 = "scheduler_project.core.envelope.not_found_view"
handler500 = "scheduler_project.core.envelope.server_error_view"

urlpatterns = [
    path("health", core_views.HealthView.as_view(), name="health"),
    path("health/detailed", core_views.DetailedHealthView.as_view(), name="health-detailed"),
    path("public/workers", core_views.PublicWorkersView.as_view(), name="public-workers"),
    path("public/stats", core_views.PublicStatsView.as_view(), name="public-stats"),
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
    path("signing_secret", core_views.SigningSecretView.as_view(), name="signing-secret"),
    path("timers", include("timers.urls")),
    path("", include("timers.job_urls")),
    path("", include("withdrawals.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/schema", SpectacularAPIView.as_view(), name="schema-no-slash"),  # generators drop the slash
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("admin/", admin.site.urls),
    path("", include("django_prometheus.urls")),
]
