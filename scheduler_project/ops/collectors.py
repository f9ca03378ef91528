"""Operations gauges, counted in the database at scrape time (``manage.py serve_metrics``):
workers by state, beat's last sweep, dead letters."""

import logging
from collections.abc import Iterator

from django.db import DatabaseError, connection
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from scheduler_project.core.models import WorkerHeartbeat
from scheduler_project.ops import health, monitoring


class OperationsCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            now = timezone.now()
            workers = GaugeMetricFamily(
                "scheduler_workers",
                "Worker processes by state: online (seen within WORKER_OFFLINE_AFTER_SECS), offline, "
                "stopped.",
                labels=["state"],
            )
            counts = dict.fromkeys(("online", "offline", "stopped"), 0)
            for worker in WorkerHeartbeat.objects.all():
                counts[health.worker_view(worker, now)["status"]] += 1
            for state, count in counts.items():
                workers.add_metric([state], count)
            yield workers
            seen = monitoring.beat_last_seen(now)
            if seen is not None:
                yield GaugeMetricFamily(
                    "scheduler_beat_last_sweep_age_seconds",
                    "Seconds since beat's timers sweep last ran.",
                    value=max(0.0, (now - seen).total_seconds()),
                )
            yield GaugeMetricFamily(
                "scheduler_dead_letters",
                "Withdrawals whose retries ran out.",
                value=monitoring.dead_letters(),
            )
        except DatabaseError:
            logging.getLogger(__name__).warning("operations gauges skipped: database unavailable")
        finally:
            connection.close()
