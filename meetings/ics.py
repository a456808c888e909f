"""iCalendar (.ics) for invitations, their updates and cancellations, and each user's feed.

Times are written in Asia/Shanghai with a TZID and the VTIMEZONE that defines it, so calendar
programs anywhere show the meeting at the right hour. One UID per meeting for its whole life;
SEQUENCE goes up with every change after the notice went out, so an update replaces the entry
and a METHOD:CANCEL removes it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from .activity_choices import ActivityStatus
from .choices import MeetingStatus
from .models import Activity, Invitee, Meeting

PRODID = "-//Liaison//Meetings//ZH"
TIME_ZONE = "Asia/Shanghai"


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, zoneinfo.ZoneInfo(TIME_ZONE))


def _description(meeting: Meeting) -> str:
    lines = []
    agenda = list(meeting.agenda_items.all())
    if agenda:
        lines.append("会议议题：")
        lines += [f"{index}. {item.title}" for index, item in enumerate(agenda, start=1)]
    if meeting.online_link:
        lines.append(f"线上会议：{meeting.online_link}")
    if meeting.notes:
        lines.append(meeting.notes)
    if meeting.reason and meeting.status in (MeetingStatus.POSTPONED, MeetingStatus.CANCELLED):
        lines.append(f"{meeting.get_status_display()}理由：{meeting.reason}")
    return "\n".join(lines)


def meeting_event(meeting: Meeting, invitees: Iterable[Invitee] = (), *, cancelled: bool = False) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", _local(meeting.starts_at))
    event.add("dtend", _local(meeting.ends_at))
    event.add("summary", meeting.title)
    location = meeting.place or meeting.online_link
    if location:
        event.add("location", location)
    event.add("description", _description(meeting))
    event.add("url", f"{settings.SITE_URL.rstrip('/')}/meetings/{meeting.pk}/")
    event.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}", parameters={"CN": meeting.convenor.name})
    is_cancelled = cancelled or meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if is_cancelled else "CONFIRMED")
    for invitee in invitees:
        address = invitee.address
        if address:
            event.add(
                "attendee",
                f"mailto:{address}",
                parameters={
                    "CN": invitee.display_name,
                    "ROLE": "REQ-PARTICIPANT",
                    "RSVP": "TRUE",
                    "PARTSTAT": {"accepted": "ACCEPTED", "declined": "DECLINED", "tentative": "TENTATIVE"}.get(
                        invitee.rsvp, "NEEDS-ACTION"
                    ),
                },
            )
    return event


def _calendar(method: str | None = None, name: str | None = None) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", TIME_ZONE)
    return calendar


def invitation(meeting: Meeting, method: str, invitees: Iterable[Invitee]) -> bytes:
    """The .ics sent with a notice (REQUEST) or a cancellation (CANCEL) of one meeting."""
    calendar = _calendar(method)
    calendar.add_component(meeting_event(meeting, invitees, cancelled=method == "CANCEL"))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed(meetings: Iterable[Meeting], name: str, activities: Iterable[Activity] = ()) -> bytes:
    """A subscribable calendar of meetings and activities (cancelled ones stay, marked cancelled)."""
    calendar = _calendar(name=name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
    for activity in activities:
        calendar.add_component(activity_event(activity))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def activity_event(activity: Activity, attendee: tuple[str, str] | None = None) -> icalendar.Event:
    """One activity as a calendar entry; `attendee` is (name, address) of the registered person."""
    event = icalendar.Event()
    event.add("uid", activity.uid)
    event.add("sequence", activity.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", _local(activity.starts_at))
    event.add("dtend", _local(activity.ends_at))
    event.add("summary", f"{activity.get_kind_display()}：{activity.title}")
    location = activity.place or activity.online_link
    if location:
        event.add("location", location)
    lines = [line for line in (activity.description, activity.online_link) if line]
    if activity.status == ActivityStatus.CANCELLED and activity.reason:
        lines.append(f"已取消：{activity.reason}")
    event.add("description", "\n".join(lines))
    event.add("url", f"{settings.SITE_URL.rstrip('/')}/meetings/activities/{activity.pk}/")
    event.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}", parameters={"CN": activity.organizer.name})
    event.add("status", "CANCELLED" if activity.status == ActivityStatus.CANCELLED else "CONFIRMED")
    if attendee and attendee[1]:
        event.add(
            "attendee",
            f"mailto:{attendee[1]}",
            parameters={"CN": attendee[0], "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED"},
        )
    return event


def activity_invitation(activity: Activity, attendee: tuple[str, str] | None = None) -> bytes:
    """The .ics of one registration (PUBLISH), or of a cancelled activity (CANCEL)."""
    cancelled = activity.status == ActivityStatus.CANCELLED
    calendar = _calendar("CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(activity_event(activity, attendee))
    calendar.add_missing_timezones()
    return calendar.to_ical()
