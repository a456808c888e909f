"""The working-day index agrees with WorkingCalendar and follows the override table."""

from __future__ import annotations

import datetime as dt

import pytest

from liaison import deadlines
from liaison.models import CalendarOverride, WorkingDayIndex
from liaison.workday_index import rebuild_working_day_index
from liaison.workdays import WorkingCalendar

D = dt.date
pytestmark = pytest.mark.django_db


def between(start: dt.date, end: dt.date) -> int:
    return WorkingDayIndex.objects.get(date=end).ordinal - WorkingDayIndex.objects.get(date=start).ordinal


def test_it_is_filled_by_the_migration_from_2020_to_two_years_ahead():
    assert WorkingDayIndex.objects.order_by("date").first().date == D(2020, 1, 1)
    assert WorkingDayIndex.objects.order_by("date").last().date.year >= dt.date.today().year + 2


def test_it_counts_across_national_day_like_the_calendar():
    # 2026-09-30 (Wed) → 2026-10-09 (Fri): 10-01..10-07 are the National Day holiday,
    # 10-08 and 10-09 are working days: 2 working days.
    assert between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    assert WorkingCalendar().working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    # 10-10 is a Saturday made a working day (调休).
    assert WorkingDayIndex.objects.get(date=D(2026, 10, 10)).is_working_day is True


def test_it_agrees_with_the_calendar_over_a_whole_year():
    calendar = WorkingCalendar()
    rows = WorkingDayIndex.objects.filter(date__year=2025).order_by("date")
    assert [row.is_working_day for row in rows] == [calendar.is_working_day(row.date) for row in rows]
    assert between(D(2024, 12, 31), D(2025, 12, 31)) == calendar.working_days_between(D(2024, 12, 31), D(2025, 12, 31))


def test_it_is_rebuilt_when_an_override_is_saved_or_deleted():
    later = WorkingDayIndex.objects.get(date=D(2027, 6, 1)).ordinal
    assert between(D(2026, 11, 23), D(2026, 11, 25)) == 2  # Tue 24, Wed 25

    deadlines.calendar_override_save(date=D(2026, 11, 24), is_working_day=False, note="临时放假", actor=None)
    assert WorkingDayIndex.objects.get(date=D(2026, 11, 24)).is_working_day is False
    assert between(D(2026, 11, 23), D(2026, 11, 25)) == 1
    # Every later ordinal moved by one: differences across the change stay right.
    assert WorkingDayIndex.objects.get(date=D(2027, 6, 1)).ordinal == later - 1

    deadlines.calendar_override_delete(override=CalendarOverride.objects.get(date=D(2026, 11, 24)), actor=None)
    assert between(D(2026, 11, 23), D(2026, 11, 25)) == 2
    assert WorkingDayIndex.objects.get(date=D(2027, 6, 1)).ordinal == later


def test_it_fills_the_gap_when_asked_for_a_year_past_its_end():
    last = WorkingDayIndex.objects.order_by("date").last().date
    rebuild_working_day_index(last.year + 3, last.year + 3)
    assert WorkingDayIndex.objects.filter(date=D(last.year + 1, 6, 1)).exists()
    assert WorkingDayIndex.objects.order_by("date").last().date == D(last.year + 3, 12, 31)
    # Monday to Friday past the package's years: a week adds five working days.
    monday = D(last.year + 3, 3, 1) + dt.timedelta(days=(7 - D(last.year + 3, 3, 1).weekday()) % 7)
    assert between(monday, monday + dt.timedelta(days=7)) == WorkingCalendar().working_days_between(
        monday, monday + dt.timedelta(days=7)
    )


def test_it_refuses_a_reversed_range():
    with pytest.raises(ValueError):
        rebuild_working_day_index(2027, 2026)


def test_the_monthly_task_extends_the_index_two_years_ahead(db):
    import datetime as dt

    from liaison.models import WorkingDayIndex
    from liaison.workday_index import extend_working_day_index

    last = WorkingDayIndex.objects.order_by("-date").first().date
    WorkingDayIndex.objects.filter(date__year=last.year).delete()
    assert extend_working_day_index() > 300
    assert WorkingDayIndex.objects.filter(date=dt.date(last.year, 12, 31)).exists()
    assert extend_working_day_index() == 0
