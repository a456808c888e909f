"""The meeting cadence of a mechanism: each quarter and year held, scheduled or missing, and its reminders.

The rules come from the mechanism (at least `meetings_per_quarter` joint meetings a quarter, at
least `plenaries_per_year` plenaries a year). The secretaries are reminded 30 and 10 days before a
quarter (or year) ends with too few meetings scheduled; the parties' leaders when it ended so — of
the parties told in the mechanism (`liaison.membership.told`): not one that has left, nor a place
the administrator does not tell.
Reminders are notifications with a dedup key, so a second or concurrent run creates nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison import deadlines
from liaison.choices import NotificationKind
from liaison.membership import Notice, told
from liaison.models import Mechanism
from liaison.notifications import Draft, create_notifications

from .cadence_rows import CadenceRow
from .choices import CADENCE_KINDS, HELD_STATES, SCHEDULED_STATES, CadenceState, MeetingKind
from .models import Meeting

REMIND_DAYS = (30, 10)


QUARTER_LABELS = {
    1: gettext_lazy("%(year)s年第一季度"),
    2: gettext_lazy("%(year)s年第二季度"),
    3: gettext_lazy("%(year)s年第三季度"),
    4: gettext_lazy("%(year)s年第四季度"),
}


def quarter_label(year: int, quarter: int) -> str:
    """e.g. 2026年第三季度, in the reader's language."""
    return QUARTER_LABELS[quarter] % {"year": year}


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter."""
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


@dataclass
class Period:
    """A quarter (or a year, for plenaries) and how the mechanism's rule stands in it."""

    label: str
    start: dt.date
    end: dt.date
    required: int
    held: list[Meeting] = field(default_factory=list)
    scheduled: list[Meeting] = field(default_factory=list)
    state: str = CadenceState.NOT_DUE

    @property
    def state_label(self) -> str:
        return str(CadenceState(self.state).label)

    @property
    def css(self) -> str:
        return {
            CadenceState.HELD: "success",
            CadenceState.SCHEDULED: "info",
            CadenceState.MISSING: "danger",
            CadenceState.NOT_DUE: "secondary",
            CadenceState.NOT_APPLICABLE: "light",
        }[self.state]


def _judge(period: Period, on: dt.date, founded: dt.date | None) -> str:
    if founded is not None and period.end < founded:
        return CadenceState.NOT_APPLICABLE
    if len(period.held) >= period.required:
        return CadenceState.HELD
    if period.end < on:
        return CadenceState.MISSING
    if len(period.held) + len(period.scheduled) >= period.required:
        return CadenceState.SCHEDULED
    # The current period without enough meetings scheduled is missing them already; later ones are not due.
    return CadenceState.MISSING if period.start <= on else CadenceState.NOT_DUE


@dataclass
class CadenceYear:
    year: int
    quarters: list[Period]
    plenary: Period | None
    # Further rows given by the apps above meetings (see `meetings.cadence_rows`).
    rows: list[CadenceRow] = field(default_factory=list)


def _fill(period: Period, meetings: Iterable[Meeting], kinds: Iterable[str]) -> None:
    kinds = set(kinds)
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at).date()
        if meeting.kind not in kinds or not period.start <= day <= period.end:
            continue
        if meeting.status in HELD_STATES:
            period.held.append(meeting)
        elif meeting.status in SCHEDULED_STATES:
            period.scheduled.append(meeting)


def _meetings(mechanism: Mechanism, start: dt.date, end: dt.date) -> list[Meeting]:
    tz = timezone.get_current_timezone()
    return list(
        Meeting.objects.filter(
            mechanism=mechanism,
            kind__in=CADENCE_KINDS,
            starts_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            starts_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        ).order_by("starts_at")
    )


def cadence_year(mechanism: Mechanism, year: int, on: dt.date | None = None) -> CadenceYear:
    """Each quarter of the year (joint meetings and plenaries count) and the year's plenaries (one query)."""
    on = on or deadlines.today()
    meetings = _meetings(mechanism, dt.date(year, 1, 1), dt.date(year, 12, 31))
    quarters = []
    for quarter in range(1, 5):
        start, end = quarter_bounds(year, quarter)
        period = Period(quarter_label(year, quarter), start, end, mechanism.meetings_per_quarter)
        _fill(period, meetings, CADENCE_KINDS)
        period.state = _judge(period, on, mechanism.founded_on) if period.required else CadenceState.NOT_DUE
        quarters.append(period)
    plenary = None
    if mechanism.plenaries_per_year:
        plenary = Period(
            _("%(year)s年全体会议") % {"year": year},
            dt.date(year, 1, 1),
            dt.date(year, 12, 31),
            mechanism.plenaries_per_year,
        )
        _fill(plenary, meetings, [MeetingKind.PLENARY])
        plenary.state = _judge(plenary, on, mechanism.founded_on)
    return CadenceYear(year, quarters, plenary)


