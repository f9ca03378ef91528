"""Every write to scheduled withdrawals: schedule, cancel, process, reap, requeue.

Exactly once: before the relay is submitted, the TEE's nullifier is stored
(unique across all requests, so one note can never be relayed twice) together
with ``relay_started_at``; the relay carries the request's ``relay_key`` as its
idempotency key. If a worker dies after relaying but before recording, the
reaper asks the relayer about that key and records the transaction instead of
relaying again.
"""

import logging
import time
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.exceptions import NotFound

from scheduler_project.core import metrics, scheduling
from scheduler_project.core.envelope import Conflict
from scheduler_project.core.retry import backoff_delay
from tee.client import TeeClient
from tee.crypto import EncryptionEnvelope
from tee.errors import TeeDecryptError, TeeError, TeeRejected
from withdrawals import clients
from withdrawals.chain import get_chain
from withdrawals.models import ScheduledRequest, WithdrawalStatus

logger = logging.getLogger(__name__)


class RetryLater(Exception):
    """A step failed in a way that may pass: the request is tried again later."""


class GiveUp(Exception):
    """A step failed for good: the request fails now."""


def send_processing(claimed: scheduling.Claimed) -> None:
    from withdrawals.tasks import process_withdrawal

    scheduling.send_task(process_withdrawal, claimed, claimed.pk)


# --- API writes ---------------------------------------------------------------------------


def schedule_withdrawal(
    *, payload: bytes, last_note_index: int, max_relayer_fee: int, relay_after: datetime
) -> ScheduledRequest:
    """Store a sealed withdrawal; it is processed once ``relay_after`` has passed."""
    lease_until = scheduling.lease_if_near(relay_after)
    with transaction.atomic():
        request = ScheduledRequest(
            last_note_index=str(last_note_index),
            max_relayer_fee=str(max_relayer_fee),
            relay_after=relay_after,
            due_at=relay_after,
            lease_until=lease_until,
        )
        request.set_payload(payload)
        request.save()
        if lease_until is not None:
            claimed = scheduling.Claimed(request.pk, request.dispatch_token, relay_after)
            scheduling.send_on_commit(send_processing, claimed)
    return request


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


def _run_lease() -> timedelta:
    return timedelta(
        seconds=settings.TEE_TASK_POOL_TIMEOUT_SECS
        + settings.TEE_COMPUTE_TIMEOUT_SECS
        + 3 * settings.RELAYER_TIMEOUT_SECS
        + settings.SCHEDULER_LEASE_SECS
    )


def _relay(request: ScheduledRequest, token: uuid.UUID | str) -> str:
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
        _mark_relay_started(request, token, str(calldata["nullifier_hash"]))
        return clients.relay(calldata, idempotency_key=key)
    except (TeeDecryptError, TeeRejected) as exc:
        raise GiveUp(f"the TEE refused the payload: {type(exc).__name__}") from exc
    except TeeError as exc:
        raise RetryLater(f"TEE call failed: {type(exc).__name__}") from exc
    except clients.RelayerRejected as exc:
        raise GiveUp(str(exc)) from exc
    except clients.RelayerError as exc:
        raise RetryLater(str(exc)) from exc


