"""Each schedule type its own shape: what a job of each type takes, refuses and answers."""

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema_rs
import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from timers.models import ChainEndpoint, Job, TimerStatus
from timers.services.jobs import create_task

T0 = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
ADDRESS = "0x" + "Ab" * 20
TOPIC = "0x" + "Ef" * 32
COMMON = {
    "id", "name", "status", "schedule_type", "callback_url", "callback_headers", "callback_payload",
    "max_attempts", "metadata", "run_count", "manual_runs", "max_runs", "next_run_at", "last_run_at",
    "created_at", "updated_at",
}  # fmt: skip
TIME = {
    "timezone",
    "start_at",
    "end_at",
    "misfire_policy",
    "misfire_grace_secs",
    "overlap_policy",
    "skipped_runs",
}
CONDITION = {
    "source_url", "source_method", "source_body", "source_headers", "source_timeout_secs", "value_pointer",
    "value_format", "operator", "target", "poll_interval_secs", "for_secs", "cooldown_secs",
    "condition_state", "last_value", "last_evaluated_at", "last_error", "overlap_policy", "skipped_runs",
}  # fmt: skip
EVENT = {
    "event_type", "event_filter", "debounce_secs", "batch_max", "batch_window_secs", "throttle_max",
    "throttle_window_secs", "dropped_events", "last_event_at", "last_events",
}  # fmt: skip
CHAIN = {
    "rpc_url", "address", "topics", "confirmations", "from_block", "poll_interval_secs", "max_block_range",
    "reorg_depth", "last_processed_block", "last_processed_hash", "lag", "last_error",
}  # fmt: skip
CALLBACK = {"callback_url": "https://api.example.com/hook"}
BODIES: dict[str, dict[str, Any]] = {
    "cron": {"schedule_type": "cron", "cron_expression": "*/5 * * * *", **CALLBACK},
    "interval": {"schedule_type": "interval", "interval_secs": 60, **CALLBACK},
    "specific": {"schedule_type": "specific", "run_at": "2026-03-08T00:00:00Z", **CALLBACK},
    "condition": {"schedule_type": "condition", "source_url": "https://prices.example/p", "operator": ">",
                  "target": 5, "poll_interval_secs": 10, **CALLBACK},
    "event": {"schedule_type": "event", "event_type": "order.paid", **CALLBACK},
    "chain_event": {"schedule_type": "chain_event", "rpc_url": "https://rpc.example/", "address": ADDRESS,
                    **CALLBACK},
}  # fmt: skip
OWN = {
    "cron": TIME | {"cron_expression"},
    "interval": TIME | {"interval_secs"},
    "specific": TIME | {"run_at"},
    "condition": CONDITION,
    "event": EVENT,
    "chain_event": CHAIN,
}


