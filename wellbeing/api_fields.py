"""Fields every app's API uses for ids of other records.

An id is a whole number: DRF would take 1.9 as record 1 and `true` as record 1, so a client's
bug would quietly change the wrong thing. A list of ids is bounded and each id is looked up
once: a request listing one id ten thousand times would otherwise keep a worker busy for many
minutes, a lookup at a time.
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

# More than any team, any list of values or any set of skills a request names at once.
MAX_IDS = 100


class BoundedManyRelatedField(serializers.ManyRelatedField):
    default_error_messages = {"too_many": "Give at most {max_ids} at once."}

    def to_internal_value(self, data):
        if isinstance(data, str | bytes | dict) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        data = list(data)
        if not self.allow_empty and not data:
            self.fail("empty")
        if len(data) > MAX_IDS:
            self.fail("too_many", max_ids=MAX_IDS)
        unique: dict = {}
        for item in data:
            unique.setdefault(repr(item), item)
        return [self.child_relation.to_internal_value(item) for item in unique.values()]


class WholeIdMixin:
    """For a PrimaryKeyRelatedField: whole-number ids only, and `many=True` bounded."""

    def to_internal_value(self, data):
        if isinstance(data, bool | float):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return BoundedManyRelatedField(**list_kwargs)


class RecordIdField(WholeIdMixin, serializers.PrimaryKeyRelatedField):
    """A record's id, or a bounded list of them with `many=True`."""
