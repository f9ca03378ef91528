"""Upgrade tests of the filesystem transport (core.departures.filesystem_transport,
docs/decisions/0002-filesystem-transport.md): kombu's own transport still writes a message
file in place under the name consumers read, and still ignores a queue's expiry and TTL. The
transport's own behaviour is tested end to end in tests/e2e/test_embedded_mode.py."""

import inspect
import time
from pathlib import Path
from typing import Any

from kombu import Connection, Exchange, Queue
from kombu.transport import filesystem

STOCK = "kombu.transport.filesystem:Transport"


def stock_broker(folder: Path) -> Connection:
    for sub in ("queue", "control", "processed"):
        (folder / sub).mkdir()
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "processed_folder": str(folder / "processed"),
    }
    return Connection("filesystem://", transport=STOCK, transport_options=options)


def test_stock_transport_writes_a_message_in_place_under_the_name_consumers_read(tmp_path, monkeypatch):
    """docs/decisions/0002-filesystem-transport.md: the bug on stock. kombu opens the
    message's final file and writes into it, so a consumer listing the folder meanwhile can
    take (``_get``: any ``*.<queue>.msg``) a file still being written and read half a message."""
    opened: list[str] = []

    def recording_open(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            opened.append(str(path))
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(filesystem, "open", recording_open, raising=False)
    with stock_broker(tmp_path) as connection:
        queue = connection.SimpleQueue("tests.stock")
        queue.put({"n": 1})
        queue.close()

    (written,) = opened
    name = Path(written).name
    assert Path(written).parent == tmp_path / "queue"
    assert name.partition(".")[2] == "tests.stock.msg"  # what _get matches: no temporary name
    assert (tmp_path / "queue" / name).exists()


def test_stock_transport_ignores_a_queues_expiry_and_message_ttl(tmp_path):
    """docs/decisions/0002-filesystem-transport.md: the bug on stock. A queue declared with
    an expiry and a message TTL (as Celery declares its event and control queues) keeps its
    binding and gets every message after both have passed, forever."""
    exchange = Exchange("tests.expiring", type="fanout")
    with stock_broker(tmp_path) as connection:
        channel = connection.default_channel
        assert channel.prepare_queue_arguments({}, expires=0.1, message_ttl=0.1) == {}  # dropped
        Queue("tests.expiring.q", exchange, expires=0.1, message_ttl=0.1)(channel).declare()
        time.sleep(0.3)
        with connection.Producer() as producer:
            producer.publish({"n": 1}, exchange=exchange, routing_key="")
    assert [p.name.partition(".")[2] for p in (tmp_path / "queue").iterdir()] == ["tests.expiring.q.msg"]


def test_the_stock_methods_overridden_or_called_keep_their_signatures():
    """docs/decisions/0002-filesystem-transport.md: what ``filesystem_transport`` overrides or
    calls of kombu's filesystem channel."""
    from kombu.transport import virtual
    from kombu.transport.base import to_rabbitmq_queue_arguments  # type: ignore[attr-defined]

    signatures = {
        filesystem.Channel._put: "(self, queue, payload, **kwargs)",
        filesystem.Channel._get: "(self, queue)",
        filesystem.Channel._purge: "(self, queue)",
        filesystem.Channel.get_table: "(self, exchange)",
        filesystem.Channel._queue_bind: "(self, exchange, routing_key, pattern, queue)",
        virtual.Channel._new_queue: "(self, queue, **kwargs)",
        virtual.Channel.basic_cancel: "(self, consumer_tag)",
        virtual.Channel.prepare_queue_arguments: "(self, arguments, **kwargs)",
        to_rabbitmq_queue_arguments: "(arguments, **options)",
        filesystem.lock: "(file, flags)",
        filesystem.unlock: "(file)",
    }
    for function, expected in signatures.items():
        assert str(inspect.signature(function)) == expected, function.__qualname__
    assert hasattr(filesystem, "LOCK_EX")
    for name in ("data_folder_in", "data_folder_out", "control_folder", "state", "_tag_to_queue", "typeof"):
        assert hasattr(filesystem.Channel, name) or name in inspect.getsource(virtual.Channel.__init__), name
