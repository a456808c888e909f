"""The complaint list read as columns: the same JSON as `ComplaintSerializer`, without its cost per row.

`ComplaintSerializer` stays the definition of a list row (the schema, the detail builds on it).
Serializing 50 complaints with it instantiated eight model objects per row (the complaint and seven
joined rows) and walked 32 fields with DRF's attribute lookups, nested serializers included: most
of a list request. `ComplaintRows` reads the page with `.values()` and shapes each row from a plan
made once from the serializer's own fields: a column and the field's `to_representation` for plain
fields (choice labels from the serializer's dicts), the nested enterprise, organizations and
department likewise from their serializers' fields, once per distinct id, the handler made from its
columns and serialized by its serializer once per distinct id, the deadline once per distinct date,
and the case numbers as an array in each row (PostgreSQL; elsewhere one query for the page). A field the plan does not know raises, so a field added to `ComplaintSerializer` has to
be added here too (`tests/cases/test_api_list_rows.py` compares both on every kind of row).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Model, OuterRef, QuerySet
from rest_framework import serializers

from liaison.models import User
from liaison.workdays import WorkingCalendar

from ...models import Complaint, ComplaintCaseNumber
from ...search import search_planning
from .complaints import ComplaintSerializer, deadline_of

# Nested objects whose serializer reads more than columns (a person's name is `display_name`): made
# as model instances from these columns, once per distinct id, and serialized by their serializer.
BUILT: dict[str, tuple[type[Model], tuple[str, ...]]] = {"handler": (User, ("full_name", "username", "title"))}
NUMBERS = "case_numbers_of_row"
DEADLINE_COLUMNS = ("current_due", "current_due_kind", "current_due_paused")


class Page:
    """What shaping one page remembers: nested objects and deadlines by key, the page's case numbers."""

    def __init__(self) -> None:
        self.memo: dict[str, dict] = {}
        self.deadlines: dict[tuple, dict] = {}
        self.numbers: dict[int, list[str]] = {}
        self.calendar: WorkingCalendar | None = None


PageGetter = Callable[[dict, Page], Any]


class Plan:
    """The columns to read and how each field of `ComplaintSerializer` is made from them; built
    once per process (building the serializer's fields costs more than shaping a page)."""

    def __init__(self, numbers_in_rows: bool) -> None:
        self.numbers_in_rows = numbers_in_rows
        self.columns: list[str] = ["id"]
        serializer = ComplaintSerializer()
        self.fields = [(name, self._getter(name, field)) for name, field in serializer.fields.items()]

    def _column(self, lookup: str) -> str:
        if lookup not in self.columns:
            self.columns.append(lookup)
        return lookup

    def _getter(self, name: str, field: serializers.Field, prefix: str = "") -> PageGetter:
        if not prefix:
            if name == "case_numbers":
                if self.numbers_in_rows:
                    return lambda row, page: row[NUMBERS]
                return lambda row, page: page.numbers.get(row["id"], [])
            if name == "deadline":
                for column in DEADLINE_COLUMNS:
                    self._column(column)
                return _deadline
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
            return lambda row, page: row[column]  # the id itself, as the field shows it
        represent = field.to_representation

        def plain(row: dict, page: Page) -> Any:
            value = row[column]
            return None if value is None else represent(value)

        return plain

    def _nested_getter(self, name: str, field: serializers.ModelSerializer) -> PageGetter:
        """A nested object read from its columns, shaped once per distinct id."""
        key = self._column(f"{name}_id")
        plan = [(inner, self._getter(inner, sub, f"{name}__")) for inner, sub in field.fields.items()]

        def nested(row: dict, page: Page) -> dict | None:
            pk = row[key]
            if pk is None:
                return None
            memo = page.memo.setdefault(name, {})
            data = memo.get(pk)
            if data is None:
                data = memo[pk] = {inner: get(row, page) for inner, get in plan}
            return data

        return nested

    def _built_getter(self, name: str, field: serializers.Field) -> PageGetter:
        """A nested object made as a model instance from its columns and serialized, once per distinct id."""
        model, attributes = BUILT[name]
        lookups = {attribute: self._column(f"{name}__{attribute}") for attribute in attributes}
        key = self._column(f"{name}_id")
        represent = field.to_representation

        def built(row: dict, page: Page) -> Any:
            pk = row[key]
            if pk is None:
                return None
            memo = page.memo.setdefault(name, {})
            data = memo.get(pk)
            if data is None:
                data = memo[pk] = represent(model(pk=pk, **{a: row[c] for a, c in lookups.items()}))
            return data

        return built


