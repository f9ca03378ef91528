"""TEE fixtures: a real simulator on a loopback port, pools connected to it, sealed withdrawals."""

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tee.attestation import TRUST_ANCHOR_FILE
from tee.client import TeeClient
from tee.pool import TeePool
from tee.simulator import TeeSimulator

RELAY: dict[str, Any] = {
    "relayer_fee": 10**15,
    "relayer_address": "0x" + "cd" * 20,
    "merkle_path": [[f"0x{level:02x}{slot:02x}" for slot in range(7)] for level in range(13)],
    "merkle_root": "0x" + "ef" * 32,
}


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    return tmp_path / "tee-keys"


@pytest.fixture
def simulator(key_dir: Path) -> Iterator[TeeSimulator]:
    with TeeSimulator(key_dir=key_dir) as running:
        yield running


@pytest.fixture
def make_pool(simulator: TeeSimulator) -> Iterator[Callable[..., TeePool]]:
    """Pools to the simulator (its current port, so a restart is followed); all closed afterwards."""
    pools: list[TeePool] = []

    def make(*, capacity: int = 4, acquire_timeout: float = 10.0, compute_timeout: float = 10.0) -> TeePool:
        pool = TeePool(
            lambda: socket.create_connection((simulator.host, simulator.port), timeout=5),
            capacity=capacity,
            acquire_timeout=acquire_timeout,
            compute_timeout=compute_timeout,
        )
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close()


@pytest.fixture
def trust_anchor(settings: Any, simulator: TeeSimulator, key_dir: Path) -> Path:
    settings.TEE_TRUST_ANCHOR = key_dir / TRUST_ANCHOR_FILE
    return settings.TEE_TRUST_ANCHOR


@pytest.fixture
def client(make_pool: Callable[..., TeePool], trust_anchor: Path) -> TeeClient:
    return TeeClient(make_pool())
