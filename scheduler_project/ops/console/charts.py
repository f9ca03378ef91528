"""Charts drawn on the server as SVG: a few series over evenly spaced points, as bars or
lines. No script and nothing to load: a page refreshed by htmx brings its charts along.

Coordinates are in a fixed viewBox (``WIDTH`` by ``HEIGHT``) that CSS scales to the
screen's width, so one drawing serves a phone and a laptop.
"""

from dataclasses import dataclass, field

WIDTH, HEIGHT = 600, 160
TOP, BOTTOM = 12, 18  # room for the top value and the axis labels
PALETTE = ["#2a6fdb", "#d9480f", "#2b8a3e", "#862e9c", "#e67700", "#0b7285"]


@dataclass
class Shape:
    name: str
    colour: str
    total: float
    bars: list[tuple[float, float, float, float, str]] = field(default_factory=list)  # x, y, w, h, title
    points: str = ""  # a polyline's "x,y x,y"
    dots: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, title: a lone point shows


@dataclass
class Chart:
    title: str
    unit: str
    top: float
    shapes: list[Shape]
    labels: list[tuple[float, str]]  # x, text
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return not any(shape.total for shape in self.shapes)


def _scale(values: list[list[float | None]]) -> float:
    found = [v for series in values for v in series if v is not None]
    return max(found, default=0.0) or 1.0


def _y(value: float, top: float) -> float:
    return round(HEIGHT - BOTTOM - value / top * (HEIGHT - BOTTOM - TOP), 1)


def bars(title: str, unit: str, series: dict[str, list[float]], labels: list[str]) -> Chart:
    """Series side by side at each point (``labels`` names the points, every tenth shown)."""
    count = len(labels)
    top = _scale(list(series.values()))  # type: ignore[arg-type]
    slot = WIDTH / max(count, 1)
    width = slot / max(len(series), 1)
    shapes = []
    for n, (name, values) in enumerate(series.items()):
        shape = Shape(name, PALETTE[n % len(PALETTE)], sum(values))
        for i, value in enumerate(values):
            if value:
                y = _y(value, top)
                tip = f"{labels[i]}: {value:.3g} {name}"
                shape.bars.append(
                    (round(i * slot + n * width, 1), y, round(width, 1), HEIGHT - BOTTOM - y, tip)
                )
        shapes.append(shape)
    return Chart(title, unit, top, shapes, _ticks(labels))


def lines(title: str, unit: str, series: dict[str, list[float | None]], labels: list[str]) -> Chart:
    """A line per series through its known points (None leaves a point out)."""
    top = _scale(list(series.values()))
    step = WIDTH / max(len(labels), 1)  # each point in the middle of its slot, as a bar is
    shapes = []
    for n, (name, values) in enumerate(series.items()):
        known = [(i, v) for i, v in enumerate(values) if v is not None]
        dots = [
            (round((i + 0.5) * step, 1), _y(v, top), f"{labels[i]}: {v:.3g} {unit} {name}") for i, v in known
        ]
        points = " ".join(f"{x},{y}" for x, y, _ in dots)
        shapes.append(
            Shape(name, PALETTE[n % len(PALETTE)], sum(v for _, v in known), points=points, dots=dots)
        )
    return Chart(title, unit, top, shapes, _ticks(labels))


def _ticks(labels: list[str]) -> list[tuple[float, str]]:
    slot = WIDTH / max(len(labels), 1)
    every = max(1, len(labels) // 6)
    return [(round(i * slot, 1), text) for i, text in enumerate(labels) if i % every == 0]
