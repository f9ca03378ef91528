"""Processing a withdrawal in-process: TEE simulator and relayer simulator over real sockets."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scheduler_project.testing.factories import sealed_withdrawal
from tests.conftest import DRIPPED_HTTP_ANSWER, DrippingServer, read_http_request
from withdrawals import clients, services
from withdrawals.models import ScheduledRequest, WithdrawalStatus


def process(request: ScheduledRequest) -> float | None:
    request.refresh_from_db()
    return services.process_withdrawal(request_id=request.pk, token=request.dispatch_token)


def test_a_due_withdrawal_is_relayed_and_completed_with_its_tx_hash(due_request, relayer):
    request = due_request(nullifier_old=41)

    assert process(request) is None

    request.refresh_from_db()
    (relayed,) = relayer.state.relays.values()
    assert request.status == WithdrawalStatus.COMPLETED
    assert request.tx_hash == relayed["tx_hash"]
    assert request.nullifier_hash == relayed["nullifier_hash"]
    assert relayed["idempotency_key"] == str(request.relay_key)
    assert request.processed_at is not None
    assert bytes(request.payload) == b""  # wiped once finished
    assert request.payload_sha256  # but its fingerprint stays for operators


def test_processing_twice_relays_once(due_request, relayer):
    request = due_request()
    token = request.dispatch_token
    services.process_withdrawal(request_id=request.pk, token=token)

    services.process_withdrawal(request_id=request.pk, token=token)

    assert relayer.state.submissions == 1


def test_a_withdrawal_is_not_processed_before_relay_after(due_request, relayer):
    request = due_request(due_in=600)

    assert process(request) is None

    request.refresh_from_db()
    assert request.status == WithdrawalStatus.PENDING
    assert relayer.state.submissions == 0


def test_a_fee_quote_above_the_maximum_is_retried_then_fails_with_the_reason(
    due_request, relayer, settings, time_machine
):
    settings.SCHEDULER_MAX_RETRY_COUNT = 2
    settings.SCHEDULER_RETRY_DELAY_SECS = 0.1
    relayer.state.fee = 10**18 + 1
    request = due_request(max_relayer_fee=10**18)

    assert process(request) is not None
    request.refresh_from_db()
    assert (request.status, request.retry_count) == (WithdrawalStatus.PENDING, 1)
    assert "above max_relayer_fee" in request.error_message
    time_machine.move_to(request.due_at + timedelta(milliseconds=10), tick=True)
    assert process(request) is None

    request.refresh_from_db()
    assert request.status == WithdrawalStatus.FAILED
    assert request.error_message.startswith("gave up after 2 attempts: relayer fee quote")
    assert relayer.state.submissions == 0
    assert bytes(request.payload)  # kept, so an operator can requeue it


def test_a_relayer_outage_is_retried(due_request, relayer):
    relayer.state.fail_next = 1
    request = due_request()

    assert process(request) is not None

    request.refresh_from_db()
    assert request.status == WithdrawalStatus.PENDING
    assert "HTTP 503" in request.error_message


def test_a_tee_outage_is_retried_and_its_reason_logged(due_request, relayer, tee, caplog):
    tee.stop()
    request = due_request()

    assert process(request) is not None

    request.refresh_from_db()
    assert request.status == WithdrawalStatus.PENDING
    assert request.error_message.startswith("TEE call failed")
    # The row's reason goes once a later attempt succeeds; the log keeps it.
    assert f"withdrawal {request.pk}: attempt 1: TEE call failed" in caplog.text


def sealed_to_another_key(request: ScheduledRequest) -> None:
    """Give ``request`` a payload sealed to a key that is not the TEE's."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    der = other.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    request.set_payload(sealed_withdrawal(der).to_payload())
    request.save()


def test_a_payload_the_tee_cannot_decrypt_fails_at_once(due_request, relayer, tee):
    request = due_request()
    sealed_to_another_key(request)

    assert process(request) is None

    request.refresh_from_db()
    assert request.status == WithdrawalStatus.FAILED
    assert request.error_message == "the TEE refused the payload: TeeDecryptError"
    assert request.attempts == 1
    assert relayer.state.submissions == 0


def test_a_second_request_for_the_same_note_is_refused(due_request, relayer):
    refused_as_a_duplicate(due_request, relayer)


