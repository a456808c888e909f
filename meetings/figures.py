"""Meeting figures for dashboards and reports, computed in the database in a fixed number of queries.

- joint meetings held: meetings that count towards the quarterly cadence (joint meetings and
  plenaries, as in `meetings.cadence`) held (or further along) with their start in the range;
- joint meetings required: for each mechanism, `meetings_per_quarter` × the quarters overlapping the
  range, leaving out the quarters that ended before the mechanism was founded (as the cadence does);
- plenaries held: plenaries held with their start in the range;
- action items (from minutes) and dual-list tasks due in the range (drafts left out): total, done,
  done on time (closed on or before the due date, local date), and open past their due date today.

Three queries whatever the number of rows: the requirement, the meetings, the items.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, When
from django.db.models.functions import TruncDate, TruncQuarter

from liaison import deadlines, scoping
from liaison.membership import is_member_unit
from liaison.models import Mechanism, User

from .cadence import quarter_bounds, quarter_of
from .choices import CADENCE_KINDS, HELD_STATES, LIVE_ITEM_STATUSES, ItemSource, ItemStatus, MeetingKind
from .models import ActionItem, Meeting
from .selectors import item_scope, meeting_scope, owned_by


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def quarters_overlapping(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The bounds of every calendar quarter that has at least one day from `start` to `end`."""
    year, quarter = quarter_of(start)
    result = []
    while True:
        bounds = quarter_bounds(year, quarter)
        if bounds[0] > end:
            return result
        result.append(bounds)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def _required_sums(start: dt.date, end: dt.date) -> dict:
    """Per mechanism row: joint meetings required in each quarter overlapping the range."""
    return {
        f"q{i}": Sum(
            Case(
                When(Q(founded_on__isnull=True) | Q(founded_on__lte=last), then=F("meetings_per_quarter")),
                default=0,
                output_field=IntegerField(),
            )
        )
        for i, (_first, last) in enumerate(quarters_overlapping(start, end))
    }


def _required(mechanisms, start: dt.date, end: dt.date) -> int:
    """Joint meetings required over the quarters overlapping the range, summed over `mechanisms` (one query)."""
    values = Mechanism.objects.filter(pk__in=mechanisms.values("pk")).aggregate(**_required_sums(start, end))
    return sum(value or 0 for value in values.values())


def item_aggregates(prefix: str, source: str) -> dict:
    due = Q(source=source)
    return {
        f"{prefix}_total": Count("pk", filter=due),
        f"{prefix}_done": Count("pk", filter=due & Q(status=ItemStatus.DONE)),
        f"{prefix}_on_time": Count("pk", filter=due & Q(status=ItemStatus.DONE, closed_day__lte=F("due_date"))),
        f"{prefix}_overdue": Count("pk", filter=due & Q(status__in=LIVE_ITEM_STATUSES, due_date__lt=deadlines.today())),
    }


def item_figures(totals: dict, prefix: str) -> dict:
    return {
        "total": totals[f"{prefix}_total"],
        "done": totals[f"{prefix}_done"],
        "done_on_time": totals[f"{prefix}_on_time"],
        "on_time_share": _share(totals[f"{prefix}_on_time"], totals[f"{prefix}_total"]),
        "open_overdue": totals[f"{prefix}_overdue"],
    }


def _own_tasks_for_member_unit(items: QuerySet[ActionItem], user: User | None) -> QuerySet[ActionItem]:
    """A member unit's figures count its own dual-list tasks only (the ones it leads, co-leads or
    answers for); every other role, and the mechanism's monthly report, counts them all."""
    if user is None or not user.organization_id or not is_member_unit(user):
        return items
    return items.filter(~Q(source=ItemSource.DUAL_LIST) | owned_by(user.organization_id))


