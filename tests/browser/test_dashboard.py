"""The court leader's dashboard in a real browser: the default month, other ranges, the overdue list.

`court_leader` (陈卫东, 洛阳中院) opens the dashboard from the navigation menu, reads this month's
figures, switches to a year, a custom range and the quarter, follows the overdue figure to the
complaint list, comes back and submits a custom range that ends before it starts.

The clock: the demo data is loaded on 2025-06-11, so none of its complaints falls in the 2026
ranges below; the test itself runs on Wednesday 2026-09-16 10:00 (Asia/Shanghai), which
`liaison.deadlines.today()` and the live server (same process) both see through time-machine.

Complaints of the Luoyang mechanism, all but the last transferred to 洛阳中院 (local times):

    key            submitted         state          nearest running deadline
    sep_late       2026-09-02 09:00  transferred    2026-09-10  overdue
    sep_assigned   2026-09-08 14:00  assigned       2026-10-20
    sep_soon       2026-09-14 11:00  transferred    2026-09-17  due soon (within 2 working days)
    jul_first      2026-07-01 00:30  assigned       2026-08-12  overdue (2026-06-30 16:30 UTC)
    jul_answered   2026-07-06 10:00  answered       -
    jun_last       2026-06-30 23:30  registered     2026-08-20  overdue
    mar_late       2026-03-16 09:00  assigned       2026-04-28  overdue
    in_review      2026-09-03 09:00  under review   2026-09-08  overdue, but the court does not see it

plus `tianhe_late` of the Tianhe mechanism (submitted 2026-09-04, transferred, overdue), which
the Luoyang court leader never sees.

    range                          total  open  due soon  overdue
    September 2026 (default)       3      3     1         1   sep_late
    year of 2026-03-01             7      7     1         4   sep_late, jul_first, jun_last, mar_late
    custom 2026-06-30..2026-07-01  2      2     0         2   jun_last, jul_first
    quarter of today (Q3)          5      5     1         2   sep_late, jul_first

Screenshots: tests/artifacts/dashboard-*.png.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import Page, expect

from cases import services
from cases.durations import refresh_running_deadline
from cases.models import Complaint, Enterprise
from liaison.choices import DeadlineState
from liaison.models import Deadline, Department, Mechanism, Organization, User
from liaison.workday_index import rebuild_working_day_index

from .conftest import log_in

pytestmark = pytest.mark.usefixtures("demo_data")

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_LOADED_AT = dt.datetime(2025, 6, 11, 10, 0, tzinfo=SHANGHAI)
TODAY_AT = dt.datetime(2026, 9, 16, 10, 0, tzinfo=SHANGHAI)  # a Wednesday
D = dt.date

LUOYANG = "洛阳法院·工商联"
TIANHE = "天河法院·工商联"
PREFIX = "看板测试："


@dataclass(frozen=True)
class Planned:
    key: str
    submitted: dt.datetime
    state: str  # under_review, transferred, registered, assigned or answered
    due: dt.date | None  # the due date given to every running deadline
    mechanism: str = LUOYANG

    @property
    def title(self) -> str:
        return f"{PREFIX}{self.key}"


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


PLANNED = [
    Planned("sep_late", at(2026, 9, 2, 9), "transferred", D(2026, 9, 10)),
    Planned("sep_assigned", at(2026, 9, 8, 14), "assigned", D(2026, 10, 20)),
    Planned("sep_soon", at(2026, 9, 14, 11), "transferred", D(2026, 9, 17)),
    Planned("jul_first", at(2026, 7, 1, 0, 30), "assigned", D(2026, 8, 12)),
    Planned("jul_answered", at(2026, 7, 6, 10), "answered", None),
    Planned("jun_last", at(2026, 6, 30, 23, 30), "registered", D(2026, 8, 20)),
    Planned("mar_late", at(2026, 3, 16, 9), "assigned", D(2026, 4, 28)),
    Planned("in_review", at(2026, 9, 3, 9), "under_review", D(2026, 9, 8)),
    Planned("tianhe_late", at(2026, 9, 4, 9), "transferred", D(2026, 9, 8), mechanism=TIANHE),
]
ALL_TITLES = [p.title for p in PLANNED]


@dataclass
class Watch:
    """Console errors and failed responses of the page."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and not message.text.startswith("Failed to load resource")
                and self.problems.append(message.text)
            ),
        )
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and not response.url.endswith("/favicon.ico")
                and self.problems.append(f"{response.status} {response.url}")
            ),
        )


