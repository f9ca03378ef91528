"""Time jobs: a cron expression, an interval or one specific time, in a zone, between
``start_at`` and ``end_at``, with their misfire and overlap policies."""

from typing import Any
from zoneinfo import available_timezones

from rest_framework import serializers

from scheduler_project.core.serializers import Rfc3339DateTimeField, StrictCharField, StrictIntegerField
from timers import schedules
from timers.models import MisfirePolicy, OverlapPolicy, ScheduleType
from timers.serializers.common import type_tag
from timers.serializers.job_base import JobBaseSerializer

ZONES = sorted(available_timezones())
MAX_INTERVAL_SECS = 10 * 366 * 86400
# The field each time type needs (and no other type may have).
TIME_NEEDS = {
    ScheduleType.CRON: "cron_expression",
    ScheduleType.INTERVAL: "interval_secs",
    ScheduleType.SPECIFIC: "run_at",
}


class TimeFields(serializers.Serializer):
    """What a time job takes besides the common fields."""

    cron_expression = StrictCharField(max_length=200, required=False)
    interval_secs = StrictIntegerField(min_value=1, max_value=MAX_INTERVAL_SECS, required=False)
    run_at = Rfc3339DateTimeField(required=False)
    timezone = serializers.ChoiceField(choices=ZONES, required=False)
    start_at = Rfc3339DateTimeField(required=False)
    end_at = Rfc3339DateTimeField(required=False)
    misfire_policy = serializers.ChoiceField(choices=MisfirePolicy.values, required=False)
    misfire_grace_secs = StrictIntegerField(min_value=0, max_value=7 * 86400, required=False)
    overlap_policy = serializers.ChoiceField(choices=OverlapPolicy.values, required=False)


def time_rules(kind: str, merged: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """A time job needs its type's field; a cron expression must be able to fire (an alias
    is stored expanded)."""
    name = TIME_NEEDS[ScheduleType(kind)]
    if merged.get(name) in (None, ""):
        errors[name] = [f"required when schedule_type is {kind}"]
    elif kind == ScheduleType.CRON:
        try:
            merged["cron_expression"] = schedules.cron_expression(merged["cron_expression"])
        except schedules.ScheduleError as exc:
            errors["cron_expression"] = [str(exc)]


TIME_ANSWER = [
    "timezone", "start_at", "end_at", "misfire_policy", "misfire_grace_secs", "overlap_policy",
    "skipped_runs", "upcoming_runs",
]  # fmt: skip


class TimeJobSerializer(JobBaseSerializer):
    upcoming_runs = serializers.ListField(
        child=serializers.DateTimeField(), required=False,
        help_text="GET /jobs/{id} only: the next runs (as many as `upcoming` asks for).",
    )  # fmt: skip


class CronJobSerializer(TimeJobSerializer):
    """A cron job: runs at the times of its expression, in its zone."""

    schedule_type = type_tag("cron")

    class Meta(JobBaseSerializer.Meta):
        fields = [*JobBaseSerializer.Meta.fields, "cron_expression", *TIME_ANSWER]


class IntervalJobSerializer(TimeJobSerializer):
    """An interval job: runs every ``interval_secs``, anchored at ``start_at``."""

    schedule_type = type_tag("interval")

    class Meta(JobBaseSerializer.Meta):
        fields = [*JobBaseSerializer.Meta.fields, "interval_secs", *TIME_ANSWER]


class SpecificJobSerializer(TimeJobSerializer):
    """A job that runs once, at ``run_at``."""

    schedule_type = type_tag("specific")

    class Meta(JobBaseSerializer.Meta):
        fields = [*JobBaseSerializer.Meta.fields, "run_at", *TIME_ANSWER]
