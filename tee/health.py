"""What ``/health`` says of the TEE, without ever waiting on it.

A ping runs in the background at most every ``PROBE_EVERY_SECS``, bounded by
``TEE_HEALTH_TIMEOUT_SECS``; a health check reads the last result. Only the very
first check of a process waits for the first ping, and briefly. So a hung TEE
never slows the probes a load balancer sends, and never the database's answer.
"""

import math
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

from tee.client import TeeClient
from tee.errors import PoolExhausted, TeeError, TeeTimeout

PROBE_EVERY_SECS = 2.0
FIRST_WAIT_MAX_SECS = 0.5


def ping_state() -> str:
    """Whether the TEE answers a ping through the pool within ``TEE_HEALTH_TIMEOUT_SECS``:
    ``connected``, ``unresponsive`` (hung, or every connection busy) or ``unreachable``."""
    try:
        TeeClient().ping(timeout=settings.TEE_HEALTH_TIMEOUT_SECS)
    except (TeeTimeout, PoolExhausted):
        return "unresponsive"
    except TeeError:
        return "unreachable"
    return "connected"


class TeeProbe:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: str | None = None
        self._checked_at = -math.inf
        self._running = False
        self._answered = threading.Event()

    def state(self) -> str:
        """The TEE's last known state, or ``unknown`` before its first ping has ended."""
        with self._lock:
            if not self._running and time.monotonic() - self._checked_at >= PROBE_EVERY_SECS:
                self._running = True
                threading.Thread(target=self._probe, name="tee-health", daemon=True).start()
        if self._state is None:
            self._answered.wait(min(settings.TEE_HEALTH_TIMEOUT_SECS + 0.1, FIRST_WAIT_MAX_SECS))
        return self._state or "unknown"

    def _probe(self) -> None:
        try:
            state = ping_state()
        finally:
            with self._lock:
                self._running = False
                self._checked_at = time.monotonic()
        self._state = state
        self._answered.set()


_probe: tuple[int, TeeProbe] | None = None


def tee_state() -> str:
    """The TEE's state for this process's health checks."""
    global _probe
    if _probe is None or _probe[0] != os.getpid():
        _probe = (os.getpid(), TeeProbe())
    return _probe[1].state()


def _forget_on_tee_setting(*, setting: str, **kwargs: Any) -> None:
    global _probe
    if setting.startswith("TEE_"):
        _probe = None


setting_changed.connect(_forget_on_tee_setting, dispatch_uid="tee.health.forget_on_tee_setting")
