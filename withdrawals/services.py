"""Every write to scheduled withdrawals: schedule, cancel, process, reap, requeue.

Exactly once: before the relay is submitted, the TEE's nullifier is stored
(unique across all requests, so one note can never be relayed twice) together
with ``relay_started_at``; the relay carries the request's ``relay_key`` as its
idempotency key. If a worker dies after relaying but before recording, the
reaper asks the relayer about that key and records the transaction instead of
relaying again.
"""

import hashlib
import logging
import time
import uuid
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.exceptions import NotFound

from scheduler_project.core import metrics, scheduling
from scheduler_project.core.departures.database import CONNECTION_ERRORS
from scheduler_project.core.envelope import Conflict
from scheduler_project.core.retry import backoff_delay
from tee.client import TeeClient
from tee.crypto import EncryptionEnvelope
from tee.errors import TeeDecryptError, TeeError, TeeRejected
from withdrawals import clients
from withdrawals.chain import get_chain
from withdrawals.models import ScheduledRequest, ScheduledRequestQuerySet, WithdrawalStatus

logger = logging.getLogger(__name__)


class RetryLater(Exception):
    """A step failed in a way that may pass: the request is tried again later."""


class GiveUp(Exception):
    """A step failed for good: the request fails now."""


def send_processing(claimed: scheduling.Claimed) -> bool:
    from withdrawals.tasks import process_withdrawal

    return scheduling.send_task(process_withdrawal, claimed, claimed.pk)


# --- API writes ---------------------------------------------------------------------------


def schedule_withdrawal(
    *, payload: bytes, last_note_index: int, max_relayer_fee: int, relay_after: datetime
) -> ScheduledRequest:
    """Store a sealed withdrawal; it is processed once ``relay_after`` has passed.

    Idempotent by the payload: the same sealed bytes posted again (a wallet retrying
    after a timeout) return the first request and store nothing; with other outer
    values (index, fee, time) they are a conflict, since the sealed ones cannot differ.
    """
    digest = hashlib.sha256(payload).hexdigest()
    fields = {"last_note_index": str(last_note_index), "max_relayer_fee": str(max_relayer_fee),
              "relay_after": relay_after}  # fmt: skip
    existing = ScheduledRequest.objects.filter(intake_sha256=digest).first()
    if existing is not None:
        return _same_intake(existing, fields)
    lease_until = scheduling.lease_if_near(relay_after)
    try:
        with transaction.atomic():
            request = ScheduledRequest(
                **fields, due_at=relay_after, lease_until=lease_until, intake_sha256=digest
            )
            request.set_payload(payload)
            request.save()
            if lease_until is not None:
                claimed = scheduling.Claimed(request.pk, request.dispatch_token, relay_after)
                scheduling.send_on_commit(ScheduledRequest, send_processing, [claimed])
    except IntegrityError:  # the same payload, posted at the same moment
        existing = ScheduledRequest.objects.filter(intake_sha256=digest).first()
        if existing is None:
            raise
        return _same_intake(existing, fields)
    return request


def _same_intake(existing: ScheduledRequest, fields: dict) -> ScheduledRequest:
    stored = {"last_note_index": existing.last_note_index, "max_relayer_fee": existing.max_relayer_fee,
              "relay_after": existing.relay_after}  # fmt: skip
    if stored != fields:
        raise Conflict(
            f"this sealed payload was scheduled already (request {existing.pk}) with other "
            "last_note_index, max_relayer_fee or relay_after"
        )
    return existing


def _finished_fields() -> dict:
    """Completed and cancelled requests drop their payload; failed ones keep it for a requeue."""
    return {"payload": b""} if settings.WITHDRAWAL_WIPE_PAYLOAD else {}


