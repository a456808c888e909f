"""The complaint detail page and its actions, from filing to closing, through the browser's forms."""

from __future__ import annotations

import pytest

from cases import services
from cases.choices import ComplaintStatus as S
from cases.choices import ExtensionState
from cases.models import CaseReview, ComplaintMessage
from liaison import attachments
from liaison.models import Deadline

from ..conftest import login
from ..factories import OrganizationFactory, UserFactory, mechanism_between
from .test_pages import exe_as_pdf, pdf_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def act(client, complaint, action, data=None, follow=True, **kwargs):
    payload = {f"{action}-{key}": value for key, value in (data or {}).items()}
    return client.post(f"/cases/complaints/{complaint.pk}/act/{action}/", payload, follow=follow, **kwargs)


def status(complaint):
    complaint.refresh_from_db()
    return complaint.status


def test_the_detail_shows_the_complaint_its_enterprise_deadlines_and_timeline(cast, client):
    complaint = cast.transferred()
    attachment = attachments.attachment_add(target=complaint, upload=pdf_upload("起诉状.pdf"), actor=cast.staff)
    text = login(client, cast.clerk).get(f"/cases/complaints/{complaint.pk}/").content.decode()
    for expected in (
        complaint.serial,
        "合同纠纷案件久拖未结",
        "2021年起诉至今未审结。",
        "请求依法及时审理。",
        "（2021）豫03民初123号",
        "洛阳某机械制造有限公司",
        "涉及重大财产权益",
        complaint.transfer.number,
    ):
        assert expected in text, expected
    assert "138****5678" in text and "13812345678" not in text
    assert f'href="/attachments/{attachment.pk}/"' in text and "起诉状.pdf" in text
    registration = Deadline.objects.get(kind=services.REGISTRATION, object_id=str(complaint.pk))
    assert f'href="/deadlines/{registration.pk}/"' in text
    assert "剩余" in text or "今日到期" in text
    # The timeline speaks Chinese, not action codes.
    assert "立即移送（重大）" in text and "审核中 → 已移送法院" in text and "transfer_now" not in text
    assert 'class="d-print-none"' in text or "d-print-none" in text
    federation = login(client, cast.staff).get(f"/cases/complaints/{complaint.pk}/").content.decode()
    assert "13812345678" in federation


def test_each_side_sees_only_the_forms_of_its_actions(cast, client):
    complaint = cast.transferred()
    court = login(client, cast.clerk).get(f"/cases/complaints/{complaint.pk}/").content.decode()
    assert 'id="action-register"' in court and 'id="action-court_return"' in court
    assert 'id="action-withdraw"' not in court
    federation = login(client, cast.staff).get(f"/cases/complaints/{complaint.pk}/").content.decode()
    assert 'id="action-register"' not in federation and 'id="actions"' not in federation


def test_the_whole_lifecycle_through_the_pages(cast, client):
    complaint = cast.file()
    login(client, cast.staff)
    assert "已提交审核。" in act(client, complaint, "submit").content.decode()
    login(client, cast.reviewer)
    act(client, complaint, "start_review")
    text = act(client, complaint, "queue").content.decode()
    assert "已列入联席会议移送。" in text and status(complaint) == S.QUEUED
    assert 'href="/cases/transfers/new/"' in text
    response = client.post(
        "/cases/transfers/new/",
        {"complaints": [complaint.pk], "meeting_reference": "2026年第四季度联席会议"},
        follow=True,
    )
    assert status(complaint) == S.TRANSFERRED and complaint.transfer.number in response.content.decode()
    login(client, cast.clerk)
    text = act(
        client,
        complaint,
        "register",
        {"registration_number": "DJ-2026-9", "court_case_numbers": "(2021)豫03民初123号", "under_supervision": "on"},
    ).content.decode()
    assert "已登记。" in text and status(complaint) == S.REGISTERED
    assert complaint.under_supervision and complaint.court_case_numbers == "（2021）豫03民初123号"
    text = act(
        client, complaint, "assign", {"department": cast.department.pk, "handler": cast.handler.pk}
    ).content.decode()
    assert f"已交办 {cast.handler.display_name}。" in text and status(complaint) == S.ASSIGNED
    login(client, cast.handler)
    text = act(
        client, complaint, "answer", {"answer": "已于11月开庭审理并当庭宣判。", "files": [pdf_upload("判决书.pdf")]}
    ).content.decode()
    assert "办理结果已反馈。" in text and status(complaint) == S.ANSWERED
    assert [a.purpose for a in attachments.attachments_of(complaint)] == ["answer"]
    login(client, cast.staff)
    text = act(client, complaint, "close").content.decode()
    assert "诉求已办结。" in text and status(complaint) == S.CLOSED
    assert "已于11月开庭审理并当庭宣判。" in text