@pytest.fixture(autouse=True)
def clock():
    """Before the demo data (autouse fixtures come first): the demo is loaded in 2025."""
    with time_machine.travel(DEMO_LOADED_AT, tick=True) as traveller:
        yield traveller


def _people(prefix: str) -> dict[str, User]:
    return {
        role: User.objects.get(username=f"{prefix}{role}")
        for role in ("fed_staff", "fed_reviewer", "court_clerk", "court_handler")
    }


def _advance(
    planned: Planned,
    mechanism: Mechanism,
    enterprise: Enterprise,
    court: Organization,
    people: dict[str, User],
    department: Department,
) -> Complaint:
    """File the complaint through the services and take it as far as its planned state."""
    staff, reviewer = people["fed_staff"], people["fed_reviewer"]
    clerk, handler = people["court_clerk"], people["court_handler"]
    complaint = services.complaint_create(
        actor=staff,
        mechanism=mechanism,
        data=services.ComplaintData(
            enterprise=enterprise,
            court=court,
            kind="case_handling",
            title=planned.title,
            facts=f"{enterprise.name}反映案件久拖未结。",
            demands="请求依法及时审理并书面反馈。",
        ),
    )
    steps = ["submit", "review"]
    if planned.state != "under_review":
        steps += ["queue", "transfer"]
        order = ["transferred", "registered", "assigned", "answered"]
        steps += ["register", "assign", "answer"][: order.index(planned.state)]
    for step in steps:
        complaint.refresh_from_db()
        if step == "submit":
            services.complaint_submit(actor=staff, complaint=complaint)
        elif step == "review":
            services.complaint_start_review(actor=reviewer, complaint=complaint)
        elif step == "queue":
            services.complaint_queue(actor=reviewer, complaint=complaint)
        elif step == "transfer":
            services.complaints_transfer_batch(
                actor=reviewer, complaints=[complaint], meeting_reference="2026年第三季度联席会议"
            )
        elif step == "register":
            services.complaint_register(actor=clerk, complaint=complaint, registration_number=f"看板{complaint.pk}")
        elif step == "assign":
            services.complaint_assign(actor=clerk, complaint=complaint, department=department, handler=handler)
        elif step == "answer":
            services.complaint_answer(actor=handler, complaint=complaint, answer="已开庭审理，将依法及时裁判。")
    complaint.refresh_from_db()
    assert complaint.status == planned.state, (planned.key, complaint.status)
    return complaint


def _place_in_time(complaint: Complaint, planned: Planned) -> None:
    """Move the submission (and what followed it) to the planned day; set the running deadlines."""
    submitted = planned.submitted
    stamps = {"submitted_at": submitted}
    if planned.state != "under_review":
        stamps["transferred_at"] = submitted + dt.timedelta(days=1)
    if planned.state in ("registered", "assigned", "answered"):
        stamps["registered_at"] = submitted + dt.timedelta(days=2)
    if planned.state == "answered":
        stamps["answered_at"] = submitted + dt.timedelta(days=14)
    Complaint.objects.filter(pk=complaint.pk).update(**stamps)
    deadlines = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint), object_id=str(complaint.pk)
    )
    running = deadlines.filter(state=DeadlineState.RUNNING)
    if planned.due is None:
        assert not running.exists(), planned.key
    else:
        assert running.exists(), planned.key
        running.update(start_date=submitted.date(), due_date=planned.due)
    refresh_running_deadline(Complaint.objects.filter(pk=complaint.pk))  # the updates bypassed the services