def _deadline(row: dict, page: Page) -> dict | None:
    due = row["current_due"]
    if due is None:
        return None
    key = (due, row["current_due_kind"], row["current_due_paused"])
    data = page.deadlines.get(key)
    if data is None:
        if page.calendar is None:
            page.calendar = WorkingCalendar()  # one per list (one query), only when a row has a deadline
        data = page.deadlines[key] = deadline_of(*key, page.calendar)
    return data


_plans: dict[bool, Plan] = {}


def plan_for(numbers_in_rows: bool) -> Plan:
    plan = _plans.get(numbers_in_rows)
    if plan is None:
        plan = _plans[numbers_in_rows] = Plan(numbers_in_rows)
    return plan


class ComplaintRows:
    """Reads a page of complaints as columns and shapes them as `ComplaintSerializer` would."""

    def __init__(self) -> None:
        # On PostgreSQL the case numbers come with the rows (an array per row), else in one query per page.
        self.plan = plan_for(connection.vendor == "postgresql")
        self.page = Page()

    def read(self, queryset: QuerySet[Complaint], *, search: bool = False) -> Columns:
        """The filtered, ordered list as column rows (pagination counts and slices it; nothing is read yet).
        `search`: the list is narrowed by a search term (read as `search_planning` says)."""
        return Columns(queryset, self.plan.columns, numbers=self.plan.numbers_in_rows, searched=search)

    def shape(self, rows: Sequence[dict]) -> list[dict]:
        """The rows of one page as the API shows them."""
        page, fields = self.page, self.plan.fields
        if not self.plan.numbers_in_rows:
            page.numbers = _case_numbers([row["id"] for row in rows])
        return [{name: get(row, page) for name, get in fields} for row in rows]


def _case_numbers(ids: list[int]) -> dict[int, list[str]]:
    numbers: dict[int, list[str]] = {}
    if ids:
        rows = (
            ComplaintCaseNumber.objects.filter(complaint_id__in=ids)
            .order_by("id")
            .values_list("complaint_id", "number")
        )
        for complaint_id, number in rows:
            numbers.setdefault(complaint_id, []).append(number)
    return numbers


class Columns:
    """A list to paginate: counted on the complaints alone, sliced as column rows.

    Counting the `.values()` query itself would keep the joins its columns need (the enterprise,
    the organizations) in the COUNT(*); the queryset's own count has none.
    """

    def __init__(
        self,
        queryset: QuerySet[Complaint],
        columns: Sequence[str],
        *,
        numbers: bool = False,
        searched: bool = False,
    ) -> None:
        self.queryset = queryset
        self.searched = searched
        rows = queryset.prefetch_related(None)
        if numbers:
            numbers_of_row = ComplaintCaseNumber.objects.filter(complaint=OuterRef("pk")).order_by("id")
            rows = rows.annotate(**{NUMBERS: ArraySubquery(numbers_of_row.values("number"))})
            columns = [*columns, NUMBERS]
        self.rows = rows.values(*columns)

    @property
    def ordered(self) -> bool:
        return self.queryset.ordered

    def count(self) -> int:
        return self.queryset.count()

    def count_up_to(self, limit: int) -> int:
        """The count, reading at most `limit` complaints (`liaison.api.pagination`)."""
        return self.queryset.order_by()[:limit].count()

    def reading(self, *, capped: bool) -> AbstractContextManager[None]:
        """Where the pagination counts and reads the page (`liaison.api.pagination`): a search
        (`searched`) under the planner settings of `search_planning`."""
        if not self.searched:
            return nullcontext()
        return search_planning(self.queryset.db, capped=capped)

    def __getitem__(self, index: slice) -> list[dict]:
        return list(self.rows[index])

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)


class ImproperlyShaped(LookupError):
    """A field of ComplaintSerializer the column plan does not know how to read."""

    def __init__(self, name: str) -> None:
        super().__init__(f"ComplaintRows has no plan for the field {name!r} of ComplaintSerializer")