def meeting_figures(*, user: User | None, mechanism: Mechanism | None = None, start: dt.date, end: dt.date) -> dict:
    """The meeting figures from `start` to `end` (local dates, inclusive), over what the user sees.

    The caller has checked that the user sees `mechanism`; `user=None` (the monthly report) counts
    everything of `mechanism`.
    """
    if user is None and mechanism is None:
        raise ValueError("figures without a user are those of one mechanism")
    local = ZoneInfo(settings.TIME_ZONE)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=local)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=local)

    mechanisms = scoping.visible_mechanisms(user) if mechanism is None else Mechanism.objects.filter(pk=mechanism.pk)
    meetings = (Meeting.objects.all() if user is None else meeting_scope(user)).filter(
        starts_at__gte=since, starts_at__lt=until, status__in=HELD_STATES
    )
    items = (
        (ActionItem.objects.all() if user is None else item_scope(user))
        .filter(due_date__gte=start, due_date__lte=end)
        .exclude(status=ItemStatus.DRAFT)
    )
    if mechanism is not None:
        meetings = meetings.filter(mechanism=mechanism)
        items = items.filter(mechanism=mechanism)
    items = _own_tasks_for_member_unit(items, user)

    held = meetings.order_by().aggregate(
        joint=Count("pk", filter=Q(kind__in=CADENCE_KINDS)),
        plenaries=Count("pk", filter=Q(kind=MeetingKind.PLENARY)),
    )
    totals = (
        items.order_by()
        .annotate(closed_day=TruncDate("closed_at", tzinfo=local))
        .aggregate(**item_aggregates("items", ItemSource.MINUTES), **item_aggregates("tasks", ItemSource.DUAL_LIST))
    )
    required = _required(mechanisms, start, end)
    return {
        "mechanism": mechanism.pk if mechanism else None,
        "start": start,
        "end": end,
        "joint_meetings_held": held["joint"],
        "joint_meetings_required": required,
        "joint_meetings_share": _share(held["joint"], required),
        "plenaries_held": held["plenaries"],
        "action_items": item_figures(totals, "items"),
        "tasks": item_figures(totals, "tasks"),
    }


def meeting_figures_by_mechanism(*, user: User, start: dt.date, end: dt.date) -> dict[int, dict]:
    """Per visible mechanism: joint meetings held and required, action items and tasks done on time
    (the comparison table of higher-level units). Three queries whatever the number of mechanisms."""
    local = ZoneInfo(settings.TIME_ZONE)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=local)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=local)
    quarters = quarters_overlapping(start, end)
    required = {  # per mechanism, the joint meetings required in each quarter
        row["pk"]: [row[f"q{i}"] or 0 for i in range(len(quarters))]
        for row in Mechanism.objects.filter(pk__in=scoping.visible_mechanisms(user).values("pk"))
        .values("pk")
        .annotate(**_required_sums(start, end))
    }
    # Joint meetings only: a plenary is counted on its own, and a quarter's surplus does not make up
    # for a missed quarter (the share counts each quarter up to what it required).
    held_by_quarter: dict[int, list[int]] = {pk: [0] * len(quarters) for pk in required}
    firsts = {first: i for i, (first, _last) in enumerate(quarters)}
    for mechanism_id, quarter, n in (
        meeting_scope(user)
        .filter(starts_at__gte=since, starts_at__lt=until, status__in=HELD_STATES, kind=MeetingKind.JOINT)
        .annotate(quarter=TruncQuarter("starts_at", tzinfo=local))
        .order_by()
        .values_list("mechanism_id", "quarter")
        .annotate(n=Count("pk"))
    ):
        day = quarter.date() if isinstance(quarter, dt.datetime) else quarter
        if mechanism_id in held_by_quarter and day in firsts:
            held_by_quarter[mechanism_id][firsts[day]] += n
    items = {
        row["mechanism_id"]: row
        for row in _own_tasks_for_member_unit(item_scope(user), user)
        .filter(due_date__gte=start, due_date__lte=end)
        .exclude(status=ItemStatus.DRAFT)
        .order_by()
        .annotate(closed_day=TruncDate("closed_at", tzinfo=local))
        .values("mechanism_id")
        .annotate(**item_aggregates("items", ItemSource.MINUTES), **item_aggregates("tasks", ItemSource.DUAL_LIST))
    }
    empty = {f"{prefix}_{name}": 0 for prefix in ("items", "tasks") for name in ("total", "done", "on_time", "overdue")}
    return {
        pk: {
            "joint_meetings_held": sum(held_by_quarter[pk]),
            "joint_meetings_required": sum(need),
            "joint_meetings_share": _share(
                sum(min(h, r) for h, r in zip(held_by_quarter[pk], need, strict=True)), sum(need)
            ),
            "action_items": item_figures(items.get(pk, empty), "items"),
            "tasks": item_figures(items.get(pk, empty), "tasks"),
        }
        for pk, need in required.items()
    }
