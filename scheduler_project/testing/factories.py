"""factory_boy factories for the models tests create directly (timers, chain event jobs),
and sealed withdrawals, which the withdrawals benchmark schedules as the tests do."""

import secrets
import time
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from scheduler_project.core.models import Tenant
from tee.crypto import EncryptionEnvelope, seal_withdrawal
from timers.models import Job, ScheduleType, Timer


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tenant-{n}")
    name = factory.LazyAttribute(lambda t: t.slug)


class TimerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timer

    tenant = factory.SubFactory(TenantFactory)
    execute_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
    due_at = factory.LazyAttribute(lambda t: t.execute_at)
    callback_url = "http://127.0.0.1:9/hook"
    callback_payload = factory.LazyFunction(lambda: {"event": "test"})


class EventJobFactory(factory.django.DjangoModelFactory):
    """An active event job, made through the ORM (the job API validates its fields)."""

    class Meta:
        model = Job

    tenant = factory.SubFactory(TenantFactory)
    schedule_type = ScheduleType.EVENT
    event_type = "order.paid"
    callback_url = "http://127.0.0.1:9/hook"


def event_job(**fields: Any) -> Job:
    """An event job of ``event_type`` (default ``order.paid``) with ``fields`` set as given."""
    return EventJobFactory.create(**fields)


class ChainJobFactory(factory.django.DjangoModelFactory):
    """A ``chain_event`` job as the jobs API stores one: logs of ``addresses`` (lowercase)
    and ``topics`` on the chain behind ``rpc_url``."""

    class Meta:
        model = Job

    tenant = factory.SubFactory(TenantFactory)
    schedule_type = ScheduleType.CHAIN_EVENT
    rpc_url = "http://127.0.0.1:8545"
    addresses = factory.LazyFunction(lambda: ["0x" + "c0" * 20])
    topics = factory.LazyFunction(list)
    confirmations = 3
    from_block = 0
    poll_interval_secs = 1
    callback_url = "http://127.0.0.1:9/chain"


def withdrawal_fields(**overrides: Any) -> dict[str, Any]:
    """A withdrawal's fields, ``relay_after`` aside, that the TEE simulator relays."""
    fields: dict[str, Any] = {
        "account_id": 7,
        "account_old_balance": 10**18,
        # A fresh note each time: the service refuses a second relay of the same nullifier.
        "nullifier_old": secrets.randbelow(2**64),
        "nullifier_new": secrets.randbelow(2**64),
        "last_note_index": 12345,
        "chain_id": 2039,
        "token_address": "0x" + "00" * 20,
        "withdrawal_value": 10**17,
        "withdraw_address": "0x" + "ab" * 20,
        "pocket_money": 5,
        "protocol_fee": 0,
        "memo": b"\x01\x02",
        "max_relayer_fee": 10**18,
    }
    fields.update(overrides)
    return fields


def sealed_withdrawal(public_key_der: bytes, **overrides: Any) -> EncryptionEnvelope:
    """A sealed withdrawal that the simulator accepts with RELAY, unless overridden."""
    fields = {**withdrawal_fields(), "relay_after": int(time.time()) - 1, **overrides}
    return seal_withdrawal(public_key_der, **fields)
