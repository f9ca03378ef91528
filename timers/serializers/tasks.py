"""A job's tasks (timers linked to their job): what listing and reading them answer."""

from rest_framework import serializers

from timers.models import TimerStatus
from timers.serializers.common import PageQuerySerializer
from timers.serializers.timers import TimerDetailSerializer, TimerSummarySerializer

MANUAL_HELP = "True for a run asked for by hand (POST /jobs/{id}/run), outside the job's schedule."


class TaskSummarySerializer(TimerSummarySerializer):
    manual = serializers.BooleanField(read_only=True, help_text=MANUAL_HELP)

    class Meta(TimerSummarySerializer.Meta):
        fields = [*TimerSummarySerializer.Meta.fields, "job_id", "scheduled_for", "manual"]


class TaskDetailSerializer(TimerDetailSerializer):
    job_id = serializers.UUIDField()
    manual = serializers.BooleanField(read_only=True, help_text=MANUAL_HELP)

    class Meta(TimerDetailSerializer.Meta):
        fields = [*TimerDetailSerializer.Meta.fields, "job_id", "scheduled_for", "manual"]


class TaskListQuerySerializer(PageQuerySerializer):
    status = serializers.ChoiceField(choices=TimerStatus.values, required=False)


class TaskListSerializer(serializers.Serializer):
    tasks = TaskSummarySerializer(many=True)
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
