"""The working days each complaint spent in a stage, and whether its answer was on time, kept on the
complaint so that the figures average columns (`cases.figures`).

    transfer_working_days      submitted day → transferred day
    registration_working_days  transferred day → registered day
    answer_working_days        registered day → answered day
    answered_on_time           answered on or before the feedback deadline the answer met
                               (after a reopen, the latest one); NULL while not answered

Days are local dates; working days are differences of the days' ordinals in `WorkingDayIndex` (days
d with earlier < d <= later, as `WorkingCalendar.working_days_between`), NULL when a day is missing
or outside the index. One set-based UPDATE: the services call it for the complaint they changed,
the working-day index for every complaint it may have moved. The same UPDATE refreshes the nearest
open deadline (`current_due`, `refresh_running_deadline`).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.db.models.lookups import LessThanOrEqual

from liaison.choices import DeadlineState

from .choices import FEEDBACK

STAGES = {  # column: (earlier time, later time)
    "transfer_working_days": ("submitted_at", "transferred_at"),
    "registration_working_days": ("transferred_at", "registered_at"),
    "answer_working_days": ("registered_at", "answered_at"),
}


def refresh_durations(
    complaints: QuerySet, *, index_model=None, deadline_model=None, content_type_id: int | None = None
) -> int:
    """Recompute the columns of `complaints` in one UPDATE; returns the number of rows.

    Migrations pass their historical models; everyone else uses the defaults.
    """
    if index_model is None or deadline_model is None:
        from liaison.models import Deadline, WorkingDayIndex

        index_model, deadline_model = WorkingDayIndex, Deadline
    if content_type_id is None:
        content_type_id = ContentType.objects.get_for_model(complaints.model).pk
    local = ZoneInfo(settings.TIME_ZONE)

    def ordinal(field: str) -> Subquery:
        day = TruncDate(ExpressionWrapper(OuterRef(field), output_field=DateTimeField()), tzinfo=local)
        return Subquery(index_model.objects.filter(date=day).values("ordinal")[:1], output_field=IntegerField())

    feedback_due = Subquery(
        deadline_model.objects.filter(
            content_type_id=content_type_id,
            object_id=Cast(OuterRef("pk"), CharField()),
            kind=FEEDBACK,
            state=DeadlineState.MET,
        )
        .order_by("-start_date", "-pk")
        .values("due_date")[:1]
    )
    on_time = Case(
        When(answered_at__isnull=True, then=Value(None)),
        When(LessThanOrEqual(TruncDate("answered_at", tzinfo=local), feedback_due), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    columns = {column: ordinal(later) - ordinal(earlier) for column, (earlier, later) in STAGES.items()}
    # Historical models of migrations before 0004 have no running-deadline columns yet.
    running = (
        _running_columns(deadline_model, content_type_id)
        if any(field.name == "current_due" for field in complaints.model._meta.fields)
        else {}
    )
    return complaints.order_by().update(**columns, answered_on_time=on_time, **running)


def refresh_since(day: dt.date) -> int:
    """After the working-day index moved from `day` on: the complaints with a stage day from then on."""
    from .models import Complaint

    since = dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    touched = Q(
        *[
            Q(**{f"{field}__gte": since})
            for field in ("submitted_at", "transferred_at", "registered_at", "answered_at")
        ],
        _connector=Q.OR,
    )
    return refresh_durations(Complaint.objects.filter(touched))


def _running_columns(deadline_model, content_type_id: int) -> dict:
    """The expressions of `current_due`, `current_due_kind` and `current_due_paused`: the nearest
    open deadline (running or paused, earliest due date first)."""
    nearest = deadline_model.objects.filter(
        content_type_id=content_type_id,
        object_id=Cast(OuterRef("pk"), CharField()),
        state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED],
    ).order_by("due_date", "pk")
    paused = Case(When(state=DeadlineState.PAUSED, then=Value(True)), default=Value(False), output_field=BooleanField())
    return {
        "current_due": Subquery(nearest.values("due_date")[:1]),
        "current_due_kind": Coalesce(Subquery(nearest.values("kind")[:1]), Value("")),
        "current_due_paused": Coalesce(Subquery(nearest.annotate(paused=paused).values("paused")[:1]), Value(False)),
    }


def refresh_running_deadline(complaints: QuerySet, *, deadline_model=None, content_type_id: int | None = None) -> int:
    """Keep `current_due`, `current_due_kind` and `current_due_paused` of `complaints` equal to their
    nearest open deadline, in one UPDATE (`refresh_durations` does it too, with the other columns).

    `liaison.deadlines` calls it for the complaints whose deadlines changed (starts, extensions,
    pauses, ends, the calendar recompute); migrations pass their historical models.
    """
    if deadline_model is None:
        from liaison.models import Deadline

        deadline_model = Deadline
    if content_type_id is None:
        content_type_id = ContentType.objects.get_for_model(complaints.model).pk
    return complaints.order_by().update(**_running_columns(deadline_model, content_type_id))


def refresh_running_deadline_of(object_ids: list[str]) -> int:
    """`refresh_running_deadline` for the complaints with these ids (as the deadlines store them)."""
    from .models import Complaint

    ids = [int(pk) for pk in object_ids if str(pk).isdigit()]
    return refresh_running_deadline(Complaint.objects.filter(pk__in=ids)) if ids else 0
