"""Chain event jobs: poll each JSON-RPC endpoint once for all its jobs, fire each matching
log once its block is confirmed, and send a fired log again, ``removed``, when a
reorganisation drops it. Which blocks to fetch and what matches is the pure
``timers.chain.scan``; this module claims, talks to the node and stores.

A poll asks the head once, then fetches logs in ranges shared by the endpoint's jobs (the
union of their addresses). Each job's checkpoint (a block and its hash) moves in the same
transaction as the tasks fired for the blocks it passed, under the job's row lock and only
from the checkpoint the poll read, so a second poll at once, a restart or a crash fires
no log twice and skips none."""

import logging
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from scheduler_project.core import metrics, scheduling
from timers import selectors
from timers.chain import scan
from timers.chain.rpc import RpcClient, RpcError
from timers.metrics import CHAIN_LOGS
from timers.models import ChainBlock, ChainEndpoint, ChainLog, Job, JobStatus, ScheduleType, Timer
from timers.services.jobs import create_task

logger = logging.getLogger(__name__)

RPC_TIMEOUT_SECS = 10.0
# One endpoint's catch-up stops after this and goes on at the next poll, so one far-behind
# endpoint does not hold a sweeps thread (each range it committed stays committed).
ENDPOINT_BUDGET_SECS = 5.0
# A claimed endpoint is not claimed again before its poll ends or this passes (its worker died).
POLL_LEASE = timedelta(seconds=ENDPOINT_BUDGET_SECS + 2 * RPC_TIMEOUT_SECS + 5)
DEFAULT_POLL_SECS = 5
BACKOFF_MAX_SECS = 300
RETRY_AFTER_MAX_SECS = 3600
LOG_ID_HEADER = "X-Scheduler-Log-Id"
CHECKPOINT_FIELDS = ("last_processed_block", "last_processed_hash", "run_count", "last_run_at",
                     "last_error", "updated_at")  # fmt: skip


def poll_slack() -> timedelta:
    """How early a poll may run: half a sweep interval. Sweeps come once an interval, so a
    poll due a moment after one would otherwise wait for the next, and a poll each second
    would run every other second."""
    return timedelta(seconds=settings.SCHEDULER_INTERVAL_SECS / 2)


def _active_chain_jobs() -> Any:
    return Job.objects.chain_events().filter(status=JobStatus.ACTIVE)


def chain_polls_due(*, now: datetime) -> bool:
    """For the sweep, in one query: whether an active chain job's endpoint is due, or has
    no scheduled poll yet (a new rpc_url, or one whose jobs were all stopped)."""
    endpoint = ChainEndpoint.objects.filter(url=OuterRef("rpc_url"))
    unscheduled = ~Exists(endpoint.filter(next_poll_at__isnull=False))
    due = Exists(endpoint.filter(next_poll_at__lte=now + poll_slack()))
    return bool(_active_chain_jobs().filter(unscheduled | due).exists())


def send_chain_poll() -> None:
    """Ask a sweeps worker to poll the due chain endpoints: one message per sweep that
    finds any due, however many they are."""
    from timers.tasks import poll_chains

    try:
        poll_chains.apply_async(expires=settings.SCHEDULER_INTERVAL_SECS * 2)
    except Exception:
        logger.warning("could not send the chain poll; the next sweep will", exc_info=True)


def schedule_endpoints(*, now: datetime) -> int:
    """An endpoint, due now, for each rpc_url of active chain jobs that has none scheduled."""
    scheduled = ChainEndpoint.objects.filter(next_poll_at__isnull=False).values("url")
    urls = set(_active_chain_jobs().exclude(rpc_url__in=scheduled).values_list("rpc_url", flat=True))
    ChainEndpoint.objects.bulk_create(
        [ChainEndpoint(url=url, url_hash=selectors.url_hash(url), next_poll_at=now) for url in sorted(urls)],
        update_conflicts=True, unique_fields=["url_hash"], update_fields=["next_poll_at"],
    )  # fmt: skip
    return len(urls)


