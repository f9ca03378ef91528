"""Prometheus metrics written by workers and read by the metrics exporter.

Workers run many processes; with ``PROMETHEUS_MULTIPROC_DIR`` set each writes
its own files and ``manage.py serve_metrics`` adds them up. Backlog gauges
(pending, overdue) are computed from the database at scrape time, so they are
right however many workers run.
"""

from prometheus_client import Counter, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)

TIMERS_FIRED = Counter(
    "scheduler_timers_fired_total",
    "Callback attempts by outcome (success, retry, failed; lost: its worker died), and timers failed "
    "as missed.",
    ["outcome"],
)
FIRING_LATENESS = Histogram(
    "scheduler_timer_firing_lateness_seconds",
    "Seconds from an attempt's due time to its callback being sent.",
    buckets=LATENCY_BUCKETS,
)
CALLBACK_DURATION = Histogram(
    "scheduler_timer_callback_duration_seconds",
    "Seconds from sending a callback to its response (or error).",
    buckets=LATENCY_BUCKETS,
)
SWEEP_DURATION = Histogram(
    "scheduler_sweep_duration_seconds",
    "Seconds one sweep took.",
    ["kind"],
    buckets=LATENCY_BUCKETS,
)
SWEEP_CLAIMED = Histogram(
    "scheduler_sweep_claimed",
    "Rows one sweep dispatched.",
    ["kind"],
    buckets=(0, 1, 5, 10, 50, 100, 500, 1000, 5000),
)

WITHDRAWAL_LATENESS = Histogram(
    "scheduler_withdrawal_lateness_seconds",
    "Seconds from a withdrawal's relay_after to its first processing attempt.",
    buckets=LATENCY_BUCKETS,
)
WITHDRAWAL_PROCESSING = Histogram(
    "scheduler_withdrawal_processing_seconds",
    "Seconds one processing attempt took (quote, TEE, relay).",
    buckets=LATENCY_BUCKETS,
)
WITHDRAWALS_FINISHED = Counter(
    "scheduler_withdrawal_outcomes_total",
    "Processing attempts by outcome (completed, retry, failed).",
    ["outcome"],
)

JOB_TASKS_CREATED = Counter(
    "scheduler_job_tasks_created_total",
    "Tasks (firings) created by jobs, by schedule type.",
    ["schedule_type"],
)
JOB_RUNS_SKIPPED = Counter(
    "scheduler_job_runs_skipped_total",
    "Runs of jobs not attempted: missed beyond the grace (misfire skip, no task created), or "
    "another task of the job in flight when the run's attempt was to start (overlap skip).",
    ["reason"],
)
JOB_TASK_ATTEMPTS = Counter(
    "scheduler_job_task_attempts_total",
    "Delivery attempts of jobs' tasks by outcome and schedule type.",
    ["outcome", "schedule_type"],
)
TASKS_REMOVED = Counter(
    "scheduler_tasks_removed_total",
    "Finished tasks removed past TASK_RETENTION_DAYS.",
)
CONDITION_EVALUATIONS = Counter(
    "scheduler_condition_evaluations_total",
    "Evaluations of condition jobs (jobs asking a source the same thing in one sweep share its poll).",
)
CONDITION_ERRORS = Counter(
    "scheduler_condition_errors_total",
    "Evaluations whose source failed or whose value could not be compared.",
)

HEARTBEAT_FAILURES = Counter(
    "scheduler_worker_heartbeat_failures_total", "Worker heartbeats (or the checks after them) that failed."
)
ALERTS = Counter("scheduler_alerts_total", "Operations alerts raised, by event.", ["event"])
CLEANUP_REMOVED = Counter(
    "scheduler_cleanup_rows_total",
    "Rows the periodic cleanups removed or wiped, by kind (tasks, attempts, idempotency_keys, "
    "workers, withdrawal_payloads, events, chain_logs).",
    ["kind"],
)
CALLBACKS_HOST_BUSY = Counter(
    "scheduler_callbacks_host_busy_total",
    "Attempts put off for a moment, unstarted, because their host had CALLBACK_MAX_PER_HOST "
    "callbacks of the process in flight.",
)
