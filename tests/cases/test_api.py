"""The cases API: the lifecycle, refusals with their Chinese messages, input validation, files and PDFs."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from cases import services
from cases.choices import ComplaintStatus as S
from cases.models import Complaint, ComplaintMessage, Enterprise
from cases.validators import parse_case_numbers
from liaison.models import AuditEvent

from ..conftest import login
from ..factories import DepartmentFactory, MechanismPartyFactory, OrganizationFactory, UserFactory, mechanism_between
from .conftest import VALID_CODES

CASE = "（2021）豫03民初123号"


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def complaint_body(cast, **overrides) -> dict:
    body = {
        "enterprise": cast.enterprise.pk,
        "court": cast.world.court.pk,
        "kind": "case_handling",
        "title": "合同纠纷案件久拖未结",
        "facts": "2021年起诉至今未审结。",
        "demands": "请求依法及时审理。",
        "case_numbers": [CASE],
    }
    body.update(overrides)
    return body


def post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, format="json")


@pytest.fixture
def client(api_client):
    return api_client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- the lifecycle -------------------------------------------------------------------------------


def test_it_runs_the_full_lifecycle_through_the_api(cast, client):
    login(client, cast.staff)
    body = complaint_body(cast, case_numbers="(2021)豫03民初123号，（2022）豫03民终9号")
    response = post(client, "/api/v1/complaints/", body)
    assert response.status_code == 201, response.json()
    data = response.json()
    pk = data["id"]
    assert data["status"] == S.DRAFT and data["status_display"] == "草稿"
    assert data["case_numbers"] == [CASE, "（2022）豫03民终9号"]
    assert data["enterprise"] == {
        "id": cast.enterprise.pk,
        "name": cast.enterprise.name,
        "credit_code": cast.enterprise.credit_code,
    }
    assert set(data["allowed_actions"]) == {"submit", "withdraw", "add_files"}
    assert data["deadline"] is None

    data = post(client, f"/api/v1/complaints/{pk}/submit/").json()
    assert data["status"] == S.SUBMITTED
    assert data["deadline"]["kind"] == services.REVIEW and data["deadline"]["text"].startswith("剩余")

    login(client, cast.reviewer)
    assert post(client, f"/api/v1/complaints/{pk}/start-review/").json()["status"] == S.UNDER_REVIEW
    assert post(client, f"/api/v1/complaints/{pk}/queue/").json()["status"] == S.QUEUED
    response = post(
        client, "/api/v1/transfers/batch/", {"complaints": [pk], "meeting_reference": "2026年第四季度联席会议"}
    )
    assert response.status_code == 201, response.json()
    [transfer] = response.json()
    assert transfer["meeting_reference"] == "2026年第四季度联席会议"
    assert [c["id"] for c in transfer["complaints"]] == [pk]
    assert transfer["pdf_url"] == f"/api/v1/transfers/{transfer['id']}/pdf/"

    login(client, cast.clerk)
    data = client.get(f"/api/v1/complaints/{pk}/").json()
    assert data["status"] == S.TRANSFERRED and data["transfer_number"] == transfer["number"]
    assert set(data["allowed_actions"]) == {"register", "court_return"}
    response = post(
        client,
        f"/api/v1/complaints/{pk}/register/",
        {"registration_number": "DJ-2026-7", "court_case_numbers": ["(2021)豫03民初123号"], "under_supervision": True},
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["registration_number"] == "DJ-2026-7" and data["court_case_numbers"] == CASE
    assert data["under_supervision"] is True
    response = post(
        client, f"/api/v1/complaints/{pk}/assign/", {"department": cast.department.pk, "handler": cast.handler.pk}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["handler"]["id"] == cast.handler.pk
    assert response.json()["department"]["name"] == "民一庭"

    login(client, cast.handler)
    response = post(client, f"/api/v1/complaints/{pk}/answer/", {"answer": "已于2026年11月开庭审理。"})
    assert response.status_code == 200 and response.json()["status"] == S.ANSWERED

    login(client, cast.staff)
    data = post(client, f"/api/v1/complaints/{pk}/close/").json()
    assert data["status"] == S.CLOSED and data["closed_at"] and data["allowed_actions"] == []
    actions = list(
        AuditEvent.objects.filter(object_id=str(pk), content_type__model="complaint").values_list("action", flat=True)
    )
    assert actions == [
        "create",
        "submit",
        "start_review",
        "queue",
        "transfer_batch",
        "register",
        "assign",
        "answer",
        "close",
    ]


def test_it_sends_back_for_material_and_takes_it_again(cast, client):
    complaint = cast.to_review()
    login(client, cast.reviewer)
    data = post(client, f"/api/v1/complaints/{complaint.pk}/request-material/", {"reason": "请补充判决书"}).json()
    assert data["status"] == S.NEEDS_MATERIAL and data["reason"] == "请补充判决书"
    assert data["deadline"]["text"] == "暂停计时"
    login(client, cast.staff)
    response = client.patch(f"/api/v1/complaints/{complaint.pk}/", {"facts": "已补充一审判决书。"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["facts"] == "已补充一审判决书。" and response.json()["case_numbers"] == [CASE]
    data = post(client, f"/api/v1/complaints/{complaint.pk}/supply-material/", {"note": "已补充"}).json()
    assert data["status"] == S.UNDER_REVIEW


def test_it_declines_and_withdraws_with_reasons(cast, client):
    declined, withdrawn = cast.to_review(), cast.file()
    login(client, cast.reviewer)
    data = post(client, f"/api/v1/complaints/{declined.pk}/decline/", {"reason": "不属于法院职责范围"}).json()
    assert data["status"] == S.DECLINED and data["reason"] == "不属于法院职责范围"
    login(client, cast.staff)
    data = post(client, f"/api/v1/complaints/{withdrawn.pk}/withdraw/", {"reason": "企业已与对方和解"}).json()
    assert data["status"] == S.WITHDRAWN


def test_a_major_complaint_goes_at_once_and_can_be_returned_and_rerouted(cast, client):
    complaint = cast.to_review(is_major=True, major_reason="涉及重大财产权益")
    login(client, cast.reviewer)
    data = post(client, f"/api/v1/complaints/{complaint.pk}/transfer-now/").json()
    assert data["status"] == S.TRANSFERRED and data["transfer_number"]
    login(client, cast.clerk)
    data = post(client, f"/api/v1/complaints/{complaint.pk}/court-return/", {"reason": "不属于本院管辖"}).json()
    assert data["status"] == S.RETURNED
    other_court = OrganizationFactory(name="丁区人民法院", kind="court")
    mechanism_between(other_court, cast.world.federation)
    login(client, cast.reviewer)
    response = post(client, f"/api/v1/complaints/{complaint.pk}/reroute/", {"court": other_court.pk})
    assert response.status_code == 200, response.json()
    assert response.json()["court"]["id"] == other_court.pk and response.json()["status"] == S.TRANSFERRED
    login(client, cast.clerk)  # the first court keeps read access
    assert client.get(f"/api/v1/complaints/{complaint.pk}/").status_code == 200


def test_it_reopens_extends_and_records_a_case_review(cast, client):
    complaint = cast.assigned()
    login(client, cast.handler)
    data = post(client, f"/api/v1/complaints/{complaint.pk}/request-extension/", {"reason": "需调取外地卷宗"}).json()
    assert data["extension_state"] == "requested"
    login(client, cast.court_leader)
    data = post(client, f"/api/v1/complaints/{complaint.pk}/decide-extension/", {"approve": True}).json()
    assert data["extension_state"] == "approved"
    login(client, cast.handler)
    response = post(
        client,
        f"/api/v1/complaints/{complaint.pk}/case-review/",
        {"outcome": "no_error", "explanation": "判决认定事实清楚，已向企业释法析理。"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["case_review"]["outcome_display"] == "无错误，已释法析理"
    post(client, f"/api/v1/complaints/{complaint.pk}/answer/", {"answer": "已处理。"})
    login(client, cast.staff)
    data = post(client, f"/api/v1/complaints/{complaint.pk}/reopen/", {"reason": "企业认为未解决实际问题"}).json()
    assert data["status"] == S.ASSIGNED and data["reopen_count"] == 1


# --- refusals ------------------------------------------------------------------------------------


def _transferred(cast):
    return cast.transferred()


def _registered(cast):
    complaint = cast.transferred()
    return services.complaint_register(actor=cast.clerk, complaint=complaint, registration_number="DJ-1")


@pytest.mark.parametrize(
    "make, actor, url, body, code, message",
    [
        pytest.param(
            _transferred,
            "clerk",
            "submit",
            {},
            403,
            "只有受理的工商联或提出诉求的企业才能“提交审核”。",
            id="court-submits",
        ),
        pytest.param(
            lambda cast: cast.file(), "staff", "start-review", {}, 403, "您没有“开始审核”的权限。", id="staff-reviews"
        ),
        pytest.param(
            _registered,
            "clerk",
            "register",
            {"registration_number": "DJ-2"},
            409,
            "登记，当前状态为“法院已登记”，不能再“登记”。",
            id="registered-twice",
        ),
        pytest.param(
            lambda cast: cast.file(), "staff", "close", {}, 409, "当前状态为“草稿”，不能再“办结”。", id="close-a-draft"
        ),
        pytest.param(
            lambda cast: cast.to_review(),
            "reviewer",
            "transfer-now",
            {},
            409,
            "只有重大事项才能立即单独移送",
            id="transfer-now-not-major",
        ),
        pytest.param(
            lambda cast: cast.to_review(),
            "reviewer",
            "decline",
            {"reason": "  "},
            400,
            "请填写不予移送的理由。",
            id="decline-without-reason",
        ),
        pytest.param(
            _transferred,
            "clerk",
            "register",
            {"registration_number": ""},
            400,
            "请填写登记号。",
            id="register-without-number",
        ),
        pytest.param(
            lambda cast: cast.assigned(),
            "clerk",
            "decide-extension",
            {"approve": True},
            403,
            "您没有“审批延期”的权限。",
            id="clerk-decides-extension",
        ),
        pytest.param(
            lambda cast: cast.assigned(),
            "staff",
            "answer",
            {"answer": "已处理"},
            403,
            "只有受移送的法院才能“反馈办理结果”。",
            id="federation-answers",
        ),
        pytest.param(
            lambda cast: cast.to_review(),
            "reviewer",
            "case-review",
            {"outcome": "retrial"},
            403,
            "只有受移送的法院才能“登记评查结果”。",
            id="federation-reviews-case",
        ),
    ],
)
def test_it_refuses_with_the_right_status_and_message(cast, client, make, actor, url, body, code, message):
    complaint = make(cast)
    before = Complaint.objects.get(pk=complaint.pk).status
    login(client, getattr(cast, actor))
    response = post(client, f"/api/v1/complaints/{complaint.pk}/{url}/", body)
    assert response.status_code == code, response.json()
    assert message in response.json()["detail"]
    assert Complaint.objects.get(pk=complaint.pk).status == before


def test_of_two_clerks_registering_at_once_the_second_learns_who_got_there_first(cast, client, monkeypatch):
    """The second clerk loaded the complaint before the first one's registration committed."""
    complaint = cast.transferred()
    colleague = UserFactory(
        username="clerk2", full_name="陈书记员", organization=cast.world.court, roles=["court_clerk"]
    )
    register = services.complaint_register

    def first_the_colleague(**kwargs):
        register(actor=colleague, complaint=Complaint.objects.get(pk=complaint.pk), registration_number="DJ-1")
        return register(**kwargs)

    monkeypatch.setattr(services, "complaint_register", first_the_colleague)
    login(client, cast.clerk)
    response = post(client, f"/api/v1/complaints/{complaint.pk}/register/", {"registration_number": "DJ-2"})
    assert response.status_code == 409
    assert response.json()["code"] == "state"
    assert f"该诉求已由 陈书记员（{cast.world.court.name}）于" in response.json()["detail"]
    assert response.json()["detail"].endswith("登记，当前状态为“法院已登记”，不能再“登记”。")
    assert Complaint.objects.get(pk=complaint.pk).registration_number == "DJ-1"


