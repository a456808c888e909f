"""Downloads by detected type, files of rolled-back uploads, role checks on complaint side actions, headers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from cases import services
from liaison import attachments
from liaison.errors import ActionRefused
from liaison.models import Attachment

from ..conftest import login
from ..factories import UserFactory

PDF = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n"


def test_a_pdf_named_html_is_served_as_a_pdf_download(cast, client):
    complaint = cast.file()
    attachment = attachments.attachment_add(
        target=complaint, actor=cast.staff, upload=SimpleUploadedFile("x.html", PDF, content_type="text/html")
    )
    response = login(client, cast.staff).get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_files_of_a_rolled_back_upload_leave_the_disk(cast, settings):
    complaint = cast.file()
    with attachments.rolled_back_files_removed():
        kept = attachments.attachment_add(target=complaint, actor=cast.staff, upload=SimpleUploadedFile("a.pdf", PDF))
        with pytest.raises(RuntimeError), transaction.atomic():
            lost = attachments.attachment_add(
                target=complaint, actor=cast.staff, upload=SimpleUploadedFile("b.pdf", PDF)
            )
            raise RuntimeError("a later step failed")
        assert lost.file.storage.exists(lost.file.name)  # still there until the request ends
    assert not lost.file.storage.exists(lost.file.name)
    assert kept.file.storage.exists(kept.file.name)
    assert list(Attachment.objects.values_list("pk", flat=True)) == [kept.pk]


def test_every_response_carries_a_permissions_policy(db, client):
    policy = client.get("/accounts/login/")["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


@pytest.fixture
def court_secretary(cast):
    return UserFactory(username="court_sec", organization=cast.world.court, roles=["meeting_secretary"])


def test_a_secretary_of_the_court_may_not_post_messages_or_files_on_a_complaint(cast, court_secretary):
    complaint = cast.transferred()
    with pytest.raises(ActionRefused) as refused:
        services.message_post(actor=court_secretary, complaint=complaint, body="你好", internal=False)
    assert refused.value.code == ActionRefused.PERMISSION
    with pytest.raises(ActionRefused) as refused:
        services.complaint_add_files(
            actor=court_secretary,
            complaint=complaint,
            files=attachments.validate_files([SimpleUploadedFile("a.pdf", PDF)]),
        )
    assert refused.value.code == ActionRefused.PERMISSION
    assert not complaint.messages.exists() and not attachments.attachments_of(complaint).exists()
    services.message_post(actor=cast.clerk, complaint=complaint, body="已收到", internal=False)  # the clerk may


def test_only_federation_staff_edit_enterprises(cast):
    leader = UserFactory(username="fed_leader", organization=cast.world.federation, roles=["leader"])
    data = services.EnterpriseData(name="改名公司", credit_code=cast.enterprise.credit_code, size="small", industry="C")
    with pytest.raises(ActionRefused) as refused:
        services.enterprise_update(actor=leader, enterprise=cast.enterprise, data=data)
    assert refused.value.code == ActionRefused.PERMISSION
    cast.enterprise.refresh_from_db()
    assert cast.enterprise.name != "改名公司"
    assert services.enterprise_update(actor=cast.staff, enterprise=cast.enterprise, data=data).name == "改名公司"