def create(api: APIClient, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/jobs", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["data"]


def refused(api: APIClient, body: dict[str, Any]) -> dict[str, list[str]]:
    response = api.post("/jobs", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == 2
    assert Job.objects.count() == 0
    return response.json()["data"]["errors"]


@pytest.mark.parametrize("kind", list(BODIES))
def test_each_type_answers_the_common_fields_and_its_own_only(api, time_machine, kind):
    time_machine.move_to(T0, tick=False)
    created = create(api, BODIES[kind])
    detail = api.get(f"/jobs/{created['id']}?upcoming=2").json()["data"]
    [listed] = api.get("/jobs").json()["data"]["jobs"]
    paused = api.post(f"/jobs/{created['id']}/pause").json()["data"]

    assert set(created) == set(listed) == set(paused) == COMMON | OWN[kind]
    upcoming = {"upcoming_runs"} if kind not in ("event", "chain_event") else set()
    assert set(detail) == COMMON | OWN[kind] | upcoming
    assert detail["schedule_type"] == kind


def test_old_clients_of_time_and_condition_jobs_get_every_field_of_their_type_as_before(api, time_machine):
    time_machine.move_to(T0, tick=False)
    cron = create(api, {**BODIES["cron"], "timezone": "Europe/Berlin", "overlap_policy": "skip"})
    condition = create(api, {**BODIES["condition"], "value_pointer": "/price", "for_secs": 5})

    assert {k: cron[k] for k in TIME | {"cron_expression", "next_run_at"}} == {
        "cron_expression": "*/5 * * * *", "timezone": "Europe/Berlin", "start_at": None, "end_at": None,
        "misfire_policy": "fire_once", "misfire_grace_secs": 60, "overlap_policy": "skip", "skipped_runs": 0,
        "next_run_at": "2026-03-07T12:05:00Z",
    }  # fmt: skip
    assert {k: condition[k] for k in CONDITION | {"next_run_at"}} == {
        "source_url": "https://prices.example/p", "source_method": "GET", "source_body": None,
        "source_headers": {}, "source_timeout_secs": 5.0, "value_pointer": "/price", "value_format": "number",
        "operator": ">", "target": 5, "poll_interval_secs": 10, "for_secs": 5, "cooldown_secs": 0,
        "condition_state": "unknown", "last_value": None, "last_evaluated_at": None, "last_error": "",
        "overlap_policy": "allow", "skipped_runs": 0, "next_run_at": "2026-03-07T12:00:00Z",
    }  # fmt: skip
    assert api.get(f"/jobs/{condition['id']}?upcoming=3").json()["data"]["upcoming_runs"] == []


def test_an_event_job_answers_its_last_ten_events_from_its_tasks(api, sent, time_machine):
    time_machine.move_to(T0, tick=False)
    created = create(api, {**BODIES["event"], "event_filter": {"value_pointer": "/amount", "operator": ">",
                                                               "target": 100}})  # fmt: skip
    job = Job.objects.get(pk=created["id"])
    for n in range(12):
        time_machine.move_to(T0 + timedelta(seconds=n), tick=False)
        create_task(job, scheduled_for=None, now=timezone.now(), trigger_key=f"evt_{n}")
    time_machine.move_to(T0 + timedelta(seconds=20), tick=False)
    create_task(job, scheduled_for=timezone.now(), now=timezone.now())  # not fired by an event

    detail = api.get(f"/jobs/{job.pk}").json()["data"]

    assert [event["event_id"] for event in detail["last_events"]] == [f"evt_{n}" for n in range(11, 1, -1)]
    latest = detail["last_events"][0]
    assert latest == {"task_id": latest["task_id"], "event_id": "evt_11", "status": TimerStatus.PENDING,
                      "created_at": "2026-03-07T12:00:11Z"}  # fmt: skip
    assert api.get(f"/tasks/{latest['task_id']}").json()["data"]["job_id"] == str(job.pk)
    assert detail["event_filter"] == {"value_pointer": "/amount", "operator": ">", "target": 100}
    assert (detail["next_run_at"], detail["status"], detail["dropped_events"]) == (None, "active", 0)


def test_a_chain_job_answers_its_addresses_checkpoint_and_lag(api, time_machine):
    time_machine.move_to(T0, tick=False)
    created = create(api, {**BODIES["chain_event"], "topics": [TOPIC, None, [TOPIC, "0x" + "00" * 32]]})

    assert (created["address"], created["from_block"], created["lag"]) == ([ADDRESS.lower()], "latest", None)
    assert created["topics"] == [TOPIC.lower(), None, [TOPIC.lower(), "0x" + "00" * 32]]
    assert (created["confirmations"], created["poll_interval_secs"]) == (3, 1)
    assert (created["max_block_range"], created["reorg_depth"], created["next_run_at"]) == (1000, 64, None)
    url = BODIES["chain_event"]["rpc_url"]
    ChainEndpoint.objects.create(url=url, url_hash=hashlib.sha256(url.encode()).hexdigest(), head_block=130)
    Job.objects.filter(pk=created["id"]).update(last_processed_block=100, last_processed_hash="0x" + "1" * 64)

    detail = api.get(f"/jobs/{created['id']}").json()["data"]

    assert (detail["last_processed_block"], detail["lag"]) == (100, 30)
    stored = Job.objects.get(pk=created["id"])
    assert (stored.addresses, stored.from_block) == ([ADDRESS.lower()], None)


def test_a_page_of_jobs_of_every_type_is_read_in_the_same_number_of_queries(api, sent):
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/jobs?limit=200").status_code == 200
        return len(captured)

    for body in BODIES.values():
        create(api, body)
    few = queries_for_list()
    for body in BODIES.values():
        for _ in range(4):
            create(api, body)
    for job in Job.objects.events():
        create_task(job, scheduled_for=None, now=timezone.now(), trigger_key=f"evt-{job.pk}")
    assert queries_for_list() == few


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"event_type": None}, "event_type", "required when schedule_type is event"),
        ({"event_type": ""}, "event_type", "This field may not be blank."),
        ({"event_type": "order\npaid"}, "event_type", "must be 1 to 200 printable characters"),
        ({"event_type": "x" * 201}, "event_type", "must be 1 to 200 printable characters"),
        ({"debounce_secs": 5, "batch_max": 10, "batch_window_secs": 60}, "debounce_secs",
         "at most one of debounce, batch or throttle (given: debounce, batch)"),
        ({"batch_max": 10}, "batch_window_secs", "required with batch_max"),
        ({"throttle_window_secs": 60}, "throttle_max", "required with throttle_window_secs"),
        ({"debounce_secs": 0}, "debounce_secs", "Ensure this value is greater than or equal to 1."),
        ({"batch_max": 1001, "batch_window_secs": 1}, "batch_max",
         "Ensure this value is less than or equal to 1000."),
        ({"throttle_max": 1_000_001, "throttle_window_secs": 1}, "throttle_max",
         "Ensure this value is less than or equal to 1000000."),
        ({"event_filter": {"all": [{"any": [{"all": [{"operator": "==", "target": 1}]}]}]}}, "event_filter",
         "/all/0/any/0: groups nest once at most"),
        ({"event_filter": {"value_pointer": "/a", "operator": "~", "target": 1}}, "event_filter",
         '/operator: "~" is not a valid choice.'),
        ({"event_filter": {"any": [{"operator": "<", "target": "x"}]}}, "event_filter",
         "/any/0/target: must be a number for <"),
        ({"event_filter": {"any": [{"operator": "==", "target": 1, "source_url": "https://a.example/"}]}},
         "event_filter", "/any/0/source_url: unknown field"),
        ({"event_filter": {"all": []}}, "event_filter", "/all: must be a non-empty list"),
        ({"cron_expression": "* * * * *"}, "cron_expression", "only for schedule_type cron"),
        ({"timezone": "UTC"}, "timezone", "only for schedule_type cron, interval or specific"),
        ({"overlap_policy": "skip"}, "overlap_policy",
         "only for schedule_type cron, interval, specific or condition"),
        ({"operator": ">"}, "operator", "only for schedule_type condition"),
        ({"poll_interval_secs": 5}, "poll_interval_secs", "only for schedule_type condition or chain_event"),
        ({"rpc_url": "https://rpc.example/"}, "rpc_url", "only for schedule_type chain_event"),
    ],
)  # fmt: skip
def test_an_invalid_event_job_is_refused_and_nothing_is_stored(api, overrides, field, message):
    body = {k: v for k, v in {**BODIES["event"], **overrides}.items() if v is not None}
    assert message in refused(api, body)[field]


