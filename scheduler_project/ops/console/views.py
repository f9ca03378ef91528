"""The operators' console: pages that read through the console's selectors and buttons
that call the apps' services. Staff only (``access.staff_required``)."""

import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from rest_framework.exceptions import APIException

from scheduler_project.ops.console import charts
from scheduler_project.ops.console.access import staff_required
from scheduler_project.ops.console.selectors import dead_letters as dead
from scheduler_project.ops.console.selectors import find as finding
from scheduler_project.ops.console.selectors import jobs as job_reads
from scheduler_project.ops.console.selectors import now as now_reads
from timers import services as timer_services
from timers.models import JobStatus

JOB_ACTIONS = {
    "pause": timer_services.pause_job,
    "resume": timer_services.resume_job,
    "delete": timer_services.delete_job,
}


def _now_context() -> dict[str, Any]:
    now = timezone.now()
    delivered = now_reads.deliveries_last_hour(now)
    hour_labels = [f"{delivered.start + timedelta(minutes=i):%H:%M}" for i in range(now_reads.MINUTES)]
    late_start, lateness = now_reads.lateness_last_hour(now)
    buckets = int(now_reads.HOUR / now_reads.LATENESS_BUCKET)
    late_labels = [f"{late_start + i * now_reads.LATENESS_BUCKET:%H:%M}" for i in range(buckets)]
    due = now_reads.due_next_hour(now)
    due_labels = [f"{due.start + timedelta(minutes=i):%H:%M}" for i in range(now_reads.MINUTES)]
    return {
        "now": now,
        "deliveries": charts.bars(
            "Deliveries and failures, last hour",
            "per second, each minute's mean",
            delivered.series,
            hour_labels,
        ),
        "lateness": [
            charts.lines(
                f"Firing lateness, {item.tenant}", "ms", {"p50": item.p50, "p99": item.p99}, late_labels
            )
            for item in lateness
        ],
        "due": charts.bars("Due, next hour", "per minute", due.series, due_labels),
        "due_capped": due.capped,
        "overdue": now_reads.oldest_overdue(now),
        "dead_letters": now_reads.dead_letter_counts(now),
        **now_reads.workers_and_beat(now),
    }


def _actor(request: HttpRequest) -> str:
    """Who did it, as the admin's actions record an operator (an API key's name is bare)."""
    return f"staff:{request.user.get_username()}"


@require_GET
@staff_required
def now(request: HttpRequest) -> HttpResponse:
    return render(request, "console/now.html", _now_context())


@require_GET
@staff_required
def now_live(request: HttpRequest) -> HttpResponse:
    """The Now page's figures alone, which the page fetches again every few seconds."""
    return render(request, "console/_now_live.html", _now_context())


@require_GET
@staff_required
def find(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    return render(
        request, "console/find.html", {"found": finding.find(query) if query.strip() else None, "q": query}
    )


@require_GET
@staff_required
def timer(request: HttpRequest, timer_id: uuid.UUID) -> HttpResponse:
    found = finding.timer_page(timer_id)
    if found is None:
        raise Http404("no such timer")
    item, attempts = found
    return render(request, "console/timer.html", {"timer": item, "attempts": attempts})


@require_GET
@staff_required
def withdrawal(request: HttpRequest, request_id: int) -> HttpResponse:
    item = finding.withdrawal_page(request_id)
    if item is None:
        raise Http404("no such withdrawal")
    return render(request, "console/withdrawal.html", {"withdrawal": item})


@require_GET
@staff_required
def jobs(request: HttpRequest) -> HttpResponse:
    status, tenant = request.GET.get("status", ""), request.GET.get("tenant", "")
    page = Paginator(job_reads.jobs(status=status, tenant=tenant), job_reads.PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "console/jobs.html",
        {"page": page, "status": status, "tenant": tenant, "statuses": JobStatus.values},
    )


@require_GET
@staff_required
def job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    found = job_reads.job_page(job_id, now=timezone.now())
    if found is None:
        raise Http404("no such job")
    item, runs, tasks = found
    return render(request, "console/job.html", {"job": item, "runs": runs, "tasks": tasks})


@require_POST
@staff_required
def job_action(request: HttpRequest, job_id: uuid.UUID, action: str) -> HttpResponse:
    if action not in JOB_ACTIONS:
        raise Http404("no such action")
    try:
        JOB_ACTIONS[action](tenant=None, job_id=job_id)
    except APIException as exc:  # not found, or a status the action does not apply to
        messages.error(request, f"{action}: {exc.detail}")
    else:
        messages.success(request, f"job {action}d")
    return redirect("console:job", job_id=job_id)


@require_POST
@staff_required
def job_run(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Run now: one task of the job, due at once, outside its schedule."""
    found = job_reads.job(job_id)
    if found is None:
        raise Http404("no such job")
    try:
        task = timer_services.run_job_now(job=found, actor=_actor(request))
    except APIException as exc:
        messages.error(request, f"run now: {exc.detail}")
    else:
        messages.success(request, f"task {task.pk} created, due now")
    return redirect("console:job", job_id=job_id)


def _dead_letters_context(request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    filters = dead.Filters.parse(params)
    timers = dead.failed_timers(filters)
    return {
        "filters": filters,
        "params": params,
        "tenants": dead.tenant_slugs(),
        "kinds": dead.KINDS,
        "timers": timers[: dead.PAGE],
        "timer_count": timers.count(),
        "withdrawals": dead.failed_withdrawals(filters)[: dead.PAGE],
        "rate": params.get("rate", "10"),
        "limit": params.get("limit", ""),
        "dry_run": None,
    }


@require_GET
@staff_required
def dead_letters(request: HttpRequest) -> HttpResponse:
    return render(request, "console/dead_letters.html", _dead_letters_context(request, request.GET.dict()))


@require_POST
@staff_required
def replay(request: HttpRequest) -> HttpResponse:
    """Replay the failed timers the filters select: first a dry run that counts them, then,
    confirmed, the replay itself at the operator's rate. The service records both, with
    the operator's username."""
    params = {k: v for k, v in request.POST.dict().items() if k != "csrfmiddlewaretoken"}
    context = _dead_letters_context(request, params)
    filters: dead.Filters = context["filters"]
    if filters.tenant and filters.tenant_row() is None:
        messages.error(request, f"replay: no tenant {filters.tenant!r}")
        return render(request, "console/dead_letters.html", context, status=400)
    try:
        rate = float(params.get("rate", ""))
        limit = int(params["limit"]) if params.get("limit", "").strip() else None
        result = timer_services.replay_timers(
            tenant=filters.tenant_row(),
            filters=filters.as_dict(),
            dry_run=params.get("action") != "replay",
            rate=rate,
            limit=limit,
            actor=_actor(request),
        )
    except (APIException, ValueError) as exc:
        messages.error(request, f"replay: {getattr(exc, 'detail', exc)}")
        return render(request, "console/dead_letters.html", context, status=400)
    if result.dry_run:
        return render(request, "console/dead_letters.html", {**context, "dry_run": result})
    messages.success(
        request,
        f"replaying {result.replayed} failed timers at {result.rate:g} a second (replay {result.replay_id})",
    )
    return redirect(f"{reverse('console:dead-letters')}?{urlencode(dead.Filters.query(params))}")
