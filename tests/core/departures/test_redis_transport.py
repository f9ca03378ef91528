"""The Redis transport (core.departures.redis_transport, docs/decisions/0001-redis-transport.md),
on the test Redis: what the broker holds as unacknowledged, which is what it hands out again
after a worker dies; and the upgrade tests, which pin the stock behaviour it corrects."""

import inspect
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings
from kombu import Connection

from scheduler_project.core.departures import redis_transport

QUEUE = "tests.acknowledgements"


@pytest.fixture
def received() -> Iterator[tuple[Connection, list]]:
    """Three messages published to a queue and received, none acknowledged yet."""
    redis_transport.install()
    with Connection(settings.CELERY_BROKER_URL) as connection:
        queue = connection.SimpleQueue(QUEUE)
        for n in range(3):
            queue.put({"n": n})
        messages = [queue.get(timeout=5) for _ in range(3)]
        yield connection, messages
        queue.close()


def unacknowledged(connection: Connection, messages: list) -> list[int]:
    """Which of ``messages`` the broker still holds as unacknowledged."""
    qos = connection.default_channel.qos
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return [
        message.payload["n"] for message in messages if client.hexists(qos.unacked_key, message.delivery_tag)
    ]


def test_acknowledgements_in_a_block_leave_the_broker_together_when_it_ends(received):
    connection, messages = received
    assert unacknowledged(connection, messages) == [0, 1, 2]

    with redis_transport.acknowledging_together():
        messages[0].ack()
        messages[1].ack()
        assert unacknowledged(connection, messages) == [0, 1, 2]  # not one round trip each
        assert all(message.acknowledged for message in messages[:2])

    assert unacknowledged(connection, messages) == [2]


def test_acknowledged_messages_are_not_handed_out_again_and_the_others_are(received):
    connection, messages = received
    with redis_transport.acknowledging_together():
        messages[0].ack()
        messages[2].ack()
    connection.close()  # as a worker whose connection broke: what was not acknowledged goes back

    with Connection(settings.CELERY_BROKER_URL) as again:
        queue = again.SimpleQueue(QUEUE)
        handed_out = queue.get(timeout=5)
        assert handed_out.payload == {"n": 1}
        handed_out.ack()
        with pytest.raises(queue.Empty):
            queue.get(timeout=0.5)
        queue.close()


def test_outside_a_block_a_message_is_acknowledged_at_once(received):
    connection, messages = received
    messages[1].ack()

    assert unacknowledged(connection, messages) == [0, 2]


@pytest.fixture
def waiting() -> Iterator[tuple[Connection, redis.Redis]]:
    """Five messages waiting in a queue no one has received from yet."""
    redis_transport.install()
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    with Connection(settings.CELERY_BROKER_URL) as connection:
        queue = connection.SimpleQueue(QUEUE)
        for n in range(5):
            queue.put({"n": n})
        yield connection, client
        queue.close()
    client.delete(QUEUE)


def consume(connection: Connection, prefetch: int | None, no_ack: bool = False) -> list:
    """The messages one wait on the broker hands to a consumer with ``prefetch``."""
    got: list = []
    consumer = connection.Consumer(
        connection.SimpleQueue(QUEUE).queue,
        callbacks=[lambda body, message: got.append(message)],
        no_ack=no_ack,
    )
    with consumer:
        if prefetch is not None:
            consumer.qos(prefetch_count=prefetch)
        connection.drain_events(timeout=5)
    return got


def test_the_messages_waiting_behind_the_first_come_with_it_as_far_as_the_prefetch_allows(waiting):
    connection, client = waiting
    qos = connection.default_channel.qos

    got = consume(connection, prefetch=3)

    assert [message.payload["n"] for message in got] == [0, 1, 2]  # in order, one wait
    assert client.llen(QUEUE) == 2  # the rest stays for others
    assert sorted(client.hkeys(qos.unacked_key)) == sorted(m.delivery_tag.encode() for m in got)
    assert client.zcard(qos.unacked_index_key) == 3


def test_messages_taken_together_go_back_to_the_queue_when_the_worker_goes_away(waiting):
    connection, _ = waiting
    got = consume(connection, prefetch=10)
    assert len(got) == 5
    got[3].ack()
    connection.close()  # unacknowledged: handed out again

    with Connection(settings.CELERY_BROKER_URL) as again:
        queue = again.SimpleQueue(QUEUE)
        returned = [queue.get(timeout=5) for _ in range(4)]
        assert sorted(message.payload["n"] for message in returned) == [0, 1, 2, 4]
        for message in returned:
            message.ack()
        queue.close()


def test_a_consumer_that_does_not_acknowledge_leaves_nothing_unacknowledged(waiting):
    connection, client = waiting
    qos = connection.default_channel.qos

    got = consume(connection, prefetch=None, no_ack=True)

    assert len(got) == 5
    assert client.hlen(qos.unacked_key) == 0  # nothing would be handed out a second time
    assert client.zcard(qos.unacked_index_key) == 0


