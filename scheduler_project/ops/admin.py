"""django-celery-beat's tables, read-only. Beat's schedule is declared in settings
(``CELERY_BEAT_SCHEDULE``) and written to them at each start of beat
(``DatabaseScheduler``), which follows changes made to them while it runs: an edit would
change or stop a sweep until beat's next start, and deleting an interval deletes the tasks
that use it. They stay in sight, as the last run of each periodic task is worth seeing."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)


class DeclaredInSettings:
    """View permission only, no actions (beat's own run, enable and disable them), and a
    note on the list saying why."""

    change_list_template = "admin/ops/declared_in_settings_change_list.html"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


BEAT_ADMINS: dict[type, type[admin.ModelAdmin]] = {
    PeriodicTask: beat_admin.PeriodicTaskAdmin,
    IntervalSchedule: beat_admin.IntervalScheduleAdmin,
    CrontabSchedule: beat_admin.CrontabScheduleAdmin,
    ClockedSchedule: beat_admin.ClockedScheduleAdmin,
    SolarSchedule: beat_admin.SolarScheduleAdmin,
}

for model, stock in BEAT_ADMINS.items():
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(f"ReadOnly{stock.__name__}", (DeclaredInSettings, stock), {}))
