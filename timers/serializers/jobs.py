"""Jobs of every schedule type: one body read for all of them (each type takes its own
fields and refuses another's), the rules across a type's fields, and each type's answer."""

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from scheduler_project.core.serializers import StrictCharField, StrictIntegerField, StrictSerializer
from timers import selectors
from timers.models import Job, JobStatus, ScheduleType
from timers.serializers.common import PageQuerySerializer, PartialUpdate, type_tag
from timers.serializers.job_base import JobCommonFields
from timers.serializers.job_chains import (
    DEFAULT_CHAIN_POLL_SECS,
    MAX_CHAIN_POLL_SECS,
    ChainEventJobSerializer,
    ChainFields,
    chain_rules,
    stored_chain,
)
from timers.serializers.job_conditions import (
    ConditionFields,
    ConditionJobSerializer,
    condition_rules,
    stored_condition,
)
from timers.serializers.job_events import EventFields, EventJobSerializer, event_rules
from timers.serializers.job_times import (
    TIME_NEEDS,
    CronJobSerializer,
    IntervalJobSerializer,
    SpecificJobSerializer,
    TimeFields,
    time_rules,
)

TIMED = (ScheduleType.CRON, ScheduleType.INTERVAL, ScheduleType.SPECIFIC)
UPCOMING_MAX = 20
# Which types take each field; a field of another type is refused ("only for ...").
OWNERS: dict[str, tuple[str, ...]] = {
    **{name: TIMED for name in TimeFields._declared_fields},
    **{name: (kind,) for kind, name in TIME_NEEDS.items()},
    "overlap_policy": (*TIMED, ScheduleType.CONDITION),
    **{name: (ScheduleType.CONDITION,) for name in ConditionFields._declared_fields},
    "poll_interval_secs": (ScheduleType.CONDITION, ScheduleType.CHAIN_EVENT),
    **{name: (ScheduleType.EVENT,) for name in EventFields._declared_fields},
    **{name: (ScheduleType.CHAIN_EVENT,) for name in ChainFields._declared_fields},
}
# Fields of another type that a type has always accepted (and ignores): refusing them now
# would break clients that send them.
TOLERATED: dict[str, tuple[str, ...]] = {
    **{name: TIMED for name in ("source_headers", "source_timeout_secs", "value_pointer", "for_secs",
                                "cooldown_secs")},
    **{name: (ScheduleType.CONDITION,) for name in ("timezone", "start_at", "end_at", "misfire_policy",
                                                    "misfire_grace_secs")},
}  # fmt: skip
# Old names, kept for their importers.
SCHEDULE_NEEDS = {**TIME_NEEDS, ScheduleType.CONDITION: "source_url"}
CONDITION_NEEDS = ("poll_interval_secs", "operator", "target")
CONDITION_FIELDS = tuple(name for name in ConditionFields._declared_fields if name in OWNERS)


def _takes(kind: str, name: str) -> bool:
    return kind in OWNERS.get(name, (kind,)) or kind in TOLERATED.get(name, ())


def _owners(name: str) -> str:
    kinds = [str(kind) for kind in OWNERS[name]]
    return kinds[0] if len(kinds) == 1 else f"{', '.join(kinds[:-1])} or {kinds[-1]}"


def _stored(job: Job, kind: str, given: dict[str, Any]) -> dict[str, Any]:
    """The stored job's fields of its type, as a request would give them."""
    fields: dict[str, Any] = {"start_at": job.start_at, "end_at": job.end_at}
    if kind in TIMED:
        fields.update({name: getattr(job, name) for name in TimeFields._declared_fields})
    elif kind == ScheduleType.CONDITION:
        fields.update(stored_condition(job, given))
    elif kind == ScheduleType.EVENT:
        fields.update({name: getattr(job, name) for name in EventFields._declared_fields})
    elif kind == ScheduleType.CHAIN_EVENT:
        fields.update(stored_chain(job))
    return fields


def validate_job(given: dict[str, Any], job: Job | None = None) -> dict[str, Any]:
    """The rules across a job's fields, on create (``job`` None) or on a PUT against the
    stored ``job``: each type takes its own fields and refuses another's, needs what it
    needs, and ``start_at`` comes before ``end_at``. Returns what to store, by column (a PUT:
    what it changes, with what a switch between a single source and ``conditions`` clears)."""
    kind = given.get("schedule_type") or (job.schedule_type if job else "")
    if job is not None and kind != job.schedule_type:
        raise serializers.ValidationError(
            {"schedule_type": ["cannot be changed: create a job of the new type"]}
        )
    errors = {name: [f"only for schedule_type {_owners(name)}"] for name in given if not _takes(kind, name)}
    if errors:
        raise serializers.ValidationError(errors)
    stored = _stored(job, kind, given) if job is not None else {}
    merged = {**stored, **given}
    if kind in TIMED:
        time_rules(kind, merged, errors)
    elif kind == ScheduleType.CONDITION:
        condition_rules(merged, given, errors)
    elif kind == ScheduleType.EVENT:
        event_rules(merged, errors)
    elif kind == ScheduleType.CHAIN_EVENT:
        chain_rules(merged, errors)
    start, end = merged.get("start_at"), merged.get("end_at")
    if start is not None and end is not None and end <= start:
        errors["end_at"] = ["must be after start_at"]
    if errors:
        raise serializers.ValidationError(errors)
    if job is None:
        changed = merged
    else:  # what the PUT gives, and what it clears or derives
        before = _stored(job, kind, {})
        changed = {
            name: value for name, value in merged.items() if name in given or before.get(name) != value
        }
    if "address" in changed:
        changed["addresses"] = changed.pop("address")
    return changed


