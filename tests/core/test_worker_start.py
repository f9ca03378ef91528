"""What a worker does at start: Django's system checks are left to ``manage.py migrate``."""

import subprocess
import sys

from tests.conftest import ROOT

CHECK = """
import sys
from scheduler_project.celery import app
from celery.fixups.django import DjangoWorkerFixup
DjangoWorkerFixup(app).validate_models()
print("scheduler_project.urls" in sys.modules)
"""


def test_a_worker_start_runs_no_system_checks_unless_asked(tmp_path):
    """Celery's Django fixup runs the checks (which import every view) unless
    CELERY_SKIP_CHECKS is set; the app sets it, and the environment can unset it."""

    def urls_loaded(env: dict[str, str]) -> bool:
        answer = subprocess.run(
            [sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert answer.returncode == 0, answer.stderr
        return answer.stdout.strip().splitlines()[-1] == "True"

    base = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "", "VAR_DIR": str(tmp_path)}
    assert not urls_loaded(base)
    assert urls_loaded({**base, "CELERY_SKIP_CHECKS": ""})
