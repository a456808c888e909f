"""The complaint list read as columns: the same JSON as `ComplaintSerializer`, without its cost per row.

`ComplaintSerializer` stays the definition of a list row (the schema, the detail builds on it).
Serializing 50 complaints with it instantiated eight model objects per row (the complaint and seven
joined rows) and walked 32 fields with DRF's attribute lookups, nested serializers included: most
of a list request. `ComplaintRows` reads the page with `.values()` and shapes each row from a plan
made once from the serializer's own fields: a column and the field's `to_representation` for plain
fields (choice labels from the serializer's dicts), the nested enterprise, organizations and
department likewise from their serializers' fields, once per distinct id, the handler made from its
columns and serialized by its serializer once per distinct id, the deadline once per distinct date,
and the case numbers of the page in one query. A field the plan does not know raises, so a field added to `ComplaintSerializer` has to
be added here too (`tests/cases/test_api_list_rows.py` compares both on every kind of row).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import serializers

from liaison.models import User
from liaison.workdays import WorkingCalendar

from ...models import Complaint, ComplaintCaseNumber
from .complaints import ComplaintSerializer, deadline_of

# Nested objects whose serializer reads more than columns (a person's name is `display_name`): made
# as model instances from these columns, once per distinct id, and serialized by their serializer.
BUILT: dict[str, tuple[type[Model], tuple[str, ...]]] = {"handler": (User, ("full_name", "username", "title"))}
DEADLINE_COLUMNS = ("current_due", "current_due_kind", "current_due_paused")

Getter = Callable[[dict], Any]


class ComplaintRows:
    """Reads a page of complaints as columns and shapes them as `ComplaintSerializer` would."""

    def __init__(self, context: dict | None = None) -> None:
        self.serializer = ComplaintSerializer(context=context or {})
        self.columns: list[str] = ["id"]
        self.numbers: dict[int, list[str]] = {}
        self.deadlines: dict[tuple, dict] = {}
        self.calendar: WorkingCalendar | None = None
        self.plan = [(name, self._getter(name, field)) for name, field in self.serializer.fields.items()]

    # --- the plan ------------------------------------------------------------------------------

    def _column(self, lookup: str) -> str:
        if lookup not in self.columns:
            self.columns.append(lookup)
        return lookup

    def _getter(self, name: str, field: serializers.Field, prefix: str = "") -> Getter:
        if not prefix:
            if name == "case_numbers":
                return lambda row: self.numbers.get(row["id"], [])
            if name == "deadline":
                for column in DEADLINE_COLUMNS:
                    self._column(column)
                return self._deadline
            if name in BUILT:
                return self._built_getter(name, field)
            if isinstance(field, serializers.ModelSerializer):
                return self._nested_getter(name, field)
        if isinstance(field, serializers.SerializerMethodField | serializers.ManyRelatedField | serializers.Serializer):
            raise ImproperlyShaped(f"{prefix}{name}")
        if prefix and field.source_attrs[0] not in {f.name for f in field.parent.Meta.model._meta.concrete_fields}:
            raise ImproperlyShaped(f"{prefix}{name}")
        column = self._column(prefix + "__".join(field.source_attrs))
        if isinstance(field, serializers.PrimaryKeyRelatedField):
            return lambda row: row[column]  # the id itself, as the field shows it
        represent = field.to_representation

        def plain(row: dict) -> Any:
            value = row[column]
            return None if value is None else represent(value)

        return plain

    def _nested_getter(self, name: str, field: serializers.ModelSerializer) -> Getter:
        """A nested object read from its columns, shaped once per distinct id."""
        key = self._column(f"{name}_id")
        plan = [(inner, self._getter(inner, sub, f"{name}__")) for inner, sub in field.fields.items()]
        memo: dict[int, dict] = {}

        def nested(row: dict) -> dict | None:
            pk = row[key]
            if pk is None:
                return None
            data = memo.get(pk)
            if data is None:
                data = memo[pk] = {inner: get(row) for inner, get in plan}
            return data

        return nested

    def _built_getter(self, name: str, field: serializers.Field) -> Getter:
        """A nested object made as a model instance from its columns and serialized, once per distinct id."""
        model, attributes = BUILT[name]
        lookups = {attribute: self._column(f"{name}__{attribute}") for attribute in attributes}
        key = self._column(f"{name}_id")
        memo: dict[int, Any] = {}
        represent = field.to_representation

        def built(row: dict) -> Any:
            pk = row[key]
            if pk is None:
                return None
            data = memo.get(pk)
            if data is None:
                data = memo[pk] = represent(model(pk=pk, **{a: row[c] for a, c in lookups.items()}))
            return data

        return built

    def _deadline(self, row: dict) -> dict | None:
        due = row["current_due"]
        if due is None:
            return None
        key = (due, row["current_due_kind"], row["current_due_paused"])
        data = self.deadlines.get(key)
        if data is None:
            if self.calendar is None:
                self.calendar = self.serializer._calendar()
            data = self.deadlines[key] = deadline_of(*key, self.calendar)
        return data

    # --- reading and shaping -------------------------------------------------------------------

    def read(self, queryset: QuerySet[Complaint]) -> Columns:
        """The filtered, ordered list as column rows (pagination counts and slices it; nothing is read yet)."""
        return Columns(queryset, self.columns)

    def shape(self, rows: Sequence[dict]) -> list[dict]:
        """The rows of one page as the API shows them (one query for their case numbers)."""
        self._read_case_numbers([row["id"] for row in rows])
        plan = self.plan
        return [{name: get(row) for name, get in plan} for row in rows]

    def _read_case_numbers(self, ids: Iterable[int]) -> None:
        self.numbers = {}
        ids = list(ids)
        if not ids:
            return
        numbers = (
            ComplaintCaseNumber.objects.filter(complaint_id__in=ids)
            .order_by("id")
            .values_list("complaint_id", "number")
        )
        for complaint_id, number in numbers:
            self.numbers.setdefault(complaint_id, []).append(number)


class Columns:
    """A list to paginate: counted on the complaints alone, sliced as column rows.

    Counting the `.values()` query itself would keep the joins its columns need (the enterprise,
    the organizations) in the COUNT(*); the queryset's own count has none.
    """

    def __init__(self, queryset: QuerySet[Complaint], columns: Sequence[str]) -> None:
        self.queryset = queryset
        self.rows = queryset.prefetch_related(None).values(*columns)

    @property
    def ordered(self) -> bool:
        return self.queryset.ordered

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict]:
        return list(self.rows[index])

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)


class ImproperlyShaped(LookupError):
    """A field of ComplaintSerializer the column plan does not know how to read."""

    def __init__(self, name: str) -> None:
        super().__init__(f"ComplaintRows has no plan for the field {name!r} of ComplaintSerializer")
