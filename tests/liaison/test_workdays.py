"""The working-day calendar on real dates of the official schedule."""

import datetime as dt

import pytest

from liaison.models import CalendarOverride
from liaison.workdays import WorkingCalendar, add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        # National Day week off (10-01..10-07); Saturday 10-10 is a make-up working day.
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        # Spring Festival 2026: 02-15..02-23 off; Saturday 02-14 and 02-28 worked.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        # An ordinary week: Friday + 1 is Monday.
        (D(2026, 11, 20), 1, D(2026, 11, 23)),
        (D(2026, 11, 23), 0, D(2026, 11, 23)),
        # Make-up Sunday 2026-09-20 counts.
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
    ],
)
def test_it_adds_working_days_on_the_chinese_calendar(start, count, expected):
    assert add_working_days(start, count) == expected


@pytest.mark.django_db
def test_it_knows_holidays_and_make_up_days():
    assert is_working_day(D(2026, 10, 10)) is True  # Saturday, make-up
    assert is_working_day(D(2026, 10, 5)) is False  # Monday, National Day
    assert is_working_day(D(2026, 11, 21)) is False  # plain Saturday
    assert is_working_day(D(2026, 11, 23)) is True


@pytest.mark.django_db
def test_it_counts_working_days_between_dates():
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert working_days_between(D(2026, 10, 10), D(2026, 9, 30)) == -3
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0


@pytest.mark.django_db
def test_it_explains_which_days_were_skipped_and_why():
    computation = WorkingCalendar().explain_add(D(2026, 9, 30), 3)
    skipped = {day.date: day.reason for day in computation.skipped}
    assert list(skipped) == [D(2026, 10, d) for d in range(1, 8)]
    assert skipped[D(2026, 10, 1)] == "国庆节"
    assert computation.assumed_years == []


@pytest.mark.django_db
def test_it_falls_back_to_monday_to_friday_for_an_unknown_year_without_crashing():
    calendar = WorkingCalendar()
    assert not calendar.year_is_known(2031)
    # 2031-01-01 is a Wednesday: with no schedule it counts as an ordinary working day.
    computation = calendar.explain_add(D(2030, 12, 31), 1)
    assert computation.due == D(2031, 1, 1)
    assert computation.assumed_years == [2031]
    # A range crossing from a known year into an unknown one works too.
    assert calendar.working_days_between(D(2026, 12, 30), D(2027, 1, 5)) > 0


@pytest.mark.django_db
def test_it_lets_overrides_win_over_the_package_and_make_a_year_known():
    CalendarOverride.objects.create(date=D(2031, 1, 1), is_working_day=False, note="元旦")
    CalendarOverride.objects.create(date=D(2026, 11, 23), is_working_day=False, note="临时调整")
    calendar = WorkingCalendar()
    assert calendar.year_is_known(2031)
    assert calendar.add_working_days(D(2030, 12, 31), 1) == D(2031, 1, 2)
    assert calendar.is_working_day(D(2026, 11, 23)) is False
    assert calendar.explain_add(D(2030, 12, 31), 1).assumed_years == []


def test_it_refuses_a_negative_count():
    with pytest.raises(ValueError):
        WorkingCalendar(overrides={}).explain_add(D(2026, 1, 5), -1)