def poll_due_endpoints(*, now: datetime | None = None, budget_secs: float = ENDPOINT_BUDGET_SECS) -> int:
    """Poll the chain endpoints that are due, one claim each (its next poll moved past its
    poll's lease in the claim, so no other sweep takes it meanwhile), for up to
    ``budget_secs``. Returns how many were polled."""
    started, polled = time.monotonic(), 0
    schedule_endpoints(now=now or timezone.now())
    while time.monotonic() - started <= budget_secs:
        claim_at = now or timezone.now()
        lease_until = claim_at + POLL_LEASE
        claimed: list[ChainEndpoint] = []
        try:
            with transaction.atomic():
                claimed = scheduling.claim_batch(
                    ChainEndpoint.objects.filter(next_poll_at__lte=claim_at + poll_slack()),
                    order_by="next_poll_at",
                    batch_size=1,
                )
                if not claimed:
                    break
                lease = {"next_poll_at": lease_until, "holder": scheduling.holder()}
                scheduling.update_each(ChainEndpoint, [scheduling.Change(claimed[0].pk, lease)])
            poll_endpoint(claimed[0], now=now)
        except DatabaseError:
            # The claim may stand (the poll was cut short, or the claim's commit went through
            # with its answer lost): this process's next sweep lets it go, not its lease.
            if claimed:
                _interrupted[claimed[0].pk] = lease_until
            raise
        polled += 1
    return polled


# The polls this process claimed that a database outage cut short (``poll_due_endpoints``),
# by endpoint, with the end of each one's lease: kept in memory until a sweep of this process
# reaches the database, as ``scheduling.lease_due_batch`` keeps the rows it may have leased unsent.
_interrupted: dict[Any, datetime] = {}


def release_interrupted_polls(*, now: datetime) -> int:
    """The polls of this process that a database outage cut short, due again now rather
    than when their lease passes; each only while its claim stands (no other sweep took
    the endpoint after the lease). Kept for the next sweep while the database is away."""
    released = 0
    for pk, lease_until in list(_interrupted.items()):
        released += ChainEndpoint.objects.filter(
            pk=pk, holder=scheduling.holder(), next_poll_at=lease_until
        ).update(next_poll_at=now, holder=None)
        _interrupted.pop(pk, None)
    return released


def take_back_polls(instance: uuid.UUID, now: datetime) -> int:
    """The polls a dead worker process held, due again now (see ``core.heartbeat``)."""
    return ChainEndpoint.objects.filter(holder=instance, next_poll_at__gt=now).update(
        next_poll_at=now, holder=None
    )


def poll_endpoint(
    endpoint: ChainEndpoint,
    *,
    now: datetime | None = None,
    budget_secs: float = ENDPOINT_BUDGET_SECS,
    max_ranges: int | None = None,
) -> None:
    """One poll of one endpoint for all its active jobs: the head once, the reorganisation
    check, then the ranges each job still needs (at most ``max_ranges``, within
    ``budget_secs``). An RPC failure is recorded and backs the endpoint off; the ranges
    committed before it stay committed."""
    jobs = list(_active_chain_jobs().filter(rpc_url=endpoint.url))
    if not jobs:
        ChainEndpoint.objects.filter(pk=endpoint.pk).update(next_poll_at=None)
        return
    client = RpcClient(endpoint.url, timeout=RPC_TIMEOUT_SECS)
    try:
        head = client.block_number()
        cursors = _cursors(endpoint, client, jobs, head)
        caught_up = _scan(endpoint, client, cursors, budget_secs=budget_secs, max_ranges=max_ranges,
                          now=now or timezone.now())  # fmt: skip
    except RpcError as exc:
        _record_failure(endpoint, jobs, exc, now=now or timezone.now())
        return
    interval = min(job.poll_interval_secs or DEFAULT_POLL_SECS for job in jobs)
    at = now or timezone.now()
    ChainEndpoint.objects.filter(pk=endpoint.pk).update(
        head_block=head, head_seen_at=at, failures=0, last_error="", updated_at=at, holder=None,
        next_poll_at=at if not caught_up else at + timedelta(seconds=interval),
    )  # fmt: skip
    Job.objects.filter(pk__in=[job.pk for job in jobs]).exclude(last_error="").update(last_error="")
    deepest = max(job.reorg_depth for job in jobs)
    lowest = min([head, *(job.last_processed_block or head for job in jobs)])
    ChainBlock.objects.filter(endpoint=endpoint, number__lt=lowest - deepest).delete()


