"""Every metric the alert rules and the Grafana dashboard query is one the service exports:
the names read from docker/observability against the /metrics pages of a real web server
and a real metrics exporter."""

import httpx
from django.utils import timezone

from scheduler_project.core.services import record_sweep
from scheduler_project.testing.servers import free_port
from tests.observability import dashboard_expressions, exported_names, metric_names, rule_expressions

# Series Prometheus writes itself for each scrape.
PROMETHEUS_OWN = {"up"}


def test_every_metric_the_alerts_and_the_dashboard_query_is_on_the_services_metrics_pages(processes):
    record_sweep("sweep_timers", 0, now=timezone.now())  # beat's age is shown once beat has run
    web, exporter = free_port(), free_port()
    processes.web(web)
    # Without PROMETHEUS_MULTIPROC_DIR the exporter serves its own registry, which lists every
    # worker metric the service defines, those no worker has counted yet included (a
    # multiprocess page only shows what some process wrote).
    processes.manage("serve_metrics", "--port", str(exporter), "--address", "127.0.0.1", ready="metrics on")
    exported = set()
    for port in (web, exporter):
        page = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=30)
        assert page.status_code == 200
        exported |= exported_names(page.text)

    in_rules = {name for expression in rule_expressions() for name in metric_names(expression)}
    in_dashboard = {name for expression in dashboard_expressions() for name in metric_names(expression)}

    assert {"scheduler_beat_last_sweep_age_seconds", "scheduler_tee_state"} <= in_rules
    assert in_rules - exported - PROMETHEUS_OWN == set()
    assert in_dashboard - exported - PROMETHEUS_OWN == set()
