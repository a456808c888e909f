"""Issued minutes are frozen: rendered with their number at issue, stored, the SHA-256 in the
audit record of the issue, and served as stored ever after."""

from __future__ import annotations

import hashlib

from liaison import issued
from liaison.models import AuditEvent, Organization
from meetings import documents
from meetings.models import Minutes

from ..conftest import login


def test_it_stores_the_minutes_at_issue_and_serves_them_as_stored(cast, client) -> None:
    minutes = cast.issued()
    document = issued.issued_document(minutes)
    stored = issued.read(document)
    assert stored.startswith(b"%PDF") and document.sha256 == hashlib.sha256(stored).hexdigest()
    event = AuditEvent.objects.get(object_id=str(minutes.pk), action="minutes_issue")
    assert event.summary == f"{minutes.number}；sha256 {document.sha256}"

    # Issued minutes cannot be edited (a trigger refuses it), but what they print from can change.
    Organization.objects.filter(pk=cast.world.court.pk).update(name="印发后改名的法院")
    assert b"%PDF" in documents.minutes_pdf(Minutes.objects.get(pk=minutes.pk))
    for url in (f"/meetings/minutes/{minutes.pk}/pdf/", f"/api/v1/minutes/{minutes.pk}/pdf/"):
        response = login(client, cast.secretary).get(url)
        assert response.status_code == 200 and response.getvalue() == stored, url


def test_a_draft_is_rendered_each_time(cast, client) -> None:
    minutes = cast.approved()
    assert issued.issued_document(minutes) is None
    response = login(client, cast.secretary).get(f"/meetings/minutes/{minutes.pk}/pdf/")
    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")