def _record_failure(endpoint: ChainEndpoint, jobs: list[Job], exc: RpcError, *, now: datetime) -> None:
    """The error on the endpoint and its jobs; the next poll backs off exponentially (from
    one second, capped), or waits what a 429's Retry-After asked, if longer."""
    failures = endpoint.failures + 1
    delay = min(2.0 ** (failures - 1), BACKOFF_MAX_SECS)
    if exc.retry_after is not None:
        delay = max(delay, min(exc.retry_after, RETRY_AFTER_MAX_SECS))
    error = f"{scan.endpoint_label(endpoint.url)}: {exc}"
    logger.warning(
        "chain endpoint %s failed (%d in a row): %s", scan.endpoint_label(endpoint.url), failures, exc
    )
    ChainEndpoint.objects.filter(pk=endpoint.pk).update(
        failures=failures, last_error=error, last_error_at=now, updated_at=now, holder=None,
        next_poll_at=now + timedelta(seconds=delay),
    )  # fmt: skip
    Job.objects.filter(pk__in=[job.pk for job in jobs]).update(last_error=error)


def _cursors(endpoint: ChainEndpoint, client: RpcClient, jobs: list[Job], head: int) -> list[scan.Cursor]:
    """Each job's place: a new job starts before its from_block (at the head without
    one); a job whose checkpoint's block left the chain goes back to the common ancestor."""
    fresh = [job for job in jobs if job.last_processed_block is None]
    for job in fresh:
        start = head if job.from_block is None else max(job.from_block - 1, 0)
        Job.objects.filter(pk=job.pk, last_processed_block__isnull=True).update(last_processed_block=start)
    if fresh:
        jobs = list(_active_chain_jobs().filter(pk__in=[job.pk for job in jobs]))
    chain = client.block_hashes([job.last_processed_block or 0 for job in jobs])
    placed: list[Job] = []
    moved: list[Job] = []
    for job in jobs:
        current = chain[job.last_processed_block or 0]
        if current is None:
            continue  # the node is behind this checkpoint (another node of a pool): wait
        if job.last_processed_hash == current:
            placed.append(job)
        elif not job.last_processed_hash:
            if _move(job, job.last_processed_block or 0, current):
                placed.append(job)
        else:
            moved.append(job)
    if moved:
        placed += _rewind(endpoint, client, moved)
    return [
        scan.Cursor(
            key=job.pk,
            checkpoint=job.last_processed_block or 0,
            target=head - job.confirmations,
            addresses=tuple(str(a).lower() for a in job.addresses),
            topics=tuple(job.topics or ()),
            max_range=max(1, job.max_block_range),
        )
        for job in placed
    ]


def _move(job: Job, number: int, block_hash: str) -> bool:
    """Set a job's checkpoint, if it is still the one read: False if another poll moved it."""
    moved = Job.objects.filter(
        pk=job.pk, last_processed_block=job.last_processed_block, last_processed_hash=job.last_processed_hash
    ).update(last_processed_block=number, last_processed_hash=block_hash)
    job.last_processed_block, job.last_processed_hash = number, block_hash
    return bool(moved)


