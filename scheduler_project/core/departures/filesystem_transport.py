"""kombu's filesystem transport (the embedded broker) with atomic message writes and
queues that expire.

Atomic writes: the stock transport writes a message file in place, so a
consumer listing the folder can pick up a file that is still being written and
read half a message. Here each message is written under a name no consumer
matches, flushed, then renamed into place: rename is atomic within one
filesystem.

Expiring queues: Celery declares its event queues (one per Flower or
``celery events`` run), its remote-control queues and their reply queues with
an expiry and a message TTL, which the stock transport ignores; their bindings
live on in the control folder after their consumer is gone, and every worker
heartbeat and task event was then written to every dead queue, forever (35,000
files after an hour of ordinary restarts, each consumer listing them all on
every poll). Here such a queue records its expiry and TTL in the control
folder (``<queue>.queue``), its consumer touches that file while it polls, and:

* nothing more is written to a queue with a TTL whose consumer has not polled
  for ``IDLE_AFTER_SECS`` (what it would get could only expire unread);
* a queue unused for its expiry is deleted, bindings and messages with it, as
  is an auto-delete queue as soon as its consumer cancels;
* messages older than their queue's TTL are removed.

Consumers do the clean-up, at most every ``REAP_EVERY_SECS``. Bindings that an
older version left to Celery's expiring exchanges without such a file are
removed too, so an existing broker folder heals on the first start.

Decision record: docs/decisions/0002-filesystem-transport.md.
"""

import json
import math
import os
import time
import uuid
from pathlib import Path
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.transport.base import to_rabbitmq_queue_arguments  # type: ignore[attr-defined]
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

# Celery's exchanges whose queues all expire: events, remote control, control replies.
EXPIRING_EXCHANGES = ("celeryev", "celery.pidbox", "reply.celery.pidbox")
TOUCH_EVERY_SECS = 1.0
IDLE_AFTER_SECS = 5.0
REAP_EVERY_SECS = 2.0
META_CACHE_SECS = 1.0


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(partial, path)


