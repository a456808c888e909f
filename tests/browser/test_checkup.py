"""A legal check-up through a real browser: the chamber's staff file an enterprise's request and
assign it to the paired law firm; the firm's lawyer records a visit and delivers the report with
findings and advice; the chamber confirms it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.usefixtures("demo_data")

ENTERPRISE = "天津浏览器测试机电有限公司"


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and problems.append(message.text)
        ),
    )
    page.on(
        "response", lambda response: response.status >= 500 and problems.append(f"{response.status} {response.url}")
    )
    page.on("dialog", lambda dialog: dialog.accept())
    return problems


def _open(page, live_server) -> None:
    page.goto(f"{live_server.url}/mediation/checkups/")
    page.get_by_role("link", name=ENTERPRISE).click()
    expect(page.locator("h1")).to_contain_text(ENTERPRISE)


def test_a_legal_checkup_from_request_to_report(page, live_server, artifacts_dir):
    problems = _watch(page)

    # The chamber's staff file the request and assign it to the paired firm.
    log_in(page, live_server, "tianjin_chamber_staff")
    page.goto(f"{live_server.url}/mediation/checkups/")
    page.locator("#checkup-new").click()
    form = page.locator("#checkup-form")
    form.locator("#id_enterprise_name").fill(ENTERPRISE)
    form.locator("#id_contact_person").fill("陈经理")
    form.locator("#id_contact_phone").fill("13902205001")
    form.locator("#id_subject").fill("合同与用工合规体检")
    form.locator("#id_description").fill("企业拟扩大用工规模，希望先做一次用工合规体检。")
    form.get_by_role("button", name="提交申请").click()
    expect(page.locator("#checkup-status")).to_have_text("待分派")
    assign = page.locator("#action-assign")
    assign.locator("#id_assign-pairing").select_option(label="天津正平律师事务所")
    assign.get_by_role("button", name="分派律所").click()
    expect(page.locator(".alert-success")).to_have_text("已分派给结对律所，报告期限开始计算。")
    expect(page.locator("#checkup-status")).to_have_text("服务中")
    expect(page.locator("#checkup-firm")).to_contain_text("天津正平律师事务所")
    page.screenshot(path=str(artifacts_dir / "checkup-1-assigned.png"), full_page=True)

    # The firm's lawyer records a visit and delivers the report.
    page.context.clear_cookies()
    log_in(page, live_server, "tianjin_lawyer")
    _open(page, live_server)
    visit = page.locator("#action-visit")
    visit.locator("#id_visit-visited_on").fill(page.evaluate("new Date().toISOString().slice(0, 10)"))
    visit.locator("#id_visit-lawyers").fill("孙正平、马丽")
    visit.locator("#id_visit-notes").fill("查阅劳动合同 80 份，访谈人事部门。")
    visit.get_by_role("button", name="记录走访").click()
    expect(page.locator(".alert-success")).to_have_text("走访已记录。")
    expect(page.locator("#checkup-visits")).to_contain_text("查阅劳动合同 80 份")
    report = page.locator("#action-report")
    report.locator("#id_report-findings").fill("试用期约定超过法定期限；未依法缴纳部分员工社会保险。")
    report.locator("#id_report-advice").fill("按法定期限修订试用期条款；补缴社会保险并建立核查台账。")
    report.get_by_role("button", name="出具体检报告").click()
    expect(page.locator(".alert-success")).to_have_text("体检报告已出具，商会已收到通知。")
    expect(page.locator("#checkup-status")).to_have_text("已出具报告")
    expect(page.locator("#checkup-report")).to_contain_text("试用期约定超过法定期限")

    # The chamber confirms the report.
    page.context.clear_cookies()
    log_in(page, live_server, "tianjin_chamber_staff")
    _open(page, live_server)
    confirm = page.locator("#action-confirm")
    confirm.get_by_role("button", name="确认报告").click()
    expect(page.locator(".alert-success")).to_have_text("已确认体检报告。")
    expect(page.locator("#checkup-status")).to_have_text("已确认")
    page.screenshot(path=str(artifacts_dir / "checkup-2-confirmed.png"), full_page=True)

    from mediation.models import Checkup

    checkup = Checkup.objects.get(enterprise_name=ENTERPRISE)
    assert checkup.status == "confirmed" and checkup.in_time is True and checkup.visits.count() == 1
    assert problems == []