def cancel_withdrawal(*, status_token: str | None = None, request_id: int | None = None) -> ScheduledRequest:
    """Cancel a pending withdrawal by its status token; operators (by id) may also
    discard a failed one from the dead letters."""
    lookup = {"status_token": status_token} if status_token is not None else {"pk": request_id}
    cancellable = [WithdrawalStatus.PENDING] if status_token is not None else [
        WithdrawalStatus.PENDING, WithdrawalStatus.FAILED,
    ]  # fmt: skip
    updated = ScheduledRequest.objects.filter(status__in=cancellable, **lookup).update(
        status=WithdrawalStatus.CANCELLED, lease_until=None, processed_at=timezone.now(), **_finished_fields()
    )
    if not updated:
        status = ScheduledRequest.objects.filter(**lookup).values_list("status", flat=True).first()
        if status is None:
            raise NotFound("withdrawal not found")
        raise Conflict(f"cannot cancel a withdrawal with status '{status}'")
    return ScheduledRequest.objects.get(**lookup)


def requeue_withdrawal(*, request_id: int) -> ScheduledRequest:
    """Operator action: give a failed withdrawal a fresh set of attempts, now."""
    with transaction.atomic():
        updated = ScheduledRequest.objects.filter(pk=request_id, status=WithdrawalStatus.FAILED).update(
            status=WithdrawalStatus.PENDING,
            due_at=timezone.now(),
            attempts=0,
            dispatch_token=uuid.uuid4(),
            lease_until=None,
            processed_at=None,
            error_message="",
        )
        if not updated:
            status = ScheduledRequest.objects.filter(pk=request_id).values_list("status", flat=True).first()
            if status is None:
                raise NotFound("withdrawal not found")
            raise Conflict(f"cannot requeue a withdrawal with status '{status}'")
        scheduling.lease_one_on_commit(ScheduledRequest, request_id, send_processing)
    return ScheduledRequest.objects.get(pk=request_id)


# --- processing ---------------------------------------------------------------------------


# The relayer calls one attempt can make, each bounded by RELAYER_TIMEOUT_SECS:
# lookup (after an earlier attempt reached the relay), quote, fee address, relay.
RELAYER_CALLS_PER_ATTEMPT = 4


def longest_attempt_secs() -> float:
    """How long one attempt can take: every call it can make at its longest (each has a
    deadline)."""
    return (
        settings.TEE_TASK_POOL_TIMEOUT_SECS
        + settings.TEE_COMPUTE_TIMEOUT_SECS
        + RELAYER_CALLS_PER_ATTEMPT * settings.RELAYER_TIMEOUT_SECS
    )


def _run_lease() -> timedelta:
    """How long a running attempt holds its request: its longest, then the lease's grace,
    so the reaper never takes back an attempt still in flight."""
    return timedelta(seconds=longest_attempt_secs() + settings.SCHEDULER_LEASE_SECS)


def _relay(request: ScheduledRequest) -> str:
    """Turn the sealed payload into a relayed transaction; returns its hash."""
    key = str(request.relay_key)
    try:
        if request.relay_started_at is not None:
            earlier = clients.lookup(key)
            if earlier:
                return earlier
        fee = clients.quote_fee()
        if fee > int(request.max_relayer_fee):
            raise RetryLater(f"relayer fee quote {fee} is above max_relayer_fee {request.max_relayer_fee}")
        address = clients.fee_address()
        proof = get_chain().merkle_proof(int(request.last_note_index))
        envelope = EncryptionEnvelope.from_payload(bytes(request.payload))
        calldata = TeeClient().prepare_relay_calldata(
            envelope, relayer_fee=fee, relayer_address=address, merkle_path=proof.path, merkle_root=proof.root
        )
        _mark_relay_started(request, str(calldata["nullifier_hash"]))
        return clients.relay(calldata, idempotency_key=key)
    except (TeeDecryptError, TeeRejected) as exc:
        raise GiveUp(f"the TEE refused the payload: {type(exc).__name__}") from exc
    except TeeError as exc:
        raise RetryLater(f"TEE call failed: {type(exc).__name__}") from exc
    except clients.RelayerRejected as exc:
        raise GiveUp(str(exc)) from exc
    except clients.RelayerError as exc:
        raise RetryLater(str(exc)) from exc


