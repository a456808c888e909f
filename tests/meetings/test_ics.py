"""iCalendar: invitations parse and carry Asia/Shanghai; the personal feed is found by its secret token only."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
from django.core import mail

from meetings import ics, services
from meetings.models import CalendarFeed

from ..conftest import login

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def parse(content: bytes | str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def test_an_invitation_parses_and_carries_the_right_time_zone(cast):
    meeting = cast.noticed()
    calendar = parse(ics.invitation(meeting, "REQUEST", meeting.invitees.all()))
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2026, 3, 20, 9, 0, tzinfo=SHANGHAI)
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event.decoded("DTEND").hour == 11
    [timezone_] = calendar.walk("VTIMEZONE")
    assert timezone_["TZID"] == "Asia/Shanghai"
    assert str(event["SUMMARY"]) == "2026年第一季度联席会议" and str(event["LOCATION"]) == "市法院三楼会议室"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@liaison" and event["SEQUENCE"] == 0
    attendees = {str(a) for a in event.get("ATTENDEE")}
    assert "mailto:wang@chamber.test" in attendees and "mailto:alice@example.test" in attendees


def test_the_emailed_cancellation_is_the_same_event_with_a_higher_sequence(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = cast.noticed()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=cast.secretary, meeting=meeting, reason="议题已书面办理")
    notice = next(m for m in mail.outbox if "会议通知" in m.subject)
    cancel = next(m for m in mail.outbox if "会议取消" in m.subject)
    first, last = (parse(m.attachments[0][1]) for m in (notice, cancel))
    [event1], [event2] = first.walk("VEVENT"), last.walk("VEVENT")
    assert event1["UID"] == event2["UID"] and event2["SEQUENCE"] == event1["SEQUENCE"] + 1
    assert last["METHOD"] == "CANCEL" and event2["STATUS"] == "CANCELLED"
    assert "议题已书面办理" in str(event2["DESCRIPTION"])


def test_the_feed_needs_no_login_but_the_right_token(cast, client):
    meeting = cast.noticed()
    other = cast.meeting(title="与本人无关的协调会", kind="coordination", invitees=[cast.secretary])
    login(client, cast.fed_leader)
    page = client.get("/meetings/calendar/").content.decode()
    feed = CalendarFeed.objects.get(user=cast.fed_leader)
    assert f"/api/v1/calendar/{feed.token}.ics" in page
    client.logout()
    response = client.get(f"/api/v1/calendar/{feed.token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = parse(response.content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [meeting.title]
    assert other.title not in response.content.decode()
    assert client.get("/api/v1/calendar/not-the-token.ics").status_code == 404


def test_resetting_the_feed_revokes_the_old_address(cast, client):
    login(client, cast.fed_leader)
    client.get("/meetings/calendar/")
    old = CalendarFeed.objects.get(user=cast.fed_leader).token
    response = client.post("/meetings/calendar/")
    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=cast.fed_leader).token
    assert new != old
    client.logout()
    assert client.get(f"/api/v1/calendar/{old}.ics").status_code == 404
    assert client.get(f"/api/v1/calendar/{new}.ics").status_code == 200


def test_a_cancelled_meeting_stays_in_the_feed_marked_cancelled(cast, client):
    meeting = cast.noticed()
    services.meeting_cancel(actor=cast.secretary, meeting=meeting, reason="另行安排")
    login(client, cast.fed_leader)
    client.get("/meetings/calendar/")
    token = CalendarFeed.objects.get(user=cast.fed_leader).token
    [event] = parse(client.get(f"/api/v1/calendar/{token}.ics").content).walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"


def test_a_single_meeting_downloads_as_ics(cast, client):
    meeting = cast.noticed()
    response = login(client, cast.world.alice).get(f"/meetings/{meeting.pk}/invite.ics")
    assert response.status_code == 200
    [event] = parse(response.getvalue()).walk("VEVENT")
    assert str(event["SUMMARY"]) == meeting.title
    assert login(client, cast.world.charlie).get(f"/meetings/{meeting.pk}/invite.ics").status_code == 404
