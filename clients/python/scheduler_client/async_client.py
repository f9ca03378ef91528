"""The awaiting client: ``Client``'s methods, each a coroutine; its iterators are async."""

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from scheduler_client import _calls as calls
from scheduler_client import models
from scheduler_client._base import PAGE_SIZE, answer_of, request_of, settings
from scheduler_client._calls import Call, JobAnswer, JobRequest
from scheduler_client._retry import Retries

T = TypeVar("T")
Item = TypeVar("Item")


class AsyncClient:
    """``Client`` for asyncio: the same methods and arguments, awaited (``async with``,
    ``async for`` over the ``iter_…`` methods)."""

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = 30.0,
        retries: Retries | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        url, headers = settings(base_url, api_key)
        self.retries = retries or Retries()
        self.http = httpx.AsyncClient(base_url=url, headers=headers, timeout=timeout, transport=transport)

    async def send(self, call: Call[T]) -> T:
        """Send ``call``, again after a 429 or 503 as ``self.retries`` allows; its answer."""
        attempt = 1
        while True:
            response = await self.http.request(call.method, call.path, **request_of(call))
            delay = self.retries.wait(call, response, attempt) if not response.is_success else None
            if delay is None:
                return answer_of(call, response)
            await asyncio.sleep(delay)
            attempt += 1

    async def pages(
        self, page: Callable[[int], Call[Any]], items: Callable[[Any], list[Item]]
    ) -> AsyncIterator[Item]:
        """Every item of a list endpoint, a page at a time (by ``offset``) until ``total``."""
        offset = 0
        while True:
            answer = await self.send(page(offset))
            found = items(answer)
            for item in found:
                yield item
            offset += len(found)
            if not found or offset >= answer.total:
                return

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.aclose()

    # --- timers ----------------------------------------------------------------------

    async def create_timer(
        self, timer: models.TimerWrite | Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> models.TimerSummary:
        """Create a timer; ``idempotency_key`` defaults to a fresh one, sent on every retry."""
        return await self.send(calls.create_timer(timer, idempotency_key))

    async def create_timers(
        self, timers: list[models.TimerWrite | Mapping[str, Any]]
    ) -> list[models.TimerSummary]:
        """Create 1 to 1,000 timers, all or none (POST /timers/batch), in the order given."""
        return await self.send(calls.create_timers(timers))

    async def get_timer(self, timer_id: str) -> models.TimerDetail:
        return await self.send(calls.get_timer(timer_id))

    async def list_timers(
        self,
        *,
        status: str | None = None,
        sort: str | None = None,
        order: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> models.TimerList:
        """One page; ``iter_timers`` walks them all."""
        return await self.send(
            calls.list_timers(status=status, sort=sort, order=order, limit=limit, offset=offset)
        )

    def iter_timers(
        self,
        *,
        status: str | None = None,
        sort: str | None = None,
        order: str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> AsyncIterator[models.TimerSummary]:
        def page(offset: int) -> Call[models.TimerList]:
            return calls.list_timers(status=status, sort=sort, order=order, limit=page_size, offset=offset)

        return self.pages(page, lambda answer: answer.timers)

    async def update_timer(
        self, timer_id: str, change: models.PatchedTimerUpdate | Mapping[str, Any]
    ) -> models.TimerSummary:
        return await self.send(calls.update_timer(timer_id, change))

    async def cancel_timer(self, timer_id: str) -> models.TimerSummary:
        """Cancel a pending timer (DELETE /timers/{id}); it stays readable."""
        return await self.send(calls.cancel_timer(timer_id))

    async def replay(
        self, request: models.ReplayRequest | Mapping[str, Any] | None = None
    ) -> models.ReplayAnswer:
        """Send dead letters (failed timers and tasks) again: POST /timers/replay with a
        ``filter``, ``dry_run``, ``rate`` and ``limit`` (all optional)."""
        return await self.send(calls.replay(request or {}))

    # --- jobs and tasks --------------------------------------------------------------

    async def create_job(self, job: JobRequest, *, idempotency_key: str | None = None) -> JobAnswer:
        """Create a job of any type (``models.CronJobWrite``, ``models.EventJobWrite``…, or a
        mapping with its ``schedule_type``); answers the job's own model."""
        return await self.send(calls.create_job(job, idempotency_key))

    async def get_job(self, job_id: str, *, upcoming: int | None = None) -> JobAnswer:
        return await self.send(calls.get_job(job_id, upcoming))

    async def list_jobs(
        self,
        *,
        status: str | None = None,
        schedule_type: str | None = None,
        metadata_key: str | None = None,
        metadata_value: str | None = None,
        sort: str | None = None,
        order: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> models.JobList:
        return await self.send(
            calls.list_jobs(
                status=status,
                schedule_type=schedule_type,
                metadata_key=metadata_key,
                metadata_value=metadata_value,
                sort=sort,
                order=order,
                limit=limit,
                offset=offset,
            )
        )

    def iter_jobs(
        self,
        *,
        status: str | None = None,
        schedule_type: str | None = None,
        metadata_key: str | None = None,
        metadata_value: str | None = None,
        sort: str | None = None,
        order: str | None = None,
        page_size: int = PAGE_SIZE,
    ) -> AsyncIterator[JobAnswer]:
        def page(offset: int) -> Call[models.JobList]:
            return calls.list_jobs(
                status=status,
                schedule_type=schedule_type,
                metadata_key=metadata_key,
                metadata_value=metadata_value,
                sort=sort,
                order=order,
                limit=page_size,
                offset=offset,
            )

        return self.pages(page, lambda answer: [job.root for job in answer.jobs])

    async def update_job(self, job_id: str, change: models.PatchedJobUpdate | Mapping[str, Any]) -> JobAnswer:
        return await self.send(calls.update_job(job_id, change))

    async def pause_job(self, job_id: str) -> JobAnswer:
        return await self.send(calls.job_action(job_id, "pause"))

    async def resume_job(self, job_id: str) -> JobAnswer:
        return await self.send(calls.job_action(job_id, "resume"))

    async def delete_job(self, job_id: str) -> JobAnswer:
        """Soft delete: the job stays readable with its history."""
        return await self.send(calls.job_action(job_id, "delete"))

    async def run_now(self, job_id: str) -> models.TaskDetail:
        """Run the job once now, outside its schedule (POST /jobs/{id}/run); its new task."""
        return await self.send(calls.run_now(job_id))

    async def list_job_tasks(
        self,
        job_id: str,
        *,
        status: str | None = None,
        order: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> models.TaskList:
        return await self.send(
            calls.list_job_tasks(job_id, status=status, order=order, limit=limit, offset=offset)
        )

    def iter_job_tasks(
        self, job_id: str, *, status: str | None = None, order: str | None = None, page_size: int = PAGE_SIZE
    ) -> AsyncIterator[models.TaskSummary]:
        def page(offset: int) -> Call[models.TaskList]:
            return calls.list_job_tasks(job_id, status=status, order=order, limit=page_size, offset=offset)

        return self.pages(page, lambda answer: answer.tasks)

    async def get_task(self, task_id: str) -> models.TaskDetail:
        return await self.send(calls.get_task(task_id))

    # --- events, secrets, health -----------------------------------------------------

    async def send_event(self, event: models.EventWrite | Mapping[str, Any]) -> models.EventAccepted:
        """POST /events; an event without ``id`` gets a fresh one, kept on retries."""
        return await self.send(calls.send_event(event))

    async def signing_secret(self) -> str:
        """The tenant's ``whsec_…`` secret, for ``verify_webhook``."""
        return await self.send(calls.signing_secret())

    async def health(self) -> models.Health:
        return await self.send(calls.health())

    # --- withdrawals -----------------------------------------------------------------

    async def public_key(self) -> models.TeePublicKey:
        """The TEE's key (``public_key``: base64 DER) to seal withdrawals to."""
        return await self.send(calls.public_key())

    async def schedule_withdrawal(
        self, request: models.ScheduleWithdraw | Mapping[str, Any]
    ) -> models.Scheduled:
        """POST /schedule_withdraw with what ``seal_withdrawal`` made."""
        return await self.send(calls.schedule_withdrawal(request))

    async def get_withdrawal(self, status_token: str) -> models.WithdrawalStatus:
        return await self.send(calls.get_withdrawal(status_token))

    async def cancel_withdrawal(self, status_token: str) -> models.WithdrawalStatus:
        return await self.send(calls.cancel_withdrawal(status_token))
