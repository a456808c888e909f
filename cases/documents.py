"""Printed documents of the cases app: the transfer letter (移送函)."""
from __future__ import annotations

from django.utils import timezone

from liaison.pdf import render_pdf

from .models import Transfer


def transfer_letter_pdf(transfer: Transfer) -> bytes:
    complaints = list(transfer.complaints.select_related("enterprise").order_by("serial"))
    return render_pdf("cases/print/transfer_letter.html", {
        "transfer": transfer,
        "complaints": complaints,
        "made_on": timezone.localtime(transfer.made_at).date(),
    })
