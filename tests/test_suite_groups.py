"""make test runs the suite on several pytest workers with ``--dist loadgroup``: the tests of
one ``xdist_group`` run on one worker, one after another (the whole-stack tests, which each
start servers and processes of their own, and the modules that share one started stack)."""

import os
import subprocess
import sys
from pathlib import Path

GROUPED = """
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("together")


@pytest.mark.parametrize("n", range(8))
def test_in_the_group(n):
    with Path(os.environ["RAN_ON"]).open("a") as ran_on:
        ran_on.write(f"{os.getpid()}\\n")
"""


def test_the_tests_of_one_group_run_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    ran_on = tmp_path / "ran-on"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-q", "-p", "no:cacheprovider",
         "-p", "no:django", "--rootdir", str(tmp_path), "-c", "/dev/null", str(tmp_path)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env={**os.environ, "RAN_ON": str(ran_on)},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    workers = ran_on.read_text().split()
    assert len(workers) == 8 and len(set(workers)) == 1, workers
