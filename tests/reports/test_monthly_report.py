"""The monthly report: figures of the month, the previous month and the year to date, worked out by hand.

Data: the complaints of `test_figures.history` (clock frozen on Monday 2026-11-23 10:00, Shanghai).
October 2026 is the month; September the previous month; 2026-01-01..10-31 the year to date.

    submitted in October:   c2 (10-08), c3 (10-12 23:30 Shanghai), c5 (10-14)          = 3
    submitted in September: c1 (09-30), c4 (09-01)                                      = 2
    year to date:           c1..c5 and `out` (08-31 23:30)                              = 6
    overdue on 11-23:       c3 (registration due 11-20) → October 1, September 0, change +1
    answered on time:       October c2 late → 0 of 1 = 0.0%; September c1 → 1 of 1 = 100.0%;
                            change −100.0 percentage points; year to date 1 of 2 = 50.0%
    transfer→registration:  October c2 same day = 0.0; September c1 10-09 → 10-12 across the
                            10-10 make-up Saturday = 2.0; change −2.0
    joint meetings required (one a quarter, no founding date): October 1 (Q4), September 1 (Q3),
                            year to date 4 (Q1..Q4 overlap 01-01..10-31)
"""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from liaison.errors import ActionRefused
from liaison.models import AuditEvent, Notification
from reports import monthly, selectors
from reports.choices import ReportKind, ReportState
from reports.models import MonthlyReport, Report
from reports.services import ReportError, report_create, report_withdraw
from reports.tasks import generate_monthly_reports

from ..conftest import login
from ..factories import OrganizationFactory, UserFactory
from .test_figures import _frozen, at, history, stamp  # noqa: F401 - fixtures shared with the figures tests

D = dt.date


def rows_of(figures: dict) -> dict[str, dict]:
    return {row["key"]: row for row in figures["rows"]}


@pytest.fixture
def secretary(world):
    return UserFactory(username="secretary", organization=world.federation, roles=["meeting_secretary"])


@pytest.fixture
def october(cast, history):
    return monthly.generate_monthly_report(mechanism=cast.world.mechanism, year=2026, month=10, actor=cast.court_leader)


def test_it_computes_month_previous_change_and_year_to_date(cast, history):
    figures = monthly.monthly_figures(cast.world.mechanism, 2026, 10)
    rows = rows_of(figures)

    assert (figures["start"], figures["end"], figures["previous_start"], figures["year_start"]) == (
        "2026-10-01",
        "2026-10-31",
        "2026-09-01",
        "2026-01-01",
    )
    submitted = rows["submitted"]
    assert (submitted["month"], submitted["previous"], submitted["change"], submitted["year_to_date"]) == (3, 2, 1, 6)
    overdue = rows["overdue"]
    assert (overdue["month"], overdue["previous"], overdue["change"]) == (1, 0, 1)
    on_time = rows["on_time_share"]
    assert (on_time["month"], on_time["previous"], on_time["change"], on_time["year_to_date"]) == (
        0.0,
        1.0,
        -100.0,
        0.5,
    )
    registration = rows["transfer_to_registration"]
    assert (registration["month"], registration["previous"], registration["change"]) == (0.0, 2.0, -2.0)
    required = rows["joint_meetings_required"]
    assert (required["month"], required["previous"], required["year_to_date"]) == (1, 1, 4)
    # Nothing to divide: no meetings, items or mediation cases.
    assert rows["action_items_on_time"]["month"] is None and rows["action_items_on_time"]["change"] is None
    by_kind = {row["key"]: row for row in figures["breakdowns"][0]["rows"]}
    assert (by_kind["case_handling"]["month"], by_kind["enforcement"]["month"]) == (2, 1)
    assert by_kind["case_handling"]["year_to_date"] == 5


def test_it_prints_each_kind_of_figure():
    assert monthly.display("share", 0.5) == "50.0%"
    assert monthly.display("share", -100.0, signed=True) == "-100.0个百分点"
    assert monthly.display("count", 3, signed=True) == "+3"
    assert monthly.display("workdays", 1.3333) == "1.3"
    assert monthly.display("count", None) == "—"


