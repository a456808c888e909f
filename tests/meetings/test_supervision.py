"""Action items and dual-list tasks: progress, closing by the secretary side, reminders with escalation,
the dual list imported from Excel and approved at a plenary."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison import reminders
from liaison.choices import DeadlineState
from liaison.errors import ActionRefused
from liaison.models import Deadline, Notification
from meetings import exports, imports, selectors, services
from meetings.choices import DualListStatus, ItemState, ItemStatus
from meetings.models import ActionItem, ProgressReport

from ..factories import UserFactory
from .conftest import at

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def item(cast) -> ActionItem:
    return cast.issued().action_items.get()


# --- progress and closing ----------------------------------------------------------------------------


def test_the_owner_reports_progress_with_files(cast, item):
    upload = SimpleUploadedFile("清单.pdf", PDF_BYTES, content_type="application/pdf")
    from liaison.attachments import validate_files

    report = services.item_report_progress(
        actor=cast.world.bob, item=item, text="已梳理出 12 件长期未结案件。", files=validate_files([upload])
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS and report.organization == cast.world.court
    from liaison.attachments import attachments_of

    assert [a.original_name for a in attachments_of(report)] == ["清单.pdf"]


def test_only_the_owner_reports_progress(cast, item):
    with pytest.raises(ActionRefused) as refused:
        services.item_report_progress(actor=cast.world.alice, item=item, text="我来报告")
    assert refused.value.code == ActionRefused.PERMISSION and "只有责任单位可以报告进展" in refused.value.message
    with pytest.raises(ActionRefused) as refused:
        services.item_report_progress(actor=cast.world.bob, item=item, text="  ")
    assert "请填写进展情况" in refused.value.message
    assert not ProgressReport.objects.exists()


def test_reporting_completion_asks_the_secretary_to_close(cast, item):
    services.item_report_progress(actor=cast.world.bob, item=item, text="已全部完成。", completed=True)
    item.refresh_from_db()
    assert item.completion_reported_at and item.status == ItemStatus.IN_PROGRESS  # not done until closed
    assert Notification.objects.filter(recipient=cast.secretary, title__contains="请核实办结").exists()


def test_only_the_secretary_side_closes_an_item(cast, item):
    with pytest.raises(ActionRefused) as refused:
        services.item_close(actor=cast.world.bob, item=item)
    assert refused.value.code == ActionRefused.PERMISSION and "办结督办事项" in refused.value.message
    services.item_close(actor=cast.secretary, item=item, note="经核实已完成")
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.closed_by == cast.secretary
    assert Deadline.objects.get(object_id=str(item.pk), kind=services.ITEM_DEADLINE).state == DeadlineState.MET
    with pytest.raises(ActionRefused) as refused:
        services.item_close(actor=cast.secretary, item=item)
    assert refused.value.code == ActionRefused.STATE and "已办结" in refused.value.message
    with pytest.raises(ActionRefused) as refused:
        services.item_report_progress(actor=cast.world.bob, item=item, text="补充")
    assert refused.value.code == ActionRefused.STATE


def test_a_draft_item_is_not_worked_on(cast):
    item = cast.minutes().action_items.get()
    with pytest.raises(ActionRefused) as refused:
        services.item_close(actor=cast.secretary, item=item)
    assert "草拟" in refused.value.message


def test_reminders_before_on_and_after_the_deadline_with_leaders_when_overdue(cast, item, time_machine):
    owner = cast.world.bob  # the court's liaison officer answers for the court's items
    time_machine.move_to("2026-04-27 08:00 +08:00", tick=False)  # three working days before 30 April
    reminders.sweep()
    assert Notification.objects.filter(recipient=owner, kind="due_soon", title__startswith="督办事项还剩").exists()
    time_machine.move_to("2026-04-30 08:00 +08:00", tick=False)
    reminders.sweep()
    assert Notification.objects.filter(recipient=owner, kind="due_today").exists()
    time_machine.move_to("2026-05-06 08:00 +08:00", tick=False)
    reminders.sweep()
    overdue = Notification.objects.filter(kind="overdue", title__startswith="督办事项已逾期")
    assert set(overdue.values_list("recipient__username", flat=True)) == {"bob", "court_boss"}
    before = Notification.objects.count()
    reminders.sweep()
    assert Notification.objects.count() == before


def test_an_open_item_past_its_date_shows_as_overdue(cast, item, time_machine):
    time_machine.move_to("2026-05-06 08:00 +08:00", tick=False)
    [row] = selectors.supervision_list(user=cast.secretary)
    assert row.state == ItemState.OVERDUE
    services.item_close(actor=cast.secretary, item=item)
    assert not selectors.supervision_list(user=cast.secretary).exists()
    assert selectors.item_list(user=cast.secretary).get().state == ItemState.DONE


def test_overdue_items_come_first(cast, time_machine):
    minutes = cast.issued()
    time_machine.move_to("2026-04-01 08:00 +08:00", tick=False)
    later = cast.issued(title="第二次", starts_at=at("2026-04-01"), ends_at=at("2026-04-01", 11))
    time_machine.move_to("2026-05-06 08:00 +08:00", tick=False)
    rows = list(selectors.supervision_list(user=cast.secretary))
    assert [r.state for r in rows] == [ItemState.OVERDUE, ItemState.OVERDUE]
    assert {r.minutes_id for r in rows} == {minutes.pk, later.pk}


# --- the dual list ----------------------------------------------------------------------------------


def workbook(rows: list[list], headers: list[str] | None = None) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers or exports.DUAL_LIST_HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "双清单.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


GOOD_ROWS = [
    [
        1,
        "全面落实行政执法责任制",
        "甲市中级人民法院",
        "审务督查局",
        "区司法局、区人民法院",
        "出庭应诉率100%",
        dt.date(2026, 12, 31),
    ],
    [2, "健全企业破产预警机制", "甲市工商业联合会", None, "区工信局", "", "2026年6月底"],
]


def test_it_imports_a_dual_list_and_approves_it_at_a_plenary(cast):
    dual_list = services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2026)
    assert "2026年“双清单”" in dual_list.title
    rows = imports.parse_dual_list(workbook(GOOD_ROWS), cast.world.mechanism)
    # "区工信局" and the other responsible units are not in the portal yet: created as departments of the lead unit once confirmed.
    assert ("甲市工商业联合会", "区工信局") in [(d.organization.name, d.name) for d in rows.missing_departments]
    with pytest.raises(ActionRefused) as refused:
        services.dual_list_replace_tasks(actor=cast.secretary, dual_list=dual_list, rows=rows)
    assert "以下部门尚未建立：" in refused.value.message and "甲市工商业联合会·区工信局" in refused.value.message
    assert not dual_list.tasks.exists()
    tasks = services.dual_list_replace_tasks(
        actor=cast.secretary, dual_list=dual_list, rows=rows, create_departments=True
    )
    assert tasks[1].owners.get(role="responsible").department.name == "区工信局"
    assert [t.due_date for t in tasks] == [dt.date(2026, 12, 31), dt.date(2026, 6, 30)]
    assert tasks[0].owner_department == cast.department and tasks[1].responsible_units == "区工信局"
    joint = cast.held(title="联席会议")
    with pytest.raises(ActionRefused) as refused:
        services.dual_list_approve(actor=cast.secretary, dual_list=dual_list, meeting=joint)
    assert "须经本机制的全体会议审定" in refused.value.message
    plenary = cast.held(kind="plenary", title="2026年全体会议")
    services.dual_list_approve(actor=cast.secretary, dual_list=dual_list, meeting=plenary)
    dual_list.refresh_from_db()
    assert dual_list.status == DualListStatus.APPROVED and dual_list.approved_at_meeting == plenary
    assert set(dual_list.tasks.values_list("status", flat=True)) == {ItemStatus.OPEN}
    assert Deadline.objects.filter(kind=services.TASK_DEADLINE).count() == 2
    with pytest.raises(ActionRefused) as refused:
        services.dual_list_replace_tasks(actor=cast.secretary, dual_list=dual_list, rows=rows)
    assert "双清单已审定" in refused.value.message


def test_a_bad_row_reports_every_problem_by_row_and_saves_nothing(cast):
    dual_list = services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2026)
    services.dual_list_replace_tasks(
        actor=cast.secretary,
        dual_list=dual_list,
        rows=imports.parse_dual_list(workbook(GOOD_ROWS), cast.world.mechanism),
        create_departments=True,
    )
    bad = GOOD_ROWS + [
        [3, "", "甲市中级人民法院", None, None, None, "2026-12-31"],
        [4, "协同完善执行联动机制", "乙区人民法院", None, None, None, "2026-13-01"],
        [5, "规范信用信息归集", "甲市工商业联合会", "审务督查局", None, None, "明年"],
    ]
    with pytest.raises(ActionRefused) as refused:
        imports.parse_dual_list(workbook(bad), cast.world.mechanism)
    message = refused.value.message
    assert "没有保存任何任务" in message
    assert "第 4 行：任务内容为空" in message
    assert "第 5 行：牵头单位“乙区人民法院”不是本机制的参与单位" in message
    assert "完成时限“2026-13-01”无法识别" in message
    assert "第 6 行：完成时限“明年”无法识别" in message
    assert "第 2 行" not in message and "第 3 行" not in message
    assert dual_list.tasks.count() == 2  # the earlier import stands


def test_an_import_without_the_required_columns_is_refused(cast):
    with pytest.raises(ActionRefused) as refused:
        imports.parse_dual_list(workbook([["a", "b"]], headers=["事项", "备注"]), cast.world.mechanism)
    assert "缺少列：牵头单位、完成时限" in refused.value.message
    not_excel = SimpleUploadedFile("x.xlsx", b"not a workbook")
    with pytest.raises(ActionRefused) as refused:
        imports.parse_dual_list(not_excel, cast.world.mechanism)
    assert "不是有效的 Excel" in refused.value.message


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-12-31", dt.date(2026, 12, 31)),
        ("2026/6/30", dt.date(2026, 6, 30)),
        ("2026年6月30日", dt.date(2026, 6, 30)),
        ("2026年6月底", dt.date(2026, 6, 30)),
        ("2026年2月底前", dt.date(2026, 2, 28)),
        ("2026年底", dt.date(2026, 12, 31)),
        ("2026.9.1", dt.date(2026, 9, 1)),
        ("下半年", None),
        ("2026-02-30", None),
    ],
)
def test_due_dates_are_read_as_people_write_them(text, expected):
    assert imports.parse_due(text) == expected


def test_the_export_reads_back_as_the_same_tasks(cast):
    dual_list = services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2026)
    services.dual_list_replace_tasks(
        actor=cast.secretary,
        dual_list=dual_list,
        rows=imports.parse_dual_list(workbook(GOOD_ROWS), cast.world.mechanism),
        create_departments=True,
    )
    content = exports.dual_list_workbook(dual_list, dual_list.tasks.order_by("order"))
    again = imports.parse_dual_list(SimpleUploadedFile("again.xlsx", content), cast.world.mechanism)
    assert [(r.data.title, r.data.owner_organization, r.data.due_date) for r in again] == [
        (t.title, t.owner_organization, t.due_date) for t in dual_list.tasks.order_by("order")
    ]


def test_only_a_secretary_manages_the_dual_list(cast):
    with pytest.raises(ActionRefused) as refused:
        services.dual_list_create(actor=cast.world.bob, mechanism=cast.world.mechanism, year=2026)
    assert refused.value.code == ActionRefused.PERMISSION
    services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2026)
    with pytest.raises(ActionRefused) as refused:
        services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2026)
    assert "2026 年已有双清单" in refused.value.message
    other = UserFactory(organization=cast.world.other_court, roles=["meeting_secretary"])
    with pytest.raises(ActionRefused) as refused:
        services.dual_list_create(actor=other, mechanism=cast.world.mechanism, year=2027)
    assert "不是该机制的参与单位" in refused.value.message
