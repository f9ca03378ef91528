"""The Redis transport's acknowledgements (core.redisbroker), on the test Redis: what the
broker holds as unacknowledged, which is what it hands out again after a worker dies."""

from collections.abc import Iterator

import pytest
import redis
from django.conf import settings
from kombu import Connection

from scheduler_project.core import redisbroker

QUEUE = "tests.acknowledgements"


@pytest.fixture
def received() -> Iterator[tuple[Connection, list]]:
    """Three messages published to a queue and received, none acknowledged yet."""
    redisbroker.install()
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

    with redisbroker.acknowledging_together():
        messages[0].ack()
        messages[1].ack()
        assert unacknowledged(connection, messages) == [0, 1, 2]  # not one round trip each
        assert all(message.acknowledged for message in messages[:2])

    assert unacknowledged(connection, messages) == [2]


def test_acknowledged_messages_are_not_handed_out_again_and_the_others_are(received):
    connection, messages = received
    with redisbroker.acknowledging_together():
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
