"""Jobs and tasks API: parse, call a service, render in the envelope."""

from typing import Any

from django.db.models import QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from scheduler_project.core.auth import actor_of, tenant_of
from scheduler_project.core.envelope import success
from timers import services
from timers.models import TIMED_TYPES, Job, JobStatus, ScheduleType, Timer
from timers.serializers import (
    JOB_ANSWER,
    JOB_WRITE,
    JobDetailQuerySerializer,
    JobListQuerySerializer,
    JobListSerializer,
    JobSerializer,
    JobUpdateSerializer,
    JobWriteSerializer,
    TaskDetailSerializer,
    TaskListQuerySerializer,
    TaskListSerializer,
    TaskSummarySerializer,
    validate_job,
)
from timers.views import IDEMPOTENCY_KEY_PARAMETER, create_idempotently, query_of


def visible_job(request: Request, job_id: str) -> Job:
    """The tenant's job, deleted ones included: a soft-deleted job stays readable."""
    job = Job.objects.for_tenant(tenant_of(request)).filter(pk=job_id).first()
    if job is None:
        raise NotFound("job not found")
    return job


def upcoming_runs(job: Job, count: int) -> list[Any]:
    """The time job's next ``count`` runs, from its next one, within ``max_runs``."""
    if not count or job.next_run_at is None:
        return []
    runs = [job.next_run_at, *services.schedule_of(job).runs_after(job.next_run_at, count - 1)]
    return runs if job.max_runs is None else runs[: max(0, job.max_runs - job.run_count)]


def page(queryset: QuerySet, params: dict[str, Any], sort: str) -> tuple[QuerySet, int]:
    prefix = "-" if params["order"] == "desc" else ""
    ordered = queryset.order_by(f"{prefix}{sort}", f"{prefix}pk")
    return ordered[params["offset"] : params["offset"] + params["limit"]], queryset.count()


class JobCollectionView(APIView):
    conflicts = ("post",)  # an Idempotency-Key reused with another body

    @extend_schema(
        operation_id="jobs_create",
        request=JOB_WRITE,
        responses={201: JOB_ANSWER},
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
    )
    def post(self, request: Request) -> Response:
        return create_idempotently(request, JobWriteSerializer, services.create_job, JobSerializer)

    @extend_schema(
        operation_id="jobs_list", parameters=[JobListQuerySerializer], responses={200: JobListSerializer}
    )
    def get(self, request: Request) -> Response:
        params = query_of(request, JobListQuerySerializer)
        jobs = Job.objects.for_tenant(tenant_of(request))
        # Deleted jobs are listed only when asked for.
        jobs = (
            jobs.filter(status=params["status"])
            if "status" in params
            else jobs.exclude(status=JobStatus.DELETED)
        )
        if "schedule_type" in params:
            jobs = jobs.filter(schedule_type=params["schedule_type"])
        if "metadata_key" in params:
            # Compared as text on every database: Django's exact lookup on a key transform
            # reads the value as JSON on SQLite, so plain text there was a SQL error.
            value = Cast(KeyTextTransform(params["metadata_key"], "metadata"), TextField())
            jobs = jobs.annotate(meta_value=value)
            if "metadata_value" in params:
                jobs = jobs.filter(meta_value=params["metadata_value"])
            else:
                jobs = jobs.filter(meta_value__isnull=False)
        listed, total = page(jobs, params, params["sort"])
        body = {"jobs": JobSerializer(listed, many=True).data, "total": total}
        return success({**body, "limit": params["limit"], "offset": params["offset"]})


class JobItemView(APIView):
    conflicts = ("put", "delete")  # the job is deleted

    @extend_schema(
        operation_id="jobs_retrieve",
        parameters=[JobDetailQuerySerializer],
        responses={200: JOB_ANSWER},
    )
    def get(self, request: Request, job_id: str) -> Response:
        params = query_of(request, JobDetailQuerySerializer)
        job = visible_job(request, job_id)
        if job.schedule_type in TIMED_TYPES:
            job.upcoming_runs = upcoming_runs(job, params["upcoming"])  # type: ignore[attr-defined]
        elif job.schedule_type == ScheduleType.CONDITION:
            job.upcoming_runs = []  # type: ignore[attr-defined]  # kept for old clients: unforeseeable
        return success(JobSerializer(job).data)

    @extend_schema(operation_id="jobs_update", request=JobUpdateSerializer, responses={200: JOB_ANSWER})
    def put(self, request: Request, job_id: str) -> Response:
        serializer = JobUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = validate_job(dict(serializer.validated_data), visible_job(request, job_id))
        job = services.update_job(tenant=tenant_of(request), job_id=job_id, changes=changes)
        return success(JobSerializer(job).data)

    @extend_schema(operation_id="jobs_destroy", request=None, responses={200: JOB_ANSWER})
    def delete(self, request: Request, job_id: str) -> Response:
        job = services.delete_job(tenant=tenant_of(request), job_id=job_id)
        return success(JobSerializer(job).data)


class JobPauseView(APIView):
    conflicts = ("post",)  # the job has ended

    @extend_schema(operation_id="jobs_pause", request=None, responses={200: JOB_ANSWER})
    def post(self, request: Request, job_id: str) -> Response:
        return success(JobSerializer(services.pause_job(tenant=tenant_of(request), job_id=job_id)).data)


class JobResumeView(APIView):
    conflicts = ("post",)

    @extend_schema(operation_id="jobs_resume", request=None, responses={200: JOB_ANSWER})
    def post(self, request: Request, job_id: str) -> Response:
        return success(JobSerializer(services.resume_job(tenant=tenant_of(request), job_id=job_id)).data)


class JobRunView(APIView):
    @extend_schema(operation_id="jobs_run", request=None, responses={201: TaskDetailSerializer})
    def post(self, request: Request, job_id: str) -> Response:
        job = visible_job(request, job_id)
        task = services.run_job_now(job=job, actor=actor_of(request))
        return success(TaskDetailSerializer(task).data, status.HTTP_201_CREATED)


class JobTasksView(APIView):
    @extend_schema(
        operation_id="jobs_tasks_list",
        parameters=[TaskListQuerySerializer],
        responses={200: TaskListSerializer},
    )
    def get(self, request: Request, job_id: str) -> Response:
        params = query_of(request, TaskListQuerySerializer)
        job = visible_job(request, job_id)
        tasks = job.tasks.all()
        if "status" in params:
            tasks = tasks.filter(status=params["status"])
        listed, total = page(tasks, params, "scheduled_for")
        body = {"tasks": TaskSummarySerializer(listed, many=True).data, "total": total}
        return success({**body, "limit": params["limit"], "offset": params["offset"]})


class TaskItemView(APIView):
    @extend_schema(operation_id="tasks_retrieve", responses={200: TaskDetailSerializer})
    def get(self, request: Request, task_id: str) -> Response:
        task = (
            Timer.objects.for_tenant(tenant_of(request))
            .filter(pk=task_id, job__isnull=False)
            .prefetch_related("attempt_log")
            .first()
        )
        if task is None:
            raise NotFound("task not found")
        return success(TaskDetailSerializer(task).data)