def test_an_event_job_takes_one_mode_a_filter_of_one_clause_or_a_group(api):
    for extra in (
        {"debounce_secs": 30},
        {"batch_max": 100, "batch_window_secs": 10},
        {"throttle_max": 5, "throttle_window_secs": 60, "debounce_secs": None},
        {"event_filter": {"operator": "==", "target": "eu"}},
        {"event_filter": {"any": [{"value_pointer": "/n", "operator": ">=", "target": 3},
                                  {"all": [{"operator": "!=", "target": True}]}]}},
    ):  # fmt: skip
        created = create(api, {**BODIES["event"], "event_type": "évènement ✓", **extra})
        assert all(created[k] == v for k, v in extra.items() if k != "event_filter"), created
        assert (created["event_filter"] is None) == ("event_filter" not in extra)
    bare = create(api, {**BODIES["event"], "event_filter": {"operator": "==", "target": 1}})
    assert bare["event_filter"] == {"value_pointer": "", "operator": "==", "target": 1}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"rpc_url": None}, "rpc_url", "required when schedule_type is chain_event"),
        ({"address": None}, "address", "required when schedule_type is chain_event"),
        ({"rpc_url": "ws://rpc.example/"}, "rpc_url", "must be an absolute http:// or https:// URL"),
        ({"address": "0x1234"}, "address", "each address is 0x and 40 hex digits"),
        ({"address": []}, "address", "must be an address or a list of 1 to 100 addresses"),
        ({"address": [ADDRESS] * 101}, "address", "must be an address or a list of 1 to 100 addresses"),
        ({"topics": [None] * 5}, "topics", "must be a list of at most 4 positions"),
        ({"topics": [TOPIC[:-2]]}, "topics", "position 0: each topic is 0x and 64 hex digits"),
        ({"topics": [None, []]}, "topics", "position 1: null, a topic or a list of 1 to 20 topics"),
        ({"topics": [[TOPIC] * 21]}, "topics", "position 0: null, a topic or a list of 1 to 20 topics"),
        ({"confirmations": 1001}, "confirmations", "Ensure this value is less than or equal to 1000."),
        ({"from_block": -1}, "from_block", 'must be a block number (an integer from 0) or "latest"'),
        ({"from_block": "earliest"}, "from_block", 'must be a block number (an integer from 0) or "latest"'),
        ({"from_block": True}, "from_block", 'must be a block number (an integer from 0) or "latest"'),
        ({"poll_interval_secs": 3601}, "poll_interval_secs", "at most 3600 for schedule_type chain_event"),
        ({"max_block_range": 0}, "max_block_range", "Ensure this value is greater than or equal to 1."),
        ({"max_block_range": 100_001}, "max_block_range",
         "Ensure this value is less than or equal to 100000."),
        ({"reorg_depth": 1025}, "reorg_depth", "Ensure this value is less than or equal to 1024."),
        ({"event_type": "x"}, "event_type", "only for schedule_type event"),
        ({"source_body": {}}, "source_body", "only for schedule_type condition"),
        ({"misfire_policy": "skip"}, "misfire_policy", "only for schedule_type cron, interval or specific"),
    ],
)  # fmt: skip
def test_an_invalid_chain_job_is_refused_and_nothing_is_stored(api, overrides, field, message):
    body = {k: v for k, v in {**BODIES["chain_event"], **overrides}.items() if v is not None}
    assert any(message in text for text in refused(api, body)[field])


