"""The chain simulator over its socket: eth_getLogs' filter and range limit, reorganisations,
balances, batches and the failures it can be told to answer with."""

from typing import Any

import httpx
import pytest

from timers.chain.simulator import ChainSimulator

TOKEN = "0x" + "c0" * 20
OTHER = "0x" + "d1" * 20
A, B, C = ("0x" + c * 32 for c in ("aa", "bb", "cc"))


@pytest.fixture
def chain() -> Any:
    with ChainSimulator(block_time=0, max_range=50, start=10) as running:
        yield running


def rpc(chain: ChainSimulator, method: str, *params: Any) -> dict[str, Any]:
    body = {"jsonrpc": "2.0", "id": 7, "method": method, "params": list(params)}
    return httpx.post(chain.url, json=body, timeout=5).json()


def result(chain: ChainSimulator, method: str, *params: Any) -> Any:
    answer = rpc(chain, method, *params)
    assert "error" not in answer, answer
    return answer["result"]


def data_of(logs: list[dict[str, Any]]) -> list[str]:
    return [log["data"] for log in logs]


def test_get_logs_ands_topic_positions_and_ors_each_list_and_the_addresses(chain):
    result(chain, "sim_emitLog", {"address": TOKEN, "topics": [A, B], "data": "0x01"})
    result(chain, "sim_emitLog", {"address": TOKEN, "topics": [A, C], "data": "0x02"})
    result(
        chain, "sim_emitLog", {"address": OTHER.upper().replace("0X", "0x"), "topics": [B], "data": "0x03"}
    )
    result(chain, "sim_mine", {"blocks": 1})
    span = {"fromBlock": "0xb", "toBlock": "latest"}

    assert data_of(result(chain, "eth_getLogs", span)) == ["0x01", "0x02", "0x03"]
    assert data_of(result(chain, "eth_getLogs", {**span, "address": OTHER})) == ["0x03"]
    assert data_of(result(chain, "eth_getLogs", {**span, "address": [TOKEN, OTHER], "topics": [A]})) == [
        "0x01", "0x02",
    ]  # fmt: skip
    assert data_of(result(chain, "eth_getLogs", {**span, "topics": [None, C]})) == ["0x02"]
    assert data_of(result(chain, "eth_getLogs", {**span, "topics": [[A, B], [B, C]]})) == ["0x01", "0x02"]
    block_hash = result(chain, "eth_getBlockByNumber", "0xb", False)["hash"]
    assert len(result(chain, "eth_getLogs", {"blockHash": block_hash})) == 3
    assert rpc(chain, "eth_getLogs", {"blockHash": block_hash, "fromBlock": "0x1"})["error"]["code"] == -32602
    (log,) = result(chain, "eth_getLogs", {**span, "topics": [None, B]})
    assert (log["blockNumber"], log["blockHash"], log["logIndex"], log["removed"]) == (
        "0xb",
        block_hash,
        "0x0",
        False,
    )


def test_a_span_over_the_limit_is_refused_as_providers_refuse_it(chain):
    result(chain, "sim_mine", {"blocks": 60})
    assert rpc(chain, "eth_getLogs", {"fromBlock": "0x0", "toBlock": "0x31"})["result"] == []
    assert rpc(chain, "eth_getLogs", {"fromBlock": "0x0", "toBlock": "0x32"})["error"] == {
        "code": -32005, "message": "query exceeds max block range 50",
    }  # fmt: skip
    result(chain, "sim_setMaxRange", {"max_range": 5})
    assert rpc(chain, "eth_getLogs", {"fromBlock": "0x0", "toBlock": "0x5"})["error"]["code"] == -32005


def test_a_reorg_replaces_the_last_blocks_by_a_longer_branch(chain):
    result(chain, "sim_emitLog", {"address": TOKEN, "topics": [A], "data": "0x01"})
    result(chain, "sim_mine", {"blocks": 4})  # head 14, the log in block 11
    before = {n: result(chain, "eth_getBlockByNumber", hex(n), False) for n in range(10, 15)}

    assert result(chain, "sim_reorg", {"depth": 4}) == {"replaced": ["0xb", "0xe"], "head": "0xf"}
    after = {n: result(chain, "eth_getBlockByNumber", hex(n), False) for n in range(10, 16)}
    assert after[10] == before[10]
    assert all(after[n]["hash"] != before[n]["hash"] for n in range(11, 15))
    assert all(after[n]["parentHash"] == after[n - 1]["hash"] for n in range(11, 16))
    assert result(chain, "eth_getLogs", {"fromBlock": "0x0", "toBlock": "latest"}) == []
    assert result(chain, "eth_getBlockByNumber", "0x10", False) is None

    result(chain, "sim_emitLog", {"address": TOKEN, "topics": [A], "data": "0x02"})
    result(chain, "sim_mine", {"blocks": 2})
    (kept,) = result(chain, "eth_getLogs", {"fromBlock": "0x0", "toBlock": "latest"})
    result(chain, "sim_reorg", {"depth": 3, "keep_logs": True})
    (again,) = result(chain, "eth_getLogs", {"fromBlock": "0x0", "toBlock": "latest"})
    assert {**again, "blockHash": kept["blockHash"]} == kept
    assert again["blockHash"] != kept["blockHash"]


def test_balances_are_read_with_get_balance_and_a_balance_of_call(chain):
    result(chain, "sim_setBalance", {"address": OTHER, "balance": 5 * 10**18})
    result(chain, "sim_setBalance", {"token": TOKEN, "holder": OTHER, "balance": "0x2a"})
    assert int(result(chain, "eth_getBalance", OTHER, "latest"), 16) == 5 * 10**18
    word = result(chain, "eth_call", {"to": TOKEN, "data": "0x70a08231" + "00" * 12 + OTHER[2:]}, "latest")
    assert (len(word), int(word, 16)) == (66, 42)
    assert rpc(chain, "eth_call", {"to": TOKEN, "data": "0x12345678"}, "latest")["error"]["code"] == -32000


def test_a_batch_is_answered_call_by_call(chain):
    batch = [
        {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"},
        {"jsonrpc": "2.0", "id": 2, "method": "eth_nope"},
        {"jsonrpc": "2.0", "id": 3, "method": "eth_blockNumber", "params": []},
    ]
    answers = httpx.post(chain.url, json=batch, timeout=5).json()
    assert [a.get("result") for a in answers] == ["0x7a69", None, "0xa"]
    assert answers[1]["error"]["code"] == -32601


def test_the_failures_it_is_told_to_answer_with_then_recovers(chain):
    result(chain, "sim_fail", {"mode": "429", "count": 1, "retry_after": 9})
    limited = httpx.post(chain.url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber"}, timeout=5)
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "9")
    result(chain, "sim_fail", {"mode": "error", "count": 1})
    assert rpc(chain, "eth_blockNumber")["error"]["code"] == -32603
    result(chain, "sim_fail", {"mode": "down", "secs": 30})
    with pytest.raises(httpx.RemoteProtocolError):
        rpc(chain, "eth_blockNumber")
    result(chain, "sim_fail", {"mode": "off"})
    assert result(chain, "eth_blockNumber") == "0xa"
