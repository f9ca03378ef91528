"""make run's process wrapper (scheduler_project/supervise.py) with real processes."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from scheduler_project.testing.servers import eventually
from tests.conftest import ROOT

# A process that will not stop when asked: it ignores SIGTERM, as a worker whose warm
# shutdown hangs does, and says its pid once it is ready.
STUBBORN = (
    "import os, signal, sys, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "open(sys.argv[1], 'w').write(str(os.getpid()))\n"
    "time.sleep(600)\n"
)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (ended, not yet reaped by its new parent) counts as gone.
    return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"


def test_a_killed_wrapper_takes_a_process_that_ignores_sigterm_with_it(tmp_path):
    pid_file = tmp_path / "pid"
    wrapper = subprocess.Popen(
        [sys.executable, str(ROOT / "scheduler_project" / "supervise.py"), "stubborn", "--",
         sys.executable, "-c", STUBBORN, str(pid_file)],
    )  # fmt: skip
    try:
        child = eventually(lambda: pid_file.exists() and pid_file.read_text() and int(pid_file.read_text()))
        wrapper.send_signal(signal.SIGTERM)  # passed on, and ignored
        assert alive(child)
        wrapper.kill()  # as honcho does once its grace has passed
        wrapper.wait(10)
        eventually(lambda: not alive(child), timeout=10)
    finally:
        if wrapper.poll() is None:
            wrapper.kill()