def test_a_chain_job_stores_its_addresses_lowercased_and_a_first_block(api):
    other = "0x" + "0F" * 20
    addresses = [ADDRESS, other, ADDRESS.lower()]
    first = {"from_block": 19_000_000, "confirmations": 0, "poll_interval_secs": 3600}
    created = create(api, {**BODIES["chain_event"], "address": addresses, **first})
    assert created["address"] == [ADDRESS.lower(), other.lower()]
    assert (created["from_block"], created["confirmations"], created["poll_interval_secs"]) == (
        19_000_000,
        0,
        3600,
    )

    changed = api.put(f"/jobs/{created['id']}", {"address": other, "from_block": "latest"}, format="json")
    assert changed.status_code == 200, changed.json()
    stored = Job.objects.get(pk=created["id"])
    assert (stored.addresses, stored.from_block, stored.next_run_at) == ([other.lower()], None, None)


def test_new_fields_of_other_types_are_refused_on_time_jobs_and_what_they_took_still_is(api):
    cron = BODIES["cron"]
    assert refused(api, {**cron, "event_type": "x"}) == {"event_type": ["only for schedule_type event"]}
    assert refused(api, {**cron, "source_method": "POST"}) == {
        "source_method": ["only for schedule_type condition"]
    }
    assert refused(api, {**cron, "address": ADDRESS}) == {"address": ["only for schedule_type chain_event"]}
    assert refused(api, {**cron, "poll_interval_secs": 1}) == {
        "poll_interval_secs": ["only for schedule_type condition or chain_event"]
    }
    # Accepted before each type had its own shape; still accepted, and not answered.
    created = create(api, {**cron, "for_secs": 5, "value_pointer": "/x"})
    assert "for_secs" not in created and "value_pointer" not in created


