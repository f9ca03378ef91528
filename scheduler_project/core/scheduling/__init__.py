"""The shared claim/lease mechanism for scheduled work (timers, withdrawals).

One package, used as ``from scheduler_project.core import scheduling`` then
``scheduling.start_attempt(...)``: callers need not know which module holds a name.

* ``leases``: the states a row moves through, and which rows are sent and for how long;
* ``attempts``: a row taken pending -> running, and its outcome recorded;
* ``publishing``: leased rows sent to Celery, and what a refused send lets go;
* ``statements``: the hot path's SQL, written once per model;
* ``cleanup``: periodic deletes and updates in short batches.
"""

from scheduler_project.core.scheduling.attempts import (
    Finish,
    defer_attempt,
    finish_attempt,
    finish_attempts,
    start_attempt,
    start_attempts,
)
from scheduler_project.core.scheduling.cleanup import in_batches
from scheduler_project.core.scheduling.leases import (
    START_TOLERANCE,
    Claimed,
    after,
    claim_batch,
    deferral,
    dispatch_lease,
    eta_for,
    hold_as,
    holder,
    lease_due_batch,
    lease_if_near,
    lookahead,
    on_take_back,
    release_dispatched,
    release_leases,
    retry_in_flight,
    rows,
    scheduled_models,
    take_back_from,
)
from scheduler_project.core.scheduling.publishing import (
    dispatch_due,
    lease_one_on_commit,
    model_of,
    publishing_together,
    retry_task,
    send_on_commit,
    send_task,
    send_together,
)
from scheduler_project.core.scheduling.statements import Change, build_many, insert, insert_many, update_each

__all__ = [
    "START_TOLERANCE",
    "Change",
    "Claimed",
    "Finish",
    "after",
    "build_many",
    "claim_batch",
    "defer_attempt",
    "deferral",
    "dispatch_due",
    "dispatch_lease",
    "eta_for",
    "finish_attempt",
    "finish_attempts",
    "hold_as",
    "holder",
    "in_batches",
    "insert",
    "insert_many",
    "lease_due_batch",
    "lease_if_near",
    "lease_one_on_commit",
    "lookahead",
    "model_of",
    "on_take_back",
    "publishing_together",
    "release_dispatched",
    "release_leases",
    "retry_in_flight",
    "retry_task",
    "rows",
    "scheduled_models",
    "send_on_commit",
    "send_task",
    "send_together",
    "start_attempt",
    "start_attempts",
    "take_back_from",
    "update_each",
]
