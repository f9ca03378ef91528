"""Condition math for condition jobs: read a value, compare it, and decide whether an
evaluation is an edge that fires. Pure functions of the observation and ``now``.

States: ``unknown`` (never observed), ``false``, ``pending`` (true, but not yet for
``for_secs``), ``true`` (true and fired, or suppressed by the cooldown). Only a change from
not-true to true that has held ``for_secs`` fires, and never within ``cooldown_secs`` of the
last firing. A source error or an unreadable value is neither true nor false: the state
stays as it was, so an error can never make an edge. A job's first observation counts as
coming from false: a condition already true when the job is created fires once.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from jsonpointer import JsonPointer, JsonPointerException

UNKNOWN = "unknown"
FALSE = "false"
PENDING = "pending"
TRUE = "true"

ORDERING = (">", "<", ">=", "<=")
OPERATORS = (*ORDERING, "==", "!=")


class Unreadable(ValueError):
    """The source's answer has no comparable value where the job looks."""


def pointer(text: str) -> JsonPointer:
    """A JSON Pointer (RFC 6901); raises Unreadable for a malformed one."""
    try:
        return JsonPointer(text)
    except JsonPointerException as exc:
        raise Unreadable(f"invalid JSON pointer: {exc}") from exc


def read(document: Any, path: str) -> Any:
    try:
        return pointer(path).resolve(document)
    except JsonPointerException as exc:
        raise Unreadable(f"nothing at {path or '(root)'}: {exc}") from exc


def _number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise Unreadable(f"{value!r} is not a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise Unreadable(f"{value!r} is not a number") from exc
    if not number.is_finite():
        raise Unreadable(f"{value!r} is not a finite number")
    return number


# A quantity as JSON-RPC writes one ("0x1a"), or a 32-byte word (eth_call): 256 bits at most.
HEX_QUANTITY = re.compile(r"0x[0-9a-fA-F]{1,64}")


def quantity(value: Any, value_format: str) -> Any:
    """The value to compare: as read, or for ``hex`` the integer a ``0x`` quantity writes;
    raises Unreadable for anything else."""
    if value_format != "hex":
        return value
    if not isinstance(value, str) or not HEX_QUANTITY.fullmatch(value):
        raise Unreadable(f"{value!r} is not a 0x hex quantity")
    return int(value, 16)


def holds(value: Any, operator: str, target: Any) -> bool:
    """Compare as numbers (Decimal) when both sides are numbers; ``==``/``!=`` also
    compare strings and booleans as they are. Raises Unreadable if they cannot compare."""
    numeric = not isinstance(target, bool) and isinstance(target, int | float)
    if operator in ORDERING or numeric:
        left, right = _number(value), _number(target)
        return {
            ">": left > right,
            "<": left < right,
            ">=": left >= right,
            "<=": left <= right,
            "==": left == right,
            "!=": left != right,
        }[operator]
    if type(value) is not type(target):
        raise Unreadable(f"{value!r} and {target!r} are not of one type")
    return (value == target) if operator == "==" else (value != target)


COMBINATORS = ("all", "any")


def clauses(expression: dict[str, Any]) -> list[dict[str, Any]]:
    """The clauses of an expression (a clause, or ``{"all"|"any": [...]}`` of expressions),
    in order."""
    for combinator in COMBINATORS:
        if combinator in expression:
            return [clause for part in expression[combinator] for clause in clauses(part)]
    return [expression]


def combine(expression: dict[str, Any], verdict: Callable[[dict[str, Any]], bool | None]) -> bool | None:
    """Whether an expression holds, given each clause's ``verdict``; None (unknown) when any
    clause is unknown: a failing source never decides, even where the others would."""
    for combinator, decide in (("all", all), ("any", any)):
        if combinator in expression:
            results = [combine(part, verdict) for part in expression[combinator]]
            return None if None in results else decide(results)
    return verdict(expression)


@dataclass(frozen=True)
class Step:
    state: str
    since: datetime | None  # when the condition became true
    fires: bool


def step(
    *,
    state: str,
    since: datetime | None,
    last_fired_at: datetime | None,
    observed: bool | None,
    now: datetime,
    for_secs: int,
    cooldown_secs: int,
) -> Step:
    """The state after one evaluation (``observed`` None: an error, which changes nothing)."""
    if observed is None:
        return Step(state, since, False)
    if not observed:
        return Step(FALSE, None, False)
    if state == TRUE:
        return Step(TRUE, since, False)
    since = since if state == PENDING and since is not None else now
    if now - since < timedelta(seconds=for_secs):
        return Step(PENDING, since, False)
    cooling = last_fired_at is not None and now - last_fired_at < timedelta(seconds=cooldown_secs)
    return Step(TRUE, since, not cooling)