def test_assign_refuses_a_department_or_handler_of_another_court(cast, client):
    complaint = _registered(cast)
    stranger_department = DepartmentFactory(organization=cast.world.other_court, name="民二庭")
    stranger = UserFactory(organization=cast.world.other_court, roles=["court_handler"])
    login(client, cast.clerk)
    response = post(
        client,
        f"/api/v1/complaints/{complaint.pk}/assign/",
        {"department": stranger_department.pk, "handler": stranger.pk},
    )
    assert response.status_code == 400
    assert response.json() == {"department": ["承办部门须是本院的部门。"], "handler": ["承办人须是本院的承办人。"]}
    clerk_as_handler = post(
        client,
        f"/api/v1/complaints/{complaint.pk}/assign/",
        {"department": cast.department.pk, "handler": cast.clerk.pk},
    )
    assert clerk_as_handler.status_code == 400 and clerk_as_handler.json()["detail"] == "承办人须是本院的承办人。"
    assert Complaint.objects.get(pk=complaint.pk).status == S.REGISTERED


def test_a_missing_field_is_reported_in_chinese(cast, client):
    complaint = cast.to_review()
    login(client, cast.reviewer)
    response = post(client, f"/api/v1/complaints/{complaint.pk}/decline/", {})
    assert response.status_code == 400 and response.json() == {"reason": ["该字段是必填项。"]}


