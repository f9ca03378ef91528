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

``install()`` makes ``redis://`` URLs use it, so URLs and what Flower shows of
the broker stay as they were.
"""

from typing import Any

from kombu import transport
from kombu.transport import redis
from redis import exceptions


class Channel(redis.Channel):
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
