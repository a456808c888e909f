"""A complaint's whole life through real browsers, one per person.

`fed_staff` files a complaint with a PDF attachment and submits it; `fed_reviewer` reviews it,
queues it for the joint meeting and transfers it from the batch page (which makes the transfer
letter); `court_clerk` registers and assigns it; `court_handler` answers; `fed_staff` closes it.
After each step the complaint page shows the new status and the attachment; a screenshot of each
person's step goes to tests/artifacts/complaint-<step>.png.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import log_in

pytestmark = pytest.mark.usefixtures("demo_data")

MECHANISM = "洛阳法院·工商联"
ENTERPRISE = "洛阳中重机械制造有限公司"
COURT = "洛阳市中级人民法院"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF_NAME = "起诉材料.pdf"


@dataclass
class Watch:
    """What every page of the test reported: console errors and failed responses."""

    console_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)

    def attach(self, page: Page, who: str) -> None:
        page.on(
            "console", lambda message: message.type == "error" and self.console_errors.append(f"{who}: {message.text}")
        )
        page.on(
            "response",
            lambda response: (
                response.status >= 400 and self.failed_responses.append(f"{who}: {response.status} {response.url}")
            ),
        )


def _session(
    browser: Browser, browser_context_args: dict, live_server, username: str, watch: Watch
) -> tuple[BrowserContext, Page]:
    """A separate browser context (its own cookies) logged in as `username`."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    watch.attach(page, username)
    log_in(page, live_server, username)
    return context, page


def _option_value(page: Page, select: str, text: str) -> str:
    """The value of the option of `select` whose label contains `text` (there must be one)."""
    option = page.locator(f"{select} option", has_text=text)
    expect(option).to_have_count(1)
    return option.get_attribute("value")


def _act(page: Page, action: str, label: str) -> None:
    """Press the button of an action form on the complaint page and wait for the page again."""
    form = page.locator(f"form#action-{action}")
    expect(form).to_have_attribute("action", re.compile(rf"/cases/complaints/\d+/act/{action}/$"))
    # An irreversible step says what it will do and asks first; the user accepts.
    confirm = form.get_attribute("data-confirm")
    asked: list[str] = []
    if confirm:
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        form.get_by_role("button", name=label, exact=True).click()
    assert asked == ([confirm] if confirm else [])


def _expect_complaint(page: Page, status: str, success: str | None = None) -> None:
    """The complaint page with the given status, the success message, no error, the attachment."""
    expect(page.locator("#complaint-status")).to_have_text(status)
    if success is not None:
        expect(page.locator(".alert-success")).to_contain_text(success)
    expect(page.locator(".alert-danger")).to_have_count(0)
    attachment = page.locator("#attachments a", has_text=PDF_NAME)
    expect(attachment).to_have_count(1)
    expect(attachment).to_have_attribute("href", re.compile(r"/\d+/?$"))


