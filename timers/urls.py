from django.urls import path

from timers import views

urlpatterns = [
    path("", views.TimerCollectionView.as_view(), name="timer-list"),
    path("/batch", views.TimerBatchView.as_view(), name="timer-batch"),
    path("/replay", views.TimerReplayView.as_view(), name="timer-replay"),
    path("/<uuid:timer_id>", views.TimerItemView.as_view(), name="timer-detail"),
]
