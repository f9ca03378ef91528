"""The console's pages, under ``/console/``."""

from django.urls import path

from scheduler_project.ops.console import views

app_name = "console"

urlpatterns = [
    path("", views.now, name="now"),
    path("now/live", views.now_live, name="now-live"),
    path("find", views.find, name="find"),
    path("timers/<uuid:timer_id>", views.timer, name="timer"),
    path("withdrawals/<int:request_id>", views.withdrawal, name="withdrawal"),
    path("jobs", views.jobs, name="jobs"),
    path("jobs/<uuid:job_id>", views.job, name="job"),
    path("jobs/<uuid:job_id>/run", views.job_run, name="job-run"),
    path("jobs/<uuid:job_id>/<slug:action>", views.job_action, name="job-action"),
    path("dead-letters", views.dead_letters, name="dead-letters"),
    path("dead-letters/replay", views.replay, name="replay"),
]
