"""All/any expressions of clauses, for composite conditions and event filters: a clause, or
``{"all": [...]}`` / ``{"any": [...]}`` whose items are clauses or, once, such a group of
clauses. Evaluated by ``timers.conditions.combine``; read and bounded here."""

from typing import Any

from rest_framework import serializers

from timers import conditions

MAX_CLAUSES = 20
# A group inside a group, and no deeper: deeper logic is rarely meant and hard to read back.
MAX_GROUP_DEPTH = 2


def group_schema(clause: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a top-level group whose items are ``clause`` or a group of them."""

    def group(items: dict[str, Any]) -> dict[str, Any]:
        listing = {"type": "array", "minItems": 1, "maxItems": MAX_CLAUSES, "items": items}
        return {
            "type": "object",
            "properties": {name: listing for name in conditions.COMBINATORS},
            "minProperties": 1,
            "maxProperties": 1,
            "additionalProperties": False,
        }

    return group({"anyOf": [clause, group(clause)]})


class Expression:
    """Reads one expression, collecting every problem with where it is (a JSON Pointer into
    the field), and returns it with each clause as its serializer leaves it (defaults in)."""

    def __init__(self, clause: type[serializers.Serializer], *, bare_clause: bool) -> None:
        self.clause, self.bare_clause = clause, bare_clause
        self.errors: list[str] = []
        self.count = 0

    def read(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise serializers.ValidationError("must be a JSON object")
        if not self.bare_clause and not set(data) & set(conditions.COMBINATORS):
            raise serializers.ValidationError('must be {"all": [...]} or {"any": [...]}')
        expression = self._node(data, "", 0)
        if self.count > MAX_CLAUSES:
            self.errors.append(f"at most {MAX_CLAUSES} clauses in all, not {self.count}")
        if self.errors:
            raise serializers.ValidationError(self.errors)
        return expression

    def _node(self, data: Any, path: str, depth: int) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.errors.append(f"{path or '/'}: must be a JSON object")
            return {}
        given = [name for name in conditions.COMBINATORS if name in data]
        if not given:
            return self._clause(data, path)
        if len(data) != 1:
            self.errors.append(f"{path or '/'}: a group has one key, all or any, and nothing else")
            return {}
        combinator = given[0]
        items = data[combinator]
        if depth >= MAX_GROUP_DEPTH:
            self.errors.append(f"{path}: groups nest once at most")
            return {}
        if not isinstance(items, list) or not items:
            self.errors.append(f"{path}/{combinator}: must be a non-empty list")
            return {}
        if len(items) > MAX_CLAUSES:  # before reading them: the count is over anyway
            self.errors.append(f"{path}/{combinator}: at most {MAX_CLAUSES} items")
            return {}
        parts = [self._node(item, f"{path}/{combinator}/{i}", depth + 1) for i, item in enumerate(items)]
        return {combinator: parts}

    def _clause(self, data: dict[str, Any], path: str) -> dict[str, Any]:
        self.count += 1
        clause = self.clause(data=data)
        if clause.is_valid():
            return dict(clause.validated_data)
        for name, messages in clause.errors.items():
            where = path if name == "non_field_errors" else f"{path}/{name}"
            self.errors.extend(f"{where or '/'}: {message}" for message in messages)
        return {}
