"""Upgrade tests for ``core.departures.drf_fields`` (decision 0014): DRF still builds a
serializer's fields for each instance, and the stand-in shares them where it may."""

from django.utils.functional import cached_property
from rest_framework import serializers

from scheduler_project.core.departures.drf_fields import FieldsBuiltOnce
from timers.serializers import TimerWriteSerializer


class Stock(serializers.Serializer):
    name = serializers.CharField()


class Shared(FieldsBuiltOnce):
    name = serializers.CharField()


def test_stock_builds_the_fields_again_for_each_instance() -> None:
    """If this fails, DRF shares fields itself: the stand-in may go."""
    assert isinstance(serializers.Serializer.__dict__["fields"], cached_property)
    assert Stock().fields is not Stock().fields


def test_instances_share_their_fields_unless_partial_or_given_a_context() -> None:
    assert Shared().fields is Shared().fields
    assert Shared(partial=True).fields is not Shared().fields
    assert Shared(context={"request": None}).fields is not Shared().fields


def test_shared_fields_validate_each_body_on_its_own() -> None:
    good = TimerWriteSerializer(
        data={"execute_at": "2099-01-01T00:00:00Z", "callback_url": "https://a.example/x"}
    )
    bad = TimerWriteSerializer(data={"execute_at": "soon", "callback_url": "ftp://a.example/x"})
    assert good.is_valid() and not bad.is_valid()
    assert set(bad.errors) == {"execute_at", "callback_url"} and good.errors == {}
    assert good.fields is bad.fields
