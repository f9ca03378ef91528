"""Fixtures of the timers app's tests."""

from typing import Any

import pytest

from timers.services import delivery


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The dispatches the code under test sends, recorded instead of sent (the Celery send
    itself is tested end to end)."""
    calls: list[Any] = []
    monkeypatch.setattr(delivery, "send_delivery", lambda claimed: calls.append(claimed) or True)
    return calls
