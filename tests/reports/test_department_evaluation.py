"""The evaluation by department: every owner of a task counted, weights of the mechanism, ranking,
definitions under the table, Excel, and the scope."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from liaison.choices import PartyPlace
from liaison.models import MechanismParty
from meetings import services
from reports.department_evaluation import department_evaluation

from ..conftest import login
from ..factories import DepartmentFactory, OrganizationFactory
from ..meetings.conftest import (
    Cast,
    cast,  # noqa: F401 - the meetings cast
)


@pytest.fixture
def plan(cast: Cast, time_machine):
    """Three tasks due in 2026: the court's 审务督查局 leads two, the federation co-leads one and a member
    unit's department answers for one; one indicator."""
    world = cast.world
    unit = OrganizationFactory(name="甲市市场监督管理局", kind="government")
    MechanismParty.objects.create(mechanism=world.mechanism, organization=unit, place=PartyPlace.MEMBER)
    section = DepartmentFactory(organization=unit, name="信用监督管理科")
    dual_list = services.dual_list_create(actor=cast.secretary, mechanism=world.mechanism, year=2026)

    def task(title, due, **extra):
        return services.ItemData(
            title=title, owner_organization=world.court, owner_department=cast.department, due_date=due, **extra
        )

    rows = [
        services.TaskRow(2, task("甲", dt.date(2026, 3, 31), co_leads=[services.OwnerData(world.federation)])),
        services.TaskRow(
            3,
            task(
                "乙",
                dt.date(2026, 4, 30),
                responsible=[services.OwnerData(unit, section)],
                indicators=[services.IndicatorData("立案平均用时", "天", "at_most", Decimal("1"))],
            ),
        ),
        services.TaskRow(4, task("丙", dt.date(2027, 1, 31))),  # next year: not counted
    ]
    services.dual_list_replace_tasks(actor=cast.secretary, dual_list=dual_list, rows=rows)
    plenary = cast.held(kind="plenary", title="2026年全体会议")
    services.dual_list_approve(actor=cast.secretary, dual_list=dual_list, meeting=plenary)
    first, second, _third = dual_list.tasks.order_by("order")
    services.item_close(actor=cast.secretary, item=first, note="已完成")  # on 2026-03-20: on time
    services.item_report_indicator(
        actor=cast.world.bob,
        item=second,
        indicator=second.indicators.get(),
        month=dt.date(2026, 3, 1),
        value=Decimal("0.5"),
    )
    time_machine.move_to("2026-05-06 09:00 +08:00", tick=False)  # the second task is now overdue
    return first, second


def test_it_scores_and_ranks_every_owner(cast, plan):
    mechanism = cast.world.mechanism
    evaluation = department_evaluation(user=cast.world.bob, mechanism=mechanism, year=2026)
    rows = {row.unit_name: row for row in evaluation.rows}
    assert set(rows) == {"甲市中级人民法院 · 审务督查局", "甲市工商业联合会", "甲市市场监督管理局 · 信用监督管理科"}
    court = rows["甲市中级人民法院 · 审务督查局"]
    assert (court.owned, court.done, court.done_on_time, court.open_overdue) == (2, 1, 1, 1)
    assert (court.indicators, court.indicators_met) == (1, 1)
    # Default weights 30/40/30, 2 points per overdue item:
    # court (30×0.5 + 40×0.5 + 30×1) / 100 × 100 − 2 = 63.0; federation (30 + 40) / 70 × 100 = 100.0;
    # the member unit's section (0 + 0 + 30×1) / 100 × 100 − 2 = 28.0.
    assert [(row.rank, row.unit_name, row.score) for row in evaluation.rows] == [
        (1, "甲市工商业联合会", 100.0),
        (2, "甲市中级人民法院 · 审务督查局", 63.0),
        (3, "甲市市场监督管理局 · 信用监督管理科", 28.0),
    ]
    # The administrator's weights change the scores and the definitions.
    mechanism.weight_done, mechanism.weight_on_time, mechanism.weight_indicators, mechanism.overdue_penalty = (
        0,
        100,
        0,
        10,
    )
    mechanism.save()
    evaluation = department_evaluation(user=cast.world.bob, mechanism=mechanism, year=2026)
    assert [(row.rank, row.score) for row in evaluation.rows] == [(1, 100.0), (2, 40.0), (3, 0.0)]
    assert "按期办结率×100" in evaluation.definitions[3] and "× 10" in evaluation.definitions[3]


def test_the_page_prints_the_definitions_and_exports_excel(cast, plan, client, django_assert_max_num_queries):
    login(client, cast.world.leader)
    url = f"/cases/ledgers/departments/?mechanism={cast.world.mechanism.pk}&year=2026"
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert "部门履职评价表" in page and "信用监督管理科" in page and 'id="definitions"' in page
    assert "权重由系统管理员按机制设置" in page and "data-print" in page
    response = client.get(f"/cases/ledgers/departments/export.xlsx?mechanism={cast.world.mechanism.pk}&year=2026")
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][:3] == ["排名", "单位", "部门"]
    assert values[2][:3] == [1, "甲市工商业联合会", None] and values[2][-1] == 100
    assert any(row[0] == "口径说明" for row in values)


def test_an_outsider_gets_404_for_the_mechanism(cast, plan, client):
    login(client, cast.world.charlie)
    assert client.get(f"/cases/ledgers/departments/?mechanism={cast.world.mechanism.pk}").status_code == 404
    page = client.get("/cases/ledgers/departments/?year=2026").content.decode()
    assert "信用监督管理科" not in page


def test_a_member_unit_reads_its_own_figures(cast, plan):
    from liaison.models import Organization

    unit = Organization.objects.get(name="甲市市场监督管理局")
    evaluation = department_evaluation(user=cast.world.bob, mechanism=cast.world.mechanism, year=2026, owner=unit)
    assert [(row.rank, row.unit_name) for row in evaluation.rows] == [(3, "甲市市场监督管理局 · 信用监督管理科")]


def test_a_unit_that_left_keeps_its_figures(cast, plan):
    import datetime as dt

    MechanismParty.objects.filter(organization__name="甲市市场监督管理局").update(left_on=dt.date(2026, 5, 1))
    evaluation = department_evaluation(user=cast.world.bob, mechanism=cast.world.mechanism, year=2026)
    assert "甲市市场监督管理局 · 信用监督管理科" in {row.unit_name for row in evaluation.rows}
