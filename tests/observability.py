"""What the files in docker/observability query, and what the service's /metrics pages
offer, as sets of metric names (tests/test_observability.py, tests/e2e/test_observability.py)."""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import promql_parser
import yaml
from prometheus_client.parser import text_string_to_metric_families

OBSERVABILITY = Path(__file__).resolve().parent.parent / "docker" / "observability"
RULES = OBSERVABILITY / "alerts.yml"
DASHBOARDS = OBSERVABILITY / "grafana" / "dashboards"

# The names a family of each type shows on a page (prometheus_client drops a counter's
# _total from the family's name); a family with no sample yet still has its TYPE line.
SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "summary": ("", "_sum", "_count", "_created"),
    "gauge": ("",),
}
# Grafana's variables ($__rate_interval, ${var}) stand for a range; the parser needs one.
GRAFANA_VARIABLE = re.compile(r"\$\{?\w+\}?")


def rule_expressions() -> list[str]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule["expr"] for group in groups for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    found = []
    for path in sorted(DASHBOARDS.glob("*.json")):
        for panel in _panels(json.loads(path.read_text())["panels"]):
            found.extend(target["expr"] for target in panel.get("targets", []))
    return found


def _panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))  # a collapsed row holds its panels


def metric_names(expression: str) -> set[str]:
    """The metric names an expression selects (functions, labels and keywords are not)."""
    return set(_selected(promql_parser.parse(GRAFANA_VARIABLE.sub("5m", expression))))


def _selected(node: Any) -> Iterator[str]:
    if isinstance(node, promql_parser.VectorSelector):
        if node.name:
            yield node.name
        for matcher in node.matchers.matchers:
            if matcher.name == "__name__" and matcher.op == promql_parser.MatchOp.Equal:
                yield matcher.value
    elif isinstance(node, promql_parser.MatrixSelector):
        yield from _selected(node.vector_selector)
    elif isinstance(node, promql_parser.BinaryExpr):
        yield from _selected(node.lhs)
        yield from _selected(node.rhs)
    elif isinstance(node, promql_parser.Call):
        for arg in node.args:
            yield from _selected(arg)
    elif isinstance(node, promql_parser.AggregateExpr):
        yield from _selected(node.expr)
        if node.param is not None:
            yield from _selected(node.param)
    elif isinstance(node, promql_parser.ParenExpr | promql_parser.UnaryExpr | promql_parser.SubqueryExpr):
        yield from _selected(node.expr)


def exported_names(page: str) -> set[str]:
    """Every series name a /metrics page offers, or will once its family has samples."""
    names = set()
    for family in text_string_to_metric_families(page):
        names.update(family.name + suffix for suffix in SUFFIXES.get(family.type, ("",)))
        names.update(sample.name for sample in family.samples)
    return names
