"""The overdue ledger and the evaluation table, on hand-built data worked out by hand below.

The clock is frozen at Monday 2026-10-12 10:00 (Asia/Shanghai). National Day: 10-01..10-07 off,
Saturday 10-10 a make-up working day, Sunday 10-11 off. Working days late = days d with
due < d <= 10-12.

    row  kind         owner (organization · person)       due     late                           seen by
    cA   complaint    court (registration not yet done)   09-30   10-08, 09, 10, 12 = 4 wd        alice, bob
    cB   complaint    court · 民一庭 · handler (feedback)  10-09   10-10, 12 = 2 wd                alice, bob
    cC   complaint    federation (review)                 10-08   10-09, 10, 12 = 3 wd            alice only
    i1   action item  court · 审务督查局                   09-30   4 wd                            both
    t1   task         federation · 经济联络部              09-29   09-30, 10-08, 09, 10, 12 = 5 wd both
    m1   mediation    mediation committee · 王调解 (court) 10-05   7 calendar days                  both
Not overdue: cD (registration due today), cE and cF (answered), i2 (due today), i3 (done), i4 (draft),
t2 (done), m2 (due today), m3 (agreement), m4 (withdrawn). In the other mechanism (charlie's): a
complaint under review due 09-30 (4 wd) and an action item of the other court due 09-01 (09-02..09-30:
3 + 5 + 5 + 5 + 3 = 21, then 4 in October: 25 wd); nobody else sees them.

Sorted by owner organization (甲市中级人民法院 < 甲市工商业联合会 < 甲市民营企业商会调解委员会 by code
point: 中 < 工 < 民), then owner ("" first; 审 < 民), then due date.

Evaluation of 2026 (deadline in the year):
    court       complaints (feedback due in 2026): cA, cB, cD, cE (answered 10-09, due 10-10: on time),
                cF (answered 10-09, due 09-30: late) → owned 5, done 2, on time 1, open overdue 2 (cA, cB)
                action items i1 (overdue), i3 (closed 08-30, due 09-01: on time) → 2, 1, 1, 1
                total 7, 3, 2, 3
    federation  action item i2 (due today) → 1, 0, 0, 0; tasks t1 (overdue), t2 (closed 09-02, due 08-31:
                late) → 2, 1, 0, 1; total 3, 1, 0, 1
    committee   mediation m1 (overdue), m2, m3 (in time) → 3, 1, 1, 1 (m4 withdrawn: left out)
    all         13, 5, 3, 5
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from html import unescape
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from cases import services
from cases.durations import refresh_running_deadline
from cases.models import Complaint
from cases.services import FEEDBACK, REGISTRATION, REVIEW
from liaison.models import Deadline, Organization, User
from liaison.workdays import WorkingCalendar
from mediation import services as mediation_services
from mediation.models import MediationCase, MediationOrganisation, Mediator
from meetings.models import ActionItem, DualList, Meeting, Minutes
from reports.ledgers import evaluation_table, overdue_ledger

from ..conftest import login
from ..factories import DepartmentFactory, OrganizationFactory, UserFactory
from .conftest import VALID_CODES

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date
PAGE, EXPORT = "/cases/ledgers/overdue/", "/cases/ledgers/overdue/export.xlsx"
EVALUATION, EVALUATION_EXPORT = "/cases/ledgers/evaluation/", "/cases/ledgers/evaluation/export.xlsx"
API, EVALUATION_API = "/api/v1/ledgers/overdue/", "/api/v1/ledgers/evaluation/"
COURT, FEDERATION, COMMITTEE = "甲市中级人民法院", "甲市工商业联合会", "甲市民营企业商会调解委员会"


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(at(10, 12, 10), tick=False):
        yield


# --- building the data ---------------------------------------------------------------------------


def set_due(complaint: Complaint, kind: str, start: dt.date, due: dt.date) -> None:
    updated = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint), object_id=str(complaint.pk), kind=kind
    ).update(start_date=start, due_date=due)
    assert updated == 1
    refresh_running_deadline(Complaint.objects.filter(pk=complaint.pk))  # the update bypassed the services


def answered(cast, *, due: dt.date, on: dt.datetime) -> Complaint:
    complaint = services.complaint_answer(actor=cast.handler, complaint=cast.assigned(), answer="已依法处理")
    set_due(complaint, FEEDBACK, D(2026, 9, 1), due)
    Complaint.objects.filter(pk=complaint.pk).update(answered_at=on)
    return complaint


@dataclass
class Mediation:
    organisation: MediationOrganisation
    mediator: Mediator
    manager: User

    def case(self, clerk: User, *, due: dt.date, assign: bool = True) -> MediationCase:
        case = mediation_services.case_refer(
            actor=clerk,
            data=mediation_services.CaseData(
                source="delegated",
                organisation=self.organisation,
                court=clerk.organization,
                dispute_type="contracts",
                title="买卖合同货款纠纷",
                description="拖欠货款三十万元，双方同意先行调解。",
                amount=Decimal("300000"),
                parties=[
                    mediation_services.PartyData(role="applicant", name="张三"),
                    mediation_services.PartyData(role="respondent", name="李四"),
                ],
            ),
        )
        if assign:
            mediation_services.case_assign(actor=self.manager, case=case, mediator=self.mediator)
        MediationCase.objects.filter(pk=case.pk).update(referred_at=at(9, 5, 9), due_date=due)
        return case


def mediation_for(world) -> Mediation:
    chamber = OrganizationFactory(name="甲市民营企业商会", kind="chamber", parent=world.federation)
    manager = UserFactory(username="manager", organization=chamber, roles=["mediation_manager"])
    organisation = mediation_services.organisation_register(
        actor=manager, data=mediation_services.OrganisationData(name=COMMITTEE, run_by=chamber)
    )
    mediation_services.organisation_admit(
        actor=world.bob,
        organisation=organisation,
        mechanism=world.mechanism,
        document_number="甲中法〔2025〕12号",
        admitted_on=D(2025, 3, 1),
    )
    mediator = mediation_services.mediator_appoint(
        actor=manager,
        organisation=organisation,
        court=world.court,
        data=mediation_services.MediatorData(
            name="王调解",
            profession="lawyer",
            phone="13903790001",
            term_start=D(2025, 10, 1),
            term_end=D(2027, 9, 30),
            specialties=("contracts",),
        ),
    )
    return Mediation(organisation, mediator, manager)


def holders(world, *, mechanism=None) -> tuple[Minutes, DualList]:
    mechanism = mechanism or world.mechanism
    meeting = Meeting.objects.create(
        mechanism=mechanism,
        kind="joint",
        title="2026年第三季度联席会议",
        status="minutes_approved",
        starts_at=at(7, 10, 9),
        ends_at=at(7, 10, 11),
        place="市法院三楼会议室",
        convenor=world.court,
        created_by=world.bob,
    )
    minutes = Minutes.objects.create(
        mechanism=mechanism,
        meeting=meeting,
        status="approved",
        title="2026年第三季度联席会议纪要",
        summary="研究涉企诉求办理。",
        year=2026,
        sequence=3,
        number="甲纪〔2026〕3号",
        created_by=world.bob,
    )
    dual_list = DualList.objects.create(
        mechanism=mechanism, year=2026, title="2026年府院联动双清单", created_by=world.bob
    )
    return minutes, dual_list


def item(
    holder: Minutes | DualList,
    owner: Organization,
    due: dt.date,
    status: str = "open",
    *,
    title: str,
    department=None,
    closed: dt.datetime | None = None,
) -> ActionItem:
    is_minutes = isinstance(holder, Minutes)
    return ActionItem.objects.create(
        mechanism=holder.mechanism,
        source="minutes" if is_minutes else "dual_list",
        minutes=holder if is_minutes else None,
        dual_list=None if is_minutes else holder,
        title=title,
        owner_organization=owner,
        owner_department=department,
        due_date=due,
        status=status,
        closed_at=closed,
    )


def outsider_rows(world) -> None:
    """In the other mechanism: a complaint in review past its date and an item of the other court."""
    enterprise = services.enterprise_register(
        actor=world.charlie,
        mechanism=world.other_mechanism,
        data=services.EnterpriseData(name="乙区某商贸有限公司", credit_code=VALID_CODES[1], size="large", industry="F"),
    )
    data = services.ComplaintData(
        enterprise=enterprise,
        court=world.other_court,
        kind="enforcement",
        title="乙区执行久拖",
        facts="执行未果。",
        demands="请求推进执行。",
    )
    complaint = services.complaint_create(actor=world.charlie, mechanism=world.other_mechanism, data=data)
    services.complaint_submit(actor=world.charlie, complaint=complaint)
    set_due(complaint, REVIEW, D(2026, 9, 23), D(2026, 9, 30))
    minutes, _dual_list = holders(world, mechanism=world.other_mechanism)
    item(minutes, world.other_court, D(2026, 9, 1), title="乙区督办事项")


@pytest.fixture
def history(cast) -> dict:
    world = cast.world
    c_a = cast.transferred()
    set_due(c_a, REGISTRATION, D(2026, 9, 25), D(2026, 9, 30))
    set_due(c_a, FEEDBACK, D(2026, 9, 25), D(2026, 10, 20))
    c_b = cast.assigned()
    set_due(c_b, FEEDBACK, D(2026, 9, 18), D(2026, 10, 9))
    c_c = cast.to_review()
    set_due(c_c, REVIEW, D(2026, 9, 28), D(2026, 10, 8))
    c_d = cast.transferred()
    set_due(c_d, REGISTRATION, D(2026, 10, 9), D(2026, 10, 12))
    set_due(c_d, FEEDBACK, D(2026, 10, 9), D(2026, 10, 30))
    c_e = answered(cast, due=D(2026, 10, 10), on=at(10, 9, 15))
    c_f = answered(cast, due=D(2026, 9, 30), on=at(10, 9, 16))

    inspection = DepartmentFactory(organization=world.court, name="审务督查局")
    liaison_office = DepartmentFactory(organization=world.federation, name="经济联络部")
    minutes, dual_list = holders(world)
    i1 = item(minutes, world.court, D(2026, 9, 30), title="梳理长期未结涉企案件清单", department=inspection)
    item(minutes, world.federation, D(2026, 10, 12), "in_progress", title="建立月度信息通报制度")
    item(minutes, world.court, D(2026, 9, 1), "done", title="公布涉企案件办理时限", closed=at(8, 30, 17))
    item(minutes, world.court, D(2026, 9, 1), "draft", title="草拟中的事项")
    t1 = item(
        dual_list,
        world.federation,
        D(2026, 9, 29),
        "in_progress",
        title="建立涉企案件绿色通道",
        department=liaison_office,
    )
    item(dual_list, world.federation, D(2026, 8, 31), "done", title="开展法律进企业活动", closed=at(9, 2, 10))

    mediation = mediation_for(world)
    m1 = mediation.case(cast.clerk, due=D(2026, 10, 5))
    mediation.case(cast.clerk, due=D(2026, 10, 12), assign=False)
    m3 = mediation.case(cast.clerk, due=D(2026, 10, 20))
    MediationCase.objects.filter(pk=m3.pk).update(
        status="agreement",
        agreement_text="分期支付货款。",
        closed_at=at(10, 9, 10),
        closed_on=D(2026, 10, 9),
        in_time=True,
        duration_days=34,
    )
    m4 = mediation.case(cast.clerk, due=D(2026, 10, 1))
    MediationCase.objects.filter(pk=m4.pk).update(
        status="withdrawn", withdrawal_reason="当事人撤回。", closed_at=at(9, 20, 10), closed_on=D(2026, 9, 20)
    )
    outsider_rows(world)
    return {
        "cA": c_a,
        "cB": c_b,
        "cC": c_c,
        "cD": c_d,
        "cE": c_e,
        "cF": c_f,
        "i1": i1,
        "t1": t1,
        "m1": m1,
        "mediation": mediation,
        "inspection": inspection,
    }


def shape(ledger) -> list[tuple]:
    return [
        (r.kind, r.pk, r.owner_organization_name, r.owner, r.stage, r.due_date, r.days_overdue, r.day_unit)
        for r in ledger.rows
    ]


def expected_rows(cast, history, *, with_review: bool = True) -> list[tuple]:
    h = history
    rows = [
        ("complaint", h["cA"].pk, COURT, "", "登记", D(2026, 9, 30), 4, "working"),
        ("action_item", h["i1"].pk, COURT, "审务督查局", "待办理", D(2026, 9, 30), 4, "working"),
        ("complaint", h["cB"].pk, COURT, f"民一庭 · {cast.handler.display_name}", "反馈", D(2026, 10, 9), 2, "working"),
        ("complaint", h["cC"].pk, FEDERATION, "", "审核", D(2026, 10, 8), 3, "working"),
        ("task", h["t1"].pk, FEDERATION, "经济联络部", "办理中", D(2026, 9, 29), 5, "working"),
        ("mediation", h["m1"].pk, COMMITTEE, "王调解", "已指派", D(2026, 10, 5), 7, "calendar"),
    ]
    return rows if with_review else [row for row in rows if row[1] != h["cC"].pk or row[0] != "complaint"]


# --- the ledger ----------------------------------------------------------------------------------


def test_it_checks_the_hand_numbers_against_the_calendar(db):
    calendar = WorkingCalendar()
    today = D(2026, 10, 12)
    assert [calendar.working_days_between(D(2026, 9, day), today) for day in (29, 30)] == [5, 4]
    assert [calendar.working_days_between(D(2026, 10, day), today) for day in (8, 9)] == [3, 2]


def test_it_lists_everything_open_past_its_deadline_by_owner(cast, history):
    ledger = overdue_ledger(user=cast.staff)
    assert ledger.today == D(2026, 10, 12)
    assert shape(ledger) == expected_rows(cast, history)
    m1 = ledger.rows[-1]
    assert (m1.court_name, m1.reference, m1.url) == (
        COURT,
        history["m1"].serial,
        f"/mediation/cases/{history['m1'].pk}/",
    )
    i1 = ledger.rows[1]
    assert (i1.reference, i1.title, i1.mechanism_name, i1.url) == (
        "甲纪〔2026〕3号",
        "梳理长期未结涉企案件清单",
        str(cast.world.mechanism),
        f"/meetings/items/{history['i1'].pk}/",
    )
    assert ledger.rows[0].url == f"/cases/complaints/{history['cA'].pk}/"
    assert (ledger.rows[0].kind_label, m1.kind_label, m1.day_unit_label) == ("涉企诉求", "调解案件", "自然日")
    summary = [(s.owner_organization_name, [c.count for c in s.counts], s.total, s.oldest_due) for s in ledger.summary]
    assert summary == [
        (COURT, [2, 1, 0, 0, 0, 0, 0, 0], 3, D(2026, 9, 30)),
        (FEDERATION, [1, 0, 1, 0, 0, 0, 0, 0], 2, D(2026, 9, 29)),
        (COMMITTEE, [0, 0, 0, 1, 0, 0, 0, 0], 1, D(2026, 10, 5)),
    ]
    assert [c.count for c in ledger.totals] == [3, 1, 1, 1, 0, 0, 0, 0]


def test_it_shows_the_court_what_the_court_sees(cast, history):
    # The court does not see a complaint still in the federation's review.
    assert shape(overdue_ledger(user=cast.court_leader)) == expected_rows(cast, history, with_review=False)


def test_it_never_shows_another_organizations_items(cast, history):
    outsider = overdue_ledger(user=cast.world.charlie)
    assert [(r.kind, r.owner_organization_name, r.days_overdue) for r in outsider.rows] == [
        ("action_item", "乙区人民法院", 25),
        ("complaint", "乙区工商业联合会", 4),
    ]
    assert {r.owner_organization_name for r in overdue_ledger(user=cast.staff).rows}.isdisjoint(
        {"乙区人民法院", "乙区工商业联合会"}
    )


def test_it_filters_by_owner_kind_and_mechanism(cast, history):
    world = cast.world
    court_rows = overdue_ledger(user=cast.staff, owner=world.court)
    assert [(r.kind, r.pk) for r in court_rows.rows] == [(row[0], row[1]) for row in expected_rows(cast, history)[:3]]
    committee = Organization.objects.get(name=COMMITTEE)
    assert [r.pk for r in overdue_ledger(user=cast.staff, owner=committee).rows] == [history["m1"].pk]
    assert [r.pk for r in overdue_ledger(user=cast.staff, kind="task").rows] == [history["t1"].pk]
    assert len(overdue_ledger(user=cast.staff, mechanism=world.mechanism).rows) == 6
    assert overdue_ledger(user=cast.staff, mechanism=world.other_mechanism).rows == []


def test_it_agrees_with_the_complaint_lists_overdue_filter(client, api_client, cast, history):
    for user in (cast.staff, cast.court_leader, cast.world.charlie):
        ledger = {r.pk for r in overdue_ledger(user=user, kind="complaint").rows}
        login(client, user)
        page = client.get("/cases/complaints/", {"overdue": "true"})
        assert {c.pk for c in page.context["page"].object_list} == ledger
        login(api_client, user)
        listed = api_client.get("/api/v1/complaints/", {"overdue": "true"}).json()["results"]
        assert {c["id"] for c in listed} == ledger
    assert ledger  # the outsider has one of their own


# --- the page, the export and the API ------------------------------------------------------------


def text_of(response) -> str:
    return unescape(response.content.decode())


def test_it_shows_the_ledger_page(client, cast, history):
    login(client, cast.court_leader)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = text_of(response)
    assert "截至 2026-10-12 已过截止日仍未办结的事项" in html
    summary = html.split('id="summary"', 1)[1].split("</table>", 1)[0]
    assert COURT in summary and FEDERATION in summary and COMMITTEE in summary
    assert '<td class="text-end fw-bold" id="ledger-total">5</td>' in html
    rows = html.split('id="ledger-rows"', 1)[1].split("</table>", 1)[0]
    assert rows.index(COURT) < rows.index(FEDERATION) < rows.index(COMMITTEE)
    assert f'<a href="/meetings/items/{history["i1"].pk}/">梳理长期未结涉企案件清单</a>' in rows
    assert "4 个工作日" in rows and "7 个自然日" in rows
    assert history["cA"].serial in rows and history["cC"].serial not in rows  # the court does not see cC
    assert "data-print" in html and "/static/js/print.js" in html
    assert html.count("d-print-none") >= 3  # the navigation, the buttons and the filters
    assert "<script>" not in html.split("<main", 1)[1]
    assert 'class="dropdown-item active" href="/cases/ledgers/overdue/"' in html  # the menu entry
    assert 'href="/cases/ledgers/evaluation/"' in html


def test_it_exports_the_ledger_to_excel(client, cast, history):
    login(client, cast.staff)
    response = client.get(EXPORT, {"mechanism": cast.world.mechanism.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('逾期台账-20261012.xlsx')}"
    book = load_workbook(io.BytesIO(response.getvalue()))
    assert book.sheetnames == [
        "汇总",
        "涉企诉求",
        "督办事项",
        "双清单任务",
        "调解案件",
        "调研课题节点",
        "司法建议回复",
        "推荐人选决定",
        "法治体检",
    ]
    summary = [list(row) for row in book["汇总"].iter_rows(values_only=True)]
    assert summary[0][0] == "逾期台账（截至 2026-10-12）"
    assert summary[1] == [
        "责任单位",
        "涉企诉求",
        "督办事项",
        "双清单任务",
        "调解案件",
        "调研课题节点",
        "司法建议回复",
        "推荐人选决定",
        "法治体检",
        "合计",
        "最早截止日",
    ]
    assert [row[:10] for row in summary[2:]] == [
        [COURT, 2, 1, 0, 0, 0, 0, 0, 0, 3],
        [FEDERATION, 1, 0, 1, 0, 0, 0, 0, 0, 2],
        [COMMITTEE, 0, 0, 0, 1, 0, 0, 0, 0, 1],
        ["合计", 3, 1, 1, 1, 0, 0, 0, 0, 6],
    ]
    assert summary[2][10].date() == D(2026, 9, 30) and summary[5][10].date() == D(2026, 9, 29)
    complaints = list(book["涉企诉求"].iter_rows(values_only=True))
    assert complaints[0][:10] == (
        "序号",
        "机制",
        "编号或来源",
        "事项",
        "责任单位",
        "责任部门或人员",
        "人民法院",
        "环节或状态",
        "截止日",
        "逾期天数",
    )
    assert [(r[0], r[2], r[4], r[7], r[8].date(), r[9], r[10]) for r in complaints[1:]] == [
        (1, history["cA"].serial, COURT, "登记", D(2026, 9, 30), 4, "工作日"),
        (2, history["cB"].serial, COURT, "反馈", D(2026, 10, 9), 2, "工作日"),
        (3, history["cC"].serial, FEDERATION, "审核", D(2026, 10, 8), 3, "工作日"),
    ]
    assert complaints[1][11] == f"http://testserver/cases/complaints/{history['cA'].pk}/"
    tasks = list(book["双清单任务"].iter_rows(values_only=True))
    assert [(r[3], r[5], r[9]) for r in tasks[1:]] == [("建立涉企案件绿色通道", "经济联络部", 5)]
    mediation = list(book["调解案件"].iter_rows(values_only=True))
    assert [(r[4], r[5], r[6], r[9], r[10]) for r in mediation[1:]] == [(COMMITTEE, "王调解", COURT, 7, "自然日")]


def test_it_serves_the_ledger_over_the_api(api_client, cast, history):
    login(api_client, cast.staff)
    response = api_client.get(API, {"mechanism": cast.world.mechanism.pk})
    assert response.status_code == 200
    body = response.json()
    assert (body["today"], body["mechanism"]) == ("2026-10-12", cast.world.mechanism.pk)
    assert [
        (
            r["kind"],
            r["id"],
            r["owner_organization_name"],
            r["owner"],
            r["stage"],
            r["due_date"],
            r["days_overdue"],
            r["day_unit"],
        )
        for r in body["rows"]
    ] == [
        (kind, pk, org, owner, stage, due.isoformat(), days, unit)
        for kind, pk, org, owner, stage, due, days, unit in expected_rows(cast, history)
    ]
    assert body["rows"][0]["url"] == f"/cases/complaints/{history['cA'].pk}/"
    assert body["summary"][0]["owner_organization"] == cast.world.court.pk
    assert [c["count"] for c in body["summary"][0]["counts"]] == [2, 1, 0, 0, 0, 0, 0, 0]
    assert [c["count"] for c in body["totals"]] == [3, 1, 1, 1, 0, 0, 0, 0]
    assert api_client.get(API, {"kind": "mediation"}).json()["rows"][0]["day_unit_label"] == "自然日"
    assert api_client.get(API).json()["mechanism"] is None


# --- scoping and bad input -----------------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, EXPORT, API, EVALUATION, EVALUATION_EXPORT, EVALUATION_API])
def test_it_answers_404_for_a_mechanism_the_user_does_not_see(client, api_client, cast, history, url):
    web = api_client if url.startswith("/api/") else client
    login(web, cast.world.charlie)
    assert web.get(url, {"mechanism": cast.world.mechanism.pk}).status_code == 404
    assert web.get(url, {"mechanism": cast.world.other_mechanism.pk}).status_code == 200
    login(web, cast.staff)
    assert web.get(url, {"mechanism": cast.world.other_mechanism.pk}).status_code == 404
    assert web.get(url, {"mechanism": 999999}).status_code == 404


@pytest.mark.parametrize("url", [PAGE, EVALUATION])
def test_it_asks_anonymous_visitors_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_names_bad_filters_on_the_page_and_refuses_them_in_the_export(client, cast, history):
    login(client, cast.staff)
    response = client.get(PAGE, {"kind": "meeting", "owner": cast.world.other_court.pk})
    assert response.status_code == 200
    problems = text_of(response).split('id="filter-problems"', 1)[1].split("</div>", 1)[0]
    assert "事项类别：事项类别无效，可选：涉企诉求、督办事项、双清单任务、调解案件、调研课题节点。" in problems
    assert "责任单位：所选责任单位不存在或不在可见范围内。" in problems
    assert len(response.context["ledger"].rows) == 6  # the wrong filters are not used
    export = client.get(EXPORT, {"owner": "abc"})
    assert export.status_code == 400
    assert export.content.decode() == "筛选条件有误：责任单位：所选责任单位不存在或不在可见范围内。"
    year = client.get(EVALUATION, {"year": "1999"})
    assert "年度：年度须在 2000 至 2100 之间。" in text_of(year)
    assert year.context["evaluation"].year == 2026
    assert client.get(EVALUATION_EXPORT, {"year": "二〇二六"}).content.decode() == (
        "筛选条件有误：年度：年度须为四位数字，如 2026。"
    )


def test_it_refuses_bad_filters_over_the_api(api_client, cast, history):
    login(api_client, cast.staff)
    bad = api_client.get(API, {"kind": "meeting", "owner": cast.world.other_court.pk, "mechanism": "x"})
    assert bad.status_code == 400
    assert bad.json() == {
        "kind": [
            "事项类别无效，可选：complaint（涉企诉求）、action_item（督办事项）、task（双清单任务）、"
            "mediation（调解案件）、research_milestone（调研课题节点）。"
        ],
        "owner": ["所选责任单位不存在或不在可见范围内。"],
        "mechanism": ["机制须为数字 ID。"],
    }
    assert api_client.get(EVALUATION_API, {"year": 1999}).json() == {"year": ["年度须在 2000 至 2100 之间。"]}
    assert api_client.get(EVALUATION_API, {"year": "x"}).json() == {"year": ["年度须为四位数字，如 2026。"]}


def test_it_refuses_the_api_to_anonymous_callers(api_client, db):
    assert api_client.get(API).status_code in (401, 403)
    assert api_client.get(EVALUATION_API).status_code in (401, 403)


# --- the evaluation table ------------------------------------------------------------------------


def scores(evaluation) -> dict[str, list[tuple]]:
    return {
        unit.organization_name: [
            (s.kind, s.owned, s.done, s.done_on_time, s.open_overdue) for s in [*unit.scores, unit.total]
        ]
        for unit in evaluation.units
    }


EXPECTED_SCORES = {
    COURT: [("complaint", 5, 2, 1, 2), ("action_item", 2, 1, 1, 1), ("", 7, 3, 2, 3)],
    FEDERATION: [("action_item", 1, 0, 0, 0), ("task", 2, 1, 0, 1), ("", 3, 1, 0, 1)],
    COMMITTEE: [("mediation", 3, 1, 1, 1), ("", 3, 1, 1, 1)],
}


def test_it_evaluates_each_unit_for_the_year(cast, history):
    evaluation = evaluation_table(user=cast.staff, year=2026)
    assert [u.organization_name for u in evaluation.units] == [COURT, FEDERATION, COMMITTEE]
    assert scores(evaluation) == EXPECTED_SCORES
    assert [(s.kind, s.owned, s.done, s.done_on_time, s.open_overdue) for s in evaluation.totals] == [
        ("complaint", 5, 2, 1, 2),
        ("action_item", 3, 1, 1, 1),
        ("task", 2, 1, 0, 1),
        ("mediation", 3, 1, 1, 1),
    ]
    total = evaluation.total
    assert (total.owned, total.done, total.done_on_time, total.open_overdue) == (13, 5, 3, 5)
    court = evaluation.units[0].scores[0]
    assert (court.on_time_share, court.on_time_percent) == (0.2, "20.0%")
    assert evaluation_table(user=cast.staff, year=2025).units == []
    assert scores(evaluation_table(user=cast.court_leader, year=2026)) == EXPECTED_SCORES
    assert scores(evaluation_table(user=cast.staff, year=2026, owner=cast.world.federation)) == {
        FEDERATION: EXPECTED_SCORES[FEDERATION]
    }
    assert scores(evaluation_table(user=cast.world.charlie, year=2026)) == {
        "乙区人民法院": [("action_item", 1, 0, 0, 1), ("", 1, 0, 0, 1)]
    }


def test_it_counts_a_reopened_complaint_as_not_done_until_answered_again(cast, history):
    complaint = Complaint.objects.get(pk=history["cE"].pk)
    services.complaint_reopen(actor=cast.staff, complaint=complaint, reason="答复未回应核心诉求")
    court = scores(evaluation_table(user=cast.staff, year=2026))[COURT][0]
    # cE now owes a new answer (due in 2026, not yet late): still owned, no longer done.
    assert court == ("complaint", 5, 1, 0, 2)


def test_it_shows_and_exports_the_evaluation(client, api_client, cast, history):
    login(client, cast.court_leader)
    response = client.get(EVALUATION, {"year": 2026})
    assert response.status_code == 200
    html = text_of(response)
    assert "2026 年度履职评价表" in html and "截止日在 2026 年内的事项，统计至 2026-10-12" in html
    table = html.split('id="evaluation"', 1)[1].split("</table>", 1)[0]
    assert table.index(COURT) < table.index(FEDERATION) < table.index(COMMITTEE)
    assert "<td>涉企诉求</td>" in table and "20.0%" in table
    total = table.split('id="evaluation-total"', 1)[1].split("</tr>", 1)[0]
    assert [cell.split(">")[-1] for cell in total.split("</td>")[1:6]] == ["13", "5", "3", "23.1%", "5"]
    assert "口径说明" in html and "data-print" in html

    export = client.get(EVALUATION_EXPORT, {"year": 2026})
    assert export["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('履职评价-2026.xlsx')}"
    book = load_workbook(io.BytesIO(export.getvalue()))
    assert book.sheetnames == ["履职评价", "企业满意度", "口径说明"]
    rows = list(book["履职评价"].iter_rows(values_only=True))
    assert rows[0][0] == "2026 年度履职评价表"
    assert rows[1] == ("单位", "事项类别", "应办", "已办结", "按期办结", "按期办结率", "逾期未办结")
    assert rows[2] == (COURT, "涉企诉求", 5, 2, 1, 0.2, 2)
    assert rows[4] == (COURT, "合计", 7, 3, 2, pytest.approx(0.2857), 3)
    assert rows[-1] == ("全部单位", "合计", 13, 5, 3, pytest.approx(0.2308), 5)
    assert book["履职评价"]["F3"].number_format == "0.0%"
    assert len(list(book["口径说明"].iter_rows())) == 5

    login(api_client, cast.court_leader)
    body = api_client.get(EVALUATION_API, {"year": 2026}).json()
    assert body["year"] == 2026 and body["mechanism"] is None
    assert body["units"][0]["organization"] == cast.world.court.pk
    assert body["units"][0]["scores"][0] == {
        "kind": "complaint",
        "label": "涉企诉求",
        "owned": 5,
        "done": 2,
        "done_on_time": 1,
        "on_time_share": 0.2,
        "open_overdue": 2,
    }
    assert body["total"]["owned"] == 13
    assert api_client.get(EVALUATION_API).json()["year"] == 2026  # this year by default


# --- a fixed number of queries -------------------------------------------------------------------


def more_rows(cast, history) -> None:
    """Three more of every kind, with other owners and people."""
    world = cast.world
    minutes = Minutes.objects.get(mechanism=world.mechanism)
    dual_list = DualList.objects.get(mechanism=world.mechanism)
    for n in range(3):
        complaint = cast.assigned()
        set_due(complaint, FEEDBACK, D(2026, 9, 1), D(2026, 9, 20 + n))
        department = DepartmentFactory(organization=world.federation, name=f"部门{n}")
        item(minutes, world.federation, D(2026, 9, 10 + n), title=f"事项{n}", department=department)
        item(dual_list, world.court, D(2026, 9, 10 + n), title=f"任务{n}", department=history["inspection"])
        history["mediation"].case(cast.clerk, due=D(2026, 10, 1 + n))


def count(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


@pytest.fixture
def one_row(cast):
    """A single overdue row (an action item) and the holders the other rows will need."""
    minutes, _dual_list = holders(cast.world)
    item(minutes, cast.world.court, D(2026, 9, 30), title="梳理长期未结涉企案件清单")
    mediation = mediation_for(cast.world)
    return {"mediation": mediation, "inspection": DepartmentFactory(organization=cast.world.court, name="审务督查局")}


@pytest.mark.parametrize("url", [PAGE, EXPORT, API, EVALUATION, EVALUATION_EXPORT, EVALUATION_API])
def test_it_answers_in_a_fixed_number_of_queries(client, api_client, cast, one_row, url):
    web = api_client if url.startswith("/api/") else client
    login(web, cast.court_leader)
    query = {"year": 2026} if "evaluation" in url else {}

    def fetch() -> None:
        assert web.get(url, query).status_code == 200

    fetch()
    few = count(fetch)
    assert len(overdue_ledger(user=cast.court_leader).rows) == 1
    more_rows(cast, one_row)
    assert len(overdue_ledger(user=cast.court_leader).rows) == 13
    assert count(fetch) == few
    ledger_queries = count(lambda: overdue_ledger(user=cast.court_leader))
    # complaints, items and tasks, mediation, research milestones, suggestions, recommendations, check-ups
    assert ledger_queries == 7
    # complaints, items and tasks, mediation, and the courts' satisfaction
    assert count(lambda: evaluation_table(user=cast.court_leader, year=2026)) == 4