def _count(mechanism: Mechanism, start: dt.date, end: dt.date, kinds: Iterable[str], states: Iterable[str]) -> int:
    tz = timezone.get_current_timezone()
    return Meeting.objects.filter(
        mechanism=mechanism,
        kind__in=list(kinds),
        status__in=list(states),
        starts_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        starts_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    ).count()


def _drafts(users, key: str, title: str, url: str) -> list[Draft]:
    return [
        Draft(
            user.pk,
            NotificationKind.DUE_SOON if ":before" in key else NotificationKind.OVERDUE,
            title,
            title,
            url,
            f"{key}:{user.pk}"[:200],
        )
        for user in users
    ]


def _check_period(
    mechanism: Mechanism,
    *,
    key: str,
    label: str,
    start: dt.date,
    end: dt.date,
    required: int,
    kinds: Iterable[str],
    on: dt.date,
    url: str,
) -> list[Draft]:
    """Reminders for one period of one mechanism: secretaries before its end, leaders after it."""
    drafts: list[Draft] = []
    if not required or (mechanism.founded_on and end < mechanism.founded_on):
        return drafts
    days_left = (end - on).days
    if 0 <= days_left <= max(REMIND_DAYS):
        planned = _count(mechanism, start, end, kinds, (*HELD_STATES, *SCHEDULED_STATES))
        if planned < required:
            title = _("%(mechanism)s：%(period)s还有 %(days)s 天结束，尚未安排%(what)s") % {
                "mechanism": mechanism.short_name,
                "period": label,
                "days": days_left,
                "what": _("全体会议") if list(kinds) == [MeetingKind.PLENARY] else _("联席会议"),
            }
            for threshold in REMIND_DAYS:
                if days_left <= threshold:
                    drafts += _drafts(
                        told(mechanism, Notice.CADENCE_DUE, on).users,
                        f"meetings.cadence:{mechanism.pk}:{key}:before{threshold}",
                        title,
                        url,
                    )
    return drafts


def _check_ended(
    mechanism: Mechanism,
    *,
    key: str,
    label: str,
    start: dt.date,
    end: dt.date,
    required: int,
    kinds: Iterable[str],
    on: dt.date,
    url: str,
) -> list[Draft]:
    if not required or (mechanism.founded_on and end < mechanism.founded_on):
        return []
    held = _count(mechanism, start, end, kinds, HELD_STATES)
    if held >= required:
        return []
    title = _("%(mechanism)s：%(period)s已结束，未召开%(what)s（应至少 %(n)s 次，实际 %(held)s 次）") % {
        "mechanism": mechanism.short_name,
        "period": label,
        "n": required,
        "held": held,
        "what": _("全体会议") if list(kinds) == [MeetingKind.PLENARY] else _("联席会议"),
    }
    return _drafts(
        told(mechanism, Notice.CADENCE_MISSED, on).users, f"meetings.cadence:{mechanism.pk}:{key}:missed", title, url
    )


def remind(on: dt.date | None = None) -> int:
    """Create the cadence reminders due on `on` (today); returns how many were created."""
    on = on or deadlines.today()
    year, quarter = quarter_of(on)
    last_year, last_quarter = previous_quarter(year, quarter)
    drafts: list[Draft] = []
    for mechanism in Mechanism.objects.filter(is_active=True).order_by("pk"):
        url = reverse("meetings:cadence", args=[mechanism.pk])
        start, end = quarter_bounds(year, quarter)
        label = quarter_label(year, quarter)
        drafts += _check_period(
            mechanism,
            key=f"{year}Q{quarter}",
            label=label,
            start=start,
            end=end,
            required=mechanism.meetings_per_quarter,
            kinds=CADENCE_KINDS,
            on=on,
            url=url,
        )
        start, end = quarter_bounds(last_year, last_quarter)
        label = quarter_label(last_year, last_quarter)
        drafts += _check_ended(
            mechanism,
            key=f"{last_year}Q{last_quarter}",
            label=label,
            start=start,
            end=end,
            required=mechanism.meetings_per_quarter,
            kinds=CADENCE_KINDS,
            on=on,
            url=url,
        )
        drafts += _check_period(
            mechanism,
            key=f"{year}P",
            label=_("%(year)s年") % {"year": year},
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
            required=mechanism.plenaries_per_year,
            kinds=[MeetingKind.PLENARY],
            on=on,
            url=url,
        )
        drafts += _check_ended(
            mechanism,
            key=f"{year - 1}P",
            label=_("%(year)s年") % {"year": year - 1},
            start=dt.date(year - 1, 1, 1),
            end=dt.date(year - 1, 12, 31),
            required=mechanism.plenaries_per_year,
            kinds=[MeetingKind.PLENARY],
            on=on,
            url=url,
        )
    with transaction.atomic():
        return create_notifications(drafts)
