"""The bench's plots, from the per-timer files each scenario leaves (``lateness-*.txt``:
``<key> <due> <arrived>`` a line): the lateness CDF of every system at each rate, and the
arrivals of each system's burst over the seconds after the due time."""

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def _read(path: Path) -> list[tuple[float, float]]:
    rows = []
    for line in path.read_text().splitlines():
        _, due, arrived = line.split()
        rows.append((float(due), float(arrived)))
    return rows


def _label(path: Path) -> str:
    return path.stem.removeprefix("lateness-")


def draw(logs: Path, out: Path, *, since: float) -> list[Path]:
    """Plots from the files this run wrote (since ``since``); returns the PNGs made."""
    fresh = [p for p in sorted(logs.glob("lateness-*.txt")) if p.stat().st_mtime >= since]
    made = []
    by_rate: dict[str, list[Path]] = {}
    bursts = []
    for path in fresh:
        found = re.search(r"-at-(\d+)-s$", path.stem)
        if found:
            by_rate.setdefault(found.group(1), []).append(path)
        elif "burst" in path.stem:
            bursts.append(path)
    for rate, paths in by_rate.items():
        figure, axes = plt.subplots(figsize=(7, 4))
        for path in paths:
            late = sorted(max(0.0, arrived - due) * 1000 for due, arrived in _read(path))
            if late:
                axes.plot(late, [(n + 1) / len(late) for n in range(len(late))], label=_label(path))
        axes.set_xscale("log")
        axes.set_xlabel("lateness of the callback (ms, log scale)")
        axes.set_ylabel("fraction of timers")
        axes.set_title(f"Firing lateness at {rate} timers/s")
        axes.legend()
        axes.grid(True, which="both", alpha=0.3)
        made.append(out / f"lateness-cdf-{rate}.png")
        figure.savefig(made[-1], dpi=100, bbox_inches="tight")
        plt.close(figure)
    if bursts:
        figure, axes = plt.subplots(figsize=(7, 4))
        for path in bursts:
            rows = _read(path)
            moment = min(due for due, _ in rows)
            after = sorted(arrived - moment for _, arrived in rows)
            axes.plot(after, range(1, len(after) + 1), label=_label(path))
        axes.set_xlabel("seconds after the due time")
        axes.set_ylabel("callbacks arrived")
        axes.set_title("A burst: every timer due in the same second")
        axes.legend()
        axes.grid(True, alpha=0.3)
        made.append(out / "burst-arrivals.png")
        figure.savefig(made[-1], dpi=100, bbox_inches="tight")
        plt.close(figure)
    return made
