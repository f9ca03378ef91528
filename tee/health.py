"""What ``/health`` says of the TEE, from a background ping (``core.probe``)."""

from django.conf import settings

from scheduler_project.core.probe import FIRST_WAIT_MAX_SECS, probe_state
from tee.client import TeeClient
from tee.errors import PoolExhausted, TeeError, TeeTimeout


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


def tee_state() -> str:
    """The TEE's state for this process's health checks."""
    wait = min(settings.TEE_HEALTH_TIMEOUT_SECS + 0.1, FIRST_WAIT_MAX_SECS)
    return probe_state("tee", ping_state, first_wait=wait)
