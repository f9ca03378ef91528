"""The admin's index grouped by what operators do, not by the Django app a table lives in
(heartbeats and sweep records are core's tables, but an operator looks for them beside
beat's schedule, not beside tenants)."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.text import slugify

# (group, [(app label, model name), ...]) in the order shown; a registered model missing
# here keeps its app's own section after these, so a new table never disappears.
GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Timers and jobs", [("timers", "timer"), ("timers", "job"), ("timers", "replay")]),
    ("Withdrawals", [("withdrawals", "scheduledrequest"), ("withdrawals", "deadletter")]),
    ("Workers and sweeps", [("core", "workerheartbeat"), ("core", "sweeprecord")]),
    (
        "Beat's schedule (declared in settings, read-only)",
        [
            ("django_celery_beat", "periodictask"),
            ("django_celery_beat", "intervalschedule"),
            ("django_celery_beat", "crontabschedule"),
            ("django_celery_beat", "clockedschedule"),
            ("django_celery_beat", "solarschedule"),
        ],
    ),
    ("Tenants and keys", [("core", "tenant"), ("core", "apikey")]),
    ("Users and groups", [("auth", "user"), ("auth", "group")]),
]


class SchedulerAdminSite(admin.AdminSite):
    site_header = "Scheduler administration"
    site_title = "Scheduler admin"

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        apps = super().get_app_list(request, app_label)
        if app_label is not None:  # one app's own page keeps its tables
            return apps
        models = {(app["app_label"], m["object_name"].lower()): m for app in apps for m in app["models"]}
        grouped = []
        for name, keys in GROUPS:
            shown = [models.pop(key) for key in keys if key in models]
            if shown:
                grouped.append({
                    "name": name,
                    "app_label": slugify(name),
                    # The group's heading leads to its first table (there is no page per group).
                    "app_url": shown[0]["admin_url"],
                    "has_module_perms": True,
                    "models": shown,
                })  # fmt: skip
        for app in apps:
            rest = [m for m in app["models"] if (app["app_label"], m["object_name"].lower()) in models]
            if rest:
                grouped.append({**app, "models": rest})
        return grouped


class SchedulerAdminConfig(AdminConfig):
    """Django's admin (in INSTALLED_APPS in its place) with this site as ``admin.site``."""

    default_site = "scheduler_project.ops.admin_site.SchedulerAdminSite"