@pytest.fixture
def complaints(demo_data, clock) -> dict[str, Complaint]:
    """The complaints of the table above, committed for the live server; then the clock moves to today."""
    clock.move_to(TODAY_AT)
    # The working-day index comes from a migration, and a transactional test before this one may
    # have flushed it: the due-soon figure counts over it.
    rebuild_working_day_index(2025, 2027)
    made = {}
    for planned in PLANNED:
        mechanism = Mechanism.objects.get(short_name=planned.mechanism)
        prefix = "tianhe_" if planned.mechanism == TIANHE else ""
        people = _people(prefix)
        court = people["court_clerk"].organization
        enterprise = Enterprise.objects.filter(mechanism=mechanism).order_by("pk").first()
        department = Department.objects.get(pk=people["court_handler"].department_id)
        complaint = _advance(planned, mechanism, enterprise, court, people, department)
        _place_in_time(complaint, planned)
        made[planned.key] = complaint
    return made


# --- reading the page ----------------------------------------------------------------------------

FIGURES = {
    "total": ("#figure-total", "期间提交"),
    "open": ("#figure-open", "未办结"),
    "due_soon": ("#figure-due-soon", "即将到期"),
    "overdue": ("#figure-overdue", "已逾期"),
}


def figures(page: Page) -> dict[str, int]:
    """The four counts at the top of the dashboard, each read after its label."""
    result = {}
    for name, (selector, label) in FIGURES.items():
        text = " ".join(page.locator(selector).inner_text().split())
        match = re.fullmatch(rf"{label} (\d+)", text)
        assert match, f"{selector}: {text!r}"
        result[name] = int(match.group(1))
    return result


def expect_range(page: Page, start: str, end: str) -> None:
    expect(page.locator("#range")).to_have_text(re.compile(rf"^\s*提交日期 {start} 至 {end}\s*$"))


def submit_range(page: Page, period: str, *, on: str = "", start: str = "", end: str = "") -> None:
    page.select_option("#id_period", period)
    page.fill("#id_on", on)
    page.fill("#id_start", start)
    page.fill("#id_end", end)
    with page.expect_navigation():
        page.get_by_role("button", name="统计", exact=True).click()


def expect_month_of_september(page: Page) -> None:
    expect_range(page, "2026-09-01", "2026-09-30")
    assert figures(page) == {"total": 3, "open": 3, "due_soon": 1, "overdue": 1}


# --- the test ------------------------------------------------------------------------------------


