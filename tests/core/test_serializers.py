"""Serializers whose fields are built once per class: one request's input never changes how
the next is read, and a partial read is still partial."""

from typing import Any

from timers.models import Timer
from timers.serializers import (
    TimerBatchSerializer,
    TimerSummarySerializer,
    TimerUpdateSerializer,
    TimerWriteSerializer,
)

VALID = {"execute_at": "2999-01-01T00:00:00Z", "callback_url": "https://api.example.com/webhook"}


def errors_of(serializer: Any) -> dict[str, Any]:
    serializer.is_valid()
    return dict(serializer.errors)


def test_a_refused_body_leaves_nothing_behind_for_the_next() -> None:
    assert set(errors_of(TimerWriteSerializer(data={"callback_url": "ftp://x", "max_attempts": 99}))) == {
        "execute_at",
        "callback_url",
        "max_attempts",
    }
    second = TimerWriteSerializer(data={**VALID, "max_attempts": 3})
    assert second.is_valid(), second.errors
    assert second.validated_data["max_attempts"] == 3
    third = TimerWriteSerializer(data=VALID)
    assert third.is_valid()
    assert "max_attempts" not in third.validated_data


def test_a_partial_read_skips_missing_fields_and_a_full_one_does_not() -> None:
    for _ in range(2):  # after the shared fields exist, in either order
        assert TimerWriteSerializer(data={"max_attempts": 2}, partial=True).is_valid()
        assert set(errors_of(TimerWriteSerializer(data={"max_attempts": 2}))) == {
            "execute_at",
            "callback_url",
        }
        assert TimerUpdateSerializer(data={"max_attempts": 2}).is_valid()


def test_a_nested_item_is_read_like_a_single_body() -> None:
    batch = TimerBatchSerializer(data={"timers": [VALID, {"execute_at": "soon"}]})
    assert not batch.is_valid()
    assert list(batch.errors["timers"]) == [1]  # only the invalid item, at its index
    assert set(batch.errors["timers"][1]) == {"execute_at", "callback_url"}


def test_shapes_render_each_instance_with_its_own_values() -> None:
    first, second = (
        Timer(execute_at="2999-01-01T00:00:00Z", callback_url=url, status="pending")
        for url in ("https://a.example/x", "https://b.example/y")
    )
    assert TimerSummarySerializer(first).data["callback_url"] == "https://a.example/x"
    assert TimerSummarySerializer(second).data["callback_url"] == "https://b.example/y"
    assert [row["callback_url"] for row in TimerSummarySerializer([second, first], many=True).data] == [
        "https://b.example/y",
        "https://a.example/x",
    ]


def test_bodies_read_at_once_on_many_threads_each_get_their_own_values() -> None:
    from concurrent.futures import ThreadPoolExecutor

    def read(n: int) -> tuple[str, int] | str:
        if n % 3 == 0:
            refused = TimerWriteSerializer(data={"callback_url": f"ftp://{n}"})
            return "refused" if not refused.is_valid() and "execute_at" in refused.errors else "accepted?"
        body = TimerWriteSerializer(
            data={**VALID, "callback_url": f"https://a.example/{n}", "max_attempts": n % 10 + 1}
        )
        assert body.is_valid(), body.errors
        return body.validated_data["callback_url"], body.validated_data["max_attempts"]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(read, range(2400)))
    assert results == [
        "refused" if n % 3 == 0 else (f"https://a.example/{n}", n % 10 + 1) for n in range(2400)
    ]
