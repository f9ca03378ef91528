"""docker/observability: Prometheus's own checks of the alert rules and the config, the
rules' unit tests, and the Grafana files fitting together. The metric names they query are
compared with the service's /metrics pages in tests/e2e/test_observability.py."""

import json
import shutil
import subprocess

import pytest
import yaml

from tests.observability import DASHBOARDS, OBSERVABILITY, RULES, dashboard_expressions, metric_names

COMPOSE = OBSERVABILITY.parent / "compose.yml"


def promtool(*args: str) -> str:
    tool = shutil.which("promtool")
    assert tool, "promtool is missing: make test installs Debian's prometheus package"
    done = subprocess.run([tool, *args], cwd=OBSERVABILITY, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_promtool_accepts_the_alert_rules():
    assert "SUCCESS" in promtool("check", "rules", RULES.name)


def test_promtool_accepts_the_prometheus_config_with_its_rules():
    assert "SUCCESS: 1 rule files found" in promtool("check", "config", "prometheus.yml")


def test_the_alert_rules_fire_as_their_unit_tests_expect():
    assert "SUCCESS" in promtool("test", "rules", "alerts_test.yml")


@pytest.mark.parametrize(
    ("expression", "names"),
    [
        ('histogram_quantile(0.9, sum by (le) (rate(a_bucket{le!="1"}[$__interval]))) > 2', {"a_bucket"}),
        ('up{job="scheduler"} == 0 and on (instance) max_over_time(b[10m:1m])', {"up", "b"}),
        ('count({__name__="c"}) + count({__name__=~"ignored.*"}) - topk(3, d offset 5m)', {"c", "d"}),
    ],
)
def test_metric_names_are_read_from_selectors_not_functions_labels_or_keywords(expression, names):
    assert metric_names(expression) == names


def test_the_dashboards_use_the_provisioned_data_source_and_compose_mounts_every_file():
    source = yaml.safe_load((OBSERVABILITY / "grafana/provisioning/datasources/prometheus.yml").read_text())
    uids = {s["uid"] for s in source["datasources"]}
    for path in DASHBOARDS.glob("*.json"):
        for panel in json.loads(path.read_text())["panels"]:
            assert panel.get("datasource", {"uid": next(iter(uids))})["uid"] in uids, panel["title"]
    assert dashboard_expressions()

    services = yaml.safe_load(COMPOSE.read_text())["services"]
    for name in ("prometheus", "grafana"):
        assert services[name]["profiles"] == ["observability"]
        image, tag = services[name]["image"].rsplit(":", 1)
        assert tag not in ("", "latest"), image
        for volume in services[name]["volumes"]:
            source_path = volume.split(":")[0]
            if source_path.startswith("."):
                assert (COMPOSE.parent / source_path).exists(), volume