def _mark_relay_started(request: ScheduledRequest, nullifier_hash: str) -> None:
    # One UPDATE, atomic and committed on its own; inside a caller's transaction, a savepoint
    # keeps a duplicate nullifier from aborting it (outside, it would cost a BEGIN and a COMMIT).
    guard = transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext()
    try:
        with guard:
            kept = scheduling.finish_attempt(
                ScheduledRequest, pk=request.pk, token=request.dispatch_token, attempt=request.attempts,
                nullifier_hash=nullifier_hash, relay_started_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError as exc:
        raise GiveUp("this note was already relayed by another request (duplicate nullifier)") from exc
    if not kept:
        raise GiveUp("the request was taken back from this worker before relaying")


@dataclass(frozen=True)
class Relay:
    """How one attempt ended, for ``record_relays``: relayed (``tx_hash``), refused for
    good (``give_up``), or to be tried again (``retry``), each with its reason."""

    request: ScheduledRequest
    tx_hash: str | None = None
    give_up: str | None = None
    retry: str | None = None


def claim_withdrawals(items: Sequence[tuple[Any, Any]]) -> list[ScheduledRequest | None]:
    """Claim the requests of (request id, token) ``items`` for an attempt each, in one
    statement; None for those this dispatch no longer owns."""
    return scheduling.start_attempts(ScheduledRequest, items, run_lease=_run_lease())


def attempt_withdrawal(request: ScheduledRequest) -> Relay:
    """Relay a claimed request once: quote, TEE, the mark that makes it exactly once (the
    only write), the relay. An unexpected error is a defect, not an outage: recorded on
    the request (which is retried, never relayed twice: see the module docstring) rather
    than left to its lease. A database outage is raised: the request stays processing
    until the reaper settles it."""
    started = time.monotonic()
    if request.attempts == 1:
        metrics.WITHDRAWAL_LATENESS.observe(max(0.0, (timezone.now() - request.relay_after).total_seconds()))
    try:
        return Relay(request, tx_hash=_relay(request))
    except GiveUp as exc:
        return Relay(request, give_up=str(exc))
    except RetryLater as exc:
        return Relay(request, retry=str(exc))
    except CONNECTION_ERRORS:
        raise
    except Exception as exc:
        logger.exception("withdrawal %s: unexpected error", request.pk)
        return Relay(request, retry=f"internal error: {type(exc).__name__}: {exc}")
    finally:
        metrics.WITHDRAWAL_PROCESSING.observe(time.monotonic() - started)


def record_relays(relays: Sequence[Relay]) -> list[float | None]:
    """Record ended attempts, those of one kind of outcome in one statement each. Returns,
    for each, the delay after which the caller should send its retry itself, or None."""
    now = timezone.now()
    endings = [_ending(relay, now) for relay in relays]
    kept = _finish(endings)
    return [delay if recorded else None for (_, _, delay), recorded in zip(endings, kept, strict=True)]


def _finish(endings: Sequence[tuple[scheduling.Finish, str, float | None]]) -> list[bool]:
    kept = scheduling.finish_attempts(ScheduledRequest, [finish for finish, _, _ in endings])
    for (_, outcome, _), recorded in zip(endings, kept, strict=True):
        if recorded:
            metrics.WITHDRAWALS_FINISHED.labels(outcome=outcome).inc()
    return kept


def _ending(relay: Relay, now: datetime) -> tuple[scheduling.Finish, str, float | None]:
    """An ended attempt's finish, the outcome it counts as, and its retry's delay if the
    caller sends it."""
    request = relay.request
    delay = None
    if relay.tx_hash is not None:
        outcome = "completed"
        fields = {"status": WithdrawalStatus.COMPLETED, "tx_hash": relay.tx_hash, "processed_at": now,
                  "lease_until": None, "error_message": "", **_finished_fields()}  # fmt: skip
    elif relay.retry is not None and request.attempts < settings.SCHEDULER_MAX_RETRY_COUNT:
        outcome = "retry"
        retry_delay = backoff_delay(
            request.attempts,
            base=settings.SCHEDULER_RETRY_DELAY_SECS,
            cap=settings.SCHEDULER_RETRY_DELAY_SECS * 2**settings.SCHEDULER_MAX_RETRY_COUNT,
        )
        # The attempt holds the row: nobody else changes its retry count meanwhile.
        fields = {
            **scheduling.deferral(ScheduledRequest, retry_delay),
            "retry_count": request.retry_count + 1,
            "error_message": f"{relay.retry}; retrying",
        }
        delay = retry_delay if scheduling.retry_in_flight(retry_delay) else None
        # Its reason is cleared once a later attempt succeeds: the log keeps it.
        logger.warning("withdrawal %s: attempt %d: %s; retrying in %.0f s", request.pk, request.attempts,
                       relay.retry, retry_delay)  # fmt: skip
    else:
        outcome = "failed"
        reason = relay.give_up or f"gave up after {request.attempts} attempts: {relay.retry}"
        logger.warning("withdrawal %s failed: %s", request.pk, reason)
        fields = {"status": WithdrawalStatus.FAILED, "error_message": reason, "processed_at": now,
                  "lease_until": None}  # fmt: skip
    finish = scheduling.Finish(request.pk, request.dispatch_token, request.attempts, None, fields)
    return finish, outcome, delay


def process_withdrawal(*, request_id: int, token: uuid.UUID | str) -> float | None:
    """Run one processing attempt if this dispatch still owns the request (the phases of
    a worker's batch, for one request). Returns the delay after which the caller should
    send the retry itself, or None."""
    request = claim_withdrawals([(request_id, token)])[0]
    if request is None:
        return None
    return record_relays([attempt_withdrawal(request)])[0]


def _complete(request: ScheduledRequest, tx_hash: str) -> bool:
    """Record an attempt the relayer says was relayed (the reaper's finding)."""
    return _finish([_ending(Relay(request, tx_hash=tx_hash), timezone.now())])[0]


# --- sweep ----------------------------------------------------------------------------------

# One sweep asks the relayer about at most this many lost requests, each with a short
# timeout, and for at most REAP_BUDGET_SECS in all; the rest wait for the next sweep.
REAP_BATCH = 20
REAP_BUDGET_SECS = 2.0
REAP_RELAYER_TIMEOUT_SECS = 2.0


def _lost_requests() -> ScheduledRequestQuerySet:
    return cast(ScheduledRequestQuerySet, ScheduledRequest.objects.lease_expired(now=timezone.now()))


def _back_to_pending_or_failed(pks: list[int], *, now: datetime, why: str) -> int:
    """Requests whose relay never started: retried if attempts remain, else failed."""
    lost = ScheduledRequest.objects.filter(pk__in=pks, status=WithdrawalStatus.PROCESSING)
    retried = lost.filter(attempts__lt=settings.SCHEDULER_MAX_RETRY_COUNT).update(
        status=WithdrawalStatus.PENDING, due_at=now, lease_until=None, error_message=f"{why}; retrying",
    )  # fmt: skip
    failed = lost.update(
        status=WithdrawalStatus.FAILED, lease_until=None, processed_at=now,
        error_message=f"{why} on the last attempt",
    )  # fmt: skip
    if failed:
        metrics.WITHDRAWALS_FINISHED.labels(outcome="failed").inc(failed)
    return retried + failed


def _take_relayed() -> ScheduledRequest | None:
    """Claim one lost request that may have been relayed, for long enough to ask the
    relayer about it: another sweep skips it meanwhile."""
    hold = timedelta(seconds=REAP_RELAYER_TIMEOUT_SECS + settings.SCHEDULER_LEASE_SECS)
    with transaction.atomic():
        request = (
            _lost_requests()
            .filter(relay_started_at__isnull=False)
            .select_for_update(skip_locked=True)
            .order_by("lease_until")
            .only("pk", "attempts", "relay_key", "dispatch_token")
            .first()
        )
        if request is not None:
            ScheduledRequest.objects.filter(pk=request.pk).update(lease_until=timezone.now() + hold)
    return request


def reap_lost_attempts() -> int:
    """Settle requests whose worker died mid-attempt; returns how many went back to
    pending or ended.

    Requests whose relay never started go back to pending (or fail when out of
    attempts), all in one update. For those that may have been relayed the
    relayer is asked by idempotency key: a relayed one is recorded as completed,
    never relayed again. Asking is bounded (``REAP_BATCH`` requests, each with a
    short timeout, ``REAP_BUDGET_SECS`` in all); a relayer that hangs or answers
    nonsense is recorded on the request, which is asked about again later.
    """
    now = timezone.now()
    never_relayed = list(_lost_requests().filter(relay_started_at__isnull=True).values_list("pk", flat=True))
    settled = _back_to_pending_or_failed(never_relayed, now=now, why="worker lost during processing")
    deadline = time.monotonic() + REAP_BUDGET_SECS
    for _ in range(REAP_BATCH):
        if time.monotonic() >= deadline:
            break
        request = _take_relayed()
        if request is None:
            break
        settled += _settle_relayed(request)
    return settled


def _settle_relayed(request: ScheduledRequest) -> int:
    timeout = min(settings.RELAYER_TIMEOUT_SECS, REAP_RELAYER_TIMEOUT_SECS)
    try:
        tx_hash = clients.lookup(str(request.relay_key), timeout=timeout)
    except (clients.RelayerError, clients.RelayerRejected) as exc:
        ScheduledRequest.objects.filter(pk=request.pk, status=WithdrawalStatus.PROCESSING).update(
            error_message=f"worker lost after relaying; asking the relayer again: {exc}"
        )
        return 0
    if tx_hash:
        return int(_complete(request, tx_hash))
    return _back_to_pending_or_failed(
        [request.pk], now=timezone.now(), why="worker lost before the relay reached the relayer"
    )


def sweep_withdrawals() -> int:
    """One sweep: send due withdrawals, then settle lost ones (never before due work)."""
    started = time.monotonic()
    sent = scheduling.dispatch_due(ScheduledRequest, send_processing)
    if reap_lost_attempts():
        sent += scheduling.dispatch_due(ScheduledRequest, send_processing)
    metrics.SWEEP_DURATION.labels(kind="withdrawals").observe(time.monotonic() - started)
    metrics.SWEEP_CLAIMED.labels(kind="withdrawals").observe(sent)
    return sent


def wipe_old_payloads(*, now: datetime) -> int:
    """Wipe the sealed payloads of withdrawals completed or cancelled more than
    ``WITHDRAWAL_PAYLOAD_RETENTION_DAYS`` ago (their length and SHA-256 stay); failed ones
    keep theirs, so they can still be requeued. In small batches."""
    cutoff = now - timedelta(days=settings.WITHDRAWAL_PAYLOAD_RETENTION_DAYS)
    finished = ScheduledRequest.objects.filter(
        status__in=(WithdrawalStatus.COMPLETED, WithdrawalStatus.CANCELLED), payload_length__gt=0
    ).filter(Q(processed_at__lt=cutoff) | Q(processed_at__isnull=True, created_at__lt=cutoff))
    return scheduling.in_batches(
        finished.exclude(payload=b""),
        order_by="created_at",
        kind="withdrawal_payloads",
        apply=lambda rows: rows.update(payload=b""),
    )