def validate_schedule(fields: dict[str, Any]) -> dict[str, Any]:
    """The rules across a new job's fields (see ``validate_job``)."""
    return validate_job(fields)


class JobWriteSerializer(
    JobCommonFields, TimeFields, ConditionFields, EventFields, ChainFields, StrictSerializer
):
    """A job: a standing rule that creates one task (a callback) per firing. Each
    schedule_type takes the common fields and its own."""

    schedule_type = serializers.ChoiceField(choices=ScheduleType.values)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return validate_job(attrs)


class JobUpdateSerializer(PartialUpdate, JobWriteSerializer):
    """The fields of a job to change (its type's only; the type itself stays); a schedule
    change takes effect at once. The rules across fields are checked against the stored
    job, in the view."""


def _write_shape(kind: str, doc: str, required: tuple[str, ...], **overrides: dict[str, Any]) -> type:
    """The request body of one type, for the OpenAPI document: the common fields and those
    the type takes, closed; the body itself is read by ``JobWriteSerializer``."""
    declared = JobWriteSerializer._declared_fields
    fields: dict[str, Any] = {"schedule_type": type_tag(kind)}
    for name, field in declared.items():
        if name != "schedule_type" and _takes(kind, name):
            changes = {"required": name in required or field.required, **overrides.get(name, {})}
            args, kwargs = field._args, field._kwargs  # type: ignore[attr-defined]  # kept by Field.__new__
            fields[name] = type(field)(*args, **{**kwargs, **changes})
    name = "".join(part.title() for part in kind.split("_")) + "JobWrite"
    return type(name, (StrictSerializer,), {**fields, "__doc__": doc})


WRITE_SHAPES: dict[str, Any] = {
    "cron": _write_shape("cron", "A job run at the times of a cron expression.", ("cron_expression",)),
    "interval": _write_shape("interval", "A job run every interval_secs.", ("interval_secs",)),
    "specific": _write_shape("specific", "A job run once, at run_at.", ("run_at",)),
    "condition": _write_shape(
        "condition",
        "A job fired when its condition turns true: one source (source_url, operator, target) "
        "or a composite of clauses (conditions).",
        ("poll_interval_secs",),
    ),
    "event": _write_shape("event", "A job fired by events pushed to POST /events.", ("event_type",)),
    "chain_event": _write_shape(
        "chain_event",
        "A job fired by the logs of addresses on an EVM chain.",
        ("rpc_url", "address"),
        poll_interval_secs={
            "max_value": MAX_CHAIN_POLL_SECS,
            "help_text": f"Default {DEFAULT_CHAIN_POLL_SECS}.",
        },
    ),
}
JOB_WRITE = PolymorphicProxySerializer(
    component_name="JobWrite", serializers=WRITE_SHAPES, resource_type_field_name="schedule_type"
)
ANSWERS: dict[str, Any] = {
    "cron": CronJobSerializer,
    "interval": IntervalJobSerializer,
    "specific": SpecificJobSerializer,
    "condition": ConditionJobSerializer,
    "event": EventJobSerializer,
    "chain_event": ChainEventJobSerializer,
}
JOB_ANSWER = PolymorphicProxySerializer(
    component_name="Job", serializers=ANSWERS, resource_type_field_name="schedule_type"
)


class JobAnswers(serializers.ListSerializer):
    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        jobs = selectors.with_answer_extras(list(data))
        return [ANSWERS[job.schedule_type](job).data for job in jobs]


class JobSerializer(serializers.Serializer):
    """A job as answered: the common fields and those of its type (see ``ANSWERS``)."""

    class Meta:
        list_serializer_class = JobAnswers

    def to_representation(self, instance: Job) -> dict[str, Any]:
        [job] = selectors.with_answer_extras([instance])
        return dict(ANSWERS[job.schedule_type](job).data)


JobDetailSerializer = JobSerializer  # the detail adds upcoming_runs where the type has them


class JobListQuerySerializer(PageQuerySerializer):
    status = serializers.ChoiceField(choices=JobStatus.values, required=False)
    schedule_type = serializers.ChoiceField(choices=ScheduleType.values, required=False)
    # A top-level key of the metadata object (letters, digits, _ and -).
    metadata_key = serializers.RegexField(r"^[A-Za-z0-9_-]{1,100}$", required=False)
    metadata_value = StrictCharField(max_length=1000, required=False)
    sort = serializers.ChoiceField(choices=["created_at", "next_run_at", "updated_at"], default="created_at")


class JobDetailQuerySerializer(serializers.Serializer):
    upcoming = StrictIntegerField(query=True, min_value=0, max_value=UPCOMING_MAX, default=0)


@extend_schema_field(PolymorphicProxySerializer(
    component_name="Job", serializers=ANSWERS, resource_type_field_name="schedule_type", many=True
))  # fmt: skip
class JobAnswersField(serializers.Field):
    def to_representation(self, value: Any) -> Any:
        return JobSerializer(value, many=True).data


class JobListSerializer(serializers.Serializer):
    jobs = JobAnswersField()
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
