"""Filing through /api/v1/portal/matters/: drafts, submission, attachments and the refusals."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from cases.choices import ComplaintStatus
from cases.models import Complaint, EnterpriseMembership
from liaison import attachments
from liaison.models import Notification

from ..factories import UserFactory
from .test_portal_api import ent  # noqa: F401  (the confirmed enterprise user)
from .test_portal_pages import PNG

URL = "/api/v1/portal/matters/"
MATTER = {
    "kind": "case_handling",
    "facts": "执行款迟迟未到账。",
    "demands": "请求督促执行。",
    "case_numbers": ["（2022）豫03执45号"],
    "amount_involved": "12000.50",
}


def test_it_saves_a_draft_and_submits_it(cast, ent, api_client):  # noqa: F811
    api_client.force_authenticate(ent)
    response = api_client.post(URL, MATTER, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    matter = Complaint.objects.get(pk=body["id"])
    assert matter.status == ComplaintStatus.DRAFT and matter.filed_online and matter.enterprise == cast.enterprise
    assert list(matter.case_numbers.values_list("number", flat=True)) == ["（2022）豫03执45号"]
    assert not Notification.objects.filter(recipient=cast.reviewer).exists()  # a draft reaches nobody
    response = api_client.post(f"{URL}{matter.pk}/submit/", {}, format="json")
    assert response.status_code == 200 and response.json()["tracking_number"] == matter.serial
    matter.refresh_from_db()
    assert matter.status == ComplaintStatus.SUBMITTED
    assert Notification.objects.filter(recipient=cast.reviewer, title__contains="待审核诉求").exists()
    assert api_client.post(f"{URL}{matter.pk}/submit/", {}, format="json").status_code == 409


def test_it_files_and_submits_at_once_with_an_attachment(cast, ent, api_client):  # noqa: F811
    api_client.force_authenticate(ent)
    data = {**MATTER, "submit": "true", "files": [SimpleUploadedFile("现场.png", PNG, content_type="image/png")]}
    response = api_client.post(URL, data, format="multipart")
    assert response.status_code == 201, response.content
    matter = Complaint.objects.get()
    assert matter.status == ComplaintStatus.SUBMITTED and attachments.attachments_of(matter).count() == 1


def test_bad_input_is_explained_and_nothing_is_saved(cast, ent, api_client):  # noqa: F811
    api_client.force_authenticate(ent)
    response = api_client.post(URL, {**MATTER, "case_numbers": ["豫03执45号"], "facts": ""}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert "facts" in errors and "case_numbers" in errors
    response = api_client.post(URL, {**MATTER, "is_major": True}, format="json")
    assert response.status_code == 400 and response.json()["major_reason"] == ["重大事项须说明理由。"]
    assert not Complaint.objects.exists()


def test_a_duplicate_is_refused_until_confirmed(cast, ent, api_client):  # noqa: F811
    api_client.force_authenticate(ent)
    first = api_client.post(URL, {**MATTER, "submit": True}, format="json").json()
    response = api_client.post(URL, {**MATTER, "submit": True}, format="json")
    assert response.status_code == 409 and first["tracking_number"] in response.json()["detail"]
    assert Complaint.objects.count() == 1
    draft = api_client.post(URL, MATTER, format="json").json()
    assert api_client.post(f"{URL}{draft['id']}/submit/", {}, format="json").status_code == 409
    done = api_client.post(f"{URL}{draft['id']}/submit/", {"confirm_duplicate": True}, format="json")
    assert done.status_code == 200


def test_an_unconfirmed_user_may_not_file(cast, api_client):
    user = UserFactory(username="pending", organization=None, roles=["enterprise"])
    EnterpriseMembership.objects.create(
        user=user, enterprise=cast.enterprise, source="registered", claimed_name="x", mobile="13912345670"
    )
    api_client.force_authenticate(user)
    response = api_client.post(URL, MATTER, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "工商联确认您与企业的关联后，才能在线提交诉求。"
    assert not Complaint.objects.exists()


def test_staff_may_not_file_as_an_enterprise(cast, api_client):
    api_client.force_authenticate(cast.staff)
    assert api_client.post(URL, MATTER, format="json").status_code == 403


def test_another_enterprise_may_not_submit_the_draft(cast, ent, api_client):  # noqa: F811
    from cases import services

    api_client.force_authenticate(ent)
    draft = api_client.post(URL, MATTER, format="json").json()
    other_enterprise = cast.world.mechanism.enterprises.create(
        registered_by=cast.world.federation,
        name="洛阳另一家有限公司",
        credit_code="914403001922038216",
        size="small",
        industry="C",
        contact_person="张",
        contact_phone="13800000000",
    )
    other = UserFactory(username="other_ent", organization=None, roles=["enterprise"])
    membership = EnterpriseMembership.objects.create(
        user=other, enterprise=other_enterprise, source="invited", claimed_name="x", mobile="13912345671"
    )
    services.membership_confirm(actor=cast.reviewer, membership=membership)
    api_client.force_authenticate(other)
    assert api_client.post(f"{URL}{draft['id']}/submit/", {}, format="json").status_code == 404
    assert api_client.get(f"{URL}{draft['id']}/").status_code == 404
    assert Complaint.objects.get().status == ComplaintStatus.DRAFT


def test_a_file_that_is_not_what_it_claims_is_refused(cast, ent, api_client):  # noqa: F811
    api_client.force_authenticate(ent)
    fake = SimpleUploadedFile("现场.png", b"MZ\x90\x00not an image", content_type="image/png")
    response = api_client.post(URL, {**MATTER, "files": [fake]}, format="multipart")
    assert response.status_code == 400 and "files" in response.json()
    assert not Complaint.objects.exists()
