"""Court registration numbers: a format, and a proposal from the court's own sequence.

The register form proposes the court's next number (`proposed_number`); it is only a proposal:
the sequence moves when a complaint is registered under that very number (`consume`, inside the
registering transaction, so two clerks cannot both take it). A clerk may type the number of the
court's own registry instead.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liaison import deadlines, numbering

from .models import Complaint

SERIES_PREFIX = "registration-"
# Set on a complaint by a page that read the court's sequence with it: (year, the next number).
PEEKED = "registration_peeked"
FORMAT_HINT = _("格式如：%(example)s；可使用建议的登记号，或填写本院立案系统中的登记号。")


def _series(complaint: Complaint) -> str:
    return f"{SERIES_PREFIX}{complaint.court_id}"


def format_number(complaint: Complaint, year: int, number: int) -> str:
    court = complaint.court
    return f"{court.short_name or court.name}联登〔{year}〕{number}号"


def proposed_number(complaint: Complaint) -> str:
    """The court's next registration number this year, not yet taken."""
    year = deadlines.today().year
    peeked = getattr(complaint, PEEKED, None)
    if peeked is not None and peeked[0] == year:
        return format_number(complaint, year, peeked[1])
    return format_number(
        complaint, year, numbering.peek_number(mechanism=complaint.mechanism, series=_series(complaint), year=year)
    )


def hint(complaint: Complaint, proposed: str | None = None) -> str:
    """The format, shown with the proposed number (read from the sequence unless given)."""
    return str(FORMAT_HINT) % {"example": proposed if proposed is not None else proposed_number(complaint)}


def consume(complaint: Complaint, number: str) -> None:
    """Take the proposed number from the sequence when the complaint is registered under it."""
    year = deadlines.today().year
    if number == proposed_number(complaint):
        numbering.next_number(mechanism=complaint.mechanism, series=_series(complaint), year=year)
