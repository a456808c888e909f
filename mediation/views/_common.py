"""What the mediation pages share: paging, status colours, the time limit in calendar days.

Presentation only: nothing here decides who may do what.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from liaison.paging import page_of, query_without_page  # noqa: F401 - the mediation views page with these

from ..choices import CaseStatus, Confirmation, MediatorStatus
from ..models import MediationCase, Mediator

CASE_CSS = {
    CaseStatus.REFERRED: "info",
    CaseStatus.ASSIGNED: "primary",
    CaseStatus.ACCEPTED: "primary",
    CaseStatus.IN_PROGRESS: "warning",
    CaseStatus.AGREEMENT: "success",
    CaseStatus.FAILED: "dark",
    CaseStatus.WITHDRAWN: "secondary",
}
CONFIRMATION_CSS = {Confirmation.REQUESTED: "info", Confirmation.CONFIRMED: "success", Confirmation.REFUSED: "danger"}
MEDIATOR_CSS = {
    MediatorStatus.ACTIVE: "success",
    MediatorStatus.SUSPENDED: "warning",
    MediatorStatus.EXPIRED: "secondary",
    MediatorStatus.REMOVED: "dark",
}
TERM_WARNING_DAYS = 60


@dataclass(frozen=True)
class LimitStatus:
    """The time limit as a list shows it, in calendar days."""

    days: int
    text: str
    css: str


def limit_status(case: MediationCase, on: dt.date) -> LimitStatus:
    if not case.is_open:
        if case.status == CaseStatus.WITHDRAWN or case.in_time is None:
            return LimitStatus(0, _("已结案"), "secondary")
        return LimitStatus(
            0, _("期限内办结") if case.in_time else _("超期办结"), "success" if case.in_time else "danger"
        )
    left = (case.due_date - on).days
    if left > 0:
        return LimitStatus(left, _("剩余 %(n)s 天") % {"n": left}, "warning" if left <= 5 else "success")
    if left == 0:
        return LimitStatus(0, _("今日届满"), "warning")
    return LimitStatus(left, _("已超期 %(n)s 天") % {"n": -left}, "danger")


@dataclass(frozen=True)
class CaseRow:
    case: MediationCase
    status_css: str
    limit: LimitStatus
    applicants: list
    respondents: list


def case_rows(cases: object, on: dt.date) -> list[CaseRow]:
    rows = []
    for case in cases:
        parties = list(case.parties.all())
        rows.append(
            CaseRow(
                case,
                CASE_CSS.get(case.status, "secondary"),
                limit_status(case, on),
                [p for p in parties if p.role == "applicant"],
                [p for p in parties if p.role == "respondent"],
            )
        )
    return rows


def term_left(mediator: Mediator, on: dt.date) -> int | None:
    """Days until an active mediator's term ends, when it ends within the warning window."""
    if mediator.status != MediatorStatus.ACTIVE:
        return None
    left = (mediator.term_end - on).days
    return left if 0 <= left <= TERM_WARNING_DAYS else None
