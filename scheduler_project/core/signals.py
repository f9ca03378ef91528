"""What the floor tells the apps above it without importing them.

Core imports no app, yet some of its writes concern them: a rotated signing secret must be
forgotten by the caches that keep it, a heartbeat is when the operations checks run.
Core sends a signal; the app that cares connects its receiver in its ``AppConfig.ready``,
as Django's own ``post_save`` lets any app follow any model's writes.
"""

from django.dispatch import Signal

# A tenant's signing secret changed (``services.rotate_signing_secret``), sent with
# ``tenant`` once the change is written: whoever keeps secrets in memory reads them anew.
signing_secret_rotated = Signal()

# A worker process wrote its periodic heartbeat (``heartbeat.Beating.run``), sent with
# ``now`` from the heartbeat's thread: a receiver's exception counts as a failed heartbeat.
heartbeat_written = Signal()
