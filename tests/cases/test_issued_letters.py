"""An issued transfer letter is frozen: rendered once at transfer, stored with its SHA-256 in the
audit record, and served as stored even when the data behind it changes."""

from __future__ import annotations

import hashlib

from cases.models import Complaint, Transfer
from liaison import issued
from liaison.models import AuditEvent

from ..conftest import login


def test_it_stores_the_letter_at_transfer_with_its_digest_in_the_audit_record(cast, client) -> None:
    complaint = cast.transferred(title="设备被错误查封")
    transfer = Transfer.objects.get(complaints=complaint)
    document = issued.issued_document(transfer)
    stored = issued.read(document)
    assert stored.startswith(b"%PDF") and document.sha256 == hashlib.sha256(stored).hexdigest()
    event = AuditEvent.objects.get(object_id=str(transfer.pk), action="letter_issue")
    assert event.summary == f"sha256 {document.sha256}"

    Complaint.objects.filter(pk=complaint.pk).update(title="后来改过的标题")
    for url in (f"/cases/transfers/{transfer.pk}/pdf/", f"/api/v1/transfers/{transfer.pk}/pdf/"):
        response = login(client, cast.reviewer).get(url)
        assert response.status_code == 200 and response.getvalue() == stored, url


def test_it_shows_the_digest_only_to_auditors(cast, client) -> None:
    complaint = cast.transferred()
    transfer = Transfer.objects.get(complaints=complaint)
    digest = issued.issued_document(transfer).sha256
    page = login(client, cast.reviewer).get(f"/cases/transfers/{transfer.pk}/").content.decode()
    assert "移送函定稿" in page and digest not in page and "sha256" not in page
    page = login(client, cast.court_leader).get(f"/cases/transfers/{transfer.pk}/").content.decode()
    assert f"SHA-256：{digest}" in page


def test_it_keeps_the_frozen_letter_out_of_the_attachments(cast) -> None:
    from liaison.attachments import attachments_of

    transfer = Transfer.objects.get(complaints=cast.transferred())
    assert issued.issued_document(transfer) is not None and list(attachments_of(transfer)) == []
