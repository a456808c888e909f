"""Tasks with several owners and measured targets: who answers for a task, indicators entered by the
units or computed by the portal, and each month met / not met / not reported (hand-worked months)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import Complaint
from liaison.choices import PartyPlace
from liaison.errors import ActionRefused
from liaison.models import AuditEvent, MechanismParty
from meetings import services
from meetings.choices import MonthState
from meetings.indicators import indicator_rows, item_indicator_state
from meetings.models import ActionItem, IndicatorValue, TaskOwner
from meetings.workflow import ITEM

from ..conftest import login
from ..factories import DepartmentFactory, OrganizationFactory, UserFactory
from .conftest import queued_complaint

MET, NOT_MET, NOT_REPORTED = MonthState.MET, MonthState.NOT_MET, MonthState.NOT_REPORTED


@pytest.fixture
def plan(cast):
    """A 2026 dual list approved at a plenary: a task led by the court, co-led by the federation, with a
    member unit's department responsible, and an entered indicator; a task measured by the portal."""
    world = cast.world
    unit = OrganizationFactory(name="甲市市场监督管理局", kind="government")
    MechanismParty.objects.create(mechanism=world.mechanism, organization=unit, place=PartyPlace.MEMBER)
    section = DepartmentFactory(organization=unit, name="信用监督管理科")
    officer = UserFactory(username="unit_officer", organization=unit, department=section, roles=["court_handler"])
    dual_list = services.dual_list_create(actor=cast.secretary, mechanism=world.mechanism, year=2026)
    entered = services.ItemData(
        title="压缩涉企案件立案用时",
        owner_organization=world.court,
        owner_department=cast.department,
        due_date=dt.date(2026, 12, 31),
        co_leads=[services.OwnerData(world.federation)],
        responsible=[services.OwnerData(unit, section)],
        indicators=[services.IndicatorData("立案平均用时", "天", "at_most", Decimal("1"))],
    )
    computed = services.ItemData(
        title="提高涉企诉求反馈质效",
        owner_organization=world.court,
        due_date=dt.date(2026, 12, 31),
        indicators=[
            services.IndicatorData("平均反馈用时", "工作日", "at_most", Decimal("10"), "computed", "feedback_days"),
            services.IndicatorData("按期反馈率", "%", "at_least", Decimal("90"), "computed", "on_time_rate"),
        ],
    )
    services.dual_list_replace_tasks(
        actor=cast.secretary, dual_list=dual_list, rows=[services.TaskRow(2, entered), services.TaskRow(3, computed)]
    )
    plenary = cast.held(kind="plenary", title="2026年全体会议")
    services.dual_list_approve(actor=cast.secretary, dual_list=dual_list, meeting=plenary)
    first, second = dual_list.tasks.order_by("order")
    return first, second, officer


def _states(row) -> dict[str, str]:
    return {f"{cell.month:%Y-%m}": cell.state for cell in row.months}


def test_a_task_has_one_lead_co_leads_and_responsible_departments(cast, plan):
    task, _other, officer = plan
    owners = {(o.role, o.organization.name, o.department.name if o.department else "") for o in task.owners.all()}
    assert owners == {
        ("lead", "甲市中级人民法院", "审务督查局"),
        ("co_lead", "甲市工商业联合会", ""),
        ("responsible", "甲市市场监督管理局", "信用监督管理科"),
    }
    # Each of them sees the task and may report on it: the member unit's officer too.
    for user in (cast.world.bob, cast.world.alice, officer):
        assert ITEM.may(user, task, "progress") and ITEM.may(user, task, "indicator")
    assert not ITEM.may(cast.world.charlie, task, "indicator")
    services.item_report_progress(actor=officer, item=task, text="已梳理本单位涉企信用修复事项。")
    assert task.progress_reports.get().organization.name == "甲市市场监督管理局"


def test_entered_months_are_met_not_met_or_not_reported(cast, plan, time_machine):
    task, _other, officer = plan
    indicator = task.indicators.get()
    services.item_report_indicator(
        actor=officer, item=task, indicator=indicator, month=dt.date(2026, 1, 1), value=Decimal("1")
    )
    services.item_report_indicator(
        actor=cast.world.bob, item=task, indicator=indicator, month=dt.date(2026, 2, 15), value=Decimal("1.5")
    )
    [row] = indicator_rows(task)
    # At most 1 day: January's 1 day is met (the target itself), February's 1.5 is not, March is missing.
    assert _states(row) == {"2026-01": MET, "2026-02": NOT_MET, "2026-03": NOT_REPORTED}
    assert item_indicator_state([row]) == NOT_REPORTED
    services.item_report_indicator(
        actor=officer, item=task, indicator=indicator, month=dt.date(2026, 3, 1), value=Decimal("0.8")
    )
    [row] = indicator_rows(task)
    assert row.latest.value == Decimal("0.80") and item_indicator_state([row]) == MET
    # A later report of the same month replaces it; both are in the audit trail.
    services.item_report_indicator(
        actor=officer, item=task, indicator=indicator, month=dt.date(2026, 3, 1), value=Decimal("2")
    )
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 3
    assert item_indicator_state(indicator_rows(task)) == NOT_MET
    assert AuditEvent.objects.filter(action="item_indicator", object_id=str(task.pk)).count() == 4
    # In April the months run to April, which is not reported yet.
    time_machine.move_to("2026-04-02 09:00 +08:00", tick=False)
    assert list(_states(indicator_rows(task)[0]).values())[-1] == NOT_REPORTED