# --- validation ----------------------------------------------------------------------------------


def enterprise_body(world, **overrides) -> dict:
    body = {
        "mechanism": world.mechanism.pk,
        "name": "某科技有限公司",
        "credit_code": VALID_CODES[1],
        "size": "micro",
        "industry": "I",
        "contact_phone": "0379-63211234",
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"credit_code": "914403001922038217"}, "credit_code", "校验码错误：第18位应为 6，当前为 7"),
        ({"credit_code": "91440300192203821"}, "credit_code", "统一社会信用代码应为18位，当前为17位"),
        ({"credit_code": "9144030019220382I6"}, "credit_code", "第17位的字符“I”不合法"),
        ({"size": "huge"}, "size", "不是合法选项"),
        ({"name": ""}, "name", "该字段不能为空。"),
    ],
)
def test_enterprise_input_is_validated_with_chinese_messages(cast, client, overrides, field, message):
    login(client, cast.staff)
    response = post(client, "/api/v1/enterprises/", enterprise_body(cast.world, **overrides))
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert not Enterprise.objects.filter(name="某科技有限公司").exists()


def test_it_registers_and_corrects_an_enterprise(cast, client):
    login(client, cast.staff)
    spaced = enterprise_body(cast.world, credit_code=" 9144 0300 1922 0382 16 ")
    response = post(client, "/api/v1/enterprises/", spaced)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["credit_code"] == VALID_CODES[1] and data["contact_phone"] == "0379-63211234"
    assert data["registered_by"]["id"] == cast.world.federation.pk and data["industry_display"].startswith("I ")
    response = client.patch(f"/api/v1/enterprises/{data['id']}/", {"contact_person": "李经理"}, format="json")
    assert response.status_code == 200 and response.json()["contact_person"] == "李经理"
    assert response.json()["name"] == "某科技有限公司"
    again = post(client, "/api/v1/enterprises/", enterprise_body(cast.world))
    assert again.status_code == 400 and "已登记为“某科技有限公司”" in again.json()["detail"]
    bad_phone = client.patch(f"/api/v1/enterprises/{data['id']}/", {"contact_phone": "12345"}, format="json")
    assert bad_phone.status_code == 400
    assert bad_phone.json() == {"contact_phone": ["手机号码应为11位数字，当前为5位"]}