def test_a_missing_reason_shows_the_form_again_with_its_error(cast, client):
    complaint = cast.to_review()
    login(client, cast.reviewer)
    response = act(client, complaint, "request_material", {"reason": ""}, follow=False)
    text = response.content.decode()
    assert response.status_code == 200 and "请检查“退回补充材料”表单中的内容。" in text
    assert "该字段是必填项。" in text
    assert status(complaint) == S.UNDER_REVIEW
    text = act(client, complaint, "request_material", {"reason": "请补充判决书和执行裁定书"}).content.decode()
    assert "已退回补充材料" in text and status(complaint) == S.NEEDS_MATERIAL


def test_material_is_supplied_with_files_and_a_bad_file_is_refused(cast, client):
    complaint = cast.to_review()
    services.complaint_request_material(actor=cast.reviewer, complaint=complaint, reason="补充材料")
    login(client, cast.staff)
    text = act(client, complaint, "supply_material", {"note": "已补充", "files": [exe_as_pdf()]}).content.decode()
    assert "的内容不是这些类型之一" in text and status(complaint) == S.NEEDS_MATERIAL
    act(client, complaint, "supply_material", {"note": "已补充", "files": [pdf_upload("执行裁定书.pdf")]})
    assert status(complaint) == S.UNDER_REVIEW
    assert [a.original_name for a in attachments.attachments_of(complaint)] == ["执行裁定书.pdf"]


def test_a_second_clerk_is_told_who_registered_first(cast, client):
    complaint = cast.transferred()
    second = UserFactory(
        username="clerk2", full_name="第二联络员", organization=cast.world.court, roles=["court_clerk"]
    )
    login(client, second)
    assert 'id="action-register"' in client.get(f"/cases/complaints/{complaint.pk}/").content.decode()
    services.complaint_register(actor=cast.clerk, complaint=complaint, registration_number="DJ-1")
    response = act(client, complaint, "register", {"registration_number": "DJ-2"})
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/cases/complaints/{complaint.pk}/"
    assert f"已由 {cast.clerk.display_name}（甲市中级人民法院）于" in text and "登记，当前状态为“法院已登记”" in text
    complaint.refresh_from_db()
    assert complaint.registration_number == "DJ-1"


def test_the_federation_cannot_register(cast, client):
    complaint = cast.transferred()
    text = act(login(client, cast.reviewer), complaint, "register", {"registration_number": "X"}).content.decode()
    assert "只有受移送的法院才能“登记”。" in text and status(complaint) == S.TRANSFERRED


def test_an_unknown_action_is_404(cast, client):
    complaint = cast.transferred()
    assert login(client, cast.clerk).post(f"/cases/complaints/{complaint.pk}/act/delete/").status_code == 404
    assert client.get(f"/cases/complaints/{complaint.pk}/act/register/").status_code == 405


def test_a_major_complaint_is_transferred_at_once_from_the_detail(cast, client):
    complaint = cast.to_review(is_major=True, major_reason="涉及上千名职工工资")
    text = act(login(client, cast.reviewer), complaint, "transfer_now").content.decode()
    complaint.refresh_from_db()
    assert complaint.status == S.TRANSFERRED
    assert f'<a href="/cases/transfers/{complaint.transfer.pk}/">{complaint.transfer.number}</a>' in text


