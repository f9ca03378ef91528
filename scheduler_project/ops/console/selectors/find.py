"""Reads for the console's Find page and the pages of what it finds.

What a query means (``find``), tried in this order:

* a UUID: the timer, task or job with that id;
* ``msg_`` and 32 hex digits: the timer whose callbacks carry that ``webhook-id``;
* digits: the withdrawal with that id;
* ``key=value``: timers, tasks and jobs whose ``metadata`` has that key with that value
  (as text, or as the number or boolean it reads as);
* anything else: a withdrawal's status token, and timers, tasks and jobs whose callback
  URL contains it (case ignored), jobs whose name contains it.

At most ``LIMIT`` of each kind, the newest first. A substring of a URL has no index to
use: that search reads the tables, newest first, until it has found enough.
"""

import json
import re
import uuid
from dataclasses import dataclass, field

from django.db.models import Q

from timers.models import Job, JobStatus, Timer, TimerAttempt
from withdrawals.models import ScheduledRequest

LIMIT = 50
WEBHOOK_ID = re.compile(r"^msg_([0-9a-f]{32})$")
METADATA = re.compile(r"^([A-Za-z0-9_.-]{1,100})=(.*)$")


@dataclass
class Found:
    query: str
    rule: str = ""
    timers: list[Timer] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    withdrawals: list[ScheduledRequest] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.timers) + len(self.jobs) + len(self.withdrawals)


def _timers(condition: Q) -> list[Timer]:
    return list(Timer.objects.filter(condition).select_related("tenant").order_by("-created_at")[:LIMIT])


def _jobs(condition: Q) -> list[Job]:
    visible = Job.objects.exclude(status=JobStatus.DELETED)
    return list(visible.filter(condition).select_related("tenant").order_by("-created_at")[:LIMIT])


def _withdrawals(condition: Q) -> list[ScheduledRequest]:
    return list(ScheduledRequest.objects.filter(condition).defer("payload").order_by("-id")[:LIMIT])


def _metadata_values(text: str) -> list[object]:
    """``text``, and the JSON number or boolean it spells (``42``, ``true``)."""
    values: list[object] = [text]
    try:
        parsed = json.loads(text)
    except ValueError:
        return values
    if isinstance(parsed, bool | int | float) and parsed != text:
        values.append(parsed)
    return values


def find(query: str) -> Found:
    text = query.strip()
    found = Found(text)
    if not text:
        return found
    try:
        ident = uuid.UUID(text)
    except ValueError:
        ident = None
    if ident is not None:
        found.rule = "id"
        found.timers, found.jobs = _timers(Q(pk=ident)), _jobs(Q(pk=ident))
        return found
    if match := WEBHOOK_ID.match(text.lower()):
        found.rule = "webhook id"
        found.timers = _timers(Q(pk=uuid.UUID(match[1])))
        return found
    if text.isdigit():
        found.rule = "withdrawal id"
        found.withdrawals = _withdrawals(Q(pk=int(text))) if len(text) < 19 else []
        return found
    if (match := METADATA.match(text)) and "://" not in text:
        found.rule = "metadata"
        key, value = match[1], match[2]
        condition = Q()
        for candidate in _metadata_values(value):
            condition |= Q(**{f"metadata__{key}": candidate})
        found.timers, found.jobs = _timers(condition), _jobs(condition)
        return found
    found.rule = "callback URL, job name or status token"
    found.timers = _timers(Q(callback_url__icontains=text))
    found.jobs = _jobs(Q(callback_url__icontains=text) | Q(name__icontains=text))
    found.withdrawals = _withdrawals(Q(status_token=text))
    return found


@dataclass
class AttemptView:
    attempt: TimerAttempt
    after_due_secs: float
    headers: dict[str, str]


def timer_page(timer_id: uuid.UUID) -> tuple[Timer, list[AttemptView]] | None:
    """A timer or task with its attempts, each with the headers its request carried: the
    timer's own, and the Standard Webhooks ones of that attempt (the signature itself is
    not kept)."""
    timer = Timer.objects.select_related("tenant", "job").filter(pk=timer_id).first()
    if timer is None:
        return None
    attempts = []
    for attempt in timer.attempt_log.all():
        attempts.append(
            AttemptView(
                attempt, (attempt.started_at - timer.execute_at).total_seconds(), _sent(timer, attempt)
            )
        )
    return timer, attempts


def _sent(timer: Timer, attempt: TimerAttempt) -> dict[str, str]:
    return {
        **timer.callback_headers,
        "Content-Type": "application/json",
        "webhook-id": timer.webhook_id,
        "webhook-timestamp": str(int(attempt.started_at.timestamp())),
        "webhook-signature": "v1,… (not kept)",
    }


def withdrawal_page(request_id: int) -> ScheduledRequest | None:
    return ScheduledRequest.objects.defer("payload").filter(pk=request_id).first()
