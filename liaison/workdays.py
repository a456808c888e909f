"""The working-day calendar: Chinese statutory holidays off, make-up working days (调休) on.

Order of authority for a date: the administrators' override table, then the `chinesecalendar`
package for the years it knows, then Monday to Friday (and such a year is reported so that a
warning can be shown).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import chinese_calendar
from django.utils.translation import gettext_noop as N_

from .models import CalendarOverride

ONE_DAY = dt.timedelta(days=1)
# A deadline is never more than a few hundred working days out; this bounds every walk.
MAX_WALK_DAYS = 3660


@lru_cache(maxsize=64)
def package_knows_year(year: int) -> bool:
    """Whether `chinesecalendar` has the official schedule of this year."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass
class SkippedDay:
    date: dt.date
    reason: str

    def as_json(self) -> dict:
        return {"date": self.date.isoformat(), "reason": self.reason}


@dataclass
class Computation:
    """The result of adding working days, with everything needed to explain it."""

    start: dt.date
    working_days: int
    due: dt.date
    skipped: list[SkippedDay] = field(default_factory=list)
    assumed_years: list[int] = field(default_factory=list)


class WorkingCalendar:
    """One calendar instance reads the override table once; use one per request or sweep."""

    def __init__(self, overrides: dict[dt.date, tuple[bool, str]] | None = None) -> None:
        if overrides is None:
            overrides = {row.date: (row.is_working_day, row.note) for row in CalendarOverride.objects.all()}
        self.overrides = overrides
        self.override_years = {day.year for day in overrides}
        self._between: dict[tuple[dt.date, dt.date], int] = {}  # lists ask the same pairs again

    def year_is_known(self, year: int) -> bool:
        return year in self.override_years or package_knows_year(year)

    def classify(self, day: dt.date) -> tuple[bool, str]:
        """(is working day, reason when it is not, or the note of a make-up day)."""
        if day in self.overrides:
            working, note = self.overrides[day]
            return working, note or (N_("调休上班") if working else N_("放假"))
        return _package_day(day)

    def is_working_day(self, day: dt.date) -> bool:
        return self.classify(day)[0]

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        return self.explain_add(start, count).due

    def explain_add(self, start: dt.date, count: int) -> Computation:
        """The date `count` working days after `start` (start itself not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day, counted, skipped = start, 0, []
        assumed: set[int] = set()
        for _ in range(MAX_WALK_DAYS):
            if counted >= count:
                break
            day += ONE_DAY
            if not self.year_is_known(day.year):
                assumed.add(day.year)
            working, reason = self.classify(day)
            if working:
                counted += 1
            else:
                skipped.append(SkippedDay(day, reason))
        return Computation(start, count, day, skipped, sorted(assumed))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        cached = self._between.get((start, end))
        if cached is None:
            cached, day = 0, start
            while day < end:
                day += ONE_DAY
                if self.is_working_day(day):
                    cached += 1
            self._between[(start, end)] = cached
        return cached


@lru_cache(maxsize=4096)
def _package_day(day: dt.date) -> tuple[bool, str]:
    """A date as `chinesecalendar` (for the years it knows) or Monday to Friday classifies it: the
    same for every request, so remembered (the package looks each date up at a cost that a list of
    deadlines, walking day by day to each due date, multiplied into milliseconds)."""
    if package_knows_year(day.year):
        if chinese_calendar.is_workday(day):
            return True, N_("调休上班") if day.weekday() >= 5 else ""
        if day.weekday() >= 5:
            return False, N_("周末")
        _, holiday = chinese_calendar.get_holiday_detail(day)
        return False, HOLIDAY_NAMES.get(holiday or "", N_("法定节假日"))
    if day.weekday() >= 5:
        return False, N_("周末")
    return True, ""


HOLIDAY_NAMES = {
    "New Year's Day": N_("元旦"),
    "Spring Festival": N_("春节"),
    "Tomb-sweeping Day": N_("清明节"),
    "Labour Day": N_("劳动节"),
    "Dragon Boat Festival": N_("端午节"),
    "National Day": N_("国庆节"),
    "Mid-autumn Festival": N_("中秋节"),
    "Anti-Fascist 70th Day": N_("抗战胜利纪念日"),
}


def unknown_years(years: list[int]) -> list[int]:
    """Which of these years neither the package nor the override table knows."""
    calendar = WorkingCalendar()
    return [year for year in years if not calendar.year_is_known(year)]


def is_working_day(day: dt.date) -> bool:
    return WorkingCalendar().is_working_day(day)


def add_working_days(start: dt.date, count: int) -> dt.date:
    return WorkingCalendar().add_working_days(start, count)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return WorkingCalendar().working_days_between(start, end)
