"""Reads for the console's dead letters: failed timers and tasks as the timers' replay finds
them (``timers.selectors.dead_letters``, so the list is what a replay would put back), and
failed withdrawals (listed only), narrowed by the operator's filters."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime

from scheduler_project.core.models import Tenant
from timers import selectors
from timers.models import Timer
from withdrawals.models import ScheduledRequest

PAGE = 100
KINDS = {"timer": "one-shot timers", "task": "jobs' tasks"}


@dataclass(frozen=True)
class Filters:
    """What the operator chose: a tenant's slug, one-shot timers or jobs' tasks only, the
    callback's host, text in the last error, and a window on when it failed (ISO 8601)."""

    tenant: str = ""
    kind: str = ""
    callback_host: str = ""
    error: str = ""
    failed_after: datetime | None = None
    failed_before: datetime | None = None

    FIELDS = ("tenant", "kind", "callback_host", "error", "failed_after", "failed_before")

    @classmethod
    def query(cls, params: dict[str, str]) -> dict[str, str]:
        """The filters among ``params``, to carry to the next page."""
        return {key: params[key] for key in cls.FIELDS if params.get(key)}

    @classmethod
    def parse(cls, params: dict[str, str]) -> "Filters":
        def moment(name: str) -> datetime | None:
            try:
                return parse_datetime(params.get(name, "").strip())
            except ValueError:
                return None

        return cls(
            tenant=params.get("tenant", "").strip(),
            kind=params.get("kind", "") if params.get("kind") in KINDS else "",
            callback_host=params.get("callback_host", "").strip(),
            error=params.get("error", "").strip(),
            failed_after=moment("failed_after"),
            failed_before=moment("failed_before"),
        )

    def tenant_row(self) -> Tenant | None:
        return Tenant.objects.filter(slug=self.tenant).first() if self.tenant else None

    def as_dict(self) -> dict[str, Any]:
        """The filters ``timers.selectors.dead_letters`` and the replay take (those set)."""
        found = {
            "kind": self.kind,
            "callback_host": self.callback_host,
            "error": self.error,
            "failed_after": self.failed_after,
            "failed_before": self.failed_before,
        }
        return {key: value for key, value in found.items() if value}


def failed_timers(filters: Filters) -> QuerySet[Timer]:
    """The dead letters the filters select (none for an unknown tenant), the latest first."""
    if filters.tenant and filters.tenant_row() is None:
        return Timer.objects.none()
    found = selectors.dead_letters(tenant=filters.tenant_row(), filters=filters.as_dict())
    return found.select_related("tenant").order_by("-updated_at")


def failed_withdrawals(filters: Filters) -> QuerySet[ScheduledRequest]:
    found = ScheduledRequest.objects.dead_letters().defer("payload")
    if filters.error:
        found = found.filter(error_message__icontains=filters.error)
    if filters.failed_after:
        found = found.filter(processed_at__gt=filters.failed_after)
    if filters.failed_before:
        found = found.filter(processed_at__lt=filters.failed_before)
    return found.order_by("-id")


def tenant_slugs() -> list[str]:
    return list(Tenant.objects.order_by("slug").values_list("slug", flat=True))
