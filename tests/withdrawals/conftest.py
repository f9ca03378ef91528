"""Withdrawal fixtures (the TEE and relayer simulators are in tests/conftest.py)."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from scheduler_project.testing.factories import sealed_withdrawal
from tee.simulator import TeeSimulator
from withdrawals.models import ScheduledRequest


@pytest.fixture
def due_request(tee: TeeSimulator, db: Any) -> Callable[..., ScheduledRequest]:
    """A stored withdrawal, sealed for the simulator, due now (or ``due_in`` seconds from now)."""

    def make(*, due_in: float = 0, max_relayer_fee: int = 10**18, **sealed: Any) -> ScheduledRequest:
        relay_after = timezone.now() + timedelta(seconds=due_in)
        envelope = sealed_withdrawal(
            tee.public_key_der,
            relay_after=int(relay_after.timestamp()),
            max_relayer_fee=max_relayer_fee,
            **sealed,
        )
        request = ScheduledRequest(
            last_note_index="12345",
            max_relayer_fee=str(max_relayer_fee),
            relay_after=relay_after,
            due_at=relay_after,
        )
        request.set_payload(envelope.to_payload())
        request.save()
        return request

    return make
