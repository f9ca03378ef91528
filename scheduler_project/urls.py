from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from scheduler_project.core import views as core_views
from timers.event_views import EventCollectionView

handler404 = "scheduler_project.core.envelope.not_found_view"
handler500 = "scheduler_project.core.envelope.server_error_view"

urlpatterns = [
    path("", include("scheduler_project.ops.urls")),
    path("signing_secret", core_views.SigningSecretView.as_view(), name="signing-secret"),
    path("timers", include("timers.urls")),
    path("", include("timers.job_urls")),
    path("events", EventCollectionView.as_view(), name="event-list"),
    path("", include("withdrawals.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/schema", SpectacularAPIView.as_view(), name="schema-no-slash"),  # generators drop the slash
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("admin/", admin.site.urls),
    path("console/", include("scheduler_project.ops.console.urls")),
    path("console", RedirectView.as_view(url="/console/")),
    path("", include("django_prometheus.urls")),
]