def test_only_the_registering_organization_corrects_and_sees_the_phone(cast, client):
    login(client, cast.clerk)
    data = client.get(f"/api/v1/enterprises/{cast.enterprise.pk}/").json()
    assert data["contact_phone"] == "138****5678" and data["contact_phone_masked"] is True
    response = client.patch(f"/api/v1/enterprises/{cast.enterprise.pk}/", {"name": "改名"}, format="json")
    assert response.status_code == 403 and response.json()["detail"] == "只有登记该企业的单位才能修改企业信息。"
    login(client, cast.staff)
    data = client.get(f"/api/v1/enterprises/{cast.enterprise.pk}/").json()
    assert data["contact_phone"] == "13812345678" and data["contact_phone_masked"] is False


def test_enterprises_register_only_in_the_users_own_mechanisms(cast, client):
    login(client, cast.staff)
    elsewhere = enterprise_body(cast.world, mechanism=cast.world.other_mechanism.pk)
    response = post(client, "/api/v1/enterprises/", elsewhere)
    assert response.status_code == 400 and "mechanism" in response.json()
    login(client, cast.clerk)  # a party, but the court does not register enterprises
    response = post(client, "/api/v1/enterprises/", enterprise_body(cast.world))
    assert response.status_code == 403 and response.json()["detail"] == "您没有“登记企业”的权限。"


