"""Prometheus metrics of the TEE connection pool and calls (per process; summed by the exporter)."""

from collections.abc import Iterator

from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from scheduler_project.core.metrics import LATENCY_BUCKETS

TEE_POOL_IN_USE = Gauge(
    "scheduler_tee_pool_in_use",
    "TEE connections currently checked out for a call.",
    multiprocess_mode="livesum",
)
TEE_POOL_CAPACITY = Gauge(
    "scheduler_tee_pool_capacity",
    "Most TEE connections one process may hold (TEE_TASK_POOL_CAPACITY).",
    multiprocess_mode="max",
)
TEE_ACQUIRE_WAIT = Histogram(
    "scheduler_tee_pool_acquire_wait_seconds",
    "Seconds a call waited for a free TEE connection.",
    buckets=LATENCY_BUCKETS,
)
TEE_CALL_DURATION = Histogram(
    "scheduler_tee_call_duration_seconds",
    "Seconds from sending a TEE request to its answer (or failure), by request type.",
    ["request"],
    buckets=LATENCY_BUCKETS,
)
TEE_ERRORS = Counter(
    "scheduler_tee_errors_total",
    "Failed TEE calls by kind (exhausted, timeout, unavailable, protocol, attestation, "
    "or the error kind the TEE answered).",
    ["kind"],
)


TEE_STATES = ("connected", "unresponsive", "unreachable", "unknown")


class TeeStateCollector(Collector):
    """The TEE's state as the health checks see it (``tee.health``: a background ping), one
    sample per state, 1 for the current one. A scrape reads the last ping's answer and never
    waits on a hung TEE."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        # tee.health imports the client, which imports this module.
        from tee.health import tee_state

        current = tee_state()
        family = GaugeMetricFamily(
            "scheduler_tee_state",
            "The TEE's answer to the last health ping: connected, unresponsive (hung, or every "
            "connection busy), unreachable; unknown before the first.",
            labels=["state"],
        )
        for state in TEE_STATES:
            family.add_metric([state], 1 if state == current else 0)
        yield family