def test_a_message_that_is_not_a_kombu_message_is_dropped_and_the_others_delivered(waiting, caplog):
    connection, client = waiting
    client.lpush(QUEUE, b"not json")  # behind the five

    got = consume(connection, prefetch=10)

    assert [message.payload["n"] for message in got] == [0, 1, 2, 3, 4]
    assert client.llen(QUEUE) == 0
    assert "not a kombu message" in caplog.text
    for message in got:
        message.ack()


def test_with_a_key_prefix_messages_are_received_one_by_one_as_kombu_does():
    redis_transport.install()
    options = {"global_keyprefix": "tests.prefixed:"}
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    with Connection(settings.CELERY_BROKER_URL, transport_options=options) as connection:
        queue = connection.SimpleQueue(QUEUE)
        for n in range(3):
            queue.put({"n": n})
        first = queue.get(timeout=5)
        assert first.payload == {"n": 0}
        assert client.llen(f"tests.prefixed:{QUEUE}") == 2  # the others still wait: no script ran
        rest = [queue.get(timeout=5) for _ in range(2)]
        assert [message.payload["n"] for message in rest] == [1, 2]
        unacked = f"tests.prefixed:{connection.default_channel.unacked_key}"
        assert client.hlen(unacked) == 3
        for message in [first, *rest]:
            message.ack()
        assert client.hlen(unacked) == 0
        queue.close()


# --- upgrade tests: the stock behaviour this departure relies on or corrects -------------------

STOCK = "kombu.transport.redis:Transport"


def test_stock_channel_builds_a_new_client_for_every_use():
    """docs/decisions/0001-redis-transport.md: kombu's channel builds a ``redis.Redis`` for
    every acknowledgement and publish (``conn_or_acquire`` without a client), so sharing one
    per pool is still a gain."""
    with Connection(settings.CELERY_BROKER_URL, transport=STOCK) as connection:
        channel = connection.default_channel
        with channel.conn_or_acquire() as first, channel.conn_or_acquire() as second:
            assert first is not second


def test_stock_channel_receives_one_message_per_brpop():
    """docs/decisions/0001-redis-transport.md: kombu takes one message per ``BRPOP`` (and
    records it in a round trip of its own), so taking those waiting behind it is still a gain."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    with Connection(settings.CELERY_BROKER_URL, transport=STOCK) as connection:
        queue = connection.SimpleQueue("tests.stock.receive")
        for n in range(3):
            queue.put({"n": n})
        first = queue.get(timeout=5)
        assert client.llen("tests.stock.receive") == 2  # the others still wait in the list
        rest = [queue.get(timeout=5) for _ in range(2)]
        for message in [first, *rest]:
            message.ack()
        queue.close()
    client.delete("tests.stock.receive")


def test_stock_channel_of_a_detached_connection_fails_with_an_attribute_error():
    """docs/decisions/0001-redis-transport.md: the bug on stock. Once Celery's consumer has
    ``collect()``ed its connection, kombu's channel reads the host from a transport whose
    ``client`` is gone: an ``AttributeError`` (Celery takes it as unrecoverable and the worker
    exits); ours says so with a connection error, on which Celery reconnects."""
    for transport, raised in ((STOCK, AttributeError), (redis_transport.Transport, redis.ConnectionError)):
        with Connection(settings.CELERY_BROKER_URL, transport=transport) as connection:
            channel = connection.default_channel
            client, channel.connection.client = channel.connection.client, None  # as collect() leaves it
            try:
                with pytest.raises(raised):
                    channel._connparams()
            finally:
                channel.connection.client = client


def test_the_private_methods_and_attributes_overridden_or_called_are_still_there():
    """docs/decisions/0001-redis-transport.md: what ``redis_transport`` overrides or calls of
    kombu's Redis channel and QoS, with the signatures it calls them with."""
    from kombu.transport import redis as stock
    from kombu.transport import virtual

    signatures = {
        stock.Channel._create_client: "(self, asynchronous=False)",
        stock.Channel._connparams: "(self, asynchronous=False)",
        stock.Channel._brpop_read: "(self, **options)",
        stock.Channel._flush_brpop_reauth: "(self)",
        stock.Channel.conn_or_acquire: "(self, client=None)",
        stock.QoS.append: "(self, message, delivery_tag)",
        stock.QoS.ack: "(self, delivery_tag)",
        stock.QoS._remove_from_indices: "(self, delivery_tag, pipe=None)",
        stock.QoS.restore_by_tag: "(self, tag, client=None, leftmost=False)",
        virtual.QoS.append: "(self, message, delivery_tag)",
        virtual.QoS.ack: "(self, delivery_tag)",
        virtual.QoS.can_consume_max_estimate: "(self)",
    }
    for method, expected in signatures.items():
        assert str(inspect.signature(method)) == expected, method.__qualname__
    with Connection(settings.CELERY_BROKER_URL, transport=STOCK) as connection:
        channel = connection.default_channel
        used = ("_queue_cycle", "_in_poll", "unacked_key", "unacked_index_key", "global_keyprefix", "sep")
        for name in (*used, "connection_errors", "pool", "client", "qos"):
            assert hasattr(channel, name), name
        assert callable(channel._queue_cycle.rotate)
        assert callable(channel.connection._deliver)
