"""The dual list's Excel export writes what the import reads: exporting a list and importing the file
gives the same tasks, lead / co-lead / responsible owners and indicators."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.choices import PartyPlace
from liaison.models import MechanismParty
from meetings import exports, imports, services
from meetings.models import ActionItem, DualList, Indicator, TaskOwner

from ..factories import OrganizationFactory

HEADERS = [
    *exports.DUAL_LIST_HEADERS,
    *[f"指标1{part}" for part in ("名称", "单位", "方向", "目标", "口径")],
    *[f"指标2{part}" for part in ("名称", "单位", "方向", "目标")],
]

ROWS = [
    [
        1,
        "提升涉企商事案件审判效率",
        "甲市中级人民法院、甲市工商业联合会",
        "立案庭、甲市工商业联合会·经济联络部",
        "执行局（首执天数）、甲市市场监督管理局、甲市工商业联合会·法律维权部",
        "立案平均用时不超过 1.5 天，按期反馈率不低于 90%",
        dt.date(2026, 12, 31),
        "立案平均用时",
        "天",
        "不高于",
        1.5,
        None,
        "按期反馈率",
        "%",
        "不低于",
        "90%",
    ],
    [2, "健全企业破产预警机制", "甲市工商业联合会", None, "区工信局", "", "2026年6月底"],
    [
        3,
        "提高涉企案件结案率",
        "甲市中级人民法院",
        None,
        "甲市市场监督管理局·信用监管科",
        "结案率不低于 95%",
        dt.date(2026, 9, 30),
        "结案率",
        "%",
        "不低于",
        95,
        "",
    ],
]


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("双清单.xlsx", content)


def workbook(rows: list[list]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return upload(buffer.getvalue())


@pytest.fixture
def mechanism(cast):
    """The court and the federation, and a member unit that answers for tasks."""
    unit = OrganizationFactory(name="甲市市场监督管理局", kind="government")
    MechanismParty.objects.create(
        mechanism=cast.world.mechanism, organization=unit, place=PartyPlace.MEMBER, side="handler"
    )
    return cast.world.mechanism


def imported(cast, mechanism, year: int, file: SimpleUploadedFile) -> DualList:
    dual_list = services.dual_list_create(actor=cast.secretary, mechanism=mechanism, year=year)
    services.dual_list_replace_tasks(
        actor=cast.secretary,
        dual_list=dual_list,
        rows=imports.parse_dual_list(file, mechanism),
        create_departments=True,
    )
    return dual_list


def tasks_of(dual_list: DualList) -> list[tuple]:
    """Each task as the document states it: its texts, date, owners and indicators."""
    found = []
    for task in ActionItem.objects.filter(dual_list=dual_list).order_by("order"):
        owners = sorted(
            (o.role, o.organization.name, o.department.name if o.department_id else "")
            for o in TaskOwner.objects.filter(item=task).select_related("organization", "department")
        )
        indicators = [
            (i.name, i.unit, i.direction, i.target, i.source, i.metric)
            for i in Indicator.objects.filter(item=task).order_by("order")
        ]
        found.append(
            (
                task.order,
                task.title,
                task.target,
                task.due_date,
                task.owner_organization.name,
                task.owner_department.name if task.owner_department_id else "",
                owners,
                indicators,
            )
        )
    return found


def export(dual_list: DualList) -> bytes:
    return exports.dual_list_workbook(dual_list, dual_list.tasks.order_by("order"))


def test_export_then_import_gives_the_same_tasks_owners_and_indicators(cast, mechanism):
    first = imported(cast, mechanism, 2026, workbook(ROWS))
    second = imported(cast, mechanism, 2027, upload(export(first)))
    assert tasks_of(second) == tasks_of(first)
    # Counted against the rows above: 3 tasks; 3 leads, 2 co-leads, 5 responsible units or departments.
    assert second.tasks.count() == 3
    roles = Counter(TaskOwner.objects.filter(item__dual_list=second).values_list("role", flat=True))
    assert roles == {"lead": 3, "co_lead": 2, "responsible": 5}
    indicators = Indicator.objects.filter(item__dual_list=second).order_by("item__order", "order")
    assert [(i.name, i.unit, i.direction, i.target, i.metric) for i in indicators] == [
        ("立案平均用时", "天", "at_most", Decimal("1.50"), ""),
        ("按期反馈率", "%", "at_least", Decimal("90.00"), ""),
        ("结案率", "%", "at_least", Decimal("95.00"), ""),
    ]
    # The responsible units' text keeps its notes when it still names the same owners.
    assert (
        second.tasks.get(order=1).responsible_units
        == "执行局（首执天数）、甲市市场监督管理局、甲市工商业联合会·法律维权部"
    )


def test_the_export_writes_the_owners_and_indicator_columns(cast, mechanism):
    first = imported(cast, mechanism, 2026, workbook(ROWS))
    sheet = openpyxl.load_workbook(io.BytesIO(export(first))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:7] == exports.DUAL_LIST_HEADERS
    assert header[7:17] == [f"指标{n}{part}" for n in (1, 2) for part in ("名称", "单位", "方向", "目标", "口径")]
    first_row = dict(zip(header, rows[1], strict=True))
    assert first_row["牵头单位"] == "甲市中级人民法院、甲市工商业联合会"
    assert first_row["牵头部门"] == "立案庭、甲市工商业联合会·经济联络部"
    assert (first_row["指标1方向"], first_row["指标1目标"], first_row["指标2目标"]) == ("不高于", 1.5, 90)


def test_owners_set_apart_from_the_text_are_written_by_name(cast, mechanism):
    """A task whose responsible-units text no longer says its owners (edited on the page) is exported
    with the owners' names, so the import finds the same owners."""
    first = imported(cast, mechanism, 2026, workbook(ROWS))
    ActionItem.objects.filter(dual_list=first).update(responsible_units="另见附件")
    second = imported(cast, mechanism, 2027, upload(export(first)))
    assert tasks_of(second) == tasks_of(first)
    assert second.tasks.get(order=3).responsible_units == "甲市市场监督管理局·信用监管科"


def test_a_computed_indicator_keeps_its_measure(cast, mechanism):
    rows = [[*ROWS[2][:11], "按期反馈率（%）"]]
    first = imported(cast, mechanism, 2026, workbook(rows))
    assert Indicator.objects.get(item__dual_list=first).metric == "on_time_rate"
    second = imported(cast, mechanism, 2027, upload(export(first)))
    indicator = Indicator.objects.get(item__dual_list=second)
    assert (indicator.source, indicator.metric) == ("computed", "on_time_rate")


def test_the_template_has_the_indicator_columns(cast):
    sheet = openpyxl.load_workbook(io.BytesIO(exports.dual_list_workbook(None))).active
    header = [cell.value for cell in sheet[1]]
    assert header == [*exports.DUAL_LIST_HEADERS, "指标1名称", "指标1单位", "指标1方向", "指标1目标", "指标1口径"]