def test_the_court_returns_and_the_federation_reroutes(cast, client):
    complaint = cast.transferred()
    act(login(client, cast.clerk), complaint, "court_return", {"reason": "不属于本院管辖"})
    assert status(complaint) == S.RETURNED
    second_court = OrganizationFactory(name="丙区人民法院", kind="court")
    mechanism_between(second_court, cast.world.federation, name="丙区机制")
    login(client, cast.reviewer)
    page = client.get(f"/cases/complaints/{complaint.pk}/").content.decode()
    assert 'id="action-reroute"' in page and "丙区人民法院" in page
    text = act(client, complaint, "reroute", {"court": second_court.pk}).content.decode()
    complaint.refresh_from_db()
    assert complaint.court == second_court and complaint.status == S.TRANSFERRED
    assert complaint.transfer.number in text
    # The first court keeps reading.
    assert login(client, cast.clerk).get(f"/cases/complaints/{complaint.pk}/").status_code == 200


def test_withdraw_and_reopen_need_reasons(cast, client):
    draft = cast.file()
    login(client, cast.staff)
    act(client, draft, "withdraw", {"reason": "企业已与对方和解"})
    assert status(draft) == S.WITHDRAWN
    complaint = cast.assigned()
    services.complaint_answer(actor=cast.handler, complaint=complaint, answer="已处理。")
    text = act(client, complaint, "reopen", {"reason": "企业认为未解决"}).content.decode()
    assert "已要求法院重新办理。" in text and status(complaint) == S.ASSIGNED


def test_an_extension_is_requested_by_the_handler_and_decided_by_the_leader(cast, client):
    complaint = cast.assigned()
    login(client, cast.handler)
    assert 'id="action-request_extension"' in client.get(f"/cases/complaints/{complaint.pk}/").content.decode()
    text = act(client, complaint, "request_extension", {"reason": "需委托司法鉴定"}).content.decode()
    assert "延期申请已提交" in text
    complaint.refresh_from_db()
    assert complaint.extension_state == ExtensionState.REQUESTED
    assert 'id="action-request_extension"' not in text
    feedback = Deadline.objects.get(kind=services.FEEDBACK, object_id=str(complaint.pk), state="running")
    before = feedback.due_date
    login(client, cast.court_leader)
    page = client.get(f"/cases/complaints/{complaint.pk}/").content.decode()
    assert 'name="decide_extension-decision" value="approve"' in page and "需委托司法鉴定" in page
    text = act(client, complaint, "decide_extension", {"decision": "approve"}).content.decode()
    assert "已批准延期" in text
    feedback.refresh_from_db()
    assert feedback.due_date > before


def test_the_case_review_is_recorded_with_its_explanation(cast, client):
    complaint = cast.assigned()
    login(client, cast.handler)
    text = act(client, complaint, "case_review", {"outcome": "no_error", "explanation": ""}).content.decode()
    assert "评查无错误的，须写明向企业释法析理的说明。" in text and not CaseReview.objects.exists()
    text = act(
        client, complaint, "case_review", {"outcome": "no_error", "explanation": "已向企业说明判决依据。"}
    ).content.decode()
    assert "评查结果已登记。" in text and "无错误，已释法析理" in text and "已向企业说明判决依据。" in text
    assert (
        'id="action-case_review"'
        not in login(client, cast.staff).get(f"/cases/complaints/{complaint.pk}/").content.decode()
    )


def test_files_are_added_by_the_court_while_handling(cast, client):
    complaint = cast.assigned()
    text = act(
        login(client, cast.handler), complaint, "add_files", {"files": [pdf_upload("庭审笔录.pdf")]}
    ).content.decode()
    assert "附件已上传。" in text and "庭审笔录.pdf" in text
    text = act(client, complaint, "add_files", {}).content.decode()
    assert "请检查“上传附件”表单中的内容。" in text


def test_internal_notes_stay_inside_the_organization(cast, client):
    complaint = cast.transferred()
    login(client, cast.staff)
    client.post(f"/cases/complaints/{complaint.pk}/messages/", {"body": "企业情绪激动，注意沟通", "internal": "on"})
    client.post(f"/cases/complaints/{complaint.pk}/messages/", {"body": "请贵院尽快登记"})
    assert ComplaintMessage.objects.count() == 2
    own = client.get(f"/cases/complaints/{complaint.pk}/").content.decode()
    assert "企业情绪激动，注意沟通" in own and "请贵院尽快登记" in own
    court = login(client, cast.clerk).get(f"/cases/complaints/{complaint.pk}/").content.decode()
    assert "请贵院尽快登记" in court
    assert "企业情绪激动" not in court  # neither in the thread nor in the timeline's summaries
    assert "仅本单位可见（内部备注）" in court


