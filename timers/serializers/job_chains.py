"""Chain event jobs: the logs of some addresses (and topics) on the EVM chain behind a
JSON-RPC URL, each fired once its block has enough confirmations."""

import re
from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scheduler_project.core.serializers import StrictIntegerField
from timers import selectors
from timers.models import Job
from timers.serializers.common import CallbackUrlField, type_tag
from timers.serializers.job_base import JobBaseSerializer

ADDRESS_PATTERN = "0x[0-9a-fA-F]{40}"
TOPIC_PATTERN = "0x[0-9a-fA-F]{64}"
ADDRESS = re.compile(ADDRESS_PATTERN)
TOPIC = re.compile(TOPIC_PATTERN)
MAX_ADDRESSES = 100
MAX_TOPIC_POSITIONS = 4
MAX_TOPIC_CHOICES = 20
MAX_BLOCK = 2**63 - 1  # what the column holds
MAX_CHAIN_POLL_SECS = 3600
DEFAULT_CHAIN_POLL_SECS = 1
_ADDRESS_SCHEMA = {"type": "string", "pattern": f"^{ADDRESS_PATTERN}$"}
_TOPIC_SCHEMA = {"type": "string", "pattern": f"^{TOPIC_PATTERN}$"}


@extend_schema_field(
    {
        "anyOf": [
            _ADDRESS_SCHEMA,
            {"type": "array", "items": _ADDRESS_SCHEMA, "minItems": 1, "maxItems": MAX_ADDRESSES},
        ],
        "description": "The contract whose logs fire the job, or a list of up to 100 of them "
        "(0x and 40 hex digits; stored in lower case).",
    }
)
class AddressField(serializers.Field):
    def to_internal_value(self, data: Any) -> list[str]:
        given = [data] if isinstance(data, str) else data
        if not isinstance(given, list) or not 1 <= len(given) <= MAX_ADDRESSES:
            raise serializers.ValidationError(
                f"must be an address or a list of 1 to {MAX_ADDRESSES} addresses"
            )
        if not all(isinstance(item, str) and ADDRESS.fullmatch(item) for item in given):
            raise serializers.ValidationError("each address is 0x and 40 hex digits")
        return list(dict.fromkeys(item.lower() for item in given))

    def to_representation(self, value: Any) -> Any:
        return value


_TOPIC_POSITION = {
    "anyOf": [
        {"type": "null"},
        _TOPIC_SCHEMA,
        {"type": "array", "items": _TOPIC_SCHEMA, "minItems": 1, "maxItems": MAX_TOPIC_CHOICES},
    ]
}


@extend_schema_field(
    {
        "type": "array",
        "items": _TOPIC_POSITION,
        "maxItems": MAX_TOPIC_POSITIONS,
        "description": "eth_getLogs topics: up to 4 positions, each null (any), a topic (0x and 64 "
        "hex digits) or a list of up to 20 topics (any of them).",
    }
)
class TopicsField(serializers.Field):
    def to_internal_value(self, data: Any) -> list[Any]:
        if not isinstance(data, list) or len(data) > MAX_TOPIC_POSITIONS:
            raise serializers.ValidationError(f"must be a list of at most {MAX_TOPIC_POSITIONS} positions")
        return [self._position(item, n) for n, item in enumerate(data)]

    def _position(self, item: Any, n: int) -> Any:
        if item is None:
            return None
        choices = [item] if isinstance(item, str) else item
        if not isinstance(choices, list) or not 1 <= len(choices) <= MAX_TOPIC_CHOICES:
            raise serializers.ValidationError(
                f"position {n}: null, a topic or a list of 1 to {MAX_TOPIC_CHOICES} topics"
            )
        if not all(isinstance(choice, str) and TOPIC.fullmatch(choice) for choice in choices):
            raise serializers.ValidationError(f"position {n}: each topic is 0x and 64 hex digits")
        lowered = [choice.lower() for choice in choices]
        return lowered[0] if isinstance(item, str) else lowered

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_field(
    {
        "anyOf": [
            {"type": "integer", "minimum": 0, "maximum": MAX_BLOCK},
            {"type": "string", "enum": ["latest"]},
        ],
        "description": 'The first block to scan, or "latest" (default): the head when the job is created.',
    }
)
class FromBlockField(serializers.Field):
    def to_internal_value(self, data: Any) -> int | None:
        if data == "latest":
            return None
        if isinstance(data, float) and data.is_integer():  # 5.0 is an integer to JSON Schema too
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int) or not 0 <= data <= MAX_BLOCK:
            raise serializers.ValidationError('must be a block number (an integer from 0) or "latest"')
        return data

    def to_representation(self, value: Any) -> Any:
        return "latest" if value is None else value


class ChainFields(serializers.Serializer):
    """What a chain event job takes besides the common fields."""

    rpc_url = CallbackUrlField(max_length=settings.TIMER_MAX_URL_LENGTH, required=False,
                               help_text="The chain's JSON-RPC endpoint.")  # fmt: skip
    address = AddressField(required=False)
    topics = TopicsField(required=False)
    confirmations = StrictIntegerField(min_value=0, max_value=1000, required=False, help_text="Default 3.")
    from_block = FromBlockField(required=False)
    max_block_range = StrictIntegerField(
        min_value=1,
        max_value=100_000,
        required=False,
        help_text="The widest eth_getLogs range; default 1000.",
    )
    reorg_depth = StrictIntegerField(
        min_value=1,
        max_value=1024,
        required=False,
        help_text="How far back a reorganisation is followed; default 64.",
    )


def chain_rules(merged: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """A chain job needs its endpoint and addresses; it is polled every second by default,
    and at least once an hour."""
    for name in ("rpc_url", "address"):
        if merged.get(name) in (None, "", []):
            errors[name] = ["required when schedule_type is chain_event"]
    interval = merged.get("poll_interval_secs")
    if interval is None:
        merged["poll_interval_secs"] = DEFAULT_CHAIN_POLL_SECS
    elif interval > MAX_CHAIN_POLL_SECS:
        errors["poll_interval_secs"] = [f"at most {MAX_CHAIN_POLL_SECS} for schedule_type chain_event"]


def stored_chain(job: Job) -> dict[str, Any]:
    fields = {name: getattr(job, name) for name in ChainFields._declared_fields if name != "address"}
    return {**fields, "address": job.addresses, "poll_interval_secs": job.poll_interval_secs}


class ChainEventJobSerializer(JobBaseSerializer):
    """A chain event job: what it watches, where its scan stands and how far behind it is."""

    schedule_type = type_tag("chain_event")
    # Described by callback_url's pattern: a model URLField says format "uri", which a URL
    # the pattern allows (one with non-ASCII characters) fails.
    rpc_url = CallbackUrlField()
    address = AddressField(source="addresses")
    topics = TopicsField()
    from_block = FromBlockField()
    lag = serializers.SerializerMethodField()

    class Meta(JobBaseSerializer.Meta):
        fields = [
            *JobBaseSerializer.Meta.fields, "rpc_url", "address", "topics", "confirmations", "from_block",
            "poll_interval_secs", "max_block_range", "reorg_depth", "last_processed_block",
            "last_processed_hash", "lag", "last_error",
        ]  # fmt: skip

    def to_representation(self, instance: Job) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        data["from_block"] = FromBlockField().to_representation(instance.from_block)  # None reads "latest"
        return data

    @extend_schema_field(
        {"type": ["integer", "null"], "description": "The endpoint's head block less the last block "
         "processed (0 if ahead); null while either is unknown."}
    )  # fmt: skip
    def get_lag(self, job: Job) -> int | None:
        return selectors.chain_lag(job)
