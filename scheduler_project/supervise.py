"""Keeps one process of ``make run`` going (``python scheduler_project/supervise.py NAME -- CMD``).

honcho, which runs the Procfile, stops every process as soon as one ends. A worker that
crashes (``kill -9``, out of memory) would then take the whole service down with it.
Under this wrapper a process that ends without being asked to is started again after a
pause (1 s, doubling up to 30 s), with a line saying so; one that keeps crashing (5 times
within a minute) makes the wrapper give up with a clear message, and honcho then stops
the rest. SIGTERM and SIGINT are passed on to the process, once, and the wrapper ends
when it does, with its exit status.

The process runs in a session of its own, so that honcho's signal to the wrapper's group
reaches it only through the wrapper. Should the wrapper itself be killed (honcho's SIGKILL
once its grace has passed, or a supervisor's), the process is killed too: it has been
asked to stop already, and one whose shutdown hangs (a worker whose database is gone)
would otherwise run on, orphaned, for good.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections import deque

PAUSE_SECS, MAX_PAUSE_SECS = 1.0, 30.0
CRASHES, WITHIN_SECS = 5, 60.0
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the process outlives a killed wrapper


def _end_group(leader: int) -> None:
    """Stop what the ended process left behind in its process group (the web server's
    workers outlive a killed parent, and would keep its port), so it starts afresh."""
    try:
        os.killpg(leader, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # nothing left


def _describe(returncode: int) -> str:
    if returncode < 0:
        return f"was killed by {signal.Signals(-returncode).name}"
    return f"exited with status {returncode}"


def supervise(name: str, command: list[str]) -> int:
    stopping: list[int] = []
    child: subprocess.Popen[bytes] | None = None

    def forward(signum: int, _frame: object) -> None:
        if not stopping:
            stopping.append(signum)
            if child is not None and child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    crashes: deque[float] = deque(maxlen=CRASHES)
    pause = PAUSE_SECS
    while True:
        started = time.monotonic()
        # The command is the Procfile's own line.
        child = subprocess.Popen(command, start_new_session=True, preexec_fn=_die_with_parent)  # noqa: S603
        while True:
            try:
                returncode = child.wait()
                break
            except InterruptedError:
                continue
        _end_group(child.pid)
        if stopping:
            return returncode if returncode >= 0 else 128 - returncode
        crashes.append(time.monotonic())
        if len(crashes) == CRASHES and crashes[-1] - crashes[0] <= WITHIN_SECS:
            print(
                f"supervise: {name} {_describe(returncode)}, its {CRASHES}th crash within "
                f"{WITHIN_SECS:.0f} s; giving up, which stops the other processes too",
                file=sys.stderr,
                flush=True,
            )
            return 1
        if time.monotonic() - started > WITHIN_SECS:
            pause = PAUSE_SECS  # it had been running fine: no backoff carried over
        print(
            f"supervise: {name} (pid {child.pid}) {_describe(returncode)}; "
            f"starting it again in {pause:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        deadline = time.monotonic() + pause
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.1)
        if stopping:
            return 0
        pause = min(pause * 2, MAX_PAUSE_SECS)


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python scheduler_project/supervise.py NAME -- COMMAND [ARG...]", file=sys.stderr)
        return 2
    return supervise(argv[0], argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