def _mark_relay_started(request: ScheduledRequest, token: uuid.UUID | str, nullifier_hash: str) -> None:
    try:
        with transaction.atomic():
            kept = scheduling.finish_attempt(
                ScheduledRequest, pk=request.pk, token=token,
                nullifier_hash=nullifier_hash, relay_started_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError as exc:
        raise GiveUp("this note was already relayed by another request (duplicate nullifier)") from exc
    if not kept:
        raise GiveUp("the request was taken back from this worker before relaying")


def process_withdrawal(*, request_id: int, token: uuid.UUID | str) -> float | None:
    """Run one processing attempt if this dispatch still owns the request.

    Returns the delay after which the caller should send the retry itself, or None.
    """
    request = scheduling.start_attempt(ScheduledRequest, pk=request_id, token=token, run_lease=_run_lease())
    if request is None:
        return None
    started = time.monotonic()
    if request.attempts == 1:
        metrics.WITHDRAWAL_LATENESS.observe(max(0.0, (timezone.now() - request.relay_after).total_seconds()))
    try:
        tx_hash = _relay(request, token)
    except GiveUp as exc:
        _fail(request, token, str(exc))
        return None
    except RetryLater as exc:
        return _retry_or_fail(request, token, str(exc))
    finally:
        metrics.WITHDRAWAL_PROCESSING.observe(time.monotonic() - started)
    _complete(request.pk, tx_hash, token=token)
    return None


def _complete(request_id: int, tx_hash: str, *, token: uuid.UUID | str | None = None) -> bool:
    fields = {
        "status": WithdrawalStatus.COMPLETED,
        "tx_hash": tx_hash,
        "processed_at": timezone.now(),
        "lease_until": None,
        "error_message": "",
        **_finished_fields(),
    }
    if token is None:
        done = ScheduledRequest.objects.filter(pk=request_id, status=WithdrawalStatus.PROCESSING).update(
            **fields
        )
    else:
        done = scheduling.finish_attempt(ScheduledRequest, pk=request_id, token=token, **fields)
    if done:
        metrics.WITHDRAWALS_FINISHED.labels(outcome="completed").inc()
    return bool(done)


def _fail(request: ScheduledRequest, token: uuid.UUID | str, reason: str) -> None:
    logger.warning("withdrawal %s failed: %s", request.pk, reason)
    scheduling.finish_attempt(
        ScheduledRequest, pk=request.pk, token=token, status=WithdrawalStatus.FAILED,
        error_message=reason, processed_at=timezone.now(), lease_until=None,
    )  # fmt: skip
    metrics.WITHDRAWALS_FINISHED.labels(outcome="failed").inc()


def _retry_or_fail(request: ScheduledRequest, token: uuid.UUID | str, reason: str) -> float | None:
    if request.attempts >= settings.SCHEDULER_MAX_RETRY_COUNT:
        _fail(request, token, f"gave up after {request.attempts} attempts: {reason}")
        return None
    delay = backoff_delay(
        request.attempts,
        base=settings.SCHEDULER_RETRY_DELAY_SECS,
        cap=settings.SCHEDULER_RETRY_DELAY_SECS * 2**settings.SCHEDULER_MAX_RETRY_COUNT,
    )
    scheduling.defer_attempt(
        ScheduledRequest, pk=request.pk, token=token, delay=delay,
        retry_count=F("retry_count") + 1, error_message=f"{reason}; retrying",
    )  # fmt: skip
    metrics.WITHDRAWALS_FINISHED.labels(outcome="retry").inc()
    return delay if scheduling.retry_in_flight(delay) else None


# --- sweep ----------------------------------------------------------------------------------


def reap_lost_attempts(*, now: datetime) -> int:
    """Settle requests whose worker died mid-attempt.

    If the relay may have been submitted, the relayer is asked by idempotency
    key: a relayed request is recorded as completed, never relayed again.
    Otherwise the request goes back to pending (or fails if out of attempts).
    """
    settled = 0
    for request in ScheduledRequest.objects.lease_expired(now=now).only(
        "pk", "relay_key", "relay_started_at"
    ):
        if request.relay_started_at is not None:
            try:
                tx_hash = clients.lookup(str(request.relay_key))
            except (clients.RelayerError, clients.RelayerRejected):
                continue  # ask again at the next sweep
            if tx_hash and _complete(request.pk, tx_hash):
                settled += 1
                continue
        expired = ScheduledRequest.objects.lease_expired(now=now).filter(pk=request.pk)
        settled += expired.filter(attempts__lt=settings.SCHEDULER_MAX_RETRY_COUNT).update(
            status=WithdrawalStatus.PENDING, due_at=now, lease_until=None,
            error_message="worker lost during processing; retrying",
        )  # fmt: skip
        settled += expired.update(
            status=WithdrawalStatus.FAILED, lease_until=None, processed_at=now,
            error_message="worker lost during the last attempt",
        )  # fmt: skip
    return settled


def sweep_withdrawals() -> int:
    started = time.monotonic()
    reap_lost_attempts(now=timezone.now())
    sent = scheduling.dispatch_due(ScheduledRequest, send_processing)
    metrics.SWEEP_DURATION.labels(kind="withdrawals").observe(time.monotonic() - started)
    metrics.SWEEP_CLAIMED.labels(kind="withdrawals").observe(sent)
    return sent