def test_complaint_goes_from_filing_to_closing(browser, browser_context_args, live_server, artifacts_dir, tmp_path):
    watch = Watch()
    marker = uuid.uuid4().hex[:8]
    title = f"浏览器测试诉求 {marker}"
    year = dt.date.today().year
    case_number = f"（{year}）豫03民初{int(marker, 16) % 90000 + 10000}号"
    attachment = tmp_path / PDF_NAME
    attachment.write_bytes(PDF_BYTES)
    contexts: list[BrowserContext] = []

    try:
        # --- fed_staff files the complaint with a PDF and submits it --------------------------
        context, staff = _session(browser, browser_context_args, live_server, "fed_staff", watch)
        contexts.append(context)
        staff.goto(f"{live_server.url}/cases/complaints/new/")
        expect(staff.locator("h1")).to_have_text("填报诉求")
        staff.select_option("#id_mechanism", _option_value(staff, "#id_mechanism", MECHANISM))
        staff.select_option("#id_enterprise", _option_value(staff, "#id_enterprise", ENTERPRISE))
        staff.select_option("#id_court", _option_value(staff, "#id_court", COURT))
        staff.select_option("#id_kind", label="案件办理投诉")
        staff.fill("#id_title", title)
        staff.fill("#id_facts", "企业与供货方的买卖合同纠纷一审立案已逾十八个月，至今未开庭审理。")
        staff.fill("#id_demands", "请求法院依法加快审理进度，尽早开庭。")
        staff.fill("#id_case_numbers", case_number)
        staff.fill("#id_amount_involved", "1500000.00")
        # The reason of a major complaint is asked only when "major" is ticked (static/js/app.js).
        expect(staff.locator("[data-major-reason-group]")).to_be_hidden()
        staff.set_input_files("#id_files", str(attachment))
        with staff.expect_navigation():
            staff.get_by_role("button", name="保存", exact=True).click()

        expect(staff.locator("#duplicate-warning")).to_have_count(0)
        assert re.search(r"/cases/complaints/\d+/$", staff.url), staff.url
        complaint_url = staff.url
        expect(staff.locator("h1")).to_have_text(title)
        _expect_complaint(staff, "草稿", "诉求已保存为草稿")
        expect(staff.locator("#case-numbers")).to_contain_text(case_number)

        _act(staff, "submit", "提交审核")
        _expect_complaint(staff, "已提交", "已提交审核。")
        staff.screenshot(path=str(artifacts_dir / "complaint-1-filed.png"), full_page=True)

        # --- fed_reviewer reviews it, queues it, and transfers it at the joint meeting -------
        context, reviewer = _session(browser, browser_context_args, live_server, "fed_reviewer", watch)
        contexts.append(context)
        reviewer.goto(complaint_url)
        _expect_complaint(reviewer, "已提交")
        _act(reviewer, "start_review", "开始审核")
        _expect_complaint(reviewer, "审核中", "已开始审核。")
        _act(reviewer, "queue", "列入联席会议移送")
        _expect_complaint(reviewer, "待联席会议移送", "已列入联席会议移送。")

        with reviewer.expect_navigation():
            reviewer.locator("#actions").get_by_role("link", name="联席会议批量移送").click()
        expect(reviewer.locator("h1")).to_have_text("联席会议批量移送")
        row = reviewer.locator("#queued tbody tr", has_text=title)
        expect(row).to_have_count(1)
        row.locator("input[type=checkbox]").check()
        # The meeting is chosen from the mechanism's meetings (the demo has some planned).
        reviewer.select_option("#id_meeting", index=1)
        with reviewer.expect_navigation():
            reviewer.get_by_role("button", name="移送", exact=True).click()

        # One court, so one letter: its page lists the complaint.
        assert re.search(r"/cases/transfers/\d+/$", reviewer.url), reviewer.url
        expect(reviewer.locator(".alert-success")).to_contain_text("已移送，移送函文号：")
        expect(reviewer.locator("main")).to_contain_text(title)
        expect(reviewer.locator("main")).to_contain_text(COURT)
        reviewer.screenshot(path=str(artifacts_dir / "complaint-2-transfer-letter.png"), full_page=True)

        reviewer.goto(complaint_url)
        _expect_complaint(reviewer, "已移送法院")
        expect(reviewer.locator("#handling-title + dl")).to_contain_text("移送函")
        reviewer.screenshot(path=str(artifacts_dir / "complaint-2-transferred.png"), full_page=True)

        # --- court_clerk registers it and assigns it to 赵磊 of 民一庭 -------------------------
        context, clerk = _session(browser, browser_context_args, live_server, "court_clerk", watch)
        contexts.append(context)
        clerk.goto(complaint_url)
        _expect_complaint(clerk, "已移送法院")
        registration_number = f"洛中法联登〔{year}〕{marker}号"
        clerk.fill("#id_register-registration_number", registration_number)
        _act(clerk, "register", "登记")
        _expect_complaint(clerk, "法院已登记", "已登记。")
        expect(clerk.locator("#handling-title + dl")).to_contain_text(registration_number)

        clerk.select_option("#id_assign-department", label="民一庭")
        clerk.select_option("#id_assign-handler", label="赵磊")
        _act(clerk, "assign", "交办")
        _expect_complaint(clerk, "承办中", "已交办 赵磊。")
        handling = clerk.locator("#handling-title + dl")
        expect(handling).to_contain_text("民一庭")
        expect(handling).to_contain_text("赵磊")
        clerk.screenshot(path=str(artifacts_dir / "complaint-3-assigned.png"), full_page=True)

        # --- court_handler answers ------------------------------------------------------------
        context, handler = _session(browser, browser_context_args, live_server, "court_handler", watch)
        contexts.append(context)
        handler.goto(complaint_url)
        _expect_complaint(handler, "承办中")
        answer = "经核查，该案已于本月排期开庭，承办法官已与企业沟通审理安排。"
        handler.fill("#id_answer-answer", answer)
        _act(handler, "answer", "反馈办理结果")
        _expect_complaint(handler, "法院已反馈", "办理结果已反馈。")
        expect(handler.locator("#answer-title + p")).to_have_text(answer)
        handler.screenshot(path=str(artifacts_dir / "complaint-4-answered.png"), full_page=True)

        # --- fed_staff, still logged in, sees the answer and closes the complaint -------------
        staff.goto(complaint_url)
        _expect_complaint(staff, "法院已反馈")
        expect(staff.locator("#answer-title + p")).to_have_text(answer)
        _act(staff, "close", "办结")
        _expect_complaint(staff, "已办结", "诉求已办结。")
        expect(staff.locator("#actions form")).to_have_count(0)  # nothing left to do
        staff.screenshot(path=str(artifacts_dir / "complaint-5-closed.png"), full_page=True)

        # --- the timeline names every step, in the reader's language --------------------------
        items = staff.locator(".timeline-list .timeline-item")
        texts = [" ".join(t.split()) for t in items.all_inner_texts()]
        joined = "\n".join(texts)
        for step in [
            "填报",
            "上传附件",
            "提交审核：草稿 → 已提交",
            "开始审核：已提交 → 审核中",
            "列入联席会议移送：审核中 → 待联席会议移送",
            "联席会议批量移送：待联席会议移送 → 已移送法院",
            "登记：已移送法院 → 法院已登记",
            "交办：法院已登记 → 承办中",
            "反馈办理结果：承办中 → 法院已反馈",
            "办结：法院已反馈 → 已办结",
        ]:
            assert step in joined, f"{step!r} not in the timeline:\n{joined}"
        for who in ["王晓红", "刘建国", "李静", "赵磊"]:
            assert who in joined, f"{who} not in the timeline:\n{joined}"
        assert PDF_NAME in joined
        assert registration_number in joined
        # No raw codes (an action or a state without its label) anywhere in the timeline.
        assert not re.search(r"(?<![A-Za-z0-9])[a-z]+_[a-z_]+", joined), joined
    finally:
        for context in contexts:
            context.close()

    failed = [line for line in watch.failed_responses if not line.endswith("/favicon.ico")]
    assert failed == []
    assert [text for text in watch.console_errors if "Failed to load resource" not in text] == []
