"""Prometheus metrics of the TEE connection pool and calls (per process; summed by the exporter)."""

from prometheus_client import Counter, Gauge, Histogram

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