@pytest.mark.django_db(transaction=True)
def test_a_second_request_for_the_same_note_is_refused_outside_a_transaction(due_request, relayer):
    """As workers run it: the mark commits on its own, with no savepoint around it."""
    assert not transaction.get_connection().in_atomic_block
    refused_as_a_duplicate(due_request, relayer)
    assert ScheduledRequest.objects.filter(nullifier_hash__isnull=False).count() == 1


def refused_as_a_duplicate(due_request, relayer) -> None:
    first = due_request(nullifier_old=777)
    second = due_request(nullifier_old=777)
    process(first)

    assert process(second) is None

    second.refresh_from_db()
    assert second.status == WithdrawalStatus.FAILED
    assert "duplicate nullifier" in second.error_message
    assert relayer.state.submissions == 1


def test_a_request_lost_after_relaying_is_recorded_not_relayed_again(due_request, relayer):
    request = due_request()
    services.process_withdrawal(request_id=request.pk, token=request.dispatch_token)
    tx_hash = ScheduledRequest.objects.get(pk=request.pk).tx_hash
    # As if the worker died between the relay and recording it.
    ScheduledRequest.objects.filter(pk=request.pk).update(
        status=WithdrawalStatus.PROCESSING, tx_hash="", lease_until=timezone.now() - timedelta(seconds=1)
    )

    services.sweep_withdrawals()

    request.refresh_from_db()
    assert (request.status, request.tx_hash) == (WithdrawalStatus.COMPLETED, tx_hash)
    assert relayer.state.submissions == 1


def test_a_request_lost_before_relaying_goes_back_to_pending(due_request, relayer, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "send_processing", lambda claimed: sent.append(claimed) or True)
    request = due_request()
    ScheduledRequest.objects.filter(pk=request.pk).update(
        status=WithdrawalStatus.PROCESSING, attempts=1, lease_until=timezone.now() - timedelta(seconds=1)
    )

    services.sweep_withdrawals()

    request.refresh_from_db()
    assert request.status == WithdrawalStatus.PENDING
    assert [c.pk for c in sent] == [request.pk]
    assert relayer.state.submissions == 0


