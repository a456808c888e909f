"""The demo: a year of Luoyang joint meetings with one quarter missed, items in every state, the Weidong
dual list; a second load changes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps

from liaison.demo import loader
from meetings import cadence, selectors
from meetings.choices import CadenceState, ItemState
from meetings.models import DualList, Meeting, Minutes

COUNTED = [
    "meetings.Meeting",
    "meetings.Invitee",
    "meetings.AgendaItem",
    "meetings.Minutes",
    "meetings.MinutesApproval",
    "meetings.ActionItem",
    "meetings.ProgressReport",
    "meetings.DualList",
    "meetings.InvitationEmail",
    "liaison.Deadline",
    "liaison.AuditEvent",
    "liaison.Notification",
]


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


@pytest.fixture
def demo(db, time_machine):
    time_machine.move_to("2026-11-23 10:00 +08:00", tick=False)
    loader.load()


def test_the_demo_loads_once(demo):
    first = counts()
    loader.load()
    assert counts() == first


def test_a_year_of_luoyang_meetings_with_one_quarter_missed(demo):
    from liaison.models import Mechanism

    luoyang = Mechanism.objects.get(short_name="洛阳法院·工商联")
    year = cadence.cadence_year(luoyang, 2026)
    assert [q.state for q in year.quarters] == [
        CadenceState.HELD,
        CadenceState.HELD,
        CadenceState.MISSING,
        CadenceState.HELD,
    ]
    assert Minutes.objects.filter(mechanism=luoyang, status="issued").count() == 3
    assert Minutes.objects.filter(mechanism=luoyang, status="submitted").count() == 1
    upcoming = Meeting.objects.get(mechanism=luoyang, status="notice_sent")
    assert upcoming.agenda_items.filter(kind="complaints").get().complaints.count() == 2


def test_action_items_in_every_state(demo):
    from liaison.models import User

    states = set(
        selectors.item_list(user=User.objects.get(username="secretary"), source="minutes").values_list(
            "state", flat=True
        )
    )
    assert states == {ItemState.DRAFT, ItemState.OPEN, ItemState.IN_PROGRESS, ItemState.OVERDUE, ItemState.DONE}


def test_the_weidong_dual_list(demo):
    from liaison.models import User

    dual_list = DualList.objects.get(year=2026)
    assert dual_list.status == "approved" and dual_list.approved_at_meeting.kind == "plenary"
    assert dual_list.tasks.count() == 13
    states = set(
        selectors.item_list(user=User.objects.get(username="weidong_secretary"), source="dual_list").values_list(
            "state", flat=True
        )
    )
    assert {ItemState.OVERDUE, ItemState.DONE, ItemState.IN_PROGRESS, ItemState.OPEN} <= states


def test_weidong_has_member_units_with_officers_and_tasks_spread_across_them(demo):
    from liaison.models import Mechanism
    from meetings.indicators import indicator_rows
    from meetings.models import TaskOwner

    weidong = Mechanism.objects.get(short_name="卫东府院联动")
    members = weidong.parties.filter(place="member")
    assert members.count() >= 8
    assert not members.filter(liaison_officer__isnull=True).exists()
    assert set(weidong.parties.exclude(place="member").values_list("organization__name", flat=True)) == {
        "卫东区人民政府",
        "卫东区人民法院",
    }
    # Every member unit answers for at least one task of the dual list.
    owning = set(
        TaskOwner.objects.filter(item__dual_list__mechanism=weidong, role="responsible").values_list(
            "organization_id", flat=True
        )
    )
    assert set(members.values_list("organization_id", flat=True)) <= owning
    task = DualList.objects.get(mechanism=weidong, year=2026).tasks.get(order=2)
    [row] = indicator_rows(task)
    # 30 %, 35 %, 25 % against at least 30 %; November (the current month) is not reported yet.
    assert [cell.state for cell in row.months][:3] == ["met", "met", "not_met"]
    assert row.months[-1].state == "not_reported" and len(row.months) == 11


def test_the_luoyang_plan_is_imported_as_a_draft(demo):
    plan = DualList.objects.get(year=2021)
    assert plan.status == "draft" and plan.tasks.count() == 70
