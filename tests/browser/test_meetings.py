"""A joint meeting from start to finish in a real browser.

The secretary schedules a joint meeting, sends the notice, holds it, records attendance and writes
the minutes with an action item; both leaders approve; the secretary issues the minutes and
downloads the PDF, whose first page is rendered to PNG under tests/artifacts/ for a look.
"""

from __future__ import annotations

import io
import re
import subprocess

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.usefixtures("demo_data")

TITLE = "浏览器测试联席会议"


def watch(page, problems: list[str]) -> None:
    """Collect CSP violations and failed loads (Chromium asks for /favicon.ico on its own)."""
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("/favicon.ico")
            and problems.append(f"{response.status} {response.url}")
        ),
    )


def as_user(browser, browser_context_args, live_server, username: str, problems: list[str]):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    watch(page, problems)
    log_in(page, live_server, username)
    return context, page


def test_secretary_runs_a_joint_meeting_to_issued_minutes(browser, browser_context_args, live_server, artifacts_dir):
    problems: list[str] = []
    today = timezone.localdate().isoformat()
    context, page = as_user(browser, browser_context_args, live_server, "secretary", problems)

    # Schedule: today, so that it can be held and minuted in this test.
    page.goto(f"{live_server.url}/meetings/")
    page.click("#plan-meeting")
    expect(page.locator("h1")).to_have_text("安排会议")
    page.select_option("#id_kind", "joint")
    page.fill("#id_title", TITLE)
    page.fill("#id_starts_at", f"{today}T08:00")
    page.fill("#id_ends_at", f"{today}T10:00")
    page.fill("#id_place", "洛阳市中级人民法院三楼第一会议室")
    page.fill("#id_chair", "陈卫东")
    page.fill("#id_outside", "周敏，洛阳市民营企业商会，调解委员会主任")
    page.click("#meeting-form button[type=submit]")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("#meeting-status")).to_have_text("已计划")
    expect(page.locator("#invitees")).to_contain_text("陈卫东")
    expect(page.locator("#invitees")).to_contain_text("张志强")

    page.click("#action-send_notice button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("会议通知已发出")
    expect(page.locator("#meeting-status")).to_have_text("已发通知")
    page.click("#action-hold button[type=submit]")
    expect(page.locator("#meeting-status")).to_have_text("已召开")
    page.screenshot(path=str(artifacts_dir / "meeting-detail.png"), full_page=True)

    # Attendance: everyone present, the federation's leader represented by his deputy.
    page.click("#record-attendance")
    for select in page.locator("#attendance-form select").all():
        select.select_option("present")
    row = page.locator("#attendance-form tr", has_text="张志强")
    row.locator("select").select_option("represented")
    row.locator("input[type=text]").fill("刘建国")
    page.click("#attendance-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("出席情况已登记")

    # Minutes with one action item.
    page.click("#draft-minutes")
    expect(page.locator("#id_title")).to_have_value(f"{TITLE}纪要")
    page.fill("#id_summary", "会议通报了本季度涉企诉求移送和办理情况，研究了下一阶段工作。")
    sections = page.locator("#minutes-form textarea[name^=section_]")
    for index in range(sections.count()):
        sections.nth(index).fill("与会各方就本议题进行了讨论。")
    page.fill("#id_extra_heading", "商会调解工作")
    page.fill("#id_extra_discussion", "商会调解委员会介绍了受理纠纷情况。")
    page.fill("#id_decisions", "建立月度信息通报制度。")
    page.fill("#id_items-0-title", "梳理长期未结涉企案件并形成清单")
    page.select_option("#id_items-0-owner_organization", label="洛阳市中级人民法院")
    page.select_option("#id_items-0-owner_department", label="洛阳中院 · 审务督查局")
    page.fill("#id_items-0-due_date", "2026-12-31" if today < "2026-12-31" else f"{int(today[:4]) + 1}-06-30")
    page.click("#minutes-form button[type=submit]")
    expect(page.locator("#minutes-status")).to_have_text("草稿")
    expect(page.locator("#minutes-items")).to_contain_text("梳理长期未结涉企案件并形成清单")
    page.click("#action-submit button[type=submit]")
    expect(page.locator("#minutes-status")).to_have_text("待审定")
    minutes_url = page.url

    # Both leaders approve, each for their own organization.
    for leader in ("court_leader", "fed_leader"):
        leader_context, leader_page = as_user(browser, browser_context_args, live_server, leader, problems)
        leader_page.goto(minutes_url)
        leader_page.fill("#id_decide-comment", "同意印发。")
        leader_page.click("#action-decide button[value=approve]")
        expect(leader_page.locator(".alert-success")).to_contain_text("已同意")
        leader_context.close()

    # The secretary issues and downloads the PDF.
    page.goto(minutes_url)
    expect(page.locator("#minutes-status")).to_have_text("已审定")
    page.once("dialog", lambda dialog: dialog.accept())  # issuing asks for confirmation
    page.click("#action-issue button[type=submit]")
    expect(page.locator("#minutes-status")).to_have_text("已印发")
    number = page.locator("#minutes-number").inner_text()
    assert re.fullmatch(r"〔\d{4}〕第\d+期", number), number
    with page.expect_download() as download:
        page.click("#minutes-pdf")
    pdf_path = artifacts_dir / "meeting-minutes.pdf"
    download.value.save_as(pdf_path)
    context.close()

    content = pdf_path.read_bytes()
    text = "".join("".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(content)).pages)
    for expected in (
        f"{TITLE}纪要",
        number,
        "洛阳市中级人民法院",
        "洛阳市工商业联合会",
        "陈卫东",
        "刘建国代",
        "梳理长期未结涉企案件并形成清单",
        "—1—",
    ):
        assert expected in text, expected
    png_base = artifacts_dir / "meeting-minutes-page1"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf_path), str(png_base)], check=True
    )
    assert (artifacts_dir / "meeting-minutes-page1.png").stat().st_size > 10_000
    assert [p for p in problems if not p.startswith("Failed to load resource")] == [], problems


def test_leaders_see_the_missed_quarter_and_the_overdue_items(page, live_server, artifacts_dir):
    problems: list[str] = []
    watch(page, problems)
    log_in(page, live_server, "fed_leader")
    page.goto(f"{live_server.url}/meetings/cadence/")
    expect(page.locator("h1")).to_contain_text("洛阳法院·工商联")
    expect(page.locator(".cadence-missing").first).to_contain_text("缺会")
    page.screenshot(path=str(artifacts_dir / "meetings-cadence.png"), full_page=True)
    page.goto(f"{live_server.url}/meetings/supervision/")
    expect(page.locator("#items tbody tr").first).to_contain_text("已逾期")
    page.screenshot(path=str(artifacts_dir / "meetings-supervision.png"), full_page=True)
    assert [p for p in problems if not p.startswith("Failed to load resource")] == [], problems
