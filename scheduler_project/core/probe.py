"""Health of a dependency (the TEE, the relayer, the broker), without ever waiting on it.

A check runs in the background at most every ``PROBE_EVERY_SECS``, bounded by its own
timeout; a health request reads the last result. Only the very first request of a
process waits for the first check, and briefly. So a hung dependency never slows the
probes a load balancer sends, and never the database's answer.
"""

import math
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.signals import setting_changed

PROBE_EVERY_SECS = 2.0
FIRST_WAIT_MAX_SECS = 0.5


class Probe:
    def __init__(self, check: Callable[[], str], first_wait: float = FIRST_WAIT_MAX_SECS) -> None:
        self.check = check
        self.first_wait = first_wait
        self._lock = threading.Lock()
        self._state: str | None = None
        self._checked_at = -math.inf  # monotonic time the last check ended
        self._running = False
        self._answered = threading.Event()

    def state(self) -> str:
        """The last known state, or ``unknown`` before the first check has ended."""
        with self._lock:
            if not self._running and time.monotonic() - self._checked_at >= PROBE_EVERY_SECS:
                self._running = True
                threading.Thread(target=self._probe, name="health-probe", daemon=True).start()
        if self._state is None:
            self._answered.wait(self.first_wait)
        return self._state or "unknown"

    def _probe(self) -> None:
        try:
            state = self.check()
        finally:
            with self._lock:
                self._running = False
                self._checked_at = time.monotonic()
        self._state = state
        self._answered.set()


_probes: dict[str, tuple[int, Probe]] = {}


def probe_state(name: str, check: Callable[[], str], *, first_wait: float = FIRST_WAIT_MAX_SECS) -> str:
    """The state of dependency ``name`` for this process's health checks."""
    found = _probes.get(name)
    if found is None or found[0] != os.getpid():
        found = _probes[name] = (os.getpid(), Probe(check, first_wait))
    return found[1].state()


def forget(prefix: str) -> None:
    """Start over the probes whose names start with ``prefix`` (their settings changed)."""
    for name in [n for n in _probes if n.startswith(prefix)]:
        del _probes[name]


# A probe starts over when the settings it reads change (tests, mostly).
PROBED_SETTINGS = {"TEE_": "tee", "RELAYER_": "relayer", "CELERY_BROKER": "broker"}


def _forget_on_setting(*, setting: str, **kwargs: Any) -> None:
    for prefix, name in PROBED_SETTINGS.items():
        if setting.startswith(prefix):
            forget(name)


setting_changed.connect(_forget_on_setting, dispatch_uid="core.probe.forget_on_setting")
