"""What the peers run: the same callback, posted to the bench's receiver.

* procrastinate 3.10: ``app`` and its task, for ``procrastinate --app=bench.peer_tasks.app worker``;
* APScheduler 3.11: ``run_apscheduler``, one process that schedules its own load (as an
  application embedding it does) into a SQLAlchemy job store on PostgreSQL and runs it.
"""

import json
import os
import sys
import time
from datetime import UTC, datetime

import httpx
import procrastinate

app = procrastinate.App(
    connector=procrastinate.PsycopgConnector(conninfo=os.environ.get("PEER_PROCRASTINATE_DSN", "")),
)
_async_client: httpx.AsyncClient | None = None
_client = httpx.Client(timeout=30)


@app.task(name="post_callback", queue="callbacks")
async def post_callback(url: str) -> None:
    global _async_client
    if _async_client is None:
        _async_client = httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=256))
    await _async_client.post(url, json={})


def post_sync(url: str) -> None:
    _client.post(url, json={})


def run_apscheduler(plan_path: str, dsn: str, threads: int) -> None:
    """Read the plan (``[[url, due], ...]`` and when to add each), add each job at its time,
    run them all, and exit once the last one has run."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    with open(plan_path) as source:
        plan = json.load(source)
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=dsn)},
        executors={"default": ThreadPoolExecutor(threads)},
        job_defaults={"misfire_grace_time": 3600, "coalesce": False},
        timezone=UTC,
    )
    scheduler.start()
    scheduler.remove_all_jobs()
    print("apscheduler ready", flush=True)
    for add_at, url, due in plan:
        pause = add_at - time.time()
        if pause > 0:
            time.sleep(pause)
        scheduler.add_job(post_sync, "date", run_date=datetime.fromtimestamp(due, tz=UTC), args=[url])
    last = max(due for _, _, due in plan)
    while time.time() < last + 180 and scheduler.get_jobs():
        time.sleep(0.5)
    scheduler.shutdown(wait=True)


if __name__ == "__main__":
    run_apscheduler(sys.argv[1], sys.argv[2], int(sys.argv[3]))
