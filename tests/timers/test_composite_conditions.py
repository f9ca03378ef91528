"""Composite conditions, POST sources and hex values, against a real loopback JSON-RPC node:
created through the API, evaluated by the batched evaluation."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.timers.rpc_source import RpcSource, balance_of_data
from timers import services
from timers.models import Job, Timer

T0 = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
WALLET = "0x" + "ab" * 20
TOKEN = "0x" + "cd" * 20
HOLDER = "0x" + "12" * 20
ETHER = 10**18
NOWHERE = "http://127.0.0.1:9/"


@pytest.fixture
def node() -> Iterator[RpcSource]:
    with RpcSource() as running:
        yield running


def balance_clause(url: str, **overrides: Any) -> dict[str, Any]:
    clause = {
        "source_url": url,
        "source_method": "POST",
        "source_body": {"jsonrpc": "2.0", "id": 1, "method": "eth_getBalance", "params": [WALLET, "latest"]},
        "value_pointer": "/result",
        "value_format": "hex",
        "operator": ">=",
        "target": ETHER,
    }
    return {**clause, **overrides}


def token_clause(url: str, **overrides: Any) -> dict[str, Any]:
    call = {"to": TOKEN, "data": balance_of_data(HOLDER)}
    clause = {
        "source_url": url,
        "source_method": "POST",
        "source_body": {"jsonrpc": "2.0", "id": 1, "method": "eth_call", "params": [call, "latest"]},
        "value_pointer": "/result",
        "value_format": "hex",
        "operator": ">",
        "target": 100,
    }
    return {**clause, **overrides}


def composite(conditions: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body = {
        "schedule_type": "condition",
        "conditions": conditions,
        "poll_interval_secs": 1,
        "callback_url": "https://api.example.com/alert",
    }
    return {**body, **overrides}


def create(api: APIClient, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/jobs", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["data"]


def evaluate_each_second(node: RpcSource, time_machine, states: list[tuple[int, int]]) -> None:
    """One evaluation a second, the wallet's balance and the holder's tokens set before each."""
    for second, (balance, tokens) in enumerate(states):
        node.balances[WALLET] = balance
        node.tokens[(TOKEN, HOLDER)] = tokens
        time_machine.move_to(T0 + timedelta(seconds=second), tick=False)
        assert services.evaluate_due_conditions() == 1


def fired_at(job: dict[str, Any]) -> list[int]:
    tasks = Timer.objects.filter(job_id=job["id"]).order_by("scheduled_for")
    return [int((task.scheduled_for - T0).total_seconds()) for task in tasks]


def test_an_all_job_fires_once_on_each_edge_of_the_whole_expression(api, node, sent, time_machine):
    time_machine.move_to(T0, tick=False)
    job = create(api, composite({"all": [balance_clause(node.url()), token_clause(node.url())]}))

    evaluate_each_second(
        node,
        time_machine,
        [(2 * ETHER, 50), (2 * ETHER, 150), (3 * ETHER, 200), (ETHER - 1, 200), (ETHER, 101)],
    )

    assert fired_at(job) == [1, 4]
    detail = api.get(f"/jobs/{job['id']}").json()["data"]
    assert detail["condition_state"] == "true"
    assert detail["last_value"] == [hex(ETHER), "0x" + format(101, "064x")]  # clause order, as read
    assert detail["conditions"]["all"][0]["source_url"] == node.url()
    assert "source_url" not in detail and "operator" not in detail


def test_an_any_job_fires_when_one_clause_turns_true_and_not_again_while_one_holds(
    api, node, sent, time_machine
):
    time_machine.move_to(T0, tick=False)
    nested = {
        "any": [balance_clause(node.url()), {"all": [token_clause(node.url()), token_clause(node.url())]}]
    }
    job = create(api, composite(nested))

    evaluate_each_second(node, time_machine, [(0, 0), (0, 500), (2 * ETHER, 500), (2 * ETHER, 0), (0, 0)])

    assert fired_at(job) == [1]
    assert Job.objects.get(pk=job["id"]).condition_state == "false"


def test_identical_sources_are_fetched_once_per_evaluation_and_distinct_ones_side_by_side(
    api, sent, time_machine
):
    time_machine.move_to(T0, tick=False)
    with RpcSource(delay=0.5) as node:
        # Two clauses read the same balance (same method, URL, headers and body); one reads tokens.
        job = create(
            api,
            composite(
                {
                    "all": [
                        balance_clause(node.url(), operator=">", target=0),
                        balance_clause(node.url(), operator="<", target=10 * ETHER),
                        token_clause(node.url()),
                    ]
                }
            ),
        )
        evaluate_each_second(node, time_machine, [(ETHER, 150), (ETHER, 150)])

    assert (
        sorted(request.json()["method"] for request in node.requests)
        == ["eth_call", "eth_call"] + ["eth_getBalance"] * 2
    )
    assert node.most_in_flight == 2  # the two distinct sources of an evaluation were asked together
    assert fired_at(job) == [0]
    assert Job.objects.get(pk=job["id"]).last_value == [hex(ETHER), hex(ETHER), "0x" + format(150, "064x")]


def test_a_failing_clause_makes_no_edge_keeps_the_state_and_names_the_clause(api, node, sent, time_machine):
    time_machine.move_to(T0, tick=False)
    job = create(api, composite({"any": [balance_clause(node.url()), token_clause(node.url("/flaky"))]}))

    node.balances[WALLET] = 0
    services.evaluate_due_conditions()
    node.failing.add("/flaky")
    node.balances[WALLET] = 5 * ETHER  # the other clause alone would decide "any"
    time_machine.move_to(T0 + timedelta(seconds=1), tick=False)
    services.evaluate_due_conditions()

    stored = Job.objects.get(pk=job["id"])
    assert stored.condition_state == "false"
    assert stored.last_error == f"clause 2 ({node.url('/flaky')}): HTTP 503"
    assert stored.last_value == ["0x0", "0x" + "0" * 64]  # the last good reading stays
    assert fired_at(job) == []

    node.failing.clear()
    time_machine.move_to(T0 + timedelta(seconds=2), tick=False)
    services.evaluate_due_conditions()
    assert fired_at(job) == [2]
    assert Job.objects.get(pk=job["id"]).last_error == ""


def test_hex_values_compare_as_numbers_and_anything_else_is_unreadable(api, node, sent, time_machine):
    time_machine.move_to(T0, tick=False)
    # As text "0x9" > "0x10"; as numbers 9 < 16.
    body = {"schedule_type": "condition", "poll_interval_secs": 1, "callback_url": "https://a.example/",
            **balance_clause(node.url(), operator=">", target=9)}  # fmt: skip
    job = create(api, body)

    node.balances[WALLET] = 16
    services.evaluate_due_conditions()
    assert fired_at(job) == [0]
    detail = api.get(f"/jobs/{job['id']}").json()["data"]
    assert (detail["last_value"], detail["value_format"], detail["source_method"]) == ("0x10", "hex", "POST")

    text = create(api, {**body, "source_body": {"jsonrpc": "2.0", "id": 1, "method": "nothing", "params": []},
                        "value_pointer": "/error/message"})  # fmt: skip
    time_machine.move_to(T0 + timedelta(seconds=1), tick=False)
    services.evaluate_due_conditions()
    assert Job.objects.get(pk=text["id"]).last_error == "'no' is not a 0x hex quantity"
    assert fired_at(text) == []


def test_a_post_source_gets_its_body_as_json_with_its_headers(api, node, sent, time_machine):
    time_machine.move_to(T0, tick=False)
    clause = token_clause(node.url(), source_headers={"Authorization": "Bearer node-key"})
    create(api, composite({"all": [clause]}))

    services.evaluate_due_conditions()

    [request] = node.requests
    assert request.method == "POST"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Authorization"] == "Bearer node-key"
    assert request.json() == clause["source_body"]


def test_a_put_switches_between_one_source_and_a_composite(api, node):
    single = {"schedule_type": "condition", "poll_interval_secs": 1, "callback_url": "https://a.example/",
              **balance_clause(node.url())}  # fmt: skip
    job = create(api, single)

    switched = api.put(
        f"/jobs/{job['id']}", {"conditions": {"all": [token_clause(node.url())]}}, format="json"
    )
    assert switched.status_code == 200, switched.json()
    stored = Job.objects.get(pk=job["id"])
    assert (stored.source_url, stored.source_body, stored.operator, stored.target) == ("", None, "", None)
    assert "source_url" not in switched.json()["data"]

    back = api.put(f"/jobs/{job['id']}", {k: v for k, v in single.items() if k.startswith(("source", "value",
                   "operator", "target"))}, format="json")  # fmt: skip
    assert back.status_code == 200, back.json()
    assert Job.objects.get(pk=job["id"]).conditions is None
    assert "conditions" not in back.json()["data"] and back.json()["data"]["source_url"] == node.url()


def deep(levels: int) -> dict[str, Any]:
    expression: dict[str, Any] = balance_clause("http://127.0.0.1:9/")
    for _ in range(levels):
        expression = {"all": [expression]}
    return expression


@pytest.mark.parametrize(
    ("conditions", "extra", "field", "message"),
    [
        (deep(3), {}, "conditions", "/all/0/all/0: groups nest once at most"),
        ({"all": []}, {}, "conditions", "/all: must be a non-empty list"),
        ({"any": [balance_clause("http://127.0.0.1:9/", colour="red")]}, {}, "conditions",
         "/any/0/colour: unknown field"),
        ({"all": [balance_clause("http://127.0.0.1:9/")], "any": []}, {}, "conditions",
         "/: a group has one key, all or any, and nothing else"),
        ({"all": [balance_clause("http://127.0.0.1:9/")], "note": 1}, {}, "conditions",
         "/: a group has one key, all or any, and nothing else"),
        (balance_clause("http://127.0.0.1:9/"), {}, "conditions", 'must be {"all": [...]} or {"any": [...]}'),
        ({"all": [balance_clause("http://127.0.0.1:9/")] * 21}, {}, "conditions", "/all: at most 20 items"),
        ({"all": [{"any": [balance_clause("http://127.0.0.1:9/")] * 11}] * 2}, {}, "conditions",
         "at most 20 clauses in all, not 22"),
        ({"all": [balance_clause("http://127.0.0.1:9/", source_method="GET")]}, {}, "conditions",
         "/all/0/source_body: only with source_method POST"),
        ({"all": [balance_clause("http://127.0.0.1:9/", target="lots")]}, {}, "conditions",
         "/all/0/target: must be a number for >="),
        ({"all": [{k: v for k, v in balance_clause("").items() if k != "source_url"}]}, {}, "conditions",
         "/all/0/source_url: This field is required."),
        ({"all": [balance_clause(NOWHERE)]}, {"source_url": NOWHERE}, "source_url",
         "not with conditions: each clause has its own"),
        ({"all": [balance_clause("http://127.0.0.1:9/")]}, {"operator": ">"}, "operator",
         "not with conditions: each clause has its own"),
        ({"all": [balance_clause("http://127.0.0.1:9/")]}, {"poll_interval_secs": None}, "poll_interval_secs",
         "required when schedule_type is condition"),
    ],
)  # fmt: skip
def test_a_bad_composite_is_refused_with_where_and_nothing_is_stored(api, conditions, extra, field, message):
    body = {k: v for k, v in composite(conditions, **extra).items() if v is not None}
    response = api.post("/jobs", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == 2
    assert message in response.json()["data"]["errors"][field]
    assert Job.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"source_method": "GET"}, "source_body", "only with source_method POST"),
        ({"source_method": "PUT"}, "source_method", '"PUT" is not a valid choice.'),
        ({"value_format": "hex", "operator": "==", "target": "0x10"}, "target",
         "must be a number when value_format is hex"),
        ({"value_format": "base64"}, "value_format", '"base64" is not a valid choice.'),
    ],
)  # fmt: skip
def test_a_bad_single_post_source_is_refused(api, overrides, field, message):
    body = {"schedule_type": "condition", "poll_interval_secs": 1, "callback_url": "https://a.example/",
            **balance_clause("http://127.0.0.1:9/", **overrides)}  # fmt: skip
    response = api.post("/jobs", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["data"]["errors"][field] == [message]
    assert Job.objects.count() == 0
