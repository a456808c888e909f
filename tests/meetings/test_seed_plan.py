"""The Luoyang 2021 work plan (seed 002) goes through the Excel import with no row lost: the tasks,
their lead departments, responsible units and numeric targets are counted against the document."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.errors import ActionRefused
from liaison.models import Department
from meetings import imports, services
from meetings.models import Indicator, TaskOwner

from ..factories import OrganizationFactory, UserFactory, mechanism_between

DATA = Path(__file__).resolve().parents[2] / "meetings" / "demo_data"


def document_tasks() -> dict[int, tuple[list[str], list[str], str]]:
    """Task number → (lead departments, responsible units, paragraph), read straight from the notice."""
    text = (DATA / "luoyang_2021_plan.txt").read_text(encoding="utf-8")
    found = {}
    pattern = r"(?ms)^\s*(\d+)\s*[.．](.*?)牵头部门：(.*?)$\s*责任部门：(.*?)$"
    for number, paragraph, lead, responsible in re.findall(pattern, text):

        def names(cell: str) -> list[str]:
            return [re.sub(r"（.*?）", "", n).strip() for n in cell.split("、") if n.strip()]

        found[int(number)] = (names(lead), names(responsible), paragraph)
    return found


@pytest.fixture
def luoyang(db):
    court = OrganizationFactory(name="洛阳市中级人民法院", short_name="洛阳中院", kind="court")
    federation = OrganizationFactory(name="洛阳市工商业联合会", kind="federation")
    mechanism = mechanism_between(court, federation, name="洛阳法院·工商联")
    secretary = UserFactory(username="ly_secretary", organization=court, roles=["meeting_secretary"])
    dual_list = services.dual_list_create(actor=secretary, mechanism=mechanism, year=2021)
    return court, secretary, dual_list


def _workbook() -> SimpleUploadedFile:
    return SimpleUploadedFile("luoyang_2021_plan.xlsx", (DATA / "luoyang_2021_plan.xlsx").read_bytes())


def test_the_document_has_seventy_tasks():
    tasks = document_tasks()
    assert sorted(tasks) == list(range(1, 71))


def test_the_whole_plan_is_imported_with_every_owner_and_target(luoyang):
    court, secretary, dual_list = luoyang
    document = document_tasks()
    parsed = imports.parse_dual_list(_workbook(), dual_list.mechanism)
    assert len(parsed) == 70
    # The court has no departments yet: the import names them all and waits for the confirmation.
    missing = {d.name for d in parsed.missing_departments}
    assert {"诉讼服务中心", "审判管理局", "破产审判庭", "各基层人民法院", "老城区人民法院"} <= missing
    with pytest.raises(ActionRefused) as refused:
        services.dual_list_replace_tasks(actor=secretary, dual_list=dual_list, rows=parsed)
    assert "以下部门尚未建立" in refused.value.message and not dual_list.tasks.exists()
    assert not Department.objects.filter(organization=court).exists()
    tasks = services.dual_list_replace_tasks(actor=secretary, dual_list=dual_list, rows=parsed, create_departments=True)
    assert len(tasks) == 70
    assert Department.objects.filter(organization=court).count() == len(missing)
    for task in tasks:
        number = task.order
        leads, responsible, paragraph = document[number]
        owners = sorted(
            TaskOwner.objects.filter(item=task).select_related("department"), key=lambda o: (o.role != "lead", o.pk)
        )
        lead_names = [o.department.name for o in owners if o.role in ("lead", "co_lead")]
        responsible_names = [o.department.name for o in owners if o.role == "responsible"]
        assert lead_names == leads, number
        assert responsible_names == responsible, number
        assert task.owner_department.name == leads[0]
        assert task.title and "".join(paragraph.split()).startswith("".join(task.title.split()))
    # Owners counted against the document: 70 tasks, 113 lead-department places, 71 responsible ones.
    assert sum(len(leads) for leads, _r, _p in document.values()) == 113
    assert TaskOwner.objects.filter(item__dual_list=dual_list, role__in=["lead", "co_lead"]).count() == sum(
        len(leads) for leads, _r, _p in document.values()
    )
    assert TaskOwner.objects.filter(item__dual_list=dual_list, role="responsible").count() == sum(
        len(responsible) for _l, responsible, _p in document.values()
    )
    assert TaskOwner.objects.filter(item__dual_list=dual_list, role="lead").count() == 70


def test_targets_stated_as_numbers_become_indicators(luoyang):
    _court, secretary, dual_list = luoyang
    services.dual_list_replace_tasks(
        actor=secretary,
        dual_list=dual_list,
        rows=imports.parse_dual_list(_workbook(), dual_list.mechanism),
        create_departments=True,
    )
    indicators = Indicator.objects.filter(item__dual_list=dual_list)
    assert indicators.count() == 22
    assert set(indicators.values_list("item__order", flat=True)) == {
        2,
        5,
        14,
        20,
        22,
        24,
        25,
        29,
        32,
        34,
        37,
        38,
        39,
        40,
        65,
    }
    case_days = indicators.get(item__order=2)
    assert (case_days.direction, case_days.target, case_days.unit) == ("at_most", Decimal("50"), "天")
    assert "50天以内" in case_days.item.target
    online = indicators.get(item__order=32, name="文书上网率")
    assert (online.direction, online.target, online.unit) == ("at_least", Decimal("90"), "%")
    assert "文书上网率达到 90%" in online.item.target
