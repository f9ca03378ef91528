"""The timers app's tables, by sub-domain: timers and their attempts, jobs, pushed events,
the chain poll's state, and bulk replays of failed timers."""

from timers.models.chains import ChainBlock, ChainEndpoint, ChainLog
from timers.models.events import Event
from timers.models.jobs import (
    TIMED_TYPES,
    ConditionState,
    Job,
    JobQuerySet,
    JobStatus,
    MisfirePolicy,
    OverlapPolicy,
    ScheduleType,
)
from timers.models.replays import Replay
from timers.models.timers import AttemptOutcome, Timer, TimerAttempt, TimerQuerySet, TimerStatus

__all__ = [
    "TIMED_TYPES",
    "AttemptOutcome",
    "ChainBlock",
    "ChainEndpoint",
    "ChainLog",
    "ConditionState",
    "Event",
    "Job",
    "JobQuerySet",
    "JobStatus",
    "MisfirePolicy",
    "OverlapPolicy",
    "Replay",
    "ScheduleType",
    "Timer",
    "TimerAttempt",
    "TimerQuerySet",
    "TimerStatus",
]
