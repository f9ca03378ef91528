from django.urls import path

from withdrawals import views

urlpatterns = [
    path("schedule_withdraw", views.ScheduleWithdrawView.as_view(), name="schedule-withdraw"),
    path("public_key", views.PublicKeyView.as_view(), name="public-key"),
    path("withdrawals/<str:status_token>", views.WithdrawalStatusView.as_view(), name="withdrawal-status"),
]