def test_it_takes_a_fixed_number_of_queries(cast, history):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            monthly.monthly_figures(cast.world.mechanism, 2026, 10)
        return len(captured)

    few = queries()
    for _ in range(3):
        stamp(cast.transferred(), submitted_at=at(10, 20, 9))
    assert rows_of(monthly.monthly_figures(cast.world.mechanism, 2026, 10))["submitted"]["month"] == 6
    assert queries() == few <= 36  # three periods of 4 (+ 1 for satisfaction) + 3 + 1 + 3 (activities)


def test_it_publishes_the_report_for_both_sides(cast, history, secretary, october):
    report = october.report
    assert (report.kind, report.state, report.author_organization) == (
        ReportKind.MONTHLY_FIGURES,
        ReportState.PUBLISHED,
        cast.world.court,
    )
    assert report.title == "甲市法院·工商联机制2026年10月运行情况通报"
    assert "受理企业诉求3件（上月2件，本年累计6件）" in report.body
    for reader in (cast.staff, cast.clerk, cast.court_leader, secretary):
        assert selectors.report_list(user=reader).filter(pk=report.pk).exists()
    assert not selectors.report_list(user=cast.world.charlie).filter(pk=report.pk).exists()
    event = AuditEvent.objects.get(action="monthly_generate", object_id=str(report.pk))
    assert event.actor == cast.court_leader
    # The leaders and secretaries of both parties are told.
    told = set(
        Notification.objects.filter(title__contains="2026年10月运行情况通报").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {cast.court_leader.username, secretary.username}


def test_it_regenerates_a_new_snapshot_of_the_same_report(cast, history, october, secretary):
    stamp(cast.transferred(), submitted_at=at(10, 21, 9))
    again = monthly.generate_monthly_report(mechanism=cast.world.mechanism, year=2026, month=10, actor=secretary)

    assert again.pk == october.pk and again.revision == 2
    assert rows_of(again.figures)["submitted"]["month"] == 4
    assert MonthlyReport.objects.count() == 1
    assert Report.objects.filter(kind=ReportKind.MONTHLY_FIGURES).count() == 1
    assert "受理企业诉求4件" in Report.objects.get(pk=october.report_id).body
    assert AuditEvent.objects.filter(action="monthly_regenerate", object_id=str(october.report_id)).count() == 1


@pytest.mark.parametrize("who", ["staff", "clerk"])
def test_it_refuses_roles_that_do_not_generate(cast, history, who):
    with pytest.raises(ActionRefused) as refused:
        monthly.generate_monthly_report(mechanism=cast.world.mechanism, year=2026, month=10, actor=getattr(cast, who))
    assert refused.value.code == "permission"
    assert "领导或会议秘书" in refused.value.message
    assert not MonthlyReport.objects.exists()


def test_it_refuses_a_leader_of_another_organization(cast, history):
    outsider = UserFactory(username="other_boss", organization=cast.world.other_court, roles=["leader"])
    with pytest.raises(ActionRefused) as refused:
        monthly.generate_monthly_report(mechanism=cast.world.mechanism, year=2026, month=10, actor=outsider)
    assert refused.value.code == "permission"
    higher_court = OrganizationFactory(name="甲省高级人民法院", kind="court", level="province")
    cast.world.court.parent = higher_court
    cast.world.court.save()
    reader = UserFactory(username="province_boss", organization=higher_court, roles=["leader"])
    with pytest.raises(ActionRefused, match="只能查看"):
        monthly.generate_monthly_report(mechanism=cast.world.mechanism, year=2026, month=10, actor=reader)


def test_it_refuses_a_month_that_has_not_ended(cast):
    with pytest.raises(ActionRefused, match="尚未结束") as refused:
        monthly.generate_monthly_report(mechanism=cast.world.mechanism, year=2026, month=11, actor=cast.court_leader)
    assert refused.value.field == "month"
    with pytest.raises(ActionRefused, match="有效的年份和月份"):
        monthly.generate_monthly_report(mechanism=cast.world.mechanism, year=2026, month=13, actor=cast.court_leader)


def test_it_refuses_a_month_before_the_mechanism(cast):
    cast.world.mechanism.founded_on = D(2026, 6, 15)
    cast.world.mechanism.save()
    with pytest.raises(ActionRefused, match="早于机制成立日期"):
        monthly.generate_monthly_report(mechanism=cast.world.mechanism, year=2026, month=5, actor=cast.court_leader)


def test_nobody_writes_or_withdraws_a_monthly_report_by_hand(cast, october):
    with pytest.raises(ReportError, match="由系统根据统计数据生成"):
        report_create(
            mechanism=cast.world.mechanism,
            kind=ReportKind.MONTHLY_FIGURES,
            title="手写月报",
            body="……",
            actor=cast.court_leader,
        )
    with pytest.raises(ReportError, match="由系统根据统计数据生成"):
        report_withdraw(report=october.report, actor=cast.clerk)
    assert Report.objects.get(pk=october.report_id).state == ReportState.PUBLISHED


def test_the_first_working_day_decides_when_the_task_runs(cast, history):
    # October 2026: 1–7 National Day, the 8th (Thursday) is the first working day.
    assert monthly.first_working_day(2026, 10) == D(2026, 10, 8)
    assert monthly.due_months(D(2026, 10, 7)) == []
    due = monthly.due_months(D(2026, 10, 8))
    assert [(m.name, y, mo) for m, y, mo in due] == [("甲市法院·工商联机制", 2026, 9), ("乙区法院·工商联机制", 2026, 9)]
    # January 2026: the 4th, a Sunday, is a make-up working day after New Year.
    assert monthly.first_working_day(2026, 1) == D(2026, 1, 4)


def test_the_beat_task_generates_once_and_catches_up(cast, history):
    with time_machine.travel(dt.datetime(2026, 10, 7, 7, 30, tzinfo=dt.UTC), tick=False):
        assert generate_monthly_reports.delay().get() == 0
    with time_machine.travel(dt.datetime(2026, 10, 9, 0, 30, tzinfo=dt.UTC), tick=False):
        # A day late (the server was down on the 8th): both mechanisms get September's report.
        assert generate_monthly_reports.delay().get() == 2
        assert generate_monthly_reports.delay().get() == 0
    made = MonthlyReport.objects.get(mechanism=cast.world.mechanism)
    assert (made.year, made.month, made.generated_by, made.revision) == (2026, 9, None, 1)
    assert rows_of(made.figures)["submitted"]["month"] == 2
    assert AuditEvent.objects.get(action="monthly_generate", object_id=str(made.report_id)).actor_name == "系统"


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_and_the_excel_show_the_snapshot(client, cast, october):
    login(client, cast.staff)
    pdf = client.get(f"/reports/{october.report_id}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.getvalue()).replace(" ", "").replace("\n", "")
    assert "2026年第10期" in text
    assert "甲市法院·工商联机制2026年10月运行情况通报" in text
    assert "-100.0个百分点" in text and "50.0%" in text

    xlsx = client.get(f"/reports/{october.report_id}/monthly.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.getvalue()))["主要指标"]
    rows = {row[1]: row[2:] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["受理企业诉求（件）"] == (3, 2, 1, 6)
    assert rows["按期反馈率"] == (0.0, 1.0, -100.0, 0.5)


def test_the_detail_page_shows_the_figures_and_regenerate_to_generators(client, cast, october):
    login(client, cast.court_leader)
    page = client.get(f"/reports/{october.report_id}/").content.decode()
    assert 'id="monthly-figures"' in page and 'id="monthly-regenerate"' in page
    assert "-100.0个百分点" in page
    login(client, cast.staff)
    page = client.get(f"/reports/{october.report_id}/").content.decode()
    assert 'id="monthly-figures"' in page and 'id="monthly-regenerate"' not in page
    assert client.post(f"/reports/{october.report_id}/regenerate/").status_code == 302
    assert MonthlyReport.objects.get(pk=october.pk).revision == 1


@pytest.mark.parametrize("path", ["/reports/{pk}/", "/reports/{pk}/pdf/", "/reports/{pk}/monthly.xlsx"])
def test_outsiders_get_404(client, cast, october, path):
    login(client, cast.world.charlie)
    assert client.get(path.format(pk=october.report_id)).status_code == 404


def test_the_monthly_page_generates_on_demand_and_says_what_is_wrong(client, cast, history):
    login(client, cast.court_leader)
    page = client.get("/reports/monthly/")
    assert page.status_code == 200 and 'id="monthly-generate"' in page.content.decode()
    bad = client.post("/reports/monthly/", {"mechanism": cast.world.mechanism.pk, "month": "2026/13"})
    assert "请按“年-月”填写月份" in bad.content.decode()
    early = client.post("/reports/monthly/", {"mechanism": cast.world.mechanism.pk, "month": "2026-11"})
    assert "尚未结束" in early.content.decode()
    assert not MonthlyReport.objects.exists()
    made = client.post("/reports/monthly/", {"mechanism": cast.world.mechanism.pk, "month": "2026-10"})
    report = MonthlyReport.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/reports/{report.report_id}/"
    listed = client.get("/reports/monthly/").content.decode()
    assert "2026-10" in listed
    # Federation staff read the list but get no form; posting is refused.
    login(client, cast.staff)
    assert 'id="monthly-generate"' not in client.get("/reports/monthly/").content.decode()
    assert (
        client.post("/reports/monthly/", {"mechanism": cast.world.mechanism.pk, "month": "2026-09"}).status_code == 404
    )


def test_the_monthly_list_takes_a_fixed_number_of_queries(client, cast, history, django_assert_max_num_queries):
    login(client, cast.court_leader)
    monthly.generate_monthly_report(mechanism=cast.world.mechanism, year=2026, month=10, actor=cast.court_leader)
    with CaptureQueriesContext(connection) as one:
        client.get("/reports/monthly/")
    for month in (7, 8, 9):
        monthly.generate_monthly_report(mechanism=cast.world.mechanism, year=2026, month=month, actor=cast.court_leader)
    with CaptureQueriesContext(connection) as four:
        assert client.get("/reports/monthly/").content.decode().count("/monthly.xlsx") == 4
    assert len(four) == len(one)


def test_the_api_lists_shows_and_generates(api_client, cast, history):
    login(api_client, cast.court_leader)
    made = api_client.post(
        "/api/v1/monthly-reports/generate/",
        {"mechanism": cast.world.mechanism.pk, "year": 2026, "month": 10},
        format="json",
    )
    assert made.status_code == 200
    body = made.json()
    assert (body["year"], body["month"], body["revision"]) == (2026, 10, 1)
    submitted = next(row for row in body["rows"] if row["key"] == "submitted")
    assert (submitted["month"], submitted["previous"], submitted["change"], submitted["year_to_date"]) == (3, 2, 1, 6)
    assert body["pdf_url"] == f"/reports/{body['report']}/pdf/"

    login(api_client, cast.staff)
    listed = api_client.get("/api/v1/monthly-reports/", {"year": 2026}).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    refused = api_client.post(
        "/api/v1/monthly-reports/generate/",
        {"mechanism": cast.world.mechanism.pk, "year": 2026, "month": 9},
        format="json",
    )
    assert refused.status_code == 403 and "领导或会议秘书" in refused.json()["detail"]

    login(api_client, cast.court_leader)
    early = api_client.post(
        "/api/v1/monthly-reports/generate/",
        {"mechanism": cast.world.mechanism.pk, "year": 2026, "month": 11},
        format="json",
    )
    assert early.status_code == 400 and "尚未结束" in early.json()["detail"]
    invalid = api_client.post(
        "/api/v1/monthly-reports/generate/",
        {"mechanism": cast.world.mechanism.pk, "year": 2026, "month": 0},
        format="json",
    )
    assert invalid.status_code == 400 and "month" in invalid.json()
    hidden = api_client.post(
        "/api/v1/monthly-reports/generate/",
        {"mechanism": cast.world.other_mechanism.pk, "year": 2026, "month": 10},
        format="json",
    )
    assert hidden.status_code == 404
    login(api_client, cast.world.charlie)
    assert api_client.get(f"/api/v1/monthly-reports/{body['id']}/").status_code == 404


def test_the_demo_publishes_last_months_report_of_each_mechanism(db):
    from liaison.demo import loader
    from liaison.models import Mechanism

    loader.load()  # the clock stands on 2026-11-23: October's reports
    made = MonthlyReport.objects.filter(year=2026, month=10)
    assert made.count() == Mechanism.objects.count() > 1
    assert all(m.report.state == ReportState.PUBLISHED for m in made.select_related("report"))
    loader.load()
    assert MonthlyReport.objects.filter(revision__gt=1).count() == 0


def test_the_timeline_names_the_generation_in_words(client, cast, october):
    monthly.generate_monthly_report(mechanism=cast.world.mechanism, year=2026, month=10, actor=cast.court_leader)
    page = login(client, cast.staff).get(f"/reports/{october.report_id}/").content.decode()
    assert "生成月度通报" in page and "重新生成月度通报" in page and "monthly_generate" not in page
