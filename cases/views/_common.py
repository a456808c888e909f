"""What the cases pages share: paging, the deadline column, status colours, a readable timeline.

Presentation only: nothing here decides who may do what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from liaison.choices import DeadlineState
from liaison.deadlines import DueStatus, due_status_of
from liaison.models import AuditEvent, User
from liaison.paging import page_of, query_without_page  # noqa: F401 - the cases views page with these
from liaison.workdays import WorkingCalendar

from .. import services
from ..choices import ComplaintStatus
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


def timeline(events: Iterable[AuditEvent], user: User) -> list[AuditEvent]:
    """The object's audit events for its timeline, without other organizations' internal notes.

    A note is its organization's business, and its audit summary holds the note's first words.
    (The timeline include names actions and states through liaison.audit's labels.)
    """
    return [e for e in events if not (e.action == "note" and e.actor_organization_id != user.organization_id)]
