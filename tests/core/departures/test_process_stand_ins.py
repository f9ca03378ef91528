"""Upgrade tests of the process-level stand-ins: honcho still does not restart a process that
ends (docs/decisions/0010-supervise-under-honcho.md); granian still takes the options
``scheduler_project.serve`` passes (docs/decisions/0011-serve-granian.md); python-dotenv's
``run --no-override`` still lets the environment win, an empty variable included
(docs/decisions/0012-env-loader.md)."""

import os
import subprocess
import sys
import time
from pathlib import Path

from scheduler_project import serve

BIN = Path(sys.executable).parent


def test_honcho_stops_everything_when_one_process_ends_instead_of_restarting_it(tmp_path):
    """docs/decisions/0010-supervise-under-honcho.md: the gap ``supervise.py`` fills. A
    process that crashes is not started again: honcho stops the others and ends."""
    (tmp_path / "Procfile").write_text("crash: sh -c 'echo started >> starts; exit 3'\nstay: sleep 60\n")
    started = time.monotonic()
    ended = subprocess.run(
        [BIN / "honcho", "-f", "Procfile", "-e", "/dev/null", "start"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert time.monotonic() - started < 30  # did not wait for `stay`
    assert ended.returncode != 0
    assert (tmp_path / "starts").read_text().splitlines() == ["started"]  # once


def test_granian_still_takes_the_options_serve_passes():
    """docs/decisions/0011-serve-granian.md: every option of ``serve.command()`` is still one
    of granian's."""
    help_text = subprocess.run(
        [sys.executable, "-m", "granian", "--help"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    options = [part for part in serve.command() if part.startswith("--")]
    assert options
    for option in options:
        assert option in help_text, option


def test_dotenv_run_no_override_lets_the_environment_win_an_empty_variable_included(tmp_path):
    """docs/decisions/0012-env-loader.md: python-dotenv's CLI, stock: what the environment
    sets wins, and a variable set empty in the environment counts as set (the one difference
    from the settings' readers, where empty means unset)."""
    (tmp_path / ".env").write_text("FROM_FILE=file\nSET_IN_ENV=file\nEMPTY_IN_ENV=file\n")
    env = {**os.environ, "SET_IN_ENV": "env", "EMPTY_IN_ENV": ""}
    env.pop("FROM_FILE", None)
    script = (
        "import os; print(repr([os.environ.get(n) for n in ('FROM_FILE', 'SET_IN_ENV', 'EMPTY_IN_ENV')]))"
    )
    out = subprocess.run(
        [BIN / "dotenv", "-f", tmp_path / ".env", "run", "--no-override", sys.executable, "-c", script],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert out.strip() == repr(["file", "env", ""])