def test_computed_months_measure_the_answers_of_each_month(cast, plan):
    _task, task, _officer = plan
    tz = timezone.get_current_timezone()
    answers = [  # answered on, working days from registration to answer, on time
        (dt.datetime(2026, 1, 12, 10, tzinfo=tz), 10, True),
        (dt.datetime(2026, 1, 31, 23, 30, tzinfo=tz), 14, False),  # late on the 31st Beijing time: still January
        (dt.datetime(2026, 2, 9, 10, tzinfo=tz), 6, True),
    ]
    for n, (at, days, on_time) in enumerate(answers):
        complaint = queued_complaint(cast, title=f"诉求{n}")
        Complaint.objects.filter(pk=complaint.pk).update(
            answered_at=at, answer_working_days=days, answered_on_time=on_time
        )
    feedback, on_time = indicator_rows(task)
    # January: (10 + 14) / 2 = 12 days > 10, not met; 1 of 2 on time = 50 % < 90 %, not met.
    # February: 6 days, met; 1 of 1 = 100 %, met. March: nothing answered, not reported.
    assert [c.value for c in feedback.months] == [Decimal("12.00"), Decimal("6.00"), None]
    assert [c.value for c in on_time.months] == [Decimal("50.00"), Decimal("100.00"), None]
    assert _states(feedback) == {"2026-01": NOT_MET, "2026-02": MET, "2026-03": NOT_REPORTED}
    assert _states(on_time) == {"2026-01": NOT_MET, "2026-02": MET, "2026-03": NOT_REPORTED}


def test_indicator_reports_are_refused_with_reasons(cast, plan):
    task, computed_task, officer = plan
    indicator = task.indicators.get()
    cases = [
        (officer, task, indicator, dt.date(2026, 4, 1), Decimal("1"), "不能报送未来月份"),
        (officer, task, indicator, dt.date(2025, 12, 1), Decimal("1"), "月份须在任务期间内（2026-01 至 2026-03）"),
        (officer, task, indicator, dt.date(2026, 3, 1), Decimal("-1"), "不小于 0"),
        (officer, task, computed_task.indicators.first(), dt.date(2026, 3, 1), Decimal("1"), "不属于本任务"),
    ]
    for actor, item, which, month, value, message in cases:
        with pytest.raises(ActionRefused) as refused:
            services.item_report_indicator(actor=actor, item=item, indicator=which, month=month, value=value)
        assert message in refused.value.message
    with pytest.raises(ActionRefused) as refused:
        services.item_report_indicator(
            actor=cast.world.bob,
            item=computed_task,
            indicator=computed_task.indicators.first(),
            month=dt.date(2026, 3, 1),
            value=Decimal("5"),
        )
    assert refused.value.code == ActionRefused.STATE  # no entered indicator: the step is not open
    with pytest.raises(ActionRefused) as refused:
        services.item_report_indicator(
            actor=cast.world.charlie, item=task, indicator=indicator, month=dt.date(2026, 3, 1), value=Decimal("1")
        )
    assert refused.value.code == ActionRefused.PERMISSION
    assert not IndicatorValue.objects.exists()


def test_a_party_not_answering_for_the_task_may_not_report(cast, plan):
    task, _other, _officer = plan
    other = OrganizationFactory(name="甲市税务局", kind="government")
    MechanismParty.objects.create(mechanism=cast.world.mechanism, organization=other, place=PartyPlace.MEMBER)
    stranger = UserFactory(username="tax_officer", organization=other, roles=["court_handler"])
    assert not ITEM.may(stranger, task, "indicator") and not ITEM.may(stranger, task, "progress")
    assert not TaskOwner.objects.filter(organization=other).exists()


def test_the_page_and_the_api_show_and_take_the_values(cast, plan, client, api_client):
    task, _other, officer = plan
    indicator = task.indicators.get()
    page = login(client, officer).get(f"/meetings/items/{task.pk}/").content.decode()
    assert "立案平均用时" in page and "不高于 1天" in page and 'data-state="not_reported"' in page
    assert "信用监督管理科" in page and "共同牵头单位" in page
    response = client.post(
        f"/meetings/items/{task.pk}/act/indicator/",
        {"indicator-indicator": indicator.pk, "indicator-month": "2026-03", "indicator-value": "0.5"},
    )
    assert response.status_code == 302
    page = client.get(f"/meetings/items/{task.pk}/").content.decode()
    assert 'id="indicator-state" data-state="met"' in page
    login(api_client, cast.world.alice)
    data = api_client.get(f"/api/v1/tasks/{task.pk}/").json()
    assert data["indicator_state"] == "met" and data["indicators"][0]["months"][-1]["value"] == "0.50"
    response = api_client.post(
        f"/api/v1/tasks/{task.pk}/indicator/",
        {"indicator": indicator.pk, "month": "2026-03", "value": "3"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert api_client.get(f"/api/v1/tasks/{task.pk}/").json()["indicator_state"] == "not_met"
    login(api_client, cast.world.charlie)
    assert api_client.get(f"/api/v1/tasks/{task.pk}/").status_code == 404
    response = api_client.post(
        f"/api/v1/tasks/{task.pk}/indicator/",
        {"indicator": indicator.pk, "month": "2026-03", "value": "1"},
        format="json",
    )
    assert response.status_code == 404
    assert ActionItem.objects.get(pk=task.pk).indicators.get().values.get().value == Decimal("3")


def test_a_member_unit_lists_the_tasks_it_answers_for(cast, plan, client, django_assert_max_num_queries):
    task, other, officer = plan
    login(client, officer)
    with django_assert_max_num_queries(30):
        page = client.get("/meetings/supervision/?mine=true").content.decode()
    assert task.title in page and other.title not in page
    data = client.get("/api/v1/tasks/?mine=true").json()
    assert [row["id"] for row in data.get("results", data)] == [task.pk]
