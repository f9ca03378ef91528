"""Every departure from a stock component: where the service changes, overrides or replaces
what a library does out of the box. Each module has a decision record in ``docs/decisions/``
(context, what stock does, the change, its gain, versions checked, what to do on an upgrade)
and an upgrade test in ``tests/core/departures/`` that fails when the stock behaviour
it relies on or corrects changes. Module, what it changes, record:

* ``redis_transport``: kombu's Redis transport (channel, QoS); 0001-redis-transport.md
* ``filesystem_transport``: kombu's filesystem transport; 0002-filesystem-transport.md
* ``batched_strategy``: Celery's task strategy (``Task.Strategy``); 0003-batched-strategy.md
* ``worker_request``: Celery's worker request and task base; 0004-worker-request-drops-eta-entry.md
* ``worker_consumer``: Celery's worker consumer; 0005-worker-consumer-broker-loss.md
* ``redis_cache``: Django's ``RedisCache``; 0006-redis-cache-memory-fallback.md
* ``database``: Django's connection handling outside requests; 0007-database-reconnecting.md
* ``postgresql``: Django's PostgreSQL backend; 0008-postgresql-backend.md
* ``httpx_pools``: httpx/httpcore's single connection pool; 0013-httpx-pool-per-origin.md
* ``drf_fields``: DRF's serializer fields, built per instance; 0014-drf-fields-built-once.md

The SQLite options (WAL, ``IMMEDIATE``; 0009), and three process-level stand-ins that live
where they are used (``scheduler_project/supervise.py``, 0010; ``scheduler_project/serve.py``,
0011; the ``.env`` loader, 0012) have records too.

Nothing here imports an app: core's claim/lease mechanism and worker stand on these.
"""
