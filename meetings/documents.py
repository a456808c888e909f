"""Printed documents of the meetings app: the minutes (official-document style), the sign-in sheet,
and the supervision report. HTML → PDF with WeasyPrint through liaison.pdf; templates under
templates/meetings/print/ extend print/base.html (GB/T 9704 margins, red header, "— 1 —" page numbers).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from liaison import issued
from liaison.deadlines import today
from liaison.models import Organization, User
from liaison.pdf import render_pdf

from .choices import Attendance, ItemState
from .models import ActionItem, Meeting, Minutes
from .services._common import party_organizations


def attendance_groups(meeting: Meeting) -> dict[str, list]:
    """Present (with deputies), absent, and not recorded, in the invitation order."""
    invitees = list(meeting.invitees.all())
    return {
        "present": [i for i in invitees if i.attendance in (Attendance.PRESENT, Attendance.REPRESENTED)],
        "absent": [i for i in invitees if i.attendance == Attendance.ABSENT],
        "unknown": [i for i in invitees if i.attendance == Attendance.UNKNOWN],
    }


def minutes_context(minutes: Minutes) -> dict:
    meeting = minutes.meeting
    parties = party_organizations(minutes.mechanism, on=timezone.localtime(meeting.starts_at).date())
    distribution = [d.organization for d in minutes.distribution.all()] or parties
    return {
        "minutes": minutes,
        "meeting": meeting,
        "parties": parties,
        "attendance": attendance_groups(meeting),
        "sections": list(minutes.sections.all()),
        "decisions": list(minutes.decisions.all()),
        "action_items": list(minutes.action_items.all()),
        "distribution": distribution,
        "issued_on": timezone.localtime(minutes.issued_at).date() if minutes.issued_at else None,
        "meeting_start": timezone.localtime(meeting.starts_at),
        "meeting_end": timezone.localtime(meeting.ends_at),
        "issuer": next((p for p in parties if p.pk == meeting.convenor_id), parties[0] if parties else None),
    }


def minutes_pdf(minutes: Minutes) -> bytes:
    return render_pdf("meetings/print/minutes.html", minutes_context(minutes))


def issue_minutes_pdf(minutes_pk: int, *, actor: User) -> str:
    """Render the minutes as just issued (number and date set) and store them; returns the SHA-256
    for the audit record of the issue."""
    minutes = Minutes.objects.select_related("meeting", "mechanism", "corrects").get(pk=minutes_pk)
    name = f"{minutes.number} {minutes.title}.pdf"
    return issued.freeze(target=minutes, content=minutes_pdf(minutes), name=name, actor=actor).sha256


def minutes_file(minutes: Minutes) -> bytes:
    """Issued minutes as stored at issue; a draft (or minutes issued before freezing) rendered now."""
    document = issued.issued_document(minutes) if minutes.issued_at else None
    return issued.read(document) if document is not None else minutes_pdf(minutes)


def sign_in_sheet_pdf(meeting: Meeting) -> bytes:
    return render_pdf(
        "meetings/print/sign_in_sheet.html",
        {
            "meeting": meeting,
            "invitees": list(meeting.invitees.all()),
            "start": timezone.localtime(meeting.starts_at),
            "end": timezone.localtime(meeting.ends_at),
            "blank_rows": range(4),
        },
    )


def supervision_pdf(items: Iterable[ActionItem], summary: list[dict], organization: Organization | None) -> bytes:
    items = list(items)
    return render_pdf(
        "meetings/print/supervision.html",
        {
            "items": items,
            "summary": summary,
            "organization": organization,
            "on": today(),
            "overdue": sum(1 for i in items if getattr(i, "state", "") == ItemState.OVERDUE),
        },
    )


def activity_sign_in_sheet_pdf(activity) -> bytes:
    """The sign-in sheet of an activity: the confirmed registrations, then blank rows for walk-ins."""
    confirmed = [r for r in activity.registrations.all() if r.status == "confirmed"]
    return render_pdf(
        "meetings/print/activity_sign_in_sheet.html",
        {
            "activity": activity,
            "registrations": confirmed,
            "start": timezone.localtime(activity.starts_at),
            "end": timezone.localtime(activity.ends_at),
            "blank_rows": range(6),
        },
    )
