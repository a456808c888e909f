"""Complaint figures for dashboards and reports, computed in the database in a fixed number of queries.

Working days come from `liaison.WorkingDayIndex`: the working days from one day to a later one
are the difference of their ordinals (days d with start < d <= end), the same count as
`WorkingCalendar.working_days_between`. Each complaint keeps its stage durations and whether it
was answered on time (`cases.durations`), so the averages read columns; a day outside the index
counts as unknown (left out of averages).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, CharField, Count, F, FloatField, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from liaison.deadlines import today
from liaison.models import Deadline, Mechanism, User, WorkingDayIndex
from liaison.workdays import WorkingCalendar

from .choices import (
    OPEN_STATES,
    ComplaintKind,
    ComplaintStatus,
    EnterpriseSize,
    Industry,
    Rating,
    RatingSource,
    ReopenDecision,
)
from .filters import ACTIVE
from .models import Complaint, Satisfaction
from .selectors import complaint_scope

DUE_SOON_WORKING_DAYS = 2
# States counted as open (every open state but drafts, which nobody else has seen).
OPEN_FIGURE_STATES = [s for s in ComplaintStatus.values if s in OPEN_STATES and s != ComplaintStatus.DRAFT]
STAGES = {  # figure name: the column `cases.durations` keeps
    "submission_to_transfer": "transfer_working_days",
    "transfer_to_registration": "registration_working_days",
    "registration_to_answer": "answer_working_days",
}


def ordinal_of(reference: OuterRef | dt.date) -> Subquery:
    """The working-day ordinal of a date (an outer column or a constant), NULL outside the index."""
    rows = WorkingDayIndex.objects.filter(date=reference).values("ordinal")[:1]
    return Subquery(rows, output_field=IntegerField())


def deadline_of(complaint_ct: ContentType, ordering: tuple[str, ...], **conditions: object) -> Subquery:
    """The due date of the first of a complaint's deadlines matching `conditions`, in `ordering`."""
    rows = Deadline.objects.filter(
        content_type=complaint_ct,
        object_id=Cast(OuterRef("pk"), CharField()),
        **conditions,
    ).order_by(*ordering)
    return Subquery(rows.values("due_date")[:1])


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


BREAKDOWNS = {  # figure: (column, choices)
    "by_kind": ("kind", ComplaintKind),
    "by_industry": ("enterprise__industry", Industry),
    "by_size": ("enterprise__size", EnterpriseSize),
}


def _breakdowns(queryset: QuerySet[Complaint]) -> dict[str, list[dict]]:
    """Counts by kind, industry and size, every choice listed (zeros too) in the order of the choices.

    One query grouped by the three columns at once (at most 6 × 20 × 4 groups), summed here per column.
    """
    columns = [column for column, _choices in BREAKDOWNS.values()]
    found: dict[str, dict[str, int]] = {name: {} for name in BREAKDOWNS}
    for *values, n in queryset.order_by().values_list(*columns).annotate(n=Count("pk")):
        for name, value in zip(BREAKDOWNS, values, strict=True):
            found[name][value] = found[name].get(value, 0) + n
    return {
        name: [
            {"key": value, "label": str(label), "count": found[name].get(value, 0)} for value, label in choices.choices
        ]
        for name, (_column, choices) in BREAKDOWNS.items()
    }


def _range(user: User | None, mechanism: Mechanism | None, start: dt.date, end: dt.date) -> QuerySet[Complaint]:
    """The complaints submitted from `start` to `end` (local dates, inclusive) in the scope."""
    if user is None and mechanism is None:
        raise ValueError("figures without a user are those of one mechanism")
    local = ZoneInfo(settings.TIME_ZONE)
    # Bounds as instants, not `submitted_at__date`, so that the index on submitted_at serves the range.
    since = dt.datetime.combine(start, dt.time.min, tzinfo=local)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=local)
    complaints = (Complaint.objects.all() if user is None else complaint_scope(user)).filter(
        submitted_at__gte=since, submitted_at__lt=until
    )
    return complaints if mechanism is None else complaints.filter(mechanism=mechanism)


