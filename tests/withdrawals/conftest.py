"""Withdrawal fixtures: the TEE simulator and the relayer simulator, both real, on loopback."""

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tee.attestation import TRUST_ANCHOR_FILE
from tee.simulator import TeeSimulator
from tests.factories import sealed_withdrawal
from withdrawals import clients
from withdrawals.models import ScheduledRequest
from withdrawals.relayer_simulator import RelayerSimulator


@pytest.fixture
def tee(tmp_path: Path, settings: Any) -> Iterator[TeeSimulator]:
    key_dir = tmp_path / "tee"
    with TeeSimulator(key_dir=key_dir) as running:
        settings.TEE_HOST = running.host
        settings.TEE_PORT = running.port
        settings.TEE_KEY_DIR = key_dir
        settings.TEE_TRUST_ANCHOR = key_dir / TRUST_ANCHOR_FILE
        yield running


@pytest.fixture
def relayer(settings: Any) -> Iterator[RelayerSimulator]:
    with RelayerSimulator() as running:
        settings.RELAYER_URL = running.url
        clients.forget_cached()
        yield running


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
