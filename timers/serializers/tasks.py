"""A job's tasks (timers linked to their job): what listing and reading them answer."""

from rest_framework import serializers

from timers.models import TimerStatus
from timers.serializers.common import PageQuerySerializer
from timers.serializers.timers import TimerDetailSerializer, TimerSummarySerializer


class TaskSummarySerializer(TimerSummarySerializer):
    class Meta(TimerSummarySerializer.Meta):
        fields = [*TimerSummarySerializer.Meta.fields, "job_id", "scheduled_for"]


class TaskDetailSerializer(TimerDetailSerializer):
    job_id = serializers.UUIDField()

    class Meta(TimerDetailSerializer.Meta):
        fields = [*TimerDetailSerializer.Meta.fields, "job_id", "scheduled_for"]


class TaskListQuerySerializer(PageQuerySerializer):
    status = serializers.ChoiceField(choices=TimerStatus.values, required=False)


class TaskListSerializer(serializers.Serializer):
    tasks = TaskSummarySerializer(many=True)
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
