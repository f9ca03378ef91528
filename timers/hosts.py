"""How many callbacks of a worker process are in flight to each host: a target that
hangs holds a bounded share of the delivery threads, and its paths that hang do not make
its other paths late (``HostSlots``)."""

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache


@dataclass
class _Host:
    """One host's callbacks in flight in this process (when each began), and its last sign
    of life: when one of them last began or ended."""

    ended: threading.Condition
    alive_at: float
    began: list[float] = field(default_factory=list)
    waiting: int = 0

    def stuck(self, now: float, after: float | None = None) -> int:
        """How many of its callbacks have been in flight for over ``after`` seconds (by
        default ``HostSlots.STUCK``)."""
        limit = HostSlots.STUCK if after is None else after
        return sum(1 for began in self.began if now - began > limit)


class HostSlots:
    """How many callbacks of this process are in flight to each host, at most
    ``CALLBACK_MAX_PER_HOST``: a target that hangs or drips holds that many delivery
    threads, not all of them.

    A callback is stuck once it has been in flight for ``STUCK`` seconds; at a host that
    has answered a callback quickly in the last ``ANSWERED_WITHIN`` seconds, once in
    flight ``SLOWER_THAN_USUAL`` times its usual answer (at least ``SLOT_WAIT``, at most
    ``STUCK``); at a host that never did but has a callback stuck, after ``SLOT_WAIT``.
    Stuck callbacks, of all hosts together, have threads of their own (``stuck_threads``,
    beyond the worker's concurrency: see ``parked_threads``) and stop counting against
    their host's share while those last: paths of a host that hang, whether or not it
    ever answered, do not hold up its other paths. Beyond that allowance stuck callbacks
    count again, and the hosts that have stuck callbacks together hold at most the
    allowance and one host's share: a host that hangs on every path (or several hosts)
    holds a bounded number of threads, and the worker's concurrency is left to the
    others. What one process heard from a host, the others learn through
    ``SharedAnswers`` when they would put an attempt off.

    A host that has all its slots taken but began or ended a callback within the last
    ``SLOT_WAIT`` seconds, or one of whose callbacks becomes stuck within that time, is
    only busy (a burst to one receiver, or a first answer on its way): the next attempt
    waits up to that long for a slot rather than being put off, which would cost it a
    second claim and a second of lateness. A host that did neither for longer (it
    hangs) gets no waiters.
    """

    SLOT_WAIT = 0.2
    STUCK = 1.0
    SLOWER_THAN_USUAL = 4
    STUCK_SHARES = 2
    ANSWERED_WITHIN = 60.0
    ANSWERS_KEPT = 1024
    SHARE_EVERY = 10.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hosts: dict[tuple[str, int | None], _Host] = {}
        # Per host that answered quickly: when it last did, how long its answers take, and
        # when the other processes were last told.
        self._answers: OrderedDict[tuple[str, int | None], tuple[float, float, float]] = OrderedDict()

    def forget_answers(self) -> None:
        """Forget which hosts answered quickly (this process; the shared cache keeps them)."""
        with self._lock:
            self._answers.clear()

    @contextmanager
    def hold(self, url: str) -> Iterator[bool]:
        """Take a slot for ``url``'s host for the block; yields False (and takes none)
        when that host has all of its slots taken and none came free in time, or when it
        is stuck and the stuck hosts have their share."""
        parts = urlsplit(url)
        key = ((parts.hostname or "").lower(), parts.port)
        cap = settings.CALLBACK_MAX_PER_HOST
        with self._lock:
            host = self._host(key)
            began = self._take(key, host, cap)
            unheard = began is None and self._stuck_after(key, time.monotonic()) is None
        if unheard:
            # Another process may have heard from the host: its callbacks there ended quickly.
            usual = shared_answers.get(key)
            if usual is not None:
                with self._lock:
                    self._answers.setdefault(key, (time.monotonic(), usual, time.monotonic()))
                    host = self._host(key)
                    began = self._take(key, host, cap)
        try:
            yield began is not None
        finally:
            if began is not None:
                with self._lock:
                    host.began.remove(began)
                    host.alive_at = time.monotonic()
                    share = self._answered(key, host.alive_at - began)
                    self._wake(key, host)
                    if not host.began and not host.waiting:
                        del self._hosts[key]
                if share is not None:
                    shared_answers.put(key, share)

    def _wake(self, key: tuple[str, int | None], host: _Host) -> None:
        """With the lock held, a callback to ``host`` having ended: one waiter takes the slot
        it freed. All look again when callbacks of the host are stuck now (a quick answer
        shortens how long that takes, and each stuck one frees its slot too). Waking them all
        at every end, on a host busy with a burst, has each waiter turn for nothing."""
        now = time.monotonic()
        if host.stuck(now, self._limit(self._stuck_after(key, now), host, now)):
            host.ended.notify_all()
        else:
            host.ended.notify()

    def _host(self, key: tuple[str, int | None]) -> _Host:
        """With the lock held: the entry of ``key``'s host, made if it has none."""
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(threading.Condition(self._lock), time.monotonic())
        return host

    def _answered(self, key: tuple[str, int | None], took: float) -> float | None:
        """With the lock held: a callback to ``key`` ended after ``took`` seconds. Returns
        the host's usual answer time when the other processes are to be told it."""
        if took > self.STUCK:
            return None
        now = time.monotonic()
        last = self._answers.pop(key, None)
        usual, shared_at = (took, -math.inf) if last is None else (0.8 * last[1] + 0.2 * took, last[2])
        share = now - shared_at > self.SHARE_EVERY
        self._answers[key] = (now, usual, now if share else shared_at)
        if len(self._answers) > self.ANSWERS_KEPT:
            self._answers.popitem(last=False)
        return usual if share else None

    def _stuck_after(self, key: tuple[str, int | None], now: float) -> float | None:
        """With the lock held: after how long a callback to ``key`` is stuck, if that host
        answered quickly lately; None if it did not (then it is ``STUCK``)."""
        answer = self._answers.get(key)
        if answer is None or now - answer[0] > self.ANSWERED_WITHIN:
            return None
        return min(self.STUCK, max(self.SLOT_WAIT, self.SLOWER_THAN_USUAL * answer[1]))

    def _limit(self, heard: float | None, host: _Host, now: float) -> float:
        """After how long a callback to ``host`` is stuck now, given ``_stuck_after``'s answer."""
        if heard is not None:
            return heard
        # A host that hangs on some paths: its callbacks are told apart as soon as a busy
        # host's would have freed their slot, so a first answer is not held up.
        return self.SLOT_WAIT if host.stuck(now) else self.STUCK

    def parked(self) -> int:
        """How many callbacks of this process are stuck now, at most the stuck callbacks'
        threads (``stuck_threads``): they wait on targets that hang, and do not count
        against the worker's concurrency (``Phases.parked``)."""
        now = time.monotonic()
        with self._lock:
            stuck = sum(
                host.stuck(now, self._limit(self._stuck_after(key, now), host, now))
                for key, host in self._hosts.items()
            )
        return min(stuck, stuck_threads(settings.CALLBACK_MAX_PER_HOST))

    def _full(self, host: _Host, stuck_after: float, cap: int, now: float) -> bool:
        """With the lock held: whether ``host`` has no slot free for another callback."""
        stuck = host.stuck(now, stuck_after)
        if not stuck:
            return len(host.began) >= cap
        allowance = stuck_threads(cap)
        hanging = [other for other in self._hosts.values() if other is not host and other.stuck(now)]
        if len(host.began) + sum(len(other.began) for other in hanging) >= allowance + cap:
            return True
        elsewhere = sum(other.stuck(now) for other in hanging)
        return len(host.began) - min(stuck, max(0, allowance - elsewhere)) >= cap

    def _take(self, key: tuple[str, int | None], host: _Host, cap: int) -> float | None:
        """With the lock held: a slot of ``host`` (when it began), waited for while the host
        is answering; None if there is none for it."""
        deadline = time.monotonic() + self.SLOT_WAIT
        while cap:
            now = time.monotonic()
            heard = self._stuck_after(key, now)
            stuck_after = self._limit(heard, host, now)
            if not self._full(host, stuck_after, cap, now):
                break
            # A callback that becomes stuck frees its slot too.
            turns = [began + stuck_after - now for began in host.began if now - began <= stuck_after]
            turn = min(turns, default=math.inf) + 0.001
            if now >= deadline or (
                heard is None and now - host.alive_at > self.SLOT_WAIT and now + turn > deadline
            ):
                if host.waiting:  # a slot this waiter was woken for, and leaves, goes to the next
                    host.ended.notify()
                return None
            host.waiting += 1
            try:
                host.ended.wait(min(deadline - now, turn))
            finally:
                host.waiting -= 1
        began = host.alive_at = time.monotonic()
        host.began.append(began)
        return began


