"""The PostgreSQL backend (django-prometheus's, for its metrics), with a health check that
needs no round trip.

With ``CONN_HEALTH_CHECKS`` Django checks a kept connection before the first statement of
every request with a ``SELECT 1``: a round trip, and about an eighth of a web process's
time creating timers. A connection the server has closed (a restart, ``idle_session_timeout``,
``pg_terminate_backend``) has its socket readable: the server says so before it closes, or
the socket is at its end. An idle connection the server has nothing to say on has nothing
to read, so a ``poll()`` of the socket tells the two apart without asking the server.

Decision record: docs/decisions/0008-postgresql-backend.md.
"""

import select

from django_prometheus.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        pgconn = connection.pgconn
        if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()
        try:
            poll = select.poll()
            poll.register(pgconn.socket, select.POLLIN)
            return not poll.poll(0)
        except Exception:  # the socket is gone (psycopg raises when it cannot tell it)
            return False
