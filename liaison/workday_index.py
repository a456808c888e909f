"""The working-day index: the calendar written out day by day, so that SQL can count working days.

Working days d with start < d <= end are `ordinal(end) - ordinal(start)`. The index is derived
from `WorkingCalendar` (overrides, then `chinesecalendar`, then Monday to Friday) and rebuilt
whenever an override changes (`liaison.deadlines.calendar_override_save/delete`).
"""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction

from .models import CalendarOverride, WorkingDayIndex
from .workdays import ONE_DAY, WorkingCalendar

INDEX_LOCK_KEY = 4_206_2026  # any constant unique to this lock
# Apps that keep working-day counts derived from the index register a callable taking the first
# day whose ordinal may have moved (e.g. `cases.durations`); each rebuild calls them.
_LISTENERS: list = []


def register_listener(listener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def extend_working_day_index(years_ahead: int = 2) -> int:
    """Keep the index reaching `years_ahead` years past the current one (run by Celery beat)."""
    from .deadlines import today

    year = today().year + years_ahead
    if WorkingDayIndex.objects.filter(date=dt.date(year, 12, 31)).exists():
        return 0
    return rebuild_working_day_index(year, year)


def rebuild_working_day_index(start_year: int, end_year: int) -> int:
    """Rewrite the index from 1 January of `start_year` to the later of `end_year` and its last day.

    Every ordinal after a changed day moves, so the rebuild always runs to the end of the index;
    a gap between the index and `start_year` is filled so that differences stay right.
    Returns the number of rows written.
    """
    written = rebuild_with(WorkingDayIndex, CalendarOverride, start_year, end_year)
    for listener in _LISTENERS:
        listener(dt.date(start_year, 1, 1))
    return written


def rebuild_with(
    index_model: type[models.Model], override_model: type[models.Model], start_year: int, end_year: int
) -> int:
    """`rebuild_working_day_index` on given model classes (data migrations pass historical ones)."""
    if end_year < start_year:
        raise ValueError("end_year must not be before start_year")
    first, last = dt.date(start_year, 1, 1), dt.date(end_year, 12, 31)
    with transaction.atomic():
        # Rebuilds run one at a time: on PostgreSQL a transaction-level advisory lock makes a
        # concurrent rebuild wait and then read the first one's rows (SQLite serializes writes).
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INDEX_LOCK_KEY])
        bounds = index_model._default_manager.aggregate(low=models.Min("date"), high=models.Max("date"))
        if bounds["high"] is not None:
            first = min(first, bounds["high"] + ONE_DAY)
            last = max(last, bounds["high"])
        before = (
            index_model._default_manager.filter(date__lt=first)
            .order_by("-date")
            .values_list("ordinal", flat=True)
            .first()
        ) or 0
        index_model._default_manager.filter(date__gte=first).delete()
        calendar = WorkingCalendar(
            {
                day: (working, note)
                for day, working, note in override_model._default_manager.values_list("date", "is_working_day", "note")
            }
        )
        rows, ordinal, day = [], before, first
        while day <= last:
            working = calendar.is_working_day(day)
            ordinal += working
            rows.append(index_model(date=day, is_working_day=working, ordinal=ordinal))
            day += ONE_DAY
        index_model._default_manager.bulk_create(rows, batch_size=500)
    return len(rows)