def stuck_threads(cap: int) -> int:
    """The delivery threads that callbacks stuck (``HostSlots``) may hold beyond their
    hosts' shares, of all hosts together, at ``CALLBACK_MAX_PER_HOST`` = ``cap``."""
    return HostSlots.STUCK_SHARES * cap


def spare_threads(concurrency: int) -> int:
    """Delivery threads beyond a worker's concurrency (besides the stuck callbacks' own):
    as many as one host's share, which keeps the others' callbacks going while callbacks
    that will turn out to hang are in their first second."""
    return min(concurrency, settings.CALLBACK_MAX_PER_HOST)


def parked_threads() -> int:
    """The stuck callbacks' own delivery threads (``Phases.parked_max``)."""
    return stuck_threads(settings.CALLBACK_MAX_PER_HOST)


class SharedAnswers:
    """The hosts that answered callbacks quickly, in the shared cache, for every worker
    process: one whose share of a host is taken by callbacks that hang learns there that
    the host answers on other paths, instead of putting its timers off until they happen
    to land on a process that knows. Read only when an attempt would be put off; written
    at most once every ``HostSlots.SHARE_EVERY`` seconds per host and process."""

    @staticmethod
    def _name(key: tuple[str, int | None]) -> str:
        return f"callback-host-answers:{key[0]}:{key[1]}"

    def get(self, key: tuple[str, int | None]) -> float | None:
        usual = cache.get(self._name(key))
        return float(usual) if isinstance(usual, int | float) else None

    def put(self, key: tuple[str, int | None], usual: float) -> None:
        cache.set(self._name(key), usual, timeout=int(HostSlots.ANSWERED_WITHIN))


shared_answers = SharedAnswers()
host_slots = HostSlots()
