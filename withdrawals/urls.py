from django.urls import path, register_converter

from withdrawals import views


class StatusTokenConverter:
    """A status token's alphabet (URL-safe base64); anything else is a 404 before any query."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StatusTokenConverter, "status_token")

urlpatterns = [
    path("schedule_withdraw", views.ScheduleWithdrawView.as_view(), name="schedule-withdraw"),
    path("public_key", views.PublicKeyView.as_view(), name="public-key"),
    path(
        "withdrawals/<status_token:status_token>",
        views.WithdrawalStatusView.as_view(),
        name="withdrawal-status",
    ),
]
