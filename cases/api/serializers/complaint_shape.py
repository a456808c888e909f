"""One complaint in hand shaped as `ComplaintDetailSerializer` shapes it, without building the serializer.

A `ModelSerializer` builds its fields (and its nested serializers' fields) for every instance: for
the answer to a filing that cost more than shaping the complaint itself. `DetailShape` builds the
serializer once per process and walks its readable fields as DRF's `to_representation` does, each
field's own `get_attribute` and `to_representation`. The three method fields, which read the
serializer's context or the database, are made here from what the caller has: the deadline from the
columns on the complaint, the actions open to the requesting user, and the case numbers and the
review the caller knows (a complaint just filed has the numbers it was filed with and no review).
`tests/cases/test_write_path_queries.py` compares the answer with a later GET of the same complaint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from liaison.models import User
from liaison.workdays import WorkingCalendar

from ... import services
from ...models import Complaint
from .complaints import CaseReviewSerializer, ComplaintDetailSerializer, deadline_of

# Fields shaped from what the caller gives, not by the serializer's field.
GIVEN = {"case_numbers", "case_review", "allowed_actions", "deadline"}


class DetailShape:
    """The readable fields of `ComplaintDetailSerializer`, built once; thread-safe (no context kept)."""

    def __init__(self) -> None:
        serializer = ComplaintDetailSerializer()
        self.fields = [(field.field_name, field) for field in serializer._readable_fields]
        missing = GIVEN - {name for name, _field in self.fields}
        if missing:  # the serializer changed: the names here must follow it
            raise LookupError(f"ComplaintDetailSerializer has no field {sorted(missing)}")

    def __call__(
        self, complaint: Complaint, *, user: User, case_numbers: Sequence[str], review: Any = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, field in self.fields:
            if name == "case_numbers":
                data[name] = list(case_numbers)
            elif name == "case_review":
                data[name] = CaseReviewSerializer(review).data if review is not None else None
            elif name == "allowed_actions":
                data[name] = services.allowed_actions(user, complaint)
            elif name == "deadline":
                data[name] = _deadline(complaint)
            else:
                try:
                    attribute = field.get_attribute(complaint)
                except SkipField:
                    continue
                present = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                data[name] = None if present is None else field.to_representation(attribute)
        return data


def _deadline(complaint: Complaint) -> dict | None:
    """As `ComplaintSerializer.get_deadline`: from the columns kept on the complaint."""
    due = getattr(complaint, "current_due", None)
    if due is None:
        return None
    return deadline_of(due, complaint.current_due_kind, complaint.current_due_paused, WorkingCalendar())


_shape: DetailShape | None = None


def detail_of(complaint: Complaint, *, user: User, case_numbers: Sequence[str], review: Any = None) -> dict[str, Any]:
    """The complaint as its detail answer shows it (see `DetailShape`)."""
    global _shape
    if _shape is None:
        _shape = DetailShape()
    return _shape(complaint, user=user, case_numbers=case_numbers, review=review)
