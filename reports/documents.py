"""A report as a PDF in the style of an official document (red header with the author organization)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import attachments
from liaison.pdf import render_pdf

from .choices import ReportKind
from .models import MonthlyReport, Report
from .monthly import table


def fold_zero_rows(rows: list[dict], *, keep: int = 3) -> list[dict]:
    """A breakdown as printed: the categories with nothing this month, last month or this year are
    folded into one "其他" row, unless there are no more than `keep` of them."""
    empty = [r for r in rows if not (r["month"] or r["previous"] or r["year_to_date"])]
    if len(empty) <= keep:
        return rows
    shown = [r for r in rows if r not in empty]
    return [
        *shown,
        {
            "key": "other",
            "label": _("其他（%(n)d类）") % {"n": len(empty)},
            "month": 0,
            "previous": 0,
            "year_to_date": 0,
        },
    ]


def report_pdf(report: Report) -> bytes:
    if report.kind == ReportKind.MONTHLY_FIGURES:
        return monthly_pdf(report.monthly)
    return render_pdf(
        "reports/print/report.html",
        {
            "report": report,
            "tags": [tag.name for tag in report.tags.all()],
            "attachments": list(attachments.attachments_of(report)),
            "printed_at": timezone.localtime(),
        },
    )


def report_pdf_filename(report: Report) -> str:
    return f"{report.title[:60]}.pdf"


def monthly_pdf(monthly: MonthlyReport) -> bytes:
    """The monthly report in the official style of the minutes: red header, issue number, tables."""
    return render_pdf(
        "reports/print/monthly.html",
        {
            "monthly": monthly,
            "report": monthly.report,
            "figures": monthly.figures,
            "sections": table(monthly.figures),
            "breakdowns": [{**b, "rows": fold_zero_rows(b["rows"])} for b in monthly.figures["breakdowns"]],
            "parties": [
                party.organization
                for party in monthly.mechanism.parties.select_related("organization").order_by(
                    "-is_convenor", "organization__name"
                )
            ],
            "printed_at": timezone.localtime(),
        },
    )
