"""The demo's past: every app adds the steps of its history at the moments they happened, and all of
them run together in time order under a moved clock, so that a complaint transferred at a joint
meeting is transferred on the day that meeting was held, minutes are approved days after it, and a
mediation case is concluded weeks after it was referred. Every service stamps its rows, deadlines,
notifications and audit events with `timezone.now()`, so nothing has to be back-dated afterwards.

Loaders add steps with `timeline().add(at, run)` while the demo loads; the loader runs them after
every app's own data and before the late loaders (the monthly reports read the past). Without
history (`LIAISON_DEMO_HISTORY=0`, as in most tests, or an image without `time_machine`) the same
steps run in the same order at the present moment: the same objects in the same states, only the
dates are today's. A step may lie years back (the Luoyang court's 2021 plan, adopted, reported and
closed in 2021–2022): the clock travels to any past moment, and the working calendar knows those years.

The Luoyang joint meetings of the past year are one fact several apps share (the federation
transfers its queued complaints at them; the secretary holds and minutes them), so their days live
here: quarterly, on the first working day from the 25th of the quarter's last month, except the
quarter just gone, which was missed (the cadence page and the leaders' reminder show it), and the
current quarter's, held ten days ago.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from ..workdays import WorkingCalendar

QUARTER_NAMES = "一二三四"


@dataclass(order=True)
class Step:
    at: dt.datetime
    order: int
    run: Callable[[], None] = field(compare=False)


class Timeline:
    """The dated steps of one demo load, run in time order (ties in the order they were added)."""

    def __init__(self, *, travel: bool, now: dt.datetime | None = None) -> None:
        self.travel = travel
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self._steps: list[Step] = []

    def add(self, at: dt.datetime, run: Callable[[], None], *, clamp: bool = False) -> None:
        """Run `run` at `at`. A moment not yet come is dropped (left for the people using the demo),
        or with `clamp` moved to just before now (a step the demo needs done, whatever today is)."""
        if at >= self.now:
            if not clamp:
                return
            at = self.now - dt.timedelta(minutes=1)
        self._steps.append(Step(at, len(self._steps), run))

    def __len__(self) -> int:
        return len(self._steps)

    def run(self) -> int:
        steps, self._steps = sorted(self._steps), []
        if not self.travel:
            for step in steps:
                step.run()
            return len(steps)
        import time_machine

        for step in steps:
            with time_machine.travel(step.at, tick=False):
                step.run()
        return len(steps)


def history_enabled() -> bool:
    """Whether this load moves the clock (settings.DEMO_HISTORY and time_machine installed)."""
    if not settings.DEMO_HISTORY:
        return False
    try:
        import time_machine  # noqa: F401
    except ImportError:  # an image without the test requirements: the demo runs without a past
        return False
    return True


_current: list[Timeline] = []


@contextmanager
def recording() -> Iterator[Timeline]:
    """The timeline the loaders of one `load()` add to; the caller runs it."""
    current = Timeline(travel=history_enabled())
    _current.append(current)
    try:
        yield current
    finally:
        _current.pop()


def timeline() -> Timeline:
    """The timeline of the load in progress (outside a load: one that runs at once, no travel)."""
    return _current[-1] if _current else Timeline(travel=False)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


# --- the Luoyang joint meetings of the past year ---------------------------------------------------


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def shift_quarter(year: int, quarter: int, back: int) -> tuple[int, int]:
    index = year * 4 + quarter - 1 - back
    return index // 4, index % 4 + 1


def joint_meeting_title(year: int, quarter: int) -> str:
    return f"{year}年第{QUARTER_NAMES[quarter - 1]}季度联席会议"


def joint_meeting_day(today: dt.date, year: int, quarter: int) -> dt.date | None:
    """The day Luoyang's joint meeting of that quarter was (or is) held; None for the missed quarter."""
    current = quarter_of(today)
    if (year, quarter) == current:
        start = dt.date(year, quarter * 3 - 2, 1)
        return max(start, today - dt.timedelta(days=10))
    if (year, quarter) == shift_quarter(*current, 1):
        return None
    calendar = WorkingCalendar()
    day = dt.date(year, quarter * 3, 25)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day