def test_a_put_keeps_the_type_and_checks_a_mode_against_the_stored_job(api):
    job = create(api, {**BODIES["event"], "batch_max": 10, "batch_window_secs": 60})

    switched = api.put(
        f"/jobs/{job['id']}", {"schedule_type": "cron", "cron_expression": "* * * * *"}, format="json"
    )
    assert switched.status_code == 400
    assert switched.json()["data"]["errors"] == {
        "schedule_type": ["cannot be changed: create a job of the new type"]
    }
    mixed = api.put(f"/jobs/{job['id']}", {"debounce_secs": 5}, format="json")
    assert mixed.status_code == 400 and "debounce_secs" in mixed.json()["data"]["errors"]
    moved = api.put(
        f"/jobs/{job['id']}",
        {"debounce_secs": 5, "batch_max": None, "batch_window_secs": None},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    assert (moved.json()["data"]["debounce_secs"], moved.json()["data"]["batch_max"]) == (5, None)
    assert api.put(f"/jobs/{job['id']}", {"interval_secs": 5}, format="json").json()["data"]["errors"] == {
        "interval_secs": ["only for schedule_type interval"]
    }


def test_event_and_chain_jobs_are_never_planned_nor_completed(api, sent):
    for kind in ("event", "chain_event"):
        job = create(api, BODIES[kind])
        assert (job["status"], job["next_run_at"]) == ("active", None)
        api.post(f"/jobs/{job['id']}/pause")
        resumed = api.post(f"/jobs/{job['id']}/resume").json()["data"]
        assert (resumed["status"], resumed["next_run_at"]) == ("active", None)
        renamed = api.put(f"/jobs/{job['id']}", {"name": "renamed"}, format="json").json()["data"]
        assert (renamed["status"], renamed["next_run_at"]) == ("active", None)


def test_the_openapi_document_describes_jobs_as_a_union_on_schedule_type(db):
    served = APIClient().get("/api/schema/")  # YAML, as a client fetches it by default
    assert served.status_code == 200
    document = yaml.safe_load(served.content)
    schemas = document["components"]["schemas"]
    kinds = {"cron": "CronJob", "interval": "IntervalJob", "specific": "SpecificJob",
             "condition": "ConditionJob", "event": "EventJob", "chain_event": "ChainEventJob"}  # fmt: skip

    for union, suffix in (("JobWrite", "Write"), ("Job", "")):
        mapping = schemas[union]["discriminator"]
        assert mapping["propertyName"] == "schedule_type"
        assert mapping["mapping"] == {k: f"#/components/schemas/{v}{suffix}" for k, v in kinds.items()}
        for kind, name in kinds.items():
            assert schemas[name + suffix]["properties"]["schedule_type"] == {"type": "string", "const": kind}
    post = document["paths"]["/jobs"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/JobWrite"
    }
    answer = schemas["JobEnvelope"]["properties"]["data"]
    assert answer == {"$ref": "#/components/schemas/Job"}
    assert schemas["JobList"]["properties"]["jobs"]["items"] == {"$ref": "#/components/schemas/Job"}
    chain = schemas["ChainEventJobWrite"]
    assert chain["additionalProperties"] is False and set(chain["required"]) >= {"rpc_url", "address"}
    assert chain["properties"]["poll_interval_secs"]["maximum"] == 3600
    assert (
        "cron_expression" not in chain["properties"]
        and "event_type" in schemas["EventJobWrite"]["properties"]
    )


def test_every_answer_of_every_type_is_what_the_openapi_document_describes(api, sent):
    document = APIClient().get("/api/schema/?format=json").json()
    validator = jsonschema_rs.validator_for(
        {"$ref": "#/components/schemas/Job", "components": document["components"]}, validate_formats=True
    )
    unusual = "http://%03@Xh:46271/p?\u0117\u013d"  # allowed by the pattern, not an ASCII URI
    for kind, body in BODIES.items():
        created = create(
            api, {**body, "callback_url": unusual, **({"rpc_url": unusual} if kind == "chain_event" else {})}
        )
        answers = [created, api.get(f"/jobs/{created['id']}?upcoming=2").json()["data"]]
        for answer in answers:
            assert not [str(error) for error in validator.iter_errors(answer)], (kind, answer)
    single = ("source_url", "operator", "target")
    body = {k: v for k, v in BODIES["condition"].items() if k not in single}
    created = create(
        api, {**body, "conditions": {"all": [{"source_url": unusual, "operator": "==", "target": True}]}}
    )
    for answer in api.get("/jobs?limit=200").json()["data"]["jobs"] + [created]:
        assert not [str(error) for error in validator.iter_errors(answer)], answer
