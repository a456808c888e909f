"""Printed documents of the cases app: the transfer letter (移送函)."""
from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from liaison.pdf import render_pdf

from .models import ComplaintCaseNumber, Transfer


def transfer_letter_pdf(transfer: Transfer) -> bytes:
    """The letter with its table of complaints: two queries whatever the number of complaints."""
    complaints = list(transfer.complaints.select_related("enterprise").order_by("serial").prefetch_related(
        Prefetch("case_numbers", queryset=ComplaintCaseNumber.objects.order_by("id"))))
    return render_pdf("cases/print/transfer_letter.html", {
        "transfer": transfer,
        "complaints": complaints,
        "made_on": timezone.localtime(transfer.made_at).date(),
    })
