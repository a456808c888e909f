"""The months of a task's indicators: the value of each month (entered, or computed by the portal
where it measures the thing itself) and whether it met the target.

A month with no value is "not reported"; a computed month with nothing to measure (no complaint
answered in it) is not reported either. The months run from the start of the task's year (dual
lists) or the month the item was created, to the current month or the due month, whichever is earlier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from liaison.deadlines import today

from .choices import ComputedMetric, IndicatorSource, MonthState
from .models import ActionItem, Indicator, IndicatorValue


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], month_start(first)
    while month <= month_start(last):
        months.append(month)
        month = next_month(month)
    return months


def item_months(item: ActionItem, on: dt.date | None = None) -> list[dt.date]:
    """The months an item's indicators are reported for, up to the current month."""
    on = on or today()
    first = dt.date(item.dual_list.year, 1, 1) if item.dual_list_id else timezone.localtime(item.created_at).date()
    return months_between(first, min(on, item.due_date))


@dataclass(frozen=True)
class MonthCell:
    month: dt.date
    value: Decimal | None
    state: str

    @property
    def state_label(self) -> str:
        return str(MonthState(self.state).label)


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    months: list[MonthCell]

    @property
    def latest(self) -> MonthCell | None:
        return self.months[-1] if self.months else None


def _state(indicator: Indicator, value: Decimal | None) -> str:
    met = indicator.is_met(value)
    if met is None:
        return MonthState.NOT_REPORTED
    return MonthState.MET if met else MonthState.NOT_MET


def computed_values(mechanism_id: int, metric: str, months: list[dt.date]) -> dict[dt.date, Decimal]:
    """The portal's own monthly measure over the complaints of the mechanism answered in each month:
    average working days from registration to answer, or the share answered on time (in %). One query."""
    from cases.models import Complaint

    if not months:
        return {}
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(months[0], dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(next_month(months[-1]), dt.time.min, tzinfo=tz)
    rows = (
        Complaint.objects.filter(mechanism_id=mechanism_id, answered_at__gte=start, answered_at__lt=end)
        .annotate(month=TruncMonth("answered_at", tzinfo=tz))
        .order_by()
        .values("month")
        .annotate(
            days=Avg("answer_working_days"),
            answered=Count("pk"),
            on_time=Count("pk", filter=Q(answered_on_time=True)),
        )
    )
    values: dict[dt.date, Decimal] = {}
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        if metric == ComputedMetric.FEEDBACK_DAYS and row["days"] is not None:
            values[month] = Decimal(str(row["days"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
        elif metric == ComputedMetric.ON_TIME_RATE and row["answered"]:
            values[month] = (Decimal(row["on_time"]) * 100 / row["answered"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return values


def indicator_rows(item: ActionItem, indicators: Iterable[Indicator] | None = None) -> list[IndicatorRow]:
    """Each indicator of the item with its months. Two queries plus one per computed indicator."""
    indicators = list(indicators if indicators is not None else item.indicators.all())
    months = item_months(item)
    entered = {
        (v.indicator_id, v.month): v.value
        for v in IndicatorValue.objects.filter(indicator__in=[i for i in indicators if i.pk], month__in=months)
    }
    rows = []
    for indicator in indicators:
        if indicator.source == IndicatorSource.COMPUTED:
            computed = computed_values(item.mechanism_id, indicator.metric, months)
            values = {month: computed.get(month) for month in months}
        else:
            values = {month: entered.get((indicator.pk, month)) for month in months}
        rows.append(
            IndicatorRow(
                indicator, [MonthCell(month, values[month], _state(indicator, values[month])) for month in months]
            )
        )
    return rows


def item_indicator_state(rows: list[IndicatorRow]) -> str | None:
    """The task's state in its latest month: met when every indicator met its target, not met when
    one missed it, otherwise not reported; None when the task has no indicators."""
    if not rows:
        return None
    states = [row.latest.state if row.latest else MonthState.NOT_REPORTED for row in rows]
    if MonthState.NOT_MET in states:
        return MonthState.NOT_MET
    if all(state == MonthState.MET for state in states):
        return MonthState.MET
    return MonthState.NOT_REPORTED
