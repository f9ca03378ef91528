"""Where the service's processes spend their CPU during a scenario's measured window:
``py-spy`` samples each running process (``--profile``) while a thread of it holds the
GIL, and each sample's innermost frame is counted for its package. The raw stacks are kept
under ``bench/results/profiles/`` (``py-spy``'s collapsed format, which flame graph tools
and speedscope read)."""

import os
import re
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.control import ROOT, RUNNING

PROFILES = ROOT / "bench" / "results" / "profiles"
RATE = 97  # samples a second: off the round numbers the service's own timers tick at
TOP = 8
# A frame as py-spy's raw format writes it: "function (path:line)".
FRAME = re.compile(r"^(?P<function>.*) \((?P<path>[^():]*)(?::\d+)?\)$")
OWN = ("scheduler_project", "timers", "withdrawals", "tee", "bench")


def wanted() -> bool:
    return os.environ.get("BENCH_PROFILE") == "1"


@contextmanager
def sampled(label: str) -> Iterator[dict[str, Any]]:
    """Sample every running bench process while the block runs (only with ``--profile``);
    the dict given fills with each process's shares by package once the block ends."""
    summary: dict[str, Any] = {}
    if not wanted():
        yield summary
        return
    PROFILES.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    py_spy = str(Path(sys.executable).parent / "py-spy")
    samplers = {}
    for name, proc in RUNNING.items():
        output = PROFILES / f"{slug}-{name}.txt"
        samplers[name] = (output, subprocess.Popen(
            [py_spy, "record", "--pid", str(proc.pid), "--subprocesses", "--nonblocking", "--gil",
             "--full-filenames", "--rate", str(RATE), "--format", "raw", "--output", str(output)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))  # fmt: skip
    try:
        yield summary
    finally:
        for _, sampler in samplers.values():
            sampler.send_signal(signal.SIGINT)  # py-spy writes its file on an interrupt
        for name, (output, sampler) in samplers.items():
            sampler.wait(timeout=60)
            if output.exists():
                summary[name] = shares(output.read_text())


def shares(collapsed: str) -> dict[str, Any]:
    """Per cent of a process's samples by the package of their innermost frame (this
    service's own code by its app), and the functions with the most samples."""
    packages: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        leaf = FRAME.match(stack.rpartition(";")[2])
        if leaf is None:
            continue
        packages[package_of(leaf["path"])] += int(count)
        functions[f"{leaf['function']} ({Path(leaf['path']).name})"] += int(count)
    total = sum(packages.values()) or 1
    return {
        "samples": total,
        "by_package": {name: round(100 * n / total, 1) for name, n in packages.most_common(TOP)},
        "top_functions": {name: round(100 * n / total, 1) for name, n in functions.most_common(TOP)},
    }


def package_of(path: str) -> str:
    parts = Path(path).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    for own in OWN:
        if own in parts:
            at = parts.index(own)
            return "/".join(parts[at : at + 2]) if own == "scheduler_project" else own
    return "python" if "lib" in parts else Path(path).stem or "native"
