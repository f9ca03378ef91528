"""The TEE's state as the metrics exporter serves it."""

import socket
from typing import Any

from scheduler_project.testing.servers import eventually
from tee.metrics import TeeStateCollector


def states() -> dict[str, float]:
    return {s.labels["state"]: s.value for m in TeeStateCollector().collect() for s in m.samples}


def test_the_tee_state_gauge_says_connected_while_the_tee_answers(simulator: Any, settings: Any) -> None:
    settings.TEE_HOST, settings.TEE_PORT = simulator.host, simulator.port

    assert eventually(lambda: states()["connected"] == 1)
    assert states() == {"connected": 1, "unresponsive": 0, "unreachable": 0, "unknown": 0}


def test_the_tee_state_gauge_says_unresponsive_while_the_tee_hangs(settings: Any) -> None:
    with socket.socket() as hung:  # connections complete in its backlog; nothing ever answers
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        settings.TEE_PORT = hung.getsockname()[1]
        settings.TEE_COMPUTE_TIMEOUT_SECS = 600
        settings.TEE_HEALTH_TIMEOUT_SECS = 0.2

        assert eventually(lambda: states()["unresponsive"] == 1)
    assert sum(states().values()) == 1
