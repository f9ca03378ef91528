"""Reads for the console's dead letters: failed timers and tasks, and failed withdrawals
(listed only), narrowed by the operator's filters."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime

from scheduler_project.core.models import Tenant
from timers.models import Timer, TimerStatus
from withdrawals.models import ScheduledRequest, WithdrawalStatus

PAGE = 100


@dataclass(frozen=True)
class Filters:
    """What the operator typed: a tenant's slug, text in the callback's host (or URL), text
    in the last error, and a window on when the row last changed (ISO 8601)."""

    tenant: str = ""
    host: str = ""
    error: str = ""
    since: datetime | None = None
    until: datetime | None = None

    FIELDS = ("tenant", "host", "error", "since", "until")

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
            host=params.get("host", "").strip(),
            error=params.get("error", "").strip(),
            since=moment("since"),
            until=moment("until"),
        )

    def as_dict(self) -> dict[str, object]:
        """The filters the timers' replay service takes (those set)."""
        found: dict[str, object] = {
            "host": self.host,
            "error": self.error,
            "since": self.since,
            "until": self.until,
        }
        return {key: value for key, value in found.items() if value}


def failed_timers(filters: Filters) -> QuerySet[Timer]:
    found = Timer.objects.filter(status=TimerStatus.FAILED).select_related("tenant")
    if filters.tenant:
        found = found.filter(tenant__slug=filters.tenant)
    if filters.host:
        found = found.filter(callback_url__icontains=filters.host)
    if filters.error:
        found = found.filter(last_error__icontains=filters.error)
    if filters.since:
        found = found.filter(updated_at__gte=filters.since)
    if filters.until:
        found = found.filter(updated_at__lt=filters.until)
    return found.order_by("-updated_at")


def failed_withdrawals(filters: Filters) -> QuerySet[ScheduledRequest]:
    found = ScheduledRequest.objects.filter(status=WithdrawalStatus.FAILED).defer("payload")
    if filters.error:
        found = found.filter(error_message__icontains=filters.error)
    if filters.since:
        found = found.filter(processed_at__gte=filters.since)
    if filters.until:
        found = found.filter(processed_at__lt=filters.until)
    return found.order_by("-id")


def tenant_slugs() -> list[str]:
    return list(Tenant.objects.order_by("slug").values_list("slug", flat=True))
