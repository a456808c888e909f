"""The complaint the detail page shows, read in one statement that PostgreSQL plans quickly.

The page shows the complaint with its enterprise, mechanism, filing federation, court, filer,
transfer letter, department, handler, case review (with its reviewer) and case numbers. Joined all
together they made a statement of eleven tables that PostgreSQL took longer to plan (the search
for a join order) than to run. Here the complaint is joined with its enterprise only; every other
related row comes as a JSON object from a scalar subquery on its primary key (each planned on its
own, without a join order to search: the whole statement plans in about 0.5 ms, the join took
2.5 ms), the case numbers as an array, and the model instances
are put together from them as `select_related` and `prefetch_related` would have cached them.
The attachments, deadlines and history events the page lists come in the same statement, as JSON
arrays (`attached`), instead of three more queries, and so do the working-day calendar (when a
deadline runs) and the court's registration sequence (the register form's proposal). Elsewhere than on PostgreSQL the same objects
come through `select_related`, a prefetch and their own queries.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models
from django.db.models import Func, JSONField, OuterRef, Prefetch, QuerySet
from django.db.models.expressions import RawSQL

from liaison.choices import DeadlineState
from liaison.deadlines import today
from liaison.models import (
    Attachment,
    AuditEvent,
    CalendarOverride,
    Deadline,
    Department,
    Mechanism,
    NumberSequence,
    Organization,
    User,
)

from .. import registration
from ..models import CaseReview, Complaint, ComplaintCaseNumber, ComplaintMessage, Transfer
from ..services import visible_message_filter

# The complaint's foreign keys the page shows, and their models.
RELATED: dict[str, type[models.Model]] = {
    "mechanism": Mechanism,
    "filing_organization": Organization,
    "court": Organization,
    "created_by": User,
    "transfer": Transfer,
    "department": Department,
    "handler": User,
}
REVIEW, REVIEWER, NUMBERS = "case_review", "reviewed_by", "case_numbers"
ANNOTATION = "detail_related"
CALENDAR = "calendar"
REGISTRATION = "registration_last"
# The thread: the messages the user may read (`visible_message_filter`), as `selectors.complaint_messages`.
THREAD_ANNOTATION = "detail_thread"
THREAD: tuple[type[models.Model], tuple[str, ...]] = (ComplaintMessage, ("author", "organization"))
THREAD_ORDER = ("created_at", "id")
# The rows attached to the complaint through its content type: (key, model, its foreign keys the page
# shows, extra condition, order). As `attachments.attachments_of`, `selectors.complaint_deadlines`
# and `audit.history` read them.
ATTACHED: list[tuple[str, type[models.Model], tuple[str, ...], str, tuple[str, ...]]] = [
    ("attachments", Attachment, ("uploaded_by",), "NOT (a.purpose = 'issued_document')", ("uploaded_at", "id")),
    ("deadlines", Deadline, ("owner_user", "owner_organization"), "", ("start_date", "id")),
    ("events", AuditEvent, (), "", ("id",)),
]


def _json_rows(model: type[models.Model], joined: tuple[str, ...], where: str, order: tuple[str, ...]) -> str:
    """The rows of `model` (alias a) matching `where`, as a JSON array in `order`: each
    {"row": the row, <name>: the row of each foreign key in `joined`}."""
    qn = connections["default"].ops.quote_name
    shown = "".join(
        f", '{name}', (SELECT row_to_json(r) FROM {qn(model._meta.get_field(name).related_model._meta.db_table)} r "
        f"WHERE r.{qn('id')} = a.{qn(model._meta.get_field(name).column)} LIMIT 1)"
        for name in joined
    )
    return (
        f"(SELECT json_agg(json_build_object('row', row_to_json(a){shown}) "
        f"ORDER BY {', '.join('a.' + qn(column) for column in order)}) FROM {qn(model._meta.db_table)} a WHERE {where})"
    )


class _Thread(Func):
    """The messages whose ids the subquery gives, as `_json_rows` shapes them (a JSON array with
    their authors and organizations, in the thread's order)."""

    output_field = JSONField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # jsonb: Django decodes it (psycopg2 would decode json itself, before the field); no "%" in it.
        template = _json_rows(*THREAD, where="a.id IN (%(expressions)s)", order=THREAD_ORDER) + "::jsonb"
        return super().as_sql(compiler, connection, template=template, **extra)


@cache
def _related_sql() -> str:
    """One JSON object of the related rows (each `row_to_json` of a scalar subquery on its key),
    written once per process: the SQL is the same for every complaint and user."""
    qn = connections["default"].ops.quote_name
    complaint = qn(Complaint._meta.db_table)

    def row(model: type[models.Model], where: str) -> str:
        return f"(SELECT row_to_json(r) FROM {qn(model._meta.db_table)} r WHERE {where} LIMIT 1)"

    review = qn(CaseReview._meta.db_table)
    parts = [
        f"'{name}', " + row(model, f"r.{qn('id')} = {complaint}.{qn(Complaint._meta.get_field(name).column)}")
        for name, model in RELATED.items()
    ]
    parts.append(f"'{REVIEW}', " + row(CaseReview, f"r.{qn('complaint_id')} = {complaint}.{qn('id')}"))
    parts.append(
        f"'{REVIEWER}', "
        + row(
            User,
            f"r.{qn('id')} = (SELECT v.{qn('reviewed_by_id')} FROM {review} v "
            f"WHERE v.{qn('complaint_id')} = {complaint}.{qn('id')} LIMIT 1)",
        )
    )
    numbers = qn(ComplaintCaseNumber._meta.db_table)
    parts.append(
        f"'{NUMBERS}', (SELECT json_agg(row_to_json(r) ORDER BY r.{qn('id')}) FROM {numbers} r "
        f"WHERE r.{qn('complaint_id')} = {complaint}.{qn('id')})"
    )
    for key, model, joined, condition, order in ATTACHED:
        where = f"a.{qn('content_type_id')} = %s AND a.{qn('object_id')} = ({complaint}.{qn('id')})::text"
        if condition:
            where += " AND " + condition
        parts.append(f"'{key}', " + _json_rows(model, joined, where, order))
    # The working-day calendar's overrides, only when a deadline is running (its days left are shown).
    deadlines, overrides = qn(Deadline._meta.db_table), qn(CalendarOverride._meta.db_table)
    parts.append(
        f"'{CALENDAR}', CASE WHEN EXISTS (SELECT 1 FROM {deadlines} d WHERE d.{qn('content_type_id')} = %s "
        f"AND d.{qn('object_id')} = ({complaint}.{qn('id')})::text AND d.{qn('state')} = '{DeadlineState.RUNNING.value}') "
        f"THEN (SELECT COALESCE(json_agg(json_build_array(o.{qn('date')}, o.{qn('is_working_day')}, o.{qn('note')})), "
        f"'[]') FROM {overrides} o) END"
    )
    # The court's registration sequence this year (the register form proposes its next number).
    sequences = qn(NumberSequence._meta.db_table)
    parts.append(
        f"'{REGISTRATION}', (SELECT s.{qn('last')} FROM {sequences} s WHERE s.{qn('mechanism_id')} = "
        f"{complaint}.{qn('mechanism_id')} AND s.{qn('series')} = '{registration.SERIES_PREFIX}' || "
        f"{complaint}.{qn('court_id')} AND s.{qn('year')} = %s)"
    )
    # jsonb: Django decodes it (psycopg2 would decode json itself, before the field).
    return "json_build_object(" + ", ".join(parts) + ")::jsonb"


def _instance(model: type[models.Model], data: dict | None, using: str) -> Any:
    """The model instance of a row read as JSON, each value through its field (dates, datetimes)."""
    if data is None:
        return None
    fields = model._meta.concrete_fields
    return model.from_db(using, [f.attname for f in fields], [f.to_python(data[f.column]) for f in fields])


def detail_rows(scoped: QuerySet[Complaint], user: User) -> QuerySet[Complaint]:
    """`scoped` (the user's complaints) with what the page shows of each to `user`; see `complaint_of`."""
    rows = scoped.select_related(None).prefetch_related(None)
    if connections[rows.db].vendor != "postgresql":
        return rows.select_related(*RELATED, "enterprise", "case_review__reviewed_by").prefetch_related(
            Prefetch("case_numbers", queryset=ComplaintCaseNumber.objects.order_by("id"))
        )
    kind = ContentType.objects.get_for_model(Complaint).pk
    params = (*(kind,) * (len(ATTACHED) + 1), today().year)
    readable = ComplaintMessage.objects.filter(complaint_id=OuterRef("pk")).filter(visible_message_filter(user))
    return rows.select_related("enterprise").annotate(
        **{
            ANNOTATION: RawSQL(_related_sql(), params, JSONField()),
            THREAD_ANNOTATION: _Thread(readable.values("pk")),
        }
    )


def attached(complaint: Complaint, key: str) -> list | None:
    """The complaint's attachments, deadlines or events (`ATTACHED`), or its thread ("thread"), as
    read with it, in their order, with the rows they show; None when it was not read by `detail_rows`."""
    related = getattr(complaint, ANNOTATION, None)
    if related is None:
        return None
    using = complaint._state.db or "default"
    if key == "thread":
        (model, joined), rows = THREAD, getattr(complaint, THREAD_ANNOTATION)
    else:
        model, joined = next((m, j) for k, m, j, _c, _o in ATTACHED if k == key)
        rows = related[key]
    shown = []
    for item in rows or []:
        instance = _instance(model, item["row"], using)
        for name in joined:
            field = model._meta.get_field(name)
            field.set_cached_value(instance, _instance(field.related_model, item[name], using))
        shown.append(instance)
    return shown


def complaint_of(complaint: Complaint) -> Complaint:
    """Cache the related objects read by `detail_rows` on the complaint, as select_related would."""
    related = getattr(complaint, ANNOTATION, None)
    if related is None:
        return complaint
    using = complaint._state.db or "default"
    for name, model in RELATED.items():
        Complaint._meta.get_field(name).set_cached_value(complaint, _instance(model, related[name], using))
    review = _instance(CaseReview, related[REVIEW], using)
    if review is not None:
        CaseReview._meta.get_field("reviewed_by").set_cached_value(review, _instance(User, related[REVIEWER], using))
        CaseReview._meta.get_field("complaint").set_cached_value(review, complaint)
    Complaint._meta.get_field("case_review").set_cached_value(complaint, review)
    setattr(complaint, registration.PEEKED, (today().year, (related[REGISTRATION] or 0) + 1))
    cached = complaint.case_numbers.all()
    cached._result_cache = [_instance(ComplaintCaseNumber, row, using) for row in related[NUMBERS] or []]
    cached._prefetch_done = True
    complaint._prefetched_objects_cache = {
        **getattr(complaint, "_prefetched_objects_cache", {}),
        "case_numbers": cached,
    }
    return complaint


def calendar_overrides(complaint: Complaint) -> dict[dt.date, tuple[bool, str]] | None:
    """The calendar's overrides as `WorkingCalendar` takes them, read with the complaint when one of
    its deadlines is running; None otherwise."""
    related = getattr(complaint, ANNOTATION, None)
    if related is None or related[CALENDAR] is None:
        return None
    return {dt.date.fromisoformat(day): (working, note) for day, working, note in related[CALENDAR]}
