from django.urls import path

from timers import job_views

urlpatterns = [
    path("jobs", job_views.JobCollectionView.as_view(), name="job-list"),
    path("jobs/<uuid:job_id>", job_views.JobItemView.as_view(), name="job-detail"),
    path("jobs/<uuid:job_id>/pause", job_views.JobPauseView.as_view(), name="job-pause"),
    path("jobs/<uuid:job_id>/resume", job_views.JobResumeView.as_view(), name="job-resume"),
    path("jobs/<uuid:job_id>/run", job_views.JobRunView.as_view(), name="job-run"),
    path("jobs/<uuid:job_id>/tasks", job_views.JobTasksView.as_view(), name="job-tasks"),
    path("tasks/<uuid:task_id>", job_views.TaskItemView.as_view(), name="task-detail"),
]
