import logging
from collections.abc import Iterator

from django.db import DatabaseError, connection
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from timers.chain.scan import endpoint_label
from timers.models import ChainEndpoint, Job, ScheduleType, Timer

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

JOB_MANUAL_RUNS = Counter(
    "scheduler_job_manual_runs_total",
    "Tasks created by hand (POST /jobs/{id}/run), outside the jobs' schedules, by schedule type; "
    "not counted in scheduler_job_tasks_created_total.",
    ["schedule_type"],
)
TIMERS_REPLAYED = Counter(
    "scheduler_timers_replayed_total",
    "Failed timers and tasks put back to pending by a bulk replay (POST /timers/replay).",
)

POLLING_TYPES = (ScheduleType.CONDITION.value, ScheduleType.CHAIN_EVENT.value)


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
            yield self._erroring()
        except DatabaseError:
            # Worker metrics stay scrapable while the database is away.
            logging.getLogger(__name__).warning("backlog gauges skipped: database unavailable")
        finally:
            connection.close()

    @staticmethod
    def _erroring() -> GaugeMetricFamily:
        # Only polling jobs: a timed job's last_error notes a skipped run, not a broken source.
        family = GaugeMetricFamily(
            "scheduler_jobs_erroring",
            "Active condition and chain jobs whose last poll of their source failed (last_error set).",
            labels=["schedule_type"],
        )
        counts = dict(
            Job.objects.filter(status="active", schedule_type__in=POLLING_TYPES)
            .exclude(last_error="")
            .order_by()
            .values_list("schedule_type")
            .annotate(n=Count("id"))
        )
        for schedule_type in POLLING_TYPES:
            family.add_metric([schedule_type], counts.get(schedule_type, 0))
        return family


CHAIN_RPC_REQUESTS = Counter(
    "scheduler_chain_rpc_requests_total",
    "JSON-RPC calls to chain endpoints (each call of a batch counted), by endpoint (host:port) and method.",
    ["endpoint", "method"],
)
CHAIN_RPC_ERRORS = Counter(
    "scheduler_chain_rpc_errors_total",
    "Failed JSON-RPC requests to chain endpoints, by endpoint (host:port) and kind (unreachable, "
    "rate_limited, http, rpc, malformed, range: a block range refused as too wide).",
    ["endpoint", "kind"],
)
CHAIN_LOGS = Counter(
    "scheduler_chain_logs_total",
    "Logs of chain jobs by endpoint (host:port) and outcome: seen (matched a job, each time a "
    "range holding it was scanned), fired (a task created), removed (a fired log a "
    "reorganisation dropped, sent again with removed: true).",
    ["endpoint", "outcome"],
)


class ChainLagCollector(Collector):
    """Per chain endpoint (host:port), how many blocks its furthest-behind active job's
    checkpoint is below the head the last poll saw, counted in the database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        lag = GaugeMetricFamily(
            "scheduler_chain_checkpoint_lag_blocks",
            "Blocks between an endpoint's head and its furthest-behind active job's checkpoint.",
            labels=["endpoint"],
        )
        try:
            behind = dict(
                Job.objects.chain_events()
                .filter(status="active", last_processed_block__isnull=False)
                .values("rpc_url")
                .annotate(lowest=Min("last_processed_block"))
                .values_list("rpc_url", "lowest")
            )
            for url, head in ChainEndpoint.objects.filter(head_block__isnull=False).values_list(
                "url", "head_block"
            ):
                if url in behind:
                    lag.add_metric([endpoint_label(url)], max(0, head - behind[url]))
        except DatabaseError:
            logging.getLogger(__name__).warning("chain lag gauge skipped: database unavailable")
        finally:
            connection.close()
        yield lag
