"""The mediation pages: roster with filters, Excel and PDF; cases with ranking and actions; figures; scoping."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from liaison import deadlines
from liaison.models import AuditEvent
from mediation import services
from mediation.models import MediationCase, Mediator

from ..conftest import login


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the roster ----------------------------------------------------------------------------------


def test_the_roster_shows_mediators_with_figures_and_masks_phones_for_others(roster, client):
    roster.appoint(
        "李调解",
        organisation=roster.other_organisation,
        specialties=("labour",),
        takes_paid=True,
        fee_standard="每件800元",
    )
    roster.agreed()
    manager = text_of(login(client, roster.manager).get("/mediation/roster/"))
    assert "王调解" in manager and "李调解" in manager and "每件800元" in manager
    assert "13903790001" in manager  # the organisation side sees its own and the court's roster in full
    assert "100%" in manager  # 王调解's success rate
    federation = text_of(login(client, roster.world.alice).get("/mediation/roster/"))
    assert "王调解" in federation and "139****0001" in federation and "13903790001" not in federation


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("specialty=labour", ["李调解"], ["王调解"]),
        ("status=suspended", ["赵调解"], ["王调解", "李调解"]),
        ("term_ending=30", ["钱调解"], ["王调解", "李调解"]),
        ("q=王", ["王调解"], ["李调解"]),
    ],
)
def test_the_roster_filters(roster, client, query, shown, hidden):
    roster.appoint("李调解", organisation=roster.other_organisation, specialties=("labour",))
    services.mediator_suspend(actor=roster.manager, mediator=roster.appoint("赵调解"), reason="请假")
    roster.appoint("钱调解", term_end=deadlines.today() + dt.timedelta(days=20))
    page = text_of(login(client, roster.clerk).get(f"/mediation/roster/?{query}"))
    for name in shown:
        assert f">{name}</a>" in page
    for name in hidden:
        assert f">{name}</a>" not in page


def test_the_roster_filters_by_organisation(roster, client):
    roster.appoint("李调解", organisation=roster.other_organisation)
    page = text_of(login(client, roster.clerk).get(f"/mediation/roster/?organisation={roster.other_organisation.pk}"))
    assert ">李调解</a>" in page and ">王调解</a>" not in page


def test_the_roster_exports_the_filtered_rows_to_excel(roster, client):
    roster.appoint("李调解", organisation=roster.other_organisation, specialties=("labour",))
    response = login(client, roster.world.alice).get("/mediation/roster/export.xlsx?specialty=contracts")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "聘任法院", "调解组织") and "成功率" in rows[0]
    assert [r[0] for r in rows[1:]] == ["王调解"]
    assert rows[1][7] == "139****0001"  # masked for the federation


def test_the_printed_roster_names_every_mediator(roster, client):
    for name in ("李明远", "欧阳静"):
        roster.appoint(name, organisation=roster.other_organisation)
    response = login(client, roster.clerk).get(f"/mediation/roster/roster.pdf?court={roster.world.court.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.getvalue())).pages)
    assert "甲市中级人民法院" in text and "特邀调解员名册" in text
    for name in ("王调解", "李明远", "欧阳静"):
        assert name in text
    assert "13903790001" not in text  # the printed roster carries no phone numbers


def test_a_mediators_page_and_its_status_actions(roster, client):
    mediator = roster.mediators["王调解"]
    login(client, roster.clerk)
    page = text_of(client.get(f"/mediation/mediators/{mediator.pk}/"))
    assert "名册维护" in page and 'id="action-suspend"' in page
    response = client.post(f"/mediation/mediators/{mediator.pk}/act/suspend/", {"suspend-reason": ""})
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    response = client.post(f"/mediation/mediators/{mediator.pk}/act/suspend/", {"suspend-reason": "病假"}, follow=True)
    assert "已暂停该调解员。" in text_of(response)
    mediator.refresh_from_db()
    assert mediator.status == "suspended"
    federation = text_of(login(client, roster.world.alice).get(f"/mediation/mediators/{mediator.pk}/"))
    assert "名册维护" not in federation


def test_appointing_through_the_form_keeps_the_input_on_a_refusal(roster, client):
    login(client, roster.manager)
    admission = roster.organisation.admissions.get()
    form = {
        "admission": admission.pk,
        "name": "周律师",
        "profession": "lawyer",
        "specialties": ["contracts", "ip"],
        "languages": "普通话",
        "phone": "13903799999",
        "term_start": "2026-01-01",
        "term_end": "2025-12-31",
        "training_record": "2026年培训",
        "fee_standard": "每件500元",
    }
    response = client.post("/mediation/mediators/new/", form)
    page = response.content.decode()
    assert response.status_code == 200 and "选择一个有效的选项" in page  # "ip" is not a specialty
    form["specialties"] = ["contracts", "intellectual_property"]
    page = text_of(client.post("/mediation/mediators/new/", form))
    assert "任期届满日期须晚于开始日期" in page and 'value="周律师"' in page and "2026年培训" in page
    form["term_end"] = "2028-12-31"
    page = text_of(client.post("/mediation/mediators/new/", form))
    assert "未承接有偿调解的，不填写收费标准" in page and 'value="每件500元"' in page
    form["takes_paid"] = "on"
    response = client.post("/mediation/mediators/new/", form)
    mediator = Mediator.objects.get(name="周律师")
    assert response.status_code == 302 and response["Location"] == f"/mediation/mediators/{mediator.pk}/"
    assert mediator.fee_standard == "每件500元"


# --- cases ---------------------------------------------------------------------------------------


def test_the_case_list_shows_queues_and_the_limit_in_calendar_days(roster, client, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    referred = roster.refer(title="货款纠纷甲")
    assigned = roster.assigned(title="货款纠纷乙")
    time_machine.move_to("2026-11-27 09:00 +08:00", tick=False)
    page = text_of(login(client, roster.manager).get("/mediation/cases/"))
    assert referred.serial in page and assigned.serial in page and "剩余 5 天" in page
    assert ">待指派</a>" in page and ">待接受</a>" in page
    queue = text_of(client.get("/mediation/cases/?queue=to_assign"))
    assert referred.serial in queue and assigned.serial not in queue
    mine = text_of(login(client, roster.user_for("王调解")).get("/mediation/cases/?queue=mine"))
    assert assigned.serial in mine and referred.serial not in mine
    time_machine.move_to("2026-12-05 09:00 +08:00", tick=False)
    login(client, roster.manager)
    assert "已超期 3 天" in text_of(client.get("/mediation/cases/?queue=overdue"))


def test_the_detail_ranks_mediators_and_shows_why_others_are_out(roster, client):
    roster.appoint("李调解", organisation=roster.other_organisation, specialties=("contracts",))
    member = roster.enterprise("甲市某机械有限公司", chambers=(roster.chamber,))
    case = roster.refer(applicant=member)
    page = text_of(login(client, roster.manager).get(f"/mediation/cases/{case.pk}/"))
    assert 'id="ranking"' in page and ">李调解</a>" in page
    assert (
        "王调解</strong>（甲市民营企业商会调解委员会）：所在调解组织“甲市民营企业商会调解委员会”由当事人“甲市某机械有限公司”所属的商会"
        in page
    )
    refused = client.post(f"/mediation/cases/{case.pk}/act/assign/", {"assign-mediator": roster.mediators["王调解"].pk})
    assert refused.status_code == 400 and "不能指派王调解" in refused.content.decode()
    response = client.post(
        f"/mediation/cases/{case.pk}/act/assign/", {"assign-mediator": roster.mediators["李调解"].pk}, follow=True
    )
    assert "已指派调解员，等待其接受。" in text_of(response)
    case.refresh_from_db()
    assert case.status == "assigned" and case.mediator.name == "李调解"
    # The court reads the case but gets no ranking and no assignment.
    court = text_of(login(client, roster.clerk).get(f"/mediation/cases/{case.pk}/"))
    assert 'id="ranking"' not in court and "139****5678" not in court


def test_the_mediator_works_the_case_from_the_page(roster, client):
    case = roster.assigned()
    login(client, roster.user_for("王调解"))
    assert "已接受指派，请安排调解。" in text_of(client.post(f"/mediation/cases/{case.pk}/act/accept/", follow=True))
    response = client.post(
        f"/mediation/cases/{case.pk}/act/session/",
        {
            "session-scheduled_at": "2026-12-01T09:30",
            "session-place": "",
            "session-online_link": "ftp://x",
            "session-notes": "第一次调解",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "在线调解链接须是以 https:// 或 http:// 开头的网址" in page
    assert "第一次调解" in page  # nothing typed is lost
    client.post(
        f"/mediation/cases/{case.pk}/act/session/",
        {
            "session-scheduled_at": "2026-12-01T09:30",
            "session-online_link": "https://tiaojie.court.gov.cn/r/1",
            "session-notes": "第一次调解",
        },
    )
    case.refresh_from_db()
    assert case.status == "in_progress" and case.sessions.count() == 1
    response = client.post(
        f"/mediation/cases/{case.pk}/act/agree/", {"agree-agreement_text": "", "agree-agreement_amount": "100"}
    )
    assert response.status_code == 400 and "请检查“达成调解协议”表单中的内容。" in response.content.decode()
    client.post(
        f"/mediation/cases/{case.pk}/act/agree/", {"agree-agreement_text": "分期付款", "agree-agreement_amount": "100"}
    )
    case.refresh_from_db()
    assert case.status == "agreement"


def test_a_refusal_from_the_wrong_state_is_shown_as_a_message(roster, client):
    case = roster.accepted()
    login(client, roster.user_for("王调解"))
    response = client.post(f"/mediation/cases/{case.pk}/act/accept/", follow=True)
    assert "当前状态为“已接受”，不能再“接受指派”" in text_of(response)


def test_registering_a_case_through_the_form(roster, client):
    login(client, roster.clerk)
    admission = roster.organisation.admissions.get()
    form = {
        "admission": admission.pk,
        "source": "entrusted",
        "case_number": "",
        "dispute_type": "contracts",
        "title": "承揽合同纠纷",
        "description": "加工款未付。",
        "amount": "80000",
        "parties-TOTAL_FORMS": "4",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "4",
        "parties-MAX_NUM_FORMS": "8",
        "parties-0-role": "applicant",
        "parties-0-name": "甲公司",
        "parties-0-phone": "13912345678",
        "parties-1-role": "applicant",
        "parties-2-role": "respondent",
        "parties-2-name": "乙公司",
        "parties-3-role": "respondent",
    }
    page = text_of(client.post("/mediation/cases/new/", form))
    assert "请填写案号" in page and 'value="承揽合同纠纷"' in page and 'value="甲公司"' in page
    form["case_number"] = "（2026）甲01民初7号"
    page = text_of(client.post("/mediation/cases/new/", form))
    assert "案号格式不正确" in page
    form["case_number"] = "（2026）豫03民初7号"
    response = client.post("/mediation/cases/new/", form)
    case = MediationCase.objects.get(title="承揽合同纠纷")
    assert response.status_code == 302 and response["Location"] == f"/mediation/cases/{case.pk}/"
    assert case.time_limit_days == 15 and [p.name for p in case.parties.order_by("role")] == ["甲公司", "乙公司"]


def test_registering_without_a_respondent_keeps_the_input(roster, client):
    login(client, roster.clerk)
    form = {
        "admission": roster.organisation.admissions.get().pk,
        "source": "delegated",
        "dispute_type": "finance",
        "title": "借款纠纷",
        "description": "借款到期未还。",
        "parties-TOTAL_FORMS": "4",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "4",
        "parties-MAX_NUM_FORMS": "8",
        "parties-0-role": "applicant",
        "parties-0-name": "王某",
        "parties-1-role": "applicant",
        "parties-2-role": "respondent",
        "parties-3-role": "respondent",
    }
    page = text_of(client.post("/mediation/cases/new/", form))
    assert "请至少填写一位申请人和一位被申请人" in page and 'value="王某"' in page
    assert not MediationCase.objects.exists()


def test_the_case_ledger_exports_to_excel(roster, client):
    roster.agreed()
    roster.refer(title="第二件")
    response = login(client, roster.world.alice).get("/mediation/cases/export.xlsx?status=agreement")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) == 2 and rows[1][11] == "达成协议"
    assert "139****5678" in rows[1][5]


def test_the_figures_page_and_its_workbook(roster, client, time_machine):
    time_machine.move_to("2026-10-10 09:00 +08:00", tick=False)
    roster.agreed(title="十月调解成功")
    failed = roster.in_progress(title="十月调解不成")
    time_machine.move_to("2026-11-20 09:00 +08:00", tick=False)  # 41 days later: after the 30-day limit
    services.case_record_failure(actor=roster.user_for("王调解"), case=failed, reason="分歧大")
    page = text_of(login(client, roster.clerk).get("/mediation/figures/"))
    assert "2026-10" in page and "2026-11" in page and "50%" in page
    response = client.get("/mediation/figures/export.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    assert workbook.sheetnames == ["按调解员", "按调解组织", "按法院和月份"]
    [header, row] = list(workbook["按调解员"].iter_rows(values_only=True))
    assert row[:6] == ("王调解", "甲市中级人民法院 · 甲市民营企业商会调解委员会", 2, 0, 2, 1)
    assert row[6] == "50%" and row[7] == "20.5" and row[9] == "50%"


# --- scoping ------------------------------------------------------------------------------------


def _urls(roster) -> list[str]:
    case = roster.agreed()
    mediator = roster.mediators["王调解"]
    organisation = roster.organisation
    return [
        f"/mediation/cases/{case.pk}/",
        f"/mediation/mediators/{mediator.pk}/",
        f"/mediation/mediators/{mediator.pk}/edit/",
        f"/mediation/organisations/{organisation.pk}/",
    ], [
        f"/mediation/cases/{case.pk}/act/request_confirmation/",
        f"/mediation/cases/{case.pk}/act/withdraw/",
        f"/mediation/mediators/{mediator.pk}/act/suspend/",
        f"/mediation/mediators/{mediator.pk}/act/link/",
        f"/mediation/organisations/{organisation.pk}/admit/",
    ]


def test_an_outsider_finds_nothing_and_changes_nothing(roster, client):
    pages, posts = _urls(roster)
    events = AuditEvent.objects.count()
    login(client, roster.world.charlie)
    for url in pages:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"withdraw-reason": "x", "suspend-reason": "x"}).status_code == 404, url
    assert AuditEvent.objects.count() == events
    for url in ["/mediation/roster/", "/mediation/cases/", "/mediation/organisations/", "/mediation/figures/"]:
        page = text_of(client.get(url))
        assert "王调解" not in page and "甲市民营企业商会调解委员会" not in page, url
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/mediation/roster/export.xlsx").getvalue())).active
    assert sheet.max_row == 1
    login(client, roster.world.alice)  # the federation of the mechanism reads them
    for url in pages:
        assert client.get(url).status_code in (200, 302), url


def test_another_chambers_manager_reads_the_courts_roster_but_not_the_other_organisations_cases(roster, client):
    own = roster.appoint("李调解", organisation=roster.other_organisation)
    login(client, roster.other_manager)
    assert client.get(f"/mediation/mediators/{own.pk}/").status_code == 200
    page = text_of(client.get(f"/mediation/mediators/{roster.mediators['王调解'].pk}/"))
    assert "139****0001" in page and "名册维护" not in page  # the court's roster, read-only and masked
    assert client.get(f"/mediation/cases/{roster.refer().pk}/").status_code == 404
    assert client.get(f"/mediation/organisations/{roster.organisation.pk}/").status_code == 200


def test_a_mediator_of_another_organisation_reads_the_case_assigned_to_them(roster, client):
    roster.appoint("李调解", organisation=roster.other_organisation)
    case = roster.assigned("李调解")
    other_case = roster.refer(title="别的案件")
    login(client, roster.user_for("李调解"))
    assert client.get(f"/mediation/cases/{case.pk}/").status_code == 200
    assert client.get(f"/mediation/cases/{other_case.pk}/").status_code == 404


# --- query counts ---------------------------------------------------------------------------------


def _grow(roster, n: int) -> None:
    for i in range(n):
        roster.appoint(f"调解员{roster._counter[0]}", specialties=("contracts", "finance"))
        roster.refer(title=f"纠纷{roster._counter[0]}-{i}")
    case = roster.refer(title=f"纠纷x{roster._counter[0]}")
    services.case_assign(actor=roster.manager, case=case, mediator=roster.mediators["王调解"])


@pytest.mark.parametrize(
    "user, url",
    [
        ("manager", "/mediation/roster/"),
        ("clerk", "/mediation/roster/?specialty=contracts&status=active"),
        ("manager", "/mediation/cases/"),
        ("clerk", "/mediation/cases/?queue=due_soon&ordering=due"),
        ("manager", "/mediation/organisations/"),
        ("clerk", "/mediation/figures/"),
        ("clerk", "/mediation/roster/export.xlsx"),
        ("clerk", "/mediation/cases/export.xlsx"),
    ],
)
def test_lists_use_a_fixed_number_of_queries(roster, client, django_assert_max_num_queries, user, url):
    _grow(roster, 2)
    login(client, getattr(roster, user))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    expected = len(few.captured_queries)  # before the next request resets the log
    _grow(roster, 8)
    client.get(url)  # new organizations changed the scope: read once more (`liaison.scope_token`)
    with django_assert_max_num_queries(expected):
        assert client.get(url).status_code == 200


def test_the_home_page_shows_the_mediation_panels(roster, client):
    case = roster.refer(title="首页上的纠纷")
    page = text_of(login(client, roster.manager).get("/"))
    assert "待指派的调解案件（1）" in page and case.serial in page
    services.case_assign(actor=roster.manager, case=case, mediator=roster.mediators["王调解"])
    assert "我调解的案件（1）" in text_of(login(client, roster.user_for("王调解")).get("/"))


def test_session_time_is_shown_in_local_time(roster, client):
    case = roster.accepted()
    services.session_add(
        actor=roster.user_for("王调解"),
        case=case,
        place="调解室",
        scheduled_at=timezone.make_aware(dt.datetime(2026, 12, 1, 9, 30)),
    )
    assert "2026-12-01 09:30" in text_of(login(client, roster.manager).get(f"/mediation/cases/{case.pk}/"))


def test_the_court_clerk_sees_its_panels(roster, client):
    case = roster.agreed(title="待确认的协议")
    services.confirmation_request(actor=roster.manager, case=case)
    failed = roster.in_progress(title="调解不成的纠纷")
    services.case_record_failure(actor=roster.user_for("王调解"), case=failed, reason="分歧大")
    page = text_of(login(client, roster.clerk).get("/"))
    assert "待审查的司法确认申请（1）" in page and case.serial in page
    assert "调解不成待立案（1）" in page and failed.serial in page


def test_the_case_list_filters_by_mechanism_and_referral_date(roster, client, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    early = roster.refer(title="货款纠纷甲")
    time_machine.move_to("2026-11-10 09:00 +08:00", tick=False)
    late = roster.refer(title="货款纠纷乙")
    login(client, roster.world.bob)
    mechanism = roster.world.mechanism.pk
    listed = client.get(
        "/mediation/cases/", {"mechanism": mechanism, "referred_from": "2026-11-05", "referred_to": "2026-11-30"}
    )
    assert [c.pk for c in listed.context["page"]] == [late.pk]
    assert early.serial not in text_of(listed)
    # Not a mechanism the clerk sees: the filter refuses it (and the list stays within the clerk's scope).
    other = client.get("/mediation/cases/", {"mechanism": roster.world.other_mechanism.pk})
    assert "mechanism" in other.context["filter"].form.errors


def test_amounts_read_with_thousands_separators_on_the_page_and_in_the_ledger(roster, client):
    case = roster.agreed()
    MediationCase.objects.filter(pk=case.pk).update(amount=1234567, agreement_amount=1000000)
    page = text_of(login(client, roster.world.alice).get(f"/mediation/cases/{case.pk}/"))
    assert "1,234,567.00" in page and "1,000,000.00" in page
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/mediation/cases/export.xlsx").getvalue()))
    row = next(r for r in workbook.active.iter_rows(min_row=2) if r[0].value == case.serial)
    assert (row[7].value, row[7].number_format) == (1234567, "#,##0.00")
    assert (row[19].value, row[19].number_format) == (1000000, "#,##0.00")
