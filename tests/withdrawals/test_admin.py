"""Operators' admin for withdrawals: never the payload, dead letters, requeue and cancel."""

import base64

from withdrawals.models import ScheduledRequest, WithdrawalStatus


def test_the_request_page_shows_the_payload_length_and_hash_never_its_content(admin_client, due_request):
    request = due_request()
    payload = bytes(request.payload)

    page = admin_client.get(f"/admin/withdrawals/scheduledrequest/{request.pk}/change/").content.decode()

    assert request.payload_sha256 in page
    assert str(len(payload)) in page
    assert base64.b64encode(payload).decode()[:40] not in page
    assert payload.decode()[:40] not in page


def test_dead_letters_list_only_failed_requests(admin_client, due_request):
    failed = due_request()
    pending = due_request()
    ScheduledRequest.objects.filter(pk=failed.pk).update(status=WithdrawalStatus.FAILED, error_message="boom")

    page = admin_client.get("/admin/withdrawals/deadletter/").content.decode()

    assert f">{failed.pk}<" in page
    assert f">{pending.pk}<" not in page


def test_the_requeue_action_gives_a_failed_request_fresh_attempts(admin_client, due_request, monkeypatch):
    from withdrawals import services

    monkeypatch.setattr(services, "send_processing", lambda claimed: True)
    request = due_request()
    ScheduledRequest.objects.filter(pk=request.pk).update(status=WithdrawalStatus.FAILED, attempts=3)

    admin_client.post(
        "/admin/withdrawals/deadletter/", {"action": "requeue_requests", "_selected_action": [request.pk]}
    )

    request.refresh_from_db()
    assert (request.status, request.attempts, request.error_message) == (WithdrawalStatus.PENDING, 0, "")


def test_operators_can_cancel_pending_and_discard_failed_requests(admin_client, due_request):
    pending = due_request()
    failed = due_request()
    done = due_request()
    ScheduledRequest.objects.filter(pk=failed.pk).update(status=WithdrawalStatus.FAILED)
    ScheduledRequest.objects.filter(pk=done.pk).update(status=WithdrawalStatus.COMPLETED)

    response = admin_client.post(
        "/admin/withdrawals/scheduledrequest/",
        {"action": "cancel_requests", "_selected_action": [pending.pk, failed.pk, done.pk]},
        follow=True,
    )

    statuses = dict(ScheduledRequest.objects.values_list("pk", "status"))
    assert statuses == {pending.pk: "cancelled", failed.pk: "cancelled", done.pk: "completed"}
    assert "Cancelled 2 withdrawal(s)." in response.content.decode()
    assert bytes(ScheduledRequest.objects.get(pk=pending.pk).payload) == b""
