"""Printed documents of the cases app: the transfer letter (移送函)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from liaison import issued
from liaison.models import User
from liaison.pdf import render_pdf

from .models import ComplaintCaseNumber, Transfer


def transfer_letter_pdf(transfer: Transfer) -> bytes:
    """The letter with its table of complaints: two queries whatever the number of complaints."""
    complaints = list(
        transfer.complaints.select_related("enterprise")
        .order_by("serial")
        .prefetch_related(Prefetch("case_numbers", queryset=ComplaintCaseNumber.objects.order_by("id")))
    )
    return render_pdf(
        "cases/print/transfer_letter.html",
        {
            "transfer": transfer,
            "complaints": complaints,
            "made_on": timezone.localtime(transfer.made_at).date(),
        },
    )


def issue_transfer_letter(transfer: Transfer, *, actor: User) -> str:
    """Render the letter as issued and store it (the transfer's complaints already handed over);
    returns its SHA-256 for the audit record."""
    document = issued.freeze(
        target=transfer, content=transfer_letter_pdf(transfer), name=f"{transfer.number}.pdf", actor=actor
    )
    return document.sha256


def transfer_letter_file(transfer: Transfer) -> bytes:
    """The letter as it was issued; a letter from before documents were frozen is rendered now."""
    document = issued.issued_document(transfer)
    return issued.read(document) if document is not None else transfer_letter_pdf(transfer)
