"""The chain poll's pure parts: shared ranges and filters, matching, the common ancestor,
range refusals, and the JSON-RPC client's handling of answers of the wrong shape."""

import json

import pytest

from timers.chain import scan
from timers.chain.rpc import RpcClient, RpcError
from timers.receiver import Reply

TOKEN = "0x" + "c0" * 20
OTHER = "0x" + "d1" * 20
A, B = "0x" + "aa" * 32, "0x" + "bb" * 32


def cursor(key: int, checkpoint: int, target: int, *, addresses=(TOKEN,), topics=(), max_range=1000):
    return scan.Cursor(key, checkpoint, target, tuple(addresses), tuple(topics), max_range)


def test_a_range_starts_at_the_lowest_checkpoint_and_is_no_wider_than_any_limit():
    jobs = [cursor(1, 100, 500, max_range=50), cursor(2, 300, 400)]
    assert scan.next_range(jobs, width=10**9) == (101, 150)
    assert scan.next_range(jobs, width=20) == (101, 120)
    assert scan.next_range([cursor(1, 100, 104)], width=50) == (101, 104)
    assert scan.next_range([cursor(1, 100, 100), cursor(2, 90, 80)], width=50) is None
    assert [c.key for c in jobs if c.needs(101, 150)] == [1]
    assert jobs[1].takes(250, 450) == (301, 400)


def test_one_filter_serves_the_jobs_of_a_range():
    same_topics = [cursor(1, 0, 9, topics=(A,)), cursor(2, 0, 9, addresses=(OTHER,), topics=(A,))]
    assert scan.shared_filter(same_topics) == ([TOKEN, OTHER], [A])
    assert scan.shared_filter([cursor(1, 0, 9, topics=(A,)), cursor(2, 0, 9)]) == ([TOKEN], None)
    assert scan.shared_filter([cursor(1, 0, 9), cursor(2, 0, 9, addresses=())]) == (None, None)


def test_a_log_matches_a_job_as_get_logs_would():
    log = {"address": TOKEN, "topics": [A, B]}
    assert scan.matches(log, cursor(1, 0, 9, topics=(A,)))
    assert scan.matches(log, cursor(1, 0, 9, topics=(None, [A, B])))
    assert not scan.matches(log, cursor(1, 0, 9, topics=(B,)))
    assert not scan.matches(log, cursor(1, 0, 9, topics=(A, B, A)))
    assert not scan.matches(log, cursor(1, 0, 9, addresses=(OTHER,)))
    assert scan.matches(log, cursor(1, 0, 9, addresses=()))


def test_the_common_ancestor_is_the_highest_block_seen_that_is_still_on_the_chain():
    seen = {95: "0x95", 98: "0x98", 100: "0x100"}
    chain = {95: "0x95", 98: "0x98", 100: "0xnew"}
    assert scan.common_ancestor(checkpoint=100, depth=10, seen=seen, chain=chain) == 98
    assert scan.common_ancestor(checkpoint=100, depth=10, seen=seen, chain={95: "0x95"}) == 95
    assert scan.common_ancestor(checkpoint=100, depth=3, seen=seen, chain={95: "0x95"}) == 97
    assert scan.common_ancestor(checkpoint=2, depth=10, seen={}, chain={}) == 0


@pytest.mark.parametrize(
    ("code", "message", "refused"),
    [
        (-32005, "query exceeds max block range 1000", True),
        (-32602, "query returned more than 10000 results", True),
        (-32600, "eth_getLogs is limited to a 10,000 range", True),
        (-32000, "block range is too wide", True),
        (-32000, "header not found", False),
    ],
)
def test_the_ways_providers_refuse_a_range(code, message, refused):
    assert scan.is_range_refusal(code, message) is refused


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (Reply(200, body="not json"), "malformed"),
        (Reply(200, body=json.dumps({"jsonrpc": "2.0", "id": 1, "result": 12})), "malformed"),
        (Reply(200, body=json.dumps({"jsonrpc": "2.0", "id": 1})), "malformed"),
        (
            Reply(
                200, body=json.dumps({"jsonrpc": "2.0", "id": 1, "error": {"code": -32000, "message": "x"}})
            ),
            "rpc",
        ),
        (Reply(503), "http"),
        (Reply(429, headers={"Retry-After": "12"}), "rate_limited"),
    ],
)
def test_an_answer_of_the_wrong_shape_is_one_rpc_error(receiver, reply, kind):
    receiver.script("/rpc", reply)
    with pytest.raises(RpcError) as raised:
        RpcClient(receiver.url("/rpc"), timeout=5).block_number()
    assert raised.value.kind == kind
    assert raised.value.retry_after == (12 if kind == "rate_limited" else None)


def test_a_log_lacking_a_field_is_a_malformed_answer(receiver):
    log = {
        "address": TOKEN,
        "topics": [],
        "data": "0x",
        "blockNumber": "0x5",
        "blockHash": A,
        "logIndex": "0x0",
    }
    receiver.script("/rpc", Reply(200, body=json.dumps({"jsonrpc": "2.0", "id": 1, "result": [log]})))
    with pytest.raises(RpcError, match="lacks a field"):
        RpcClient(receiver.url("/rpc"), timeout=5).get_logs(1, 9, None, None)