@pytest.mark.parametrize(
    "case_numbers, message",
    [
        (["（2021）豫03民初123"], "“（2021）豫03民初123”：案号格式不正确：缺少结尾的“号”字"),
        ("2021豫03民初5号", "案号格式不正确：年份应放在括号中"),
        (["（2021）豫03民初123号", "（2021）XX民初1号"], "“（2021）XX民初1号”：案号格式不正确：法院代字不正确"),
        ([123], "案号应为字符串或字符串列表。"),
    ],
)
def test_bad_case_numbers_are_refused_with_the_chinese_message(cast, client, case_numbers, message):
    login(client, cast.staff)
    response = post(client, "/api/v1/complaints/", complaint_body(cast, case_numbers=case_numbers))
    assert response.status_code == 400
    assert any(message in text for text in response.json()["case_numbers"]), response.json()
    assert not Complaint.objects.exists()


def test_the_service_checks_reach_the_client(cast, client):
    login(client, cast.staff)
    response = post(client, "/api/v1/complaints/", complaint_body(cast, is_major=True))
    assert response.status_code == 400
    assert response.json() == {"detail": "重大事项须说明理由。", "code": "invalid", "field": "major_reason"}
    response = post(client, "/api/v1/complaints/", complaint_body(cast, court=cast.world.other_court.pk))
    assert response.status_code == 400 and "court" in response.json()


def test_a_likely_duplicate_needs_confirming(cast, client):
    first = cast.file()
    login(client, cast.staff)
    response = post(client, "/api/v1/complaints/", complaint_body(cast, case_numbers="(2021)豫03民初123号"))
    assert response.status_code == 400
    [message] = response.json()["confirm_duplicate"]
    assert first.serial in message and "重复" in message
    assert Complaint.objects.count() == 1
    response = post(client, "/api/v1/complaints/", complaint_body(cast, confirm_duplicate=True))
    assert response.status_code == 201
    other_case = post(client, "/api/v1/complaints/", complaint_body(cast, case_numbers=["（2023）豫03民初1号"]))
    assert other_case.status_code == 201


