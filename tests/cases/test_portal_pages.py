"""The enterprise portal's pages: registration, invitation, confirmation, filing, following, answering."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.choices import ComplaintStatus, MembershipState
from cases.models import Complaint, ComplaintMessage, EnterpriseMembership
from liaison import attachments
from liaison.errors import ActionRefused
from liaison.files import FileKind
from liaison.models import Deadline

from ..conftest import login
from ..factories import UserFactory
from .conftest import VALID_CODES

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def ent(cast):
    user = UserFactory(username="ent", organization=None, roles=["enterprise"])
    membership = EnterpriseMembership.objects.create(
        user=user, enterprise=cast.enterprise, source="invited", claimed_name=cast.enterprise.name, mobile="13912345678"
    )
    services.membership_confirm(actor=cast.reviewer, membership=membership)
    user.refresh_from_db()
    return user


def _register_form(cast, **overrides) -> dict:
    party = cast.world.mechanism.parties.get(organization=cast.world.federation)
    data = {
        "party": party.pk,
        "credit_code": VALID_CODES[1],
        "enterprise_name": "广州某科技有限公司",
        "size": "small",
        "industry": "I",
        "full_name": "王经理",
        "mobile": "139 1234 5678",
        "email": "wang@example.test",
    }
    data.update(overrides)
    return data


def test_it_registers_through_the_pages_and_waits_for_the_reviewer(cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/register/", _register_form(cast))
    assert response.status_code == 302 and response["Location"] == "/portal/register/verify/"
    code = re.search(r"\d{6}", mail.outbox[-1].body).group(0)
    wrong = client.post(
        "/portal/register/verify/",
        {
            "code": "000000" if code != "000000" else "111111",
            "username": "wang",
            "password": "Qiye-2026-pass",
            "password_again": "Qiye-2026-pass",
        },
    )
    assert "验证码不正确或已失效" in wrong.content.decode()
    response = client.post(
        "/portal/register/verify/",
        {"code": code, "username": "wang", "password": "Qiye-2026-pass", "password_again": "Qiye-2026-pass"},
        follow=True,
    )
    page = response.content.decode()
    assert "等待工商联确认" in page
    assert 'id="file-matter"' not in page
    membership = EnterpriseMembership.objects.get(user__username="wang")
    login(client, cast.reviewer)
    listing = client.get("/portal/federation/registrations/").content.decode()
    assert "王经理" in listing
    response = client.post(f"/portal/federation/registrations/{membership.pk}/act/confirm_membership/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.state == MembershipState.CONFIRMED


def test_the_first_step_answers_the_same_for_known_and_unknown_enterprises(
    cast, client, django_capture_on_commit_callbacks
):
    answers = []
    for n, code in enumerate((VALID_CODES[0], VALID_CODES[1])):
        client.cookies.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/portal/register/",
                _register_form(cast, credit_code=code, mobile=f"1391234567{n}", email=f"p{n}@example.test"),
                follow=True,
            )
        page = response.content.decode()
        answers.append((response.status_code, "验证码已以短信发送至您的手机" in page))
    assert answers == [(200, True), (200, True)]
    assert len(mail.outbox) == 2


def test_a_bad_credit_code_is_explained_and_nothing_typed_is_lost(cast, client):
    response = client.post("/portal/register/", _register_form(cast, credit_code="91350100M000100Y44"))
    page = response.content.decode()
    assert response.status_code == 200 and "校验码错误" in page and "广州某科技有限公司" in page


def test_an_invitation_page_registers_once(cast, client, django_capture_on_commit_callbacks):
    login(client, cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cases/enterprises/{cast.enterprise.pk}/invite/",
            {"full_name": "张会计", "mobile": "13612345678", "email": "zhang@example.test"},
        )
    assert response.status_code == 302
    link = re.search(r"http://testserver(/portal/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)
    client.logout()
    assert "张会计" in client.get(link).content.decode()
    response = client.post(
        link, {"username": "zhang", "password": "Qiye-2026-pass", "password_again": "Qiye-2026-pass"}
    )
    assert response.status_code == 302
    client.logout()
    again = client.get(link)
    assert again.status_code == 404 and "无效、已使用或已过期" in again.content.decode()
    assert client.get("/portal/invitations/not-a-token/").status_code == 404


def _file(client, **extra):
    data = {
        "kind": "case_handling",
        "facts": "执行款迟迟未到账。",
        "demands": "请求督促执行。",
        "case_numbers": "(2022)豫03执45号",
        "amount_involved": "12000.50",
        "files": [SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
        "submit": "1",
    }
    data.update(extra)
    return client.post("/portal/matters/new/", {k: v for k, v in data.items() if v is not None})


def test_a_pending_user_may_not_file(cast, client):
    user = UserFactory(username="pending", organization=None, roles=["enterprise"])
    EnterpriseMembership.objects.create(
        user=user, enterprise=cast.enterprise, source="registered", claimed_name="x", mobile="13912345670"
    )
    login(client, user)
    assert client.get("/portal/matters/new/").status_code == 302
    assert _file(client).status_code == 302
    assert not Complaint.objects.exists()


def test_it_files_online_into_the_federation_queue_with_an_acknowledgement(cast, client, ent):
    login(client, ent)
    response = _file(client)
    matter = Complaint.objects.get()
    assert response["Location"] == f"/portal/matters/{matter.pk}/received/"
    assert matter.filed_online and matter.status == ComplaintStatus.SUBMITTED
    assert matter.mechanism == cast.world.mechanism and matter.filing_organization == cast.world.federation
    assert [n.number for n in matter.case_numbers.all()] == ["（2022）豫03执45号"]
    page = client.get(response["Location"]).content.decode()
    assert matter.serial in page and "前完成审核" in page
    login(client, cast.reviewer)
    assert matter.serial in client.get("/cases/complaints/?queue=to_review").content.decode()
    online = client.get("/cases/complaints/?filed_online=true").content.decode()
    assert matter.serial in online and "在线" in online
    paper = cast.to_review()
    assert paper.serial not in online
    assert matter.serial not in client.get("/cases/complaints/?filed_online=false").content.decode()
    assert "企业在线提交" in client.get(f"/cases/complaints/{matter.pk}/").content.decode()


def test_a_draft_stays_with_the_enterprise(cast, client, ent):
    login(client, ent)
    response = _file(client, submit=None, draft="1")
    matter = Complaint.objects.get()
    assert matter.status == ComplaintStatus.DRAFT and response.status_code == 302
    login(client, cast.reviewer)
    assert client.get(f"/cases/complaints/{matter.pk}/").status_code == 404


def test_it_warns_of_the_enterprises_own_open_matter_with_the_same_case_number(cast, client, ent):
    login(client, ent)
    _file(client)
    response = _file(client)
    assert response.status_code == 200 and "本企业已有涉及相同案号" in response.content.decode()
    assert Complaint.objects.count() == 1
    assert _file(client, confirm_duplicate="on").status_code == 302
    assert Complaint.objects.count() == 2


def test_it_answers_a_material_request_and_the_clock_resumes(cast, client, ent):
    login(client, ent)
    _file(client)
    matter = Complaint.objects.get()
    services.complaint_start_review(actor=cast.reviewer, complaint=matter)
    services.complaint_request_material(actor=cast.reviewer, complaint=matter, reason="请补充执行裁定书")
    page = client.get(f"/portal/matters/{matter.pk}/").content.decode()
    assert "需补充材料" in page and "请补充执行裁定书" in page
    assert Deadline.objects.get(object_id=str(matter.pk)).state == "paused"
    response = client.post(
        f"/portal/matters/{matter.pk}/material/",
        {"note": "已补充裁定书", "files": [SimpleUploadedFile("裁定书.png", PNG, content_type="image/png")]},
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.status == ComplaintStatus.UNDER_REVIEW
    assert Deadline.objects.get(object_id=str(matter.pk)).state == "running"
    assert ComplaintMessage.objects.filter(complaint=matter, visibility="enterprise", body="已补充裁定书").exists()


def _answered(cast, client, ent) -> Complaint:
    login(client, ent)
    _file(client, is_major="on", major_reason="涉及企业生存")
    matter = Complaint.objects.get()
    services.complaint_start_review(actor=cast.reviewer, complaint=matter)
    services.complaint_transfer_now(actor=cast.reviewer, complaint=matter)
    matter.refresh_from_db()
    services.complaint_register(actor=cast.clerk, complaint=matter, registration_number="DJ-1")
    services.complaint_assign(actor=cast.clerk, complaint=matter, department=cast.department, handler=cast.handler)
    services.message_post(actor=cast.clerk, complaint=matter, body="内部：合议庭意见分歧", internal=True)
    services.message_post(actor=cast.clerk, complaint=matter, body="法院与工商联之间的沟通", internal=False)
    internal = attachments.attachment_add(
        target=matter,
        upload=SimpleUploadedFile("内部审理报告.pdf", b"%PDF-1.4\n"),
        actor=cast.handler,
        purpose="answer",
    )
    services.complaint_answer(
        actor=cast.handler,
        complaint=matter,
        answer="内部办理结果：已督促执行局加快执行。",
        enterprise_answer="您反映的执行款问题，执行局已于本月发放。",
        enterprise_files=[(SimpleUploadedFile("告知书.png", PNG), FileKind.PNG)],
    )
    matter.refresh_from_db()
    matter.internal_file = internal
    matter.federation_file = attachments.attachment_add(
        target=matter,
        upload=SimpleUploadedFile("工商联审核意见.pdf", b"%PDF-1.4\n"),
        actor=cast.staff,
        purpose="filing",
    )
    return matter


def test_the_enterprise_reads_the_answer_written_for_it_and_nothing_internal(cast, client, ent):
    matter = _answered(cast, client, ent)
    login(client, ent)
    page = client.get(f"/portal/matters/{matter.pk}/").content.decode()
    assert "已答复" in page and "执行局已于本月发放" in page and "告知书.png" in page
    assert matter.transfer.number in page  # sent to the court with the letter number
    for hidden in ("内部办理结果", "合议庭意见分歧", "法院与工商联之间的沟通", "内部审理报告"):
        assert hidden not in page
    assert client.get(f"/portal/matters/{matter.pk}/files/{matter.internal_file.pk}/").status_code == 404
    assert client.get(f"/portal/matters/{matter.pk}/files/{matter.federation_file.pk}/").status_code == 404
    assert "工商联审核意见" not in page
    answer_file = attachments.attachments_of(matter).get(purpose="for_enterprise")
    assert client.get(f"/portal/matters/{matter.pk}/files/{answer_file.pk}/").status_code == 200
    assert client.get(f"/attachments/{answer_file.pk}/").status_code == 404


def test_an_online_matter_needs_an_answer_for_the_enterprise(cast, client, ent):
    login(client, ent)
    _file(client, is_major="on", major_reason="涉及企业生存")
    matter = Complaint.objects.get()
    services.complaint_start_review(actor=cast.reviewer, complaint=matter)
    services.complaint_transfer_now(actor=cast.reviewer, complaint=matter)
    matter.refresh_from_db()
    services.complaint_register(actor=cast.clerk, complaint=matter, registration_number="DJ-1")
    services.complaint_assign(actor=cast.clerk, complaint=matter, department=cast.department, handler=cast.handler)
    with pytest.raises(ActionRefused):
        services.complaint_answer(actor=cast.handler, complaint=matter, answer="内部结果")
    matter.refresh_from_db()
    assert matter.status == ComplaintStatus.ASSIGNED


def test_messages_go_between_the_enterprise_and_the_federation_only(cast, client, ent):
    login(client, ent)
    _file(client)
    matter = Complaint.objects.get()
    assert client.post(f"/portal/matters/{matter.pk}/messages/", {"body": "请问进度如何？"}).status_code == 302
    login(client, cast.staff)
    assert "请问进度如何？" in client.get(f"/cases/complaints/{matter.pk}/").content.decode()
    client.post(f"/cases/complaints/{matter.pk}/enterprise-messages/", {"body": "正在审核，请耐心等待。"})
    login(client, ent)
    assert "正在审核，请耐心等待。" in client.get(f"/portal/matters/{matter.pk}/").content.decode()
    assert ComplaintMessage.objects.filter(visibility="enterprise").count() == 2


def test_the_enterprise_list_uses_a_fixed_number_of_queries(cast, client, ent):
    login(client, ent)
    _file(client)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/portal/").status_code == 200
    for n in range(4):
        _file(client, case_numbers=f"(2022)豫03执{50 + n}号")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/portal/").content.decode()
    assert page.count("/portal/matters/") >= 5
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_another_enterprise_user_gets_404(cast, client, ent):
    login(client, ent)
    _file(client)
    matter = Complaint.objects.get()
    other_enterprise = services.enterprise_register(
        actor=cast.staff,
        mechanism=cast.world.mechanism,
        data=services.EnterpriseData(name="另一家企业", credit_code=VALID_CODES[1], size="micro", industry="F"),
    )
    other = UserFactory(username="other", organization=None, roles=["enterprise"])
    services.membership_confirm(
        actor=cast.reviewer,
        membership=EnterpriseMembership.objects.create(
            user=other, enterprise=other_enterprise, source="invited", claimed_name="另一家企业", mobile="13700000000"
        ),
    )
    login(client, other)
    for suffix in ("", "edit/", "received/"):
        assert client.get(f"/portal/matters/{matter.pk}/{suffix}").status_code == 404
    assert client.post(f"/portal/matters/{matter.pk}/messages/", {"body": "x"}).status_code == 404
    assert matter.serial not in client.get("/portal/").content.decode()


def test_the_enterprise_user_has_its_own_start_page_menu_and_notification_choices(cast, client, ent):
    login(client, ent)
    assert client.get("/")["Location"] == "/portal/"
    page = client.get("/portal/").content.decode()
    assert "我的诉求" in page and "诉求移送" not in page and "联席会议" not in page
    assert client.get("/notifications/preferences/").status_code == 200
    assert client.get("/portal/federation/registrations/").status_code == 403


def test_the_enterprise_is_told_when_its_matter_goes_to_the_court(cast, client, ent):
    from liaison.models import Notification

    login(client, ent)
    _file(client)
    matter = Complaint.objects.get()
    services.complaint_start_review(actor=cast.reviewer, complaint=matter)
    services.complaint_queue(actor=cast.reviewer, complaint=matter)
    services.complaints_transfer_batch(actor=cast.reviewer, complaints=[matter], meeting_reference="第四季度联席会议")
    titles = list(Notification.objects.filter(recipient=ent).values_list("title", "url"))
    assert ("您的诉求已移送法院：" + matter.title, f"/portal/matters/{matter.pk}/") in titles
    assert any(t.startswith("工商联已开始审核您的诉求") for t, _u in titles)