def test_court_leader_changes_the_range_and_follows_the_overdue_figure(page, live_server, artifacts_dir, complaints):
    watch = Watch()
    watch.attach(page)
    log_in(page, live_server, "court_leader")
    navbar = page.locator("nav.navbar")
    expect(navbar).to_contain_text("陈卫东 · 洛阳中院")

    # --- from the menu to the dashboard: this month (September 2026) --------------------------------
    navbar.get_by_role("button", name="诉求移送").click()
    with page.expect_navigation():
        navbar.get_by_role("link", name="统计看板", exact=True).click()
    assert urlsplit(page.url).path == "/cases/dashboard/", page.url
    expect(page.locator("h1")).to_have_text("诉求统计看板")
    expect(navbar.locator("[aria-current=page]")).to_have_text("统计看板")
    expect(page.locator("#range-error")).to_have_count(0)
    expect_month_of_september(page)
    # The mechanisms to choose from: the court's own, never another organization's.
    options = page.locator("#id_mechanism option").all_inner_texts()
    assert options[0] == "全部可见机制", options
    assert any(o.startswith("洛阳市中级人民法院 洛阳市工商业联合会") for o in options), options
    assert not any("天河" in o for o in options), options
    expect(page.locator("#id_mechanism")).to_have_value("")
    page.screenshot(path=str(artifacts_dir / "dashboard-1-month.png"), full_page=True)

    # --- the year around 2026-03-01 ---------------------------------------------------------------
    submit_range(page, "year", on="2026-03-01")
    expect(page.locator("#range-error")).to_have_count(0)
    expect_range(page, "2026-01-01", "2026-12-31")
    assert figures(page) == {"total": 7, "open": 7, "due_soon": 1, "overdue": 4}
    expect(page.locator("#id_period")).to_have_value("year")
    expect(page.locator("#id_on")).to_have_value("2026-03-01")

    # --- custom: the night from June into July, in Beijing time -----------------------------------
    submit_range(page, "custom", start="2026-06-30", end="2026-07-01")
    expect(page.locator("#range-error")).to_have_count(0)
    expect_range(page, "2026-06-30", "2026-07-01")
    assert figures(page) == {"total": 2, "open": 2, "due_soon": 0, "overdue": 2}

    # --- the quarter of today, and its overdue figure ---------------------------------------------
    submit_range(page, "quarter")
    expect(page.locator("#range-error")).to_have_count(0)
    expect_range(page, "2026-07-01", "2026-09-30")
    assert figures(page) == {"total": 5, "open": 5, "due_soon": 1, "overdue": 2}
    page.screenshot(path=str(artifacts_dir / "dashboard-2-quarter.png"), full_page=True)
    dashboard_url = page.url

    with page.expect_navigation():
        page.locator("#figure-overdue").click()
    address = urlsplit(page.url)
    assert address.path == "/cases/complaints/", page.url
    query = parse_qs(address.query)
    assert query.get("overdue") == ["true"], page.url
    assert query.get("submitted_from") == ["2026-07-01"], page.url
    assert query.get("submitted_to") == ["2026-09-30"], page.url
    expect(page.locator("h1")).to_have_text("涉企诉求")
    # The list's own filter form shows the filter and the range it was given.
    expect(page.locator("#id_submitted_from")).to_have_value("2026-07-01")
    expect(page.locator("#id_submitted_to")).to_have_value("2026-09-30")
    expect(page.locator("#id_overdue")).to_have_value("true")

    table = page.locator("#complaints")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("main")).to_contain_text("共 2 件")
    overdue = {complaints[key].title for key in ("sep_late", "jul_first")}
    for title in overdue:
        row = rows.filter(has_text=title)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("已逾期")
        expect(row).to_contain_text("洛阳中院")
    # Not overdue, outside the quarter (one by half an hour, Beijing time), hidden from the court,
    # or another organization's: none of them is listed.
    for title in set(ALL_TITLES) - overdue:
        expect(table).not_to_contain_text(title)
    page.screenshot(path=str(artifacts_dir / "dashboard-3-overdue-list.png"), full_page=True)

    # --- back on the dashboard: a custom range that ends before it starts --------------------------
    page.go_back()
    assert page.url == dashboard_url
    expect_range(page, "2026-07-01", "2026-09-30")
    submit_range(page, "custom", start="2026-09-30", end="2026-09-01")
    error = page.locator("#range-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("所选统计期间无效，已显示本月数据。")
    expect(error).to_contain_text("结束日期不能早于开始日期。")
    expect(page.locator("h1")).to_have_text("诉求统计看板")
    expect_month_of_september(page)
    # The form keeps what was typed, to be corrected; the overdue figure links to this month's list.
    expect(page.locator("#id_period")).to_have_value("custom")
    expect(page.locator("#id_start")).to_have_value("2026-09-30")
    expect(page.locator("#id_end")).to_have_value("2026-09-01")
    href = parse_qs(urlsplit(page.locator("#figure-overdue").get_attribute("href")).query)
    assert (href.get("overdue"), href.get("submitted_from"), href.get("submitted_to")) == (
        ["true"],
        ["2026-09-01"],
        ["2026-09-30"],
    ), href
    page.screenshot(path=str(artifacts_dir / "dashboard-4-invalid-range.png"), full_page=True)

    assert watch.problems == []
