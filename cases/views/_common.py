"""What the cases pages share: paging, the deadline column, status colours, a readable timeline.

Presentation only: nothing here decides who may do what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.choices import DeadlineState
from liaison.deadlines import DueStatus, due_status_of
from liaison.models import AuditEvent, User
from liaison.paging import page_of, query_without_page  # noqa: F401 - the cases views page with these
from liaison.workdays import WorkingCalendar

from .. import services
from ..choices import ComplaintKind, ComplaintStatus
from ..models import Complaint

STATUS_CSS = {
    ComplaintStatus.DRAFT: "secondary",
    ComplaintStatus.SUBMITTED: "info",
    ComplaintStatus.UNDER_REVIEW: "info",
    ComplaintStatus.NEEDS_MATERIAL: "warning",
    ComplaintStatus.DECLINED: "dark",
    ComplaintStatus.QUEUED: "primary",
    ComplaintStatus.TRANSFERRED: "primary",
    ComplaintStatus.REGISTERED: "primary",
    ComplaintStatus.ASSIGNED: "primary",
    ComplaintStatus.ANSWERED: "success",
    ComplaintStatus.RETURNED: "warning",
    ComplaintStatus.CLOSED: "success",
    ComplaintStatus.WITHDRAWN: "secondary",
}

DUE_KIND_LABELS = {services.REVIEW: _("审核"), services.REGISTRATION: _("登记"), services.FEEDBACK: _("反馈")}


@dataclass(frozen=True)
class Row:
    """A complaint as a list shows it: the object, its status colour and its current deadline."""

    complaint: Complaint
    status_css: str
    due: DueStatus | None
    due_kind: str


def rows_of(complaints: Iterable[Complaint], calendar: WorkingCalendar, on: dt.date | None = None) -> list[Row]:
    """Rows from complaints annotated by selectors.complaint_list (current_due, _kind, _state)."""
    result = []
    for c in complaints:
        due = due_status_of(
            getattr(c, "current_due", None),
            calendar,
            on,
            getattr(c, "current_due_state", None) or DeadlineState.RUNNING,
        )
        result.append(
            Row(
                c,
                STATUS_CSS.get(c.status, "secondary"),
                due,
                DUE_KIND_LABELS.get(getattr(c, "current_due_kind", None) or "", ""),
            )
        )
    return result


# What the complaint list reads of each row (with `enterprise` and `court` joined): no more columns.
LIST_COLUMNS = (
    "serial",
    "is_major",
    "under_supervision",
    "filed_online",
    "kind",
    "title",
    "status",
    "current_due",
    "current_due_kind",
    "current_due_paused",
    "enterprise__name",
    "court__name",
    "court__short_name",
)


@dataclass(frozen=True)
class ListRow:
    """A row of the complaint list with everything it shows already worked out: the template only
    places strings (no URL reversing, choice lookups or date formatting per row)."""

    url: str
    serial: str
    is_major: bool
    under_supervision: bool
    filed_online: bool
    enterprise: str
    kind: str
    title: str
    status: str
    status_css: str
    court: str
    due: DueStatus | None
    due_kind: str
    due_date: str


def list_rows(complaints: Iterable[Complaint], calendar: WorkingCalendar, on: dt.date | None = None) -> list[ListRow]:
    """The complaint list's rows (complaints read with `LIST_COLUMNS`); labels looked up once a page."""
    marker = 999999999
    link = reverse("cases:complaint_detail", args=[marker]).replace(str(marker), "{}")
    kinds = {value: str(label) for value, label in ComplaintKind.choices}
    states = {value: str(label) for value, label in ComplaintStatus.choices}
    due_kinds = {key: str(label) for key, label in DUE_KIND_LABELS.items()}
    rows = []
    for c in complaints:
        due = due_status_of(c.current_due, calendar, on, c.current_due_state or DeadlineState.RUNNING)
        rows.append(
            ListRow(
                url=link.format(c.pk),
                serial=c.serial,
                is_major=c.is_major,
                under_supervision=c.under_supervision,
                filed_online=c.filed_online,
                enterprise=c.enterprise.name,
                kind=kinds.get(c.kind, c.kind),
                title=c.title,
                status=states.get(c.status, c.status),
                status_css=STATUS_CSS.get(c.status, "secondary"),
                court=c.court.short_name or c.court.name,
                due=due,
                due_kind=due_kinds.get(c.current_due_kind or "", ""),
                due_date=c.current_due.isoformat() if c.current_due else "",
            )
        )
    return rows


def timeline(events: Iterable[AuditEvent], user: User) -> list[AuditEvent]:
    """The object's audit events for its timeline, without other organizations' internal notes.

    A note is its organization's business, and its audit summary holds the note's first words.
    (The timeline include names actions and states through liaison.audit's labels.)
    """
    return [e for e in events if not (e.action == "note" and e.actor_organization_id != user.organization_id)]
