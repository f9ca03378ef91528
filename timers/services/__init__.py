"""Every write to timers and jobs, one sub-domain a module: ``timers`` (one-shot timers),
``jobs``, ``conditions`` (condition jobs' evaluations), ``events`` (events pushed to us
and the event jobs they fire), ``chains`` (chain event jobs' polls), ``delivery``,
``sweep``, ``retention`` and ``replays`` (failed timers sent again in bulk). The dead
letters a replay takes are read by ``timers.selectors.dead_letters``, re-exported here.

Views, tasks, admin and other apps call ``services.<name>`` as before: the names they
call are re-exported here. A test that replaces a function replaces it in the module
that holds it (``timers.services.delivery.send_delivery``), as that is where it is looked
up; replacing the name re-exported here would change nothing.
"""

from timers.selectors import dead_letters
from timers.services.chains import poll_due_endpoints, poll_endpoint
from timers.services.conditions import (
    Observation,
    evaluate_due_conditions,
    record_evaluation,
    record_evaluations,
)
from timers.services.delivery import (
    OVERLAP_SKIPPED,
    attempt_delivery,
    claim_deliveries,
    deliver_timer,
    forget_signing_secrets,
    record_deliveries,
)
from timers.services.events import fire_due_event_jobs, receive_event
from timers.services.jobs import (
    create_job,
    delete_job,
    fire_due_jobs,
    fire_job,
    pause_job,
    resume_job,
    rfc3339,
    run_job_now,
    schedule_of,
    update_job,
)
from timers.services.replays import ReplayResult, replay_timers
from timers.services.retention import clean_up, remove_old_tasks
from timers.services.sweep import sweep_timers
from timers.services.timers import (
    cancel_timer,
    create_timer,
    create_timers,
    retry_timer_now,
    update_timer,
)

__all__ = [
    "OVERLAP_SKIPPED",
    "Observation",
    "ReplayResult",
    "attempt_delivery",
    "cancel_timer",
    "claim_deliveries",
    "clean_up",
    "create_job",
    "create_timer",
    "create_timers",
    "dead_letters",
    "delete_job",
    "deliver_timer",
    "evaluate_due_conditions",
    "fire_due_event_jobs",
    "fire_due_jobs",
    "fire_job",
    "forget_signing_secrets",
    "pause_job",
    "poll_due_endpoints",
    "poll_endpoint",
    "receive_event",
    "record_deliveries",
    "record_evaluation",
    "record_evaluations",
    "remove_old_tasks",
    "replay_timers",
    "resume_job",
    "retry_timer_now",
    "rfc3339",
    "run_job_now",
    "schedule_of",
    "sweep_timers",
    "update_job",
    "update_timer",
]
