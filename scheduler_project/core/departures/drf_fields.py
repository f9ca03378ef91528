"""DRF's serializers, changed: a serializer's fields built once per class, not once per
instance (``FieldsBuiltOnce``). Decision record: docs/decisions/0014-drf-fields-built-once.md.
"""

from typing import Any

from django.utils.functional import cached_property
from rest_framework import serializers


class FieldsBuiltOnce(serializers.Serializer):
    """A serializer whose fields are built once per class and shared by its instances.

    DRF builds a serializer's fields again for every instance (a ModelSerializer also reads
    the model's metadata each time): most of a create's serializer work.
    Fields keep no per-request state while validating or rendering; what they read from
    their root is ``partial`` and the context, so an instance whose root is partial unlike
    the shared fields' own, or that has a context, builds its own."""

    @cached_property
    def fields(self) -> Any:
        cls = type(self)
        shared = cls.__dict__.get("_shared_fields")
        if shared is None:
            prototype = cls()
            shared = (prototype.partial, serializers.Serializer.fields.func(prototype))  # type: ignore[attr-defined]
            cls._shared_fields = shared  # type: ignore[attr-defined]
        partial, fields = shared
        if getattr(self.root, "partial", False) != partial or self.root._context:
            return serializers.Serializer.fields.func(self)  # type: ignore[attr-defined]
        return fields
