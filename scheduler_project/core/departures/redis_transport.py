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

Receiving is one blocking ``BRPOP`` per message and then one more round trip to
record it as unacknowledged. Here, once ``BRPOP`` has brought one message, one
script records it and takes the others already waiting in that queue, as many
as the prefetch still allows, recording them too: one round trip for all,
and each of them is recorded before any is delivered. The messages the script
takes are never out of both the queue and the index; the one ``BRPOP`` brought
is, for that round trip, as with kombu's own path.

Each acknowledgement is a round trip that removes the message from the
unacknowledged index; ``acknowledging_together`` makes the acknowledgements of a
block one round trip per channel (a worker settling a batch of deliveries).

``install()`` makes ``redis://`` URLs use it, so URLs and what Flower shows of
the broker stay as they were.

Decision record: docs/decisions/0001-redis-transport.md.
"""

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from queue import Empty
from typing import Any

from kombu import transport
from kombu.transport import redis, virtual
from kombu.utils.encoding import bytes_to_str
from kombu.utils.json import loads
from redis import exceptions

logger = logging.getLogger(__name__)

_acks = threading.local()


# The most messages taken in one round trip after a BRPOP when the consumer sets no prefetch.
RECEIVE_MAX = 100

# Records the message ARGV[3] that BRPOP took from the list KEYS[1], then pops up to
# ARGV[1] more from where BRPOP takes them, and records each as kombu's QoS.append
# does: in the unacknowledged hash KEYS[2] (the message, its exchange and routing key)
# and index KEYS[3] (scored ARGV[2]). Returns the ones it popped. A message that is not
# JSON is returned unrecorded, for the receiver to drop.
RECORD_AND_TAKE_WAITING = """
local function record(item)
  local ok, message = pcall(cjson.decode, item)
  if not (ok and type(message) == 'table' and type(message['properties']) == 'table') then return end
  local properties = message['properties']
  local info = properties['delivery_info']
  if type(info) ~= 'table' then info = {} end
  local tag = properties['delivery_tag']
  if type(tag) ~= 'string' then return end
  redis.call('ZADD', KEYS[3], ARGV[2], tag)
  redis.call('HSET', KEYS[2], tag, '[' .. item .. ',' .. cjson.encode(info['exchange'] or '')
    .. ',' .. cjson.encode(info['routing_key'] or '') .. ']')
end
record(ARGV[3])
if tonumber(ARGV[1]) < 1 then return {} end
local items = redis.call('RPOP', KEYS[1], ARGV[1])
if not items then return {} end
for _, item in ipairs(items) do record(item) end
return items
"""


class QoS(redis.QoS):
    def append(self, message: Any, delivery_tag: Any) -> None:
        channel: Any = self.channel
        recorded: set[Any] = channel.recorded_on_receipt
        if delivery_tag in recorded:
            recorded.discard(delivery_tag)
            virtual.QoS.append(self, message, delivery_tag)
            return
        super().append(message, delivery_tag)

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
    _record_and_take: Any = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.recorded_on_receipt: set[Any] = set()  # tags the receiving script recorded
        super().__init__(*args, **kwargs)

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

    def _brpop_read(self, **options: Any) -> bool:
        """Deliver the message ``BRPOP`` brought and the others waiting behind it in its queue,
        all recorded as unacknowledged first, in one round trip."""
        if self.global_keyprefix:  # a script's keys would not be prefixed: kombu's own way
            return bool(super()._brpop_read(**options))  # type: ignore[misc]
        channel: Any = self  # kombu's annotations leave these out
        try:
            try:
                reply = channel.client.parse_response(channel.client.connection, "BRPOP", **options)
            except channel.connection_errors:
                channel.client.connection.disconnect()  # the next poll reconnects
                raise
            if not reply:
                raise Empty()
        finally:
            channel._in_poll = None
            channel._flush_brpop_reauth()
        key, first = reply
        queue = bytes_to_str(key).rsplit(channel.sep, 1)[0]
        channel._queue_cycle.rotate(queue)
        room = channel.qos.can_consume_max_estimate()
        room = RECEIVE_MAX if room is None else room - 1
        with channel.conn_or_acquire() as client:
            if channel._record_and_take is None:
                channel._record_and_take = client.register_script(RECORD_AND_TAKE_WAITING)
            more = channel._record_and_take(
                keys=[key, channel.unacked_key, channel.unacked_index_key],
                args=[max(room, 0), time.time(), first],
                client=client,
            )
        self._deliver_recorded(queue, [first, *more])
        return True

    def _deliver_recorded(self, queue: str, items: list[bytes]) -> None:
        taken = []
        for item in items:
            try:
                message = loads(bytes_to_str(item))
                taken.append((message["properties"]["delivery_tag"], message))
            except (ValueError, TypeError, KeyError) as exc:
                logger.error("dropped a message in %s that is not a kombu message: %s", queue, exc)
        qos: Any = self.qos
        for n, (tag, message) in enumerate(taken):
            self.recorded_on_receipt.add(tag)
            try:
                self.connection._deliver(message, queue)
            except BaseException:
                self.recorded_on_receipt.clear()
                for later, _ in reversed(taken[n + 1 :]):  # back to the queue's head now, in order
                    qos.restore_by_tag(later)
                raise
            if tag in self.recorded_on_receipt:  # not appended: its consumer does not acknowledge
                self.recorded_on_receipt.discard(tag)
                qos._remove_from_indices(tag).execute()


class Transport(redis.Transport):
    Channel = Channel


def install() -> None:
    transport.TRANSPORT_ALIASES["redis"] = f"{__name__}:Transport"