class Channel(filesystem.Channel):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._expiring: dict[str, dict[str, float]] = {}  # queues this channel declared with an expiry
        self._auto_delete: set[str] = set()
        self._touched: dict[str, float] = {}
        self._meta_cache: dict[str, tuple[float, tuple[float, dict[str, float]] | None]] = {}
        self._reaped_at = -math.inf

    # --- declaring and consuming ------------------------------------------------------------

    def prepare_queue_arguments(self, arguments: Any, **kwargs: Any) -> Any:
        # The stock channel drops ``expires`` and ``message_ttl``; keep them, as AMQP does.
        return to_rabbitmq_queue_arguments(arguments, **kwargs)

    def _new_queue(self, queue: str, **kwargs: Any) -> None:
        arguments = kwargs.get("arguments") or {}
        if arguments.get("x-expires") and self._meta_file(queue) is not None:
            meta = {
                "expires": arguments["x-expires"] / 1000,
                "ttl": (arguments.get("x-message-ttl") or 0) / 1000,
            }
            self._expiring[queue] = meta
            self._write_meta(queue, meta)
        if kwargs.get("auto_delete"):
            self._auto_delete.add(queue)
        super()._new_queue(queue, **kwargs)

    def _get(self, queue: str) -> dict[str, Any]:  # type: ignore[override]
        if queue in self._expiring:
            self._touch(queue)
        if monotonic() - self._reaped_at >= REAP_EVERY_SECS:
            self._reaped_at = monotonic()
            self._reap()
        return super()._get(queue)

    def basic_cancel(self, consumer_tag: str) -> None:
        queue = self._tag_to_queue.get(consumer_tag)
        super().basic_cancel(consumer_tag)
        if queue in self._auto_delete and queue not in self._active_queues:
            self._delete_queue(queue)

    def _touch(self, queue: str) -> None:
        """Say this queue's consumer is alive (at most every ``TOUCH_EVERY_SECS``)."""
        now = monotonic()
        if now - self._touched.get(queue, -math.inf) < TOUCH_EVERY_SECS:
            return
        self._touched[queue] = now
        path = self._meta_file(queue)
        assert path is not None
        try:
            os.utime(path)
        except FileNotFoundError:
            # Deleted as unused while this process could not poll (it was stopped): declare
            # it again, with the bindings this process made.
            self._write_meta(queue, self._expiring[queue])
            for exchange, routing_key, arguments in self.state.queue_bindings(queue):
                meta = self.typeof(exchange).prepare_bind(queue, exchange, routing_key, arguments)
                self._queue_bind(exchange, *meta)  # type: ignore[call-arg]

    # --- publishing ---------------------------------------------------------------------------

    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        state = self._state_of(queue)
        if state == "expired":
            self._delete_queue(queue)
            return
        if state == "idle":
            return  # its consumer has gone: the message could only expire unread
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.partial")
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
                handle.flush()
                os.fsync(handle.fileno())
            os.rename(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc

    def _state_of(self, queue: str) -> str:
        """``lasting`` (no expiry), ``live``, ``idle`` (its consumer stopped polling) or ``expired``."""
        found = self._meta(queue)
        if found is None:
            return "lasting"
        touched_at, meta = found
        unused = time.time() - touched_at
        if unused > meta["expires"]:
            return "expired"
        if meta["ttl"] and unused > min(meta["ttl"], IDLE_AFTER_SECS):
            return "idle"
        return "live"

    # --- queue metadata in the control folder -------------------------------------------------

    def _meta_file(self, queue: str) -> Path | None:
        if not queue or "/" in queue or "\\" in queue or queue.startswith("."):
            return None
        return self.control_folder / f"{queue}.queue"

    def _write_meta(self, queue: str, meta: dict[str, float]) -> None:
        path = self._meta_file(queue)
        assert path is not None
        self.control_folder.mkdir(exist_ok=True)
        _write_atomically(path, json.dumps(meta).encode())
        self._meta_cache.pop(queue, None)

    def _meta(self, queue: str) -> tuple[float, dict[str, float]] | None:
        """When the queue's consumer last polled, and its expiry and TTL; None if it has none."""
        cached = self._meta_cache.get(queue)
        if cached is not None and monotonic() - cached[0] < META_CACHE_SECS:
            return cached[1]
        path = self._meta_file(queue)
        found = None
        if path is not None:
            try:
                found = (path.stat().st_mtime, json.loads(path.read_bytes()))
            except (OSError, ValueError):
                found = None
        self._meta_cache[queue] = (monotonic(), found)
        return found

    # --- clean-up -----------------------------------------------------------------------------

    def _reap(self) -> None:
        """Delete expired queues, stale messages of queues with a TTL, and bindings an
        older version left to Celery's expiring exchanges."""
        now = time.time()
        ttls: dict[str, float] = {}
        for path in self.control_folder.glob("*.queue"):
            queue = path.name.removesuffix(".queue")
            self._meta_cache.pop(queue, None)
            found = self._meta(queue)
            if found is None:
                continue
            touched_at, meta = found
            if now - touched_at > meta["expires"]:
                self._delete_queue(queue)
            elif meta["ttl"]:
                ttls[queue] = meta["ttl"]
        for exchange in EXPIRING_EXCHANGES:
            for binding in self.get_table(exchange):
                if self._meta(binding.queue) is None:
                    self._delete_queue(binding.queue)
        self._drop_stale_messages(ttls, now)

    def _drop_stale_messages(self, ttls: dict[str, float], now: float) -> None:
        """Messages past their queue's TTL; and messages of a gone queue of the expiring
        exchanges (one a publisher wrote to just as the queue was deleted: it had looked
        the binding up before), once older than a reap period."""
        folder = Path(self.data_folder_in)
        bound: set[str] | None = None
        for name in os.listdir(folder):
            queue = name.partition(".")[2].removesuffix(".msg")
            ttl = ttls.get(queue)
            if ttl is None and _expiring_name(queue) and self._meta(queue) is None:
                if bound is None:
                    bound = {b[2] for f in self.control_folder.glob("*.exchange") for b in _table(f)}
                ttl = None if queue in bound else REAP_EVERY_SECS
            if ttl is None:
                continue
            try:
                if now - (folder / name).stat().st_mtime > ttl:
                    (folder / name).unlink()
            except FileNotFoundError:
                pass  # consumed meanwhile

    def _delete_queue(self, queue: str) -> None:
        """Delete a queue: its bindings in every exchange, its messages and its metadata."""
        for exchange_file in self.control_folder.glob("*.exchange"):
            self._unbind(exchange_file, queue)
        path = self._meta_file(queue)
        if path is not None:
            path.unlink(missing_ok=True)
        self._meta_cache.pop(queue, None)
        self.state.queue_bindings_delete(queue)
        self._purge(queue)

    @staticmethod
    def _unbind(exchange_file: Path, queue: str) -> None:
        try:
            handle = exchange_file.open("rb+", buffering=0)
        except FileNotFoundError:
            return
        with handle:
            filesystem.lock(handle, filesystem.LOCK_EX)  # type: ignore[attr-defined]
            try:
                table = loads(bytes_to_str(handle.read()))
                kept = [binding for binding in table if binding[2] != queue]
                if len(kept) != len(table):
                    handle.seek(0)
                    handle.write(str_to_bytes(dumps(kept)))
                    handle.truncate()
            finally:
                filesystem.unlock(handle)


def _expiring_name(queue: str) -> bool:
    """Whether a queue is one of those Celery binds to its expiring exchanges."""
    return queue.startswith("celeryev.") or queue.endswith(".celery.pidbox")


def _table(exchange_file: Path) -> list[Any]:
    try:
        return list(loads(bytes_to_str(exchange_file.read_bytes())))
    except (OSError, ValueError):
        return []


class Transport(filesystem.Transport):
    Channel = Channel
