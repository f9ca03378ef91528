import logging
from collections.abc import Iterator

from django.db import DatabaseError, connection
from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from withdrawals.models import ScheduledRequest, WithdrawalStatus


class WithdrawalBacklogCollector(Collector):
    """Withdrawals by status, counted in the database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            counts = dict(ScheduledRequest.objects.order_by().values_list("status").annotate(n=Count("id")))
            family = GaugeMetricFamily("scheduler_withdrawals", "Withdrawals by status.", labels=["status"])
            for status in WithdrawalStatus.values:
                family.add_metric([status], counts.get(status, 0))
            yield family
        except DatabaseError:
            # Worker metrics stay scrapable while the database is away.
            logging.getLogger(__name__).warning("backlog gauges skipped: database unavailable")
        finally:
            connection.close()
