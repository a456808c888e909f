"""A report as a PDF in the style of an official document (red header with the author organization)."""
from __future__ import annotations

from django.utils import timezone

from liaison import attachments
from liaison.pdf import render_pdf

from .models import Report


def report_pdf(report: Report) -> bytes:
    return render_pdf("reports/print/report.html", {
        "report": report,
        "tags": [tag.name for tag in report.tags.all()],
        "attachments": list(attachments.attachments_of(report)),
        "printed_at": timezone.localtime(),
    })


def report_pdf_filename(report: Report) -> str:
    return f"{report.title[:60]}.pdf"
