"""kombu's Redis transport, sharing one client per channel, and surviving a broker restart.

The stock channel builds a new ``redis.Redis`` for every acknowledgement and
every publish. With redis-py 6 and later each construction copies the response
callback tables, which made acknowledging a message one of the largest costs of
a delivery. A client is thread-safe and borrows a connection from the channel's
pool per command, so one per pool is enough; a new pool (after a reconnect)
gets a new client.

When the broker goes away, Celery's consumer first ``collect()``s its
connection, which detaches the transport from it, and then closes it again.
If the first close was cut short (a read on the dead socket failed), the second
one tries to give back the unacknowledged messages, builds a new pool and reads
the host from the detached connection: an ``AttributeError`` that Celery treats
as unrecoverable, so the worker exited instead of reconnecting (stock kombu
5.7 does the same, depending on timing). Here a channel whose connection is
gone says so with a connection error, which kombu's close ignores and Celery
answers by reconnecting.

Each acknowledgement is a round trip that removes the message from the
unacknowledged index; ``acknowledging_together`` makes the acknowledgements of a
block one round trip per channel (a worker settling a batch of deliveries).

``install()`` makes ``redis://`` URLs use it, so URLs and what Flower shows of
the broker stay as they were.
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kombu import transport
from kombu.transport import redis, virtual
from redis import exceptions

logger = logging.getLogger(__name__)

_acks = threading.local()


class QoS(redis.QoS):
    def ack(self, delivery_tag: Any) -> None:
        pending: dict[QoS, list[Any]] | None = getattr(_acks, "pending", None)
        if pending is None:
            return super().ack(delivery_tag)
        pending.setdefault(self, []).append(delivery_tag)
        virtual.QoS.ack(self, delivery_tag)  # its prefetch slot is free at once

    def remove_acknowledged(self, tags: list[Any]) -> None:
        channel: Any = self.channel
        with channel.conn_or_acquire() as client:
            client.pipeline().zrem(self.unacked_index_key, *tags).hdel(self.unacked_key, *tags).execute()


@contextmanager
def acknowledging_together() -> Iterator[None]:
    """Inside the block, messages acknowledged (``message.ack()``) on this thread leave the
    broker's unacknowledged index together when it ends: one round trip per channel instead
    of one per message. If that round trip fails, the messages stay there: after the
    visibility timeout they are delivered again and, their work done, claim nothing. Other
    transports acknowledge each message at once; nested blocks join the outer one."""
    if getattr(_acks, "pending", None) is not None:
        yield
        return
    _acks.pending = {}
    try:
        yield
    finally:
        pending, _acks.pending = _acks.pending, None
        for qos, tags in pending.items():
            try:
                qos.remove_acknowledged(tags)
            except Exception as exc:  # whatever the broker's client raised
                logger.warning("%d acknowledgements not recorded by the broker: %s", len(tags), exc)


class Channel(redis.Channel):
    QoS = QoS
    _shared_client: Any = None
    _shared_client_pool: Any = None

    def _connparams(self, asynchronous: bool = False) -> Any:
        if self.connection is None or self.connection.client is None:
            raise exceptions.ConnectionError("the broker connection of this channel was closed")
        return super()._connparams(asynchronous=asynchronous)  # type: ignore[misc]

    def _create_client(self, asynchronous: bool = False) -> Any:
        if asynchronous:
            return super()._create_client(asynchronous=True)  # type: ignore[misc]
        pool = self.pool
        client = self._shared_client
        if client is None or self._shared_client_pool is not pool:
            client = super()._create_client()  # type: ignore[misc]
            self._shared_client, self._shared_client_pool = client, pool
        return client


class Transport(redis.Transport):
    Channel = Channel


def install() -> None:
    transport.TRANSPORT_ALIASES["redis"] = f"{__name__}:Transport"
