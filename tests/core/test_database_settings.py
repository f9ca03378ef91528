"""PostgreSQL prepares the statements every delivery repeats, unless turned off."""

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from scheduler_project.core import scheduling
from tests.factories import TimerFactory
from timers.models import Timer


@pytest.mark.django_db(transaction=True)
def test_the_claim_is_prepared_after_a_few_runs() -> None:
    timers = TimerFactory.create_batch(7, execute_at=timezone.now() - timedelta(seconds=1))
    for timer in timers:
        assert scheduling.start_attempt(
            Timer, pk=timer.pk, token=timer.dispatch_token, run_lease=timedelta(seconds=30)
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(statement.startswith('UPDATE "timers_timer" SET "status"') for statement in prepared)


def _prepare_threshold(value: str | None) -> object:
    env = {k: v for k, v in os.environ.items() if k != "DB_PREPARE_THRESHOLD"}
    env["DJANGO_SETTINGS_MODULE"] = "scheduler_project.settings"
    if value is not None:
        env["DB_PREPARE_THRESHOLD"] = value
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_preparing_is_on_by_default_and_zero_turns_it_off() -> None:
    assert _prepare_threshold(None) == 5
    assert _prepare_threshold("0") is None  # e.g. behind PgBouncer in transaction mode