def test_an_edit_that_makes_a_duplicate_needs_confirming_too(cast, client):
    cast.file()
    other = cast.file(case_numbers=parse_case_numbers("（2023）豫03民初1号"))
    login(client, cast.staff)
    response = client.patch(f"/api/v1/complaints/{other.pk}/", {"case_numbers": [CASE]}, format="json")
    assert response.status_code == 400 and "confirm_duplicate" in response.json()
    assert client.patch(f"/api/v1/complaints/{other.pk}/", {"title": "只改标题"}, format="json").status_code == 200
    response = client.patch(
        f"/api/v1/complaints/{other.pk}/", {"case_numbers": [CASE], "confirm_duplicate": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["case_numbers"] == [CASE]


def test_duplicates_the_user_may_not_open_are_only_counted(cast, client):
    chamber = OrganizationFactory(name="甲市机械商会", kind="chamber")
    MechanismPartyFactory(mechanism=cast.world.mechanism, organization=chamber)
    chamber_staff = UserFactory(organization=chamber, roles=["federation_staff"])
    theirs = services.complaint_create(
        actor=chamber_staff,
        mechanism=cast.world.mechanism,
        data=services.ComplaintData(
            enterprise=cast.enterprise,
            court=cast.world.court,
            kind="case_handling",
            title="同一案件",
            facts="事实",
            demands="诉求",
            case_numbers=parse_case_numbers(CASE),
        ),
    )
    login(client, cast.staff)
    response = post(client, "/api/v1/complaints/", complaint_body(cast))
    [message] = response.json()["confirm_duplicate"]
    assert theirs.serial not in message and "另有 1 件其他单位填报的诉求" in message


def test_drafts_cannot_be_edited_once_transferred(cast, client):
    complaint = cast.transferred()
    login(client, cast.staff)
    response = client.patch(f"/api/v1/complaints/{complaint.pk}/", {"title": "新标题"}, format="json")
    assert response.status_code == 409 and response.json()["detail"] == "诉求已移送或办结，不能再修改。"


# --- the thread and files ------------------------------------------------------------------------


def test_messages_and_internal_notes(cast, client):
    complaint = cast.file()
    login(client, cast.staff)
    response = post(client, f"/api/v1/complaints/{complaint.pk}/messages/", {"body": "请对方回复", "internal": False})
    assert response.status_code == 409 and response.json()["detail"] == "移送法院之前只能写本单位内部备注。"
    note = post(client, f"/api/v1/complaints/{complaint.pk}/messages/", {"body": "企业情绪较大", "internal": True})
    assert note.status_code == 201 and note.json()["visibility"] == "internal"
    services.complaint_submit(actor=cast.staff, complaint=complaint)
    services.complaint_start_review(actor=cast.reviewer, complaint=complaint)
    Complaint.objects.filter(pk=complaint.pk).update(is_major=True, major_reason="重大")
    complaint.refresh_from_db()
    services.complaint_transfer_now(actor=cast.reviewer, complaint=complaint)
    shared = post(client, f"/api/v1/complaints/{complaint.pk}/messages/", {"body": "请尽快登记"})
    assert shared.status_code == 201 and shared.json()["author"]["id"] == cast.staff.pk
    login(client, cast.clerk)
    bodies = [m["body"] for m in client.get(f"/api/v1/complaints/{complaint.pk}/messages/").json()]
    assert bodies == ["请尽快登记"]
    assert ComplaintMessage.objects.count() == 2


def test_files_are_checked_by_content_and_listed_with_download_links(cast, client):
    complaint = cast.file()
    login(client, cast.staff)
    evil = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00\x03\x00" + b"\0" * 500)
    response = client.post(f"/api/v1/complaints/{complaint.pk}/files/", {"files": [evil]}, format="multipart")
    assert response.status_code == 400
    [message] = response.json()["files"]
    assert "evil.pdf" in message and "仅支持 PDF" in message
    assert client.get(f"/api/v1/complaints/{complaint.pk}/files/").json() == []

    good = SimpleUploadedFile("判决书.pdf", pdf_bytes())
    response = client.post(f"/api/v1/complaints/{complaint.pk}/files/", {"files": [good]}, format="multipart")
    assert response.status_code == 201, response.json()
    [attachment] = response.json()
    assert attachment["original_name"] == "判决书.pdf" and attachment["kind"] == "pdf"
    assert attachment["download_url"] == f"/attachments/{attachment['id']}/"
    assert client.get(attachment["download_url"]).status_code == 200
    login(client, cast.world.charlie)
    assert client.get(attachment["download_url"]).status_code == 404


def test_one_bad_file_refuses_the_whole_upload(cast, client):
    complaint = cast.file()
    login(client, cast.staff)
    files = [SimpleUploadedFile("a.pdf", pdf_bytes()), SimpleUploadedFile("b.pdf", b"MZ" + b"\0" * 100)]
    response = client.post(f"/api/v1/complaints/{complaint.pk}/files/", {"files": files}, format="multipart")
    assert response.status_code == 400 and "b.pdf" in response.json()["files"][0]
    assert client.get(f"/api/v1/complaints/{complaint.pk}/files/").json() == []


def test_the_court_cannot_add_files_before_registering(cast, client):
    complaint = cast.transferred()
    login(client, cast.clerk)
    response = client.post(
        f"/api/v1/complaints/{complaint.pk}/files/",
        {"files": [SimpleUploadedFile("a.pdf", pdf_bytes())]},
        format="multipart",
    )
    assert response.status_code == 409 and response.json()["detail"] == "当前状态下您不能上传附件。"


# --- transfers and the PDF -----------------------------------------------------------------------


def test_the_transfer_letter_pdf_names_the_transfer(cast, client):
    complaint = cast.transferred()
    transfer = complaint.transfer
    login(client, cast.clerk)
    data = client.get(f"/api/v1/transfers/{transfer.pk}/").json()
    assert data["number"] == transfer.number and data["is_immediate"] is True
    assert data["complaints"][0]["serial"] == complaint.serial
    response = client.get(f"/api/v1/transfers/{transfer.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.getvalue()  # a file response: its content can be read once
    assert content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert transfer.number in text and complaint.serial in text
    asked_for_pdf = client.get(f"/api/v1/transfers/{transfer.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert asked_for_pdf.status_code == 200


def test_batch_transfer_refuses_what_is_not_queued(cast, client):
    complaint = cast.to_review()
    login(client, cast.reviewer)
    response = post(client, "/api/v1/transfers/batch/", {"complaints": [complaint.pk]})
    assert response.status_code == 409 and "不能再“联席会议批量移送”" in response.json()["detail"]
    login(client, cast.staff)
    services.complaint_queue(actor=cast.reviewer, complaint=complaint)
    response = post(client, "/api/v1/transfers/batch/", {"complaints": [complaint.pk]})
    assert response.status_code == 403
    empty = post(client, "/api/v1/transfers/batch/", {"complaints": []})
    assert empty.status_code == 400


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("enterprise", "abc", "incorrect_type"),
        ("enterprise", True, "incorrect_type"),
        ("enterprise", 10**20, "does_not_exist"),
        ("enterprise", -1, "does_not_exist"),
        ("court", "abc", "incorrect_type"),
        ("court", 10**20, "does_not_exist"),
    ],
)
def test_a_wrong_enterprise_or_court_is_refused_as_any_wrong_id(cast, client, field, value, message):
    from rest_framework.relations import PrimaryKeyRelatedField

    login(client, cast.staff)
    response = post(client, "/api/v1/complaints/", complaint_body(cast, **{field: value}))
    assert response.status_code == 400
    expected = str(PrimaryKeyRelatedField.default_error_messages[message]).format(
        pk_value=value, data_type=type(value).__name__
    )
    assert response.json()[field] == [expected]
    assert not Complaint.objects.exists()


def test_an_enterprise_of_a_mechanism_out_of_sight_is_refused(cast, client):
    # An enterprise of another mechanism, which the federation does not see.
    other = Enterprise.objects.create(
        mechanism=cast.world.other_mechanism,
        registered_by=cast.world.other_federation,
        name="别处的企业",
        credit_code=VALID_CODES[1],
        size="small",
        industry="C",
    )
    login(client, cast.staff)
    response = post(client, "/api/v1/complaints/", complaint_body(cast, enterprise=other.pk))
    assert response.status_code == 400 and "enterprise" in response.json()