def _running(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """The active complaints whose nearest open deadline runs (`Complaint.current_due`, kept by
    `cases.durations`); a paused clock is neither due soon nor overdue."""
    return (
        complaints.filter(status__in=ACTIVE, current_due_paused=False).order_by().annotate(running_due=F("current_due"))
    )


def _due(on: dt.date) -> dict:
    """Due soon and overdue as the complaint list's queues count them (`cases.filters`): an active
    complaint whose running deadline falls due within two working days, or fell due before today."""
    horizon = WorkingCalendar().add_working_days(on, DUE_SOON_WORKING_DAYS)
    return {
        "due_soon": Count("pk", filter=Q(running_due__gte=on, running_due__lte=horizon)),
        "overdue": Count("pk", filter=Q(running_due__lt=on)),
    }


COUNTS = {
    "total": Count("pk"),
    "open_total": Count("pk", filter=Q(status__in=OPEN_FIGURE_STATES)),
    "answered": Count("pk", filter=Q(answered_at__isnull=False)),
    "answered_on_time": Count("pk", filter=Q(answered_at__isnull=False, answered_on_time=True)),
    "answered_ever": Count("pk", filter=Q(answered_at__isnull=False) | Q(reopen_count__gt=0)),
    "reopened": Count("pk", filter=Q(reopen_count__gt=0)),
    "under_supervision": Count("pk", filter=Q(under_supervision=True)),
}


def headline(totals: dict) -> dict:
    """The headline figures (totals, open, due, on time, reopen) of aggregated counts."""
    return {
        "total": totals["total"],
        "open_total": totals["open_total"],
        "due_soon": totals["due_soon"],
        "overdue": totals["overdue"],
        "answered": totals["answered"],
        "answered_on_time": totals["answered_on_time"],
        "on_time_share": share(totals["answered_on_time"], totals["answered"]),
        "reopened": totals["reopened"],
        "reopen_rate": share(totals["reopened"], totals["answered_ever"]),
        "under_supervision": totals["under_supervision"],
    }


# No satisfaction rate is printed on fewer ratings than this (the figures say so in words).
SATISFACTION_MIN_SAMPLE = 5


def satisfaction_figures(complaints: QuerySet[Complaint], answered: int) -> dict:
    """Satisfaction with the answers (online ratings and follow-up calls together) and follow-up
    coverage (answered complaints with a rating), in one query; the rate is withheld below the
    minimum sample and the figures say why."""
    ratings = Satisfaction.objects.filter(complaint__in=complaints.order_by().values("pk"))
    counts = ratings.aggregate(
        sample=Count("pk"),
        satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
        basically=Count("pk", filter=Q(rating=Rating.BASICALLY)),
        dissatisfied=Count("pk", filter=Q(rating=Rating.DISSATISFIED)),
        online=Count("pk", filter=Q(source=RatingSource.ONLINE)),
        calls=Count("pk", filter=Q(source=RatingSource.CALL)),
        rated_complaints=Count("complaint", distinct=True),
        reopen_requests=Count("pk", filter=~Q(decision=ReopenDecision.NONE)),
    )
    sample = counts["sample"]
    enough = sample >= SATISFACTION_MIN_SAMPLE
    return {
        **counts,
        "minimum_sample": SATISFACTION_MIN_SAMPLE,
        "satisfaction_rate": share(counts["satisfied"] + counts["basically"], sample) if enough else None,
        "satisfaction_note": ""
        if enough
        else str(
            _("样本不足：仅 %(n)d 件评价，少于 %(min)d 件，不计算满意率。")
            % {"n": sample, "min": SATISFACTION_MIN_SAMPLE}
        ),
        "followup_coverage": share(counts["rated_complaints"], answered),
        "answered_for_followup": answered,
    }


def complaint_figures(*, user: User | None, mechanism: Mechanism | None = None, start: dt.date, end: dt.date) -> dict:
    """The complaint figures of the complaints submitted from `start` to `end` (local dates, inclusive).

    Three queries whatever the number of complaints (and the calendar's overrides): the main
    aggregate (with the open states), due soon and overdue (over the active complaints only), and
    the counts by kind, industry and enterprise size. The caller has checked that the user sees `mechanism`; `user=None` (the monthly report)
    counts every complaint of `mechanism`, as both sides see it.
    """
    complaints = _range(user, mechanism, start, end)
    averages = {name: Avg(column, output_field=FloatField()) for name, column in STAGES.items()}
    states = {f"state_{state}": Count("pk", filter=Q(status=state)) for state in OPEN_FIGURE_STATES}
    totals = complaints.order_by().aggregate(**COUNTS, **averages, **states)
    totals.update(_running(complaints).aggregate(**_due(today())))
    return {
        "mechanism": mechanism.pk if mechanism else None,
        "start": start,
        "end": end,
        **headline(totals),
        "open_by_state": [
            {"key": s, "label": str(ComplaintStatus(s).label), "count": totals[f"state_{s}"]}
            for s in OPEN_FIGURE_STATES
        ],
        "average_working_days": {name: None if totals[name] is None else round(totals[name], 2) for name in STAGES},
        **_breakdowns(complaints),
        "satisfaction": satisfaction_figures(complaints, totals["answered_ever"]),
    }


def complaint_figures_by_mechanism(*, user: User, start: dt.date, end: dt.date) -> dict[int, dict]:
    """The headline figures (totals, open, due soon, overdue, on time, reopen) per mechanism, for
    the comparison table of higher-level units: two queries whatever the number of mechanisms."""
    complaints = _range(user, None, start, end)
    rows = {
        row["mechanism_id"]: row
        for row in complaints.order_by().values("mechanism_id").annotate(**COUNTS).order_by("mechanism_id")
    }
    due = {
        row["mechanism_id"]: row
        for row in _running(complaints).values("mechanism_id").annotate(**_due(today())).order_by("mechanism_id")
    }
    return {pk: headline({**row, **due.get(pk, {"due_soon": 0, "overdue": 0})}) for pk, row in rows.items()}
