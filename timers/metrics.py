import logging
from collections.abc import Iterator

from django.db import DatabaseError, connection
from django.utils import timezone
from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from timers.models import Job, Timer

EVENTS_RECEIVED = Counter(
    "scheduler_events_received_total",
    "Events accepted by POST /events (a replay of an id already seen is not counted again).",
)
EVENT_JOB_MATCHES = Counter(
    "scheduler_event_job_matches_total",
    "Matches of an event with an active event job (one event can match several jobs).",
)
EVENTS_DROPPED = Counter(
    "scheduler_events_dropped_total",
    "Matched events an event job dropped because its throttle window was full.",
)
EVENT_TASKS_FIRED = Counter(
    "scheduler_event_tasks_fired_total",
    "Tasks fired by event jobs, by mode (none, throttle, debounce, batch).",
    ["mode"],
)


class TimerBacklogCollector(Collector):
    """Pending and overdue timers, counted in the database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            now = timezone.now()
            yield GaugeMetricFamily(
                "scheduler_timers_pending", "Timers waiting to fire.", value=Timer.objects.pending().count()
            )
            yield GaugeMetricFamily(
                "scheduler_timers_overdue",
                "Pending timers whose due time has passed.",
                value=Timer.objects.overdue(now=now).count(),
            )
            yield GaugeMetricFamily(
                "scheduler_jobs_active",
                "Jobs creating tasks.",
                value=Job.objects.filter(status="active").count(),
            )
            yield GaugeMetricFamily(
                "scheduler_jobs_next_run_backlog",
                "Active jobs whose next run has passed without its task being created yet.",
                value=Job.objects.due(before=now).count(),
            )
        except DatabaseError:
            # Worker metrics stay scrapable while the database is away.
            logging.getLogger(__name__).warning("backlog gauges skipped: database unavailable")
        finally:
            connection.close()