def _rewind(endpoint: ChainEndpoint, client: RpcClient, jobs: list[Job]) -> list[Job]:
    """Move jobs whose checkpoint's block was replaced back to the highest block, within
    their reorg_depth, whose hash as seen is still the chain's; the rescan from there
    fires what is new and reports what left. Returns the jobs moved."""
    low = min(max(0, (job.last_processed_block or 0) - job.reorg_depth) for job in jobs)
    high = max(job.last_processed_block or 0 for job in jobs)
    seen = dict(
        ChainBlock.objects.filter(endpoint=endpoint, number__gte=low, number__lte=high).values_list(
            "number", "hash"
        )
    )
    floors = [max(0, (job.last_processed_block or 0) - job.reorg_depth) for job in jobs]
    chain = client.block_hashes([*seen, *floors])
    rewound = []
    for job in jobs:
        checkpoint = job.last_processed_block or 0
        ancestor = scan.common_ancestor(checkpoint=checkpoint, depth=job.reorg_depth, seen=seen, chain=chain)
        ancestor_hash = chain.get(ancestor)
        logger.warning("chain job %s: block %d was replaced; scanning again from block %s",
                       job.pk, checkpoint, ancestor)  # fmt: skip
        if ancestor_hash and _move(job, ancestor, ancestor_hash):
            rewound.append(job)
    return rewound


