"""The enterprise portal on a phone (390×844): register with a one-time code, the reviewer confirms,
file with a photo, answer a material request, read the court's answer, rate it 不满意 and ask for a
reopen, which the reviewer grants.

The federation's and the court's steps between the enterprise's are taken through the services
(the other browser tests cover their pages); the reviewer confirms and grants in the browser.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from .conftest import DEMO_PASSWORD, log_in

pytestmark = pytest.mark.usefixtures("demo_data")

PHONE = {"width": 390, "height": 844}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
CREDIT_CODE = "91410300MA4XTE8T0"  # completed with its check character below


def _code() -> str:
    from cases.validators import credit_code_check_char

    return CREDIT_CODE + credit_code_check_char(CREDIT_CODE)


def _fits(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]} px wide on a {widths[1]} px screen"


def _post(page: Page, button) -> None:  # noqa: ANN001
    with page.expect_navigation():
        button.click()


def test_an_enterprise_registers_files_follows_rates_and_gets_a_reopen(
    browser: Browser, browser_context_args: dict, live_server, artifacts_dir
) -> None:
    from cases import services
    from cases.models import Complaint
    from liaison.models import Department, User

    phone = browser.new_context(
        **{**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
    )
    page = phone.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))

    # Register: the enterprise, the person, a code by SMS (and email); the region follows from the credit code.
    page.goto(f"{live_server.url}/accounts/login/")
    _post(page, page.locator("#enterprise-register"))
    expect(page.locator("#id_party")).to_have_count(0)
    page.fill("#id_credit_code", _code())
    page.fill("#id_enterprise_name", "洛阳测试精密制造有限公司")
    page.select_option("#id_size", "small")
    page.select_option("#id_industry", "C")
    page.fill("#id_full_name", "郑经理")
    page.fill("#id_mobile", "13912340000")
    page.fill("#id_email", "zheng@example.test")
    _fits(page)
    _post(page, page.get_by_role("button", name="获取验证码"))
    expect(page.locator(".alert-success")).to_contain_text("验证码已以短信发送")
    code = re.search(r"\d{6}", mail.outbox[-1].body).group(0)
    page.fill("#id_code", code)
    page.fill("#id_username", "zheng")
    page.fill("#id_password", "Qiye-2026-pass!")
    page.fill("#id_password_again", "Qiye-2026-pass!")
    _post(page, page.get_by_role("button", name="完成注册"))
    expect(page.locator("#membership-pending")).to_be_visible()

    # The federation reviewer confirms the link.
    desk = browser.new_context(**browser_context_args)
    reviewer_page = desk.new_page()
    reviewer_page.on("dialog", lambda dialog: dialog.accept())
    log_in(reviewer_page, live_server, "fed_reviewer")
    reviewer_page.goto(f"{live_server.url}/portal/federation/registrations/")
    _post(reviewer_page, reviewer_page.get_by_role("link", name="郑经理"))
    _post(reviewer_page, reviewer_page.locator("form#action-confirm_membership button"))
    expect(reviewer_page.locator("#membership-state")).to_have_text("已确认")

    # File with a photo.
    page.goto(f"{live_server.url}/portal/")
    _post(page, page.locator("#file-matter"))
    page.select_option("#id_kind", "enforcement")
    page.fill("#id_facts", "货款纠纷胜诉后，执行款迟迟未到账。")
    page.fill("#id_demands", "请求督促执行。")
    page.fill("#id_case_numbers", "(2024)豫03执900号")
    page.set_input_files("#id_files", {"name": "现场照片.png", "mimeType": "image/png", "buffer": PNG})
    _fits(page)
    _post(page, page.get_by_role("button", name="提交", exact=True))
    serial = page.locator("#tracking-number").inner_text()
    matter = Complaint.objects.get(serial=serial)
    assert matter.filed_online and matter.status == "submitted"
    page.screenshot(path=str(artifacts_dir / "portal-acknowledgement.png"), full_page=True)

    # The reviewer asks for more material; the enterprise answers with text and a file.
    reviewer = User.objects.get(username="fed_reviewer")
    services.complaint_start_review(actor=reviewer, complaint=matter)
    services.complaint_request_material(actor=reviewer, complaint=matter, reason="请补充执行裁定书。")
    page.goto(f"{live_server.url}/portal/matters/{matter.pk}/")
    expect(page.locator("#matter-stage")).to_have_text("需补充材料")
    page.fill("#id_note", "已补充执行裁定书。")
    page.set_input_files(
        "#material-form input[type=file]", {"name": "裁定书.png", "mimeType": "image/png", "buffer": PNG}
    )
    _post(page, page.get_by_role("button", name="提交补充材料"))
    expect(page.locator("#matter-stage")).to_have_text("工商联审核中")

    # Transferred, registered, assigned, answered.
    matter.refresh_from_db()
    services.complaint_queue(actor=reviewer, complaint=matter)
    services.complaints_transfer_batch(actor=reviewer, complaints=[matter], meeting_reference="第四季度联席会议")
    matter.refresh_from_db()
    clerk, handler = User.objects.get(username="court_clerk"), User.objects.get(username="court_handler")
    services.complaint_register(actor=clerk, complaint=matter, registration_number="DJ-T-1")
    services.complaint_assign(
        actor=clerk, complaint=matter, department=Department.objects.get(pk=handler.department_id), handler=handler
    )
    services.complaint_answer(
        actor=handler, complaint=matter, answer="内部：执行局已督办。", enterprise_answer="执行款将于10个工作日内发放。"
    )

    # The enterprise reads the answer written for it, rates it 不满意 and asks for a reopen.
    page.goto(f"{live_server.url}/portal/matters/{matter.pk}/")
    expect(page.locator("#court-answer")).to_contain_text("执行款将于10个工作日内发放")
    expect(page.locator("body")).not_to_contain_text("内部：执行局已督办")
    expect(page.locator("#milestones")).to_contain_text(matter.transfer.number)
    page.check("#id_rating_2")
    page.fill("#id_comment", "发放时间太晚。")
    page.check("#id_ask_reopen")
    page.fill("#id_reopen_reason", "判决已生效半年，请求尽快发放。")
    _fits(page)
    _post(page, page.get_by_role("button", name="提交评价"))
    expect(page.locator("#reopen-decision")).to_have_text("待工商联决定")

    # The reviewer grants the reopen on the complaint page.
    reviewer_page.goto(f"{live_server.url}/cases/complaints/{matter.pk}/")
    _post(reviewer_page, reviewer_page.locator("form#action-grant_reopen button"))
    matter.refresh_from_db()
    assert matter.status == "assigned" and matter.reopen_count == 1

    page.reload()
    expect(page.locator("#reopen-decision")).to_have_text("已要求法院重新办理")
    expect(page.locator("#matter-stage")).to_have_text("法院办理中")
    page.screenshot(path=str(artifacts_dir / "portal-reopened.png"), full_page=True)
    assert DEMO_PASSWORD  # the demo accounts are there too