def test_a_request_whose_relay_never_reached_the_relayer_is_retried(due_request, relayer, monkeypatch):
    monkeypatch.setattr(services, "send_processing", lambda claimed: True)
    request = due_request()
    ScheduledRequest.objects.filter(pk=request.pk).update(
        status=WithdrawalStatus.PROCESSING, attempts=1, relay_started_at=timezone.now(),
        lease_until=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip

    services.sweep_withdrawals()
    assert ScheduledRequest.objects.get(pk=request.pk).status == WithdrawalStatus.PENDING

    assert process(request) is None
    assert ScheduledRequest.objects.get(pk=request.pk).status == WithdrawalStatus.COMPLETED
    assert relayer.state.submissions == 1


def test_a_failed_request_can_be_requeued_and_then_completes(due_request, relayer, settings):
    settings.SCHEDULER_MAX_RETRY_COUNT = 1
    relayer.state.fail_next = 1
    request = due_request()
    process(request)
    assert ScheduledRequest.objects.get(pk=request.pk).status == WithdrawalStatus.FAILED

    services.requeue_withdrawal(request_id=request.pk)

    assert process(request) is None
    request.refresh_from_db()
    assert request.status == WithdrawalStatus.COMPLETED
    assert request.error_message == ""


@pytest.mark.parametrize("status", [WithdrawalStatus.PENDING, WithdrawalStatus.COMPLETED])
def test_only_failed_requests_can_be_requeued(due_request, status):
    from scheduler_project.core.envelope import Conflict

    request = due_request()
    ScheduledRequest.objects.filter(pk=request.pk).update(status=status)

    with pytest.raises(Conflict):
        services.requeue_withdrawal(request_id=request.pk)


def test_a_cancelled_request_is_never_processed(due_request, relayer):
    request = due_request()
    services.cancel_withdrawal(status_token=request.status_token)

    assert process(request) is None

    assert relayer.state.submissions == 0
    assert ScheduledRequest.objects.get(pk=request.pk).status == WithdrawalStatus.CANCELLED


def test_a_relayer_that_drips_its_answer_is_cut_off_at_the_relayer_timeout(settings):
    settings.RELAYER_TIMEOUT_SECS = 1
    clients.forget_cached()
    with DrippingServer(DRIPPED_HTTP_ANSWER, interval=0.2, read_request=read_http_request) as relayer:
        settings.RELAYER_URL = relayer.url("")

        with pytest.raises(clients.RelayerError, match="did not answer within 1s"):
            clients.quote_fee()


@pytest.mark.parametrize(
    ("route", "body", "why"),
    [
        ("quote", "[1, 2]", "relayer reply has no 'fee'"),
        ("quote", '{"fee": "a lot"}', "relayer quoted a fee that is not a whole number of wei"),
        ("quote", "not json", "relayer answered malformed JSON"),
        ("fee_address", '{"address": 7}', "relayer reply's 'address' is not a non-empty string"),
    ],
)
def test_a_malformed_relayer_reply_before_the_relay_is_recorded_and_retried(
    due_request, relayer, route, body, why
):
    relayer.state.malformed = {route: body}
    request = due_request()

    assert process(request) is not None

    request.refresh_from_db()
    assert request.status == WithdrawalStatus.PENDING
    assert request.error_message.startswith(why)
    assert relayer.state.submissions == 0


def test_a_relay_answered_without_a_tx_hash_is_looked_up_on_the_next_attempt_not_relayed_again(
    due_request, relayer, time_machine
):
    relayer.state.malformed = {"relay": "{}"}
    request = due_request()
    assert process(request) is not None
    request.refresh_from_db()
    assert request.error_message.startswith("relayer reply has no 'tx_hash'")
    assert request.relay_started_at is not None

    relayer.state.malformed = {}
    time_machine.move_to(request.due_at + timedelta(milliseconds=10), tick=True)
    assert process(request) is None

    request.refresh_from_db()
    (relayed,) = relayer.state.relays.values()
    assert (request.status, request.tx_hash) == (WithdrawalStatus.COMPLETED, relayed["tx_hash"])
    assert relayer.state.submissions == 1


@pytest.mark.parametrize("reply", ["[]", '{"tx_hash": null}', "garbage"])
def test_a_malformed_lookup_is_recorded_on_the_lost_request_and_the_sweep_goes_on(
    due_request, relayer, monkeypatch, reply
):
    sent = []
    monkeypatch.setattr(services, "send_processing", lambda claimed: sent.append(claimed.pk) or True)
    lost = due_request()
    ScheduledRequest.objects.filter(pk=lost.pk).update(
        status=WithdrawalStatus.PROCESSING, attempts=1, relay_started_at=timezone.now(),
        lease_until=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip
    due = due_request()
    relayer.state.malformed = {"lookup": reply}

    services.sweep_withdrawals()

    assert sent == [due.pk]
    lost.refresh_from_db()
    assert lost.status == WithdrawalStatus.PROCESSING
    assert lost.error_message.startswith("worker lost after relaying; asking the relayer again: relayer")
    assert lost.lease_until > timezone.now()  # not asked again by the very next sweep


def test_a_batch_is_claimed_in_one_statement_and_each_relay_recorded_as_it_ended(due_request, relayer):
    """A worker's batch: three requests claimed together, each attempted on its own, and
    recorded each as it ended (one statement per kind of outcome): relayed, refused by
    the TEE for good, and over its fee limit (tried again)."""
    relayed, refused = due_request(nullifier_old=1), due_request(nullifier_old=2)
    too_dear = due_request(nullifier_old=3, max_relayer_fee=1)
    sealed_to_another_key(refused)
    batch = [relayed, refused, too_dear]

    with CaptureQueriesContext(connection) as claims:
        claimed = services.claim_withdrawals([(r.pk, r.dispatch_token) for r in batch] * 2)
    assert len(claims) == 1
    assert [c.pk for c in claimed[:3]] == [r.pk for r in batch] and claimed[3:] == [None] * 3
    relays = [services.attempt_withdrawal(request) for request in claimed[:3]]
    with CaptureQueriesContext(connection) as records:
        delays = services.record_relays(relays)

    assert len(records) == 3
    assert delays[0] is None and delays[1] is None and delays[2] is not None  # the retry is sent now
    for request in batch:
        request.refresh_from_db()
    (relay,) = relayer.state.relays.values()
    assert (relayed.status, relayed.tx_hash) == (WithdrawalStatus.COMPLETED, relay["tx_hash"])
    assert (refused.status, refused.error_message) == (
        WithdrawalStatus.FAILED, "the TEE refused the payload: TeeDecryptError"
    )  # fmt: skip
    assert (too_dear.status, too_dear.retry_count) == (WithdrawalStatus.PENDING, 1)
    assert "above max_relayer_fee" in too_dear.error_message
    assert relayer.state.submissions == 1