def test_before_transfer_only_internal_notes_are_allowed(cast, client):
    draft = cast.file()
    login(client, cast.staff)
    page = client.get(f"/cases/complaints/{draft.pk}/").content.decode()
    assert 'name="internal" id="id_internal" checked' in page
    text = client.post(f"/cases/complaints/{draft.pk}/messages/", {"body": "给法院的话"}, follow=True).content.decode()
    assert "移送法院之前只能写本单位内部备注。" in text and not ComplaintMessage.objects.exists()
    text = client.post(f"/cases/complaints/{draft.pk}/messages/", {"body": ""}, follow=True).content.decode()
    assert "请检查“留言”表单中的内容。" in text


@pytest.mark.parametrize("side", ["staff", "clerk"])
def test_the_detail_page_uses_a_fixed_number_of_queries(cast, client, django_assert_max_num_queries, side):
    """Messages, attachments, case numbers and history do not add queries to the complaint's page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    complaint = cast.transferred(title="查询次数")
    user = getattr(cast, side)
    login(client, user)
    url = f"/cases/complaints/{complaint.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(3):
        services.message_post(actor=cast.staff, complaint=complaint, body=f"留言{n}", internal=False)
        services.message_post(actor=cast.clerk, complaint=complaint, body=f"回复{n}", internal=False)
        services.message_post(actor=user, complaint=complaint, body=f"备注{n}", internal=True)
        attachments.attachment_add(target=complaint, upload=pdf_upload(f"材料{n}.pdf"), actor=cast.staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200 and "材料2.pdf" in page.content.decode() and "回复2" in page.content.decode()
    # PostgreSQL: session, user, scope, roles, the complaint with its related rows and case numbers
    # in one statement with its attachments, deadlines, history, calendar and thread, the menu; it
    # was 25, then 15. Other databases read the complaint's parts one query each (15).
    assert len(few.captured_queries) <= (9 if connection.vendor == "postgresql" else 15)


def test_the_days_left_count_the_calendar_read_with_the_complaint(cast, client):
    """The working-day calendar comes with the complaint's statement: a holiday entered by hand
    before the due date shortens the days left shown."""
    import datetime as dt

    from liaison.deadlines import due_status, today
    from liaison.models import CalendarOverride
    from liaison.workdays import WorkingCalendar

    complaint = cast.transferred()
    deadline = Deadline.objects.get(kind=services.REGISTRATION, object_id=str(complaint.pk))
    before = due_status(deadline, WorkingCalendar()).text
    login(client, cast.clerk)
    assert before in client.get(f"/cases/complaints/{complaint.pk}/").content.decode()
    day = today() + dt.timedelta(days=1)
    while not WorkingCalendar().is_working_day(day):
        day += dt.timedelta(days=1)
    assert day <= deadline.due_date
    CalendarOverride.objects.create(date=day, is_working_day=False, note="临时放假")
    after = due_status(deadline, WorkingCalendar()).text
    assert after != before
    assert after in client.get(f"/cases/complaints/{complaint.pk}/").content.decode()


def test_the_register_form_on_the_page_proposes_the_courts_next_number(cast, client):
    """The court's sequence is read with the complaint: after a registration under the proposed
    number the next complaint's page proposes the following one, in this year."""
    from cases import registration
    from liaison.deadlines import today

    court = cast.world.court.short_name or cast.world.court.name
    year = today().year
    first, second = cast.transferred(), cast.transferred()
    login(client, cast.clerk)
    page = client.get(f"/cases/complaints/{second.pk}/").content.decode()
    assert f'value="{court}联登〔{year}〕1号"' in page
    services.complaint_register(
        actor=cast.clerk, complaint=first, registration_number=registration.proposed_number(first)
    )
    page = client.get(f"/cases/complaints/{second.pk}/").content.decode()
    assert f'value="{court}联登〔{year}〕2号"' in page and f"{court}联登〔{year}〕1号" not in page