def _scan(
    endpoint: ChainEndpoint,
    client: RpcClient,
    cursors: list[scan.Cursor],
    *,
    budget_secs: float,
    max_ranges: int | None,
    now: datetime,
) -> bool:
    """Fetch and commit ranges until every job is at its target (True), or the budget or
    ``max_ranges`` ends the poll first (False). A range the node refuses as too wide is
    halved and tried again; the width it then accepts is kept on the endpoint."""
    started, ranges, refused = time.monotonic(), 0, False
    width = endpoint.range_limit or 10**9
    while True:
        planned = scan.next_range(cursors, width=width)
        if planned is None:
            return True
        if time.monotonic() - started > budget_secs or (max_ranges is not None and ranges >= max_ranges):
            return False
        first, last = planned
        taking = [cursor for cursor in cursors if cursor.needs(first, last)]
        # The checkpoints' hashes are read before the logs: a reorganisation after this
        # read changes the hash kept, and the next poll's check finds it.
        ends = client.block_hashes([cursor.takes(first, last)[1] for cursor in taking])
        addresses, topics = scan.shared_filter(taking)
        try:
            logs = client.get_logs(first, last, addresses, topics)
        except RpcError as exc:
            if not exc.range_refused or first == last:
                raise
            width, refused = max(1, (last - first + 1) // 2), True
            continue
        if refused and (endpoint.range_limit is None or last - first + 1 < endpoint.range_limit):
            endpoint.range_limit = last - first + 1
            ChainEndpoint.objects.filter(pk=endpoint.pk).update(range_limit=endpoint.range_limit)
        missing = [number for number, found in ends.items() if found is None]
        if missing:
            raise RpcError(f"block {missing[0]} is beyond the node's head (it went back)")
        done = commit_range(endpoint, taking, first, last, logs, ends, now=now)
        taken = {cursor.key for cursor in taking}
        cursors = [done.get(c.key, c) for c in cursors if c.key not in taken or c.key in done]
        ranges += 1


def commit_range(
    endpoint: ChainEndpoint,
    taking: list[scan.Cursor],
    first: int,
    last: int,
    logs: list[dict[str, Any]],
    ends: dict[int, str | None],
    *,
    now: datetime,
) -> dict[Any, scan.Cursor]:
    """In one transaction, under the jobs' row locks: for each job whose checkpoint is
    still the one the scan started from, fire its new logs of first..last, report its
    fired logs there that are gone, and move its checkpoint. Returns the jobs' cursors
    moved (a job another poll moved, paused or deleted meanwhile is left out)."""
    label = scan.endpoint_label(endpoint.url)
    moved: dict[Any, scan.Cursor] = {}
    with transaction.atomic():
        locked = {
            job.pk: job
            for job in Job.objects.select_for_update(of=("self",))
            .select_related("tenant")
            .filter(
                pk__in=[c.key for c in taking],
                status=JobStatus.ACTIVE,
                schedule_type=ScheduleType.CHAIN_EVENT,
            )
            .order_by("pk")
        }
        ids = [scan.log_id(log) for log in logs]
        fired: dict[Any, dict[str, ChainLog]] = {}
        for row in ChainLog.objects.select_related("task").filter(
            Q(block_number__gte=first, block_number__lte=last) | Q(log_id__in=ids), job_id__in=list(locked)
        ):
            fired.setdefault(row.job_id, {})[row.log_id] = row
        new_rows: list[ChainLog] = []
        changes: list[scheduling.Change] = []
        kept: dict[int, str] = {}
        for cursor in taking:
            job = locked.get(cursor.key)
            if job is None or job.last_processed_block != cursor.checkpoint:
                continue
            low, high = cursor.takes(first, last)
            mine = [log for log in logs if low <= scan.block_of(log) <= high and scan.matches(log, cursor)]
            rows = fired.get(job.pk, {})
            CHAIN_LOGS.labels(endpoint=label, outcome="seen").inc(len(mine))
            for log in mine:
                log_id = scan.log_id(log)
                kept[scan.block_of(log)] = log["blockHash"]
                if log_id in rows:
                    _follow(rows[log_id], log)
                    continue
                task = _fire(job, log, log_id, now=now)
                new_rows.append(ChainLog(job=job, log_id=log_id, block_number=scan.block_of(log),
                                         block_hash=log["blockHash"], task=task, fired_at=now))  # fmt: skip
                CHAIN_LOGS.labels(endpoint=label, outcome="fired").inc()
            present = {scan.log_id(log) for log in mine}
            for row in rows.values():
                if low <= row.block_number <= high and row.removed_at is None and row.log_id not in present:
                    _report_removed(job, row, now=now)
                    CHAIN_LOGS.labels(endpoint=label, outcome="removed").inc()
            end_hash = ends[high] or ""
            kept[high] = end_hash
            changes.append(scheduling.Change(job.pk, {
                "last_processed_block": high, "last_processed_hash": end_hash, "run_count": job.run_count,
                "last_run_at": job.last_run_at, "last_error": "", "updated_at": now,
            }))  # fmt: skip
            moved[job.pk] = replace(cursor, checkpoint=high)
        ChainLog.objects.bulk_create(new_rows)
        scheduling.update_each(Job, changes)
        ChainBlock.objects.bulk_create(
            [ChainBlock(endpoint=endpoint, number=n, hash=h) for n, h in sorted(kept.items())],
            update_conflicts=True, unique_fields=["endpoint", "number"], update_fields=["hash"],
        )  # fmt: skip
    return moved


def _fire(job: Job, log: dict[str, Any], log_id: str, *, now: datetime) -> Timer | None:
    task = create_task(job, scheduled_for=None, now=now, payload=log, trigger_key=log_id,
                       extra_headers={LOG_ID_HEADER: log_id})  # fmt: skip
    if task is not None:
        job.run_count += 1
        job.last_run_at = now
        metrics.JOB_TASKS_CREATED.labels(schedule_type=job.schedule_type).inc()
    return task


def _follow(row: ChainLog, log: dict[str, Any]) -> None:
    """A fired log found again: the same log in a block that replaced its own keeps its
    one task; only where it now is is noted."""
    if (row.block_number, row.block_hash) != (scan.block_of(log), log["blockHash"]):
        row.block_number, row.block_hash = scan.block_of(log), log["blockHash"]
        row.save(update_fields=["block_number", "block_hash"])


def _report_removed(job: Job, row: ChainLog, *, now: datetime) -> None:
    """Send a fired log that left the chain once more, with ``removed: true``."""
    fired = row.task.callback_payload if row.task is not None else None
    transaction_hash, _, index = row.log_id.rpartition(":")
    log = dict(fired) if isinstance(fired, dict) else {
        "blockNumber": hex(row.block_number), "blockHash": row.block_hash,
        "transactionHash": transaction_hash, "logIndex": hex(int(index)),
    }  # fmt: skip
    log["removed"] = True
    row.removed_task = create_task(job, scheduled_for=None, now=now, payload=log,
                                   trigger_key=f"{row.log_id}:removed",
                                   extra_headers={LOG_ID_HEADER: row.log_id})  # fmt: skip
    row.removed_at = now
    row.save(update_fields=["removed_at", "removed_task"])
