"""Receivers of core's signals (``scheduler_project.core.signals``), connected in
``TimersConfig.ready``: core tells, timers acts, and core never imports timers."""

from typing import Any

from timers import services


def forget_signing_secrets(**_: Any) -> None:
    """A tenant's signing secret was rotated: sign the next callbacks with the new one."""
    services.forget_signing_secrets()
