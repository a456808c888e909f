"""Every state × role × step of meetings, minutes, action items and dual lists:
offered on the page and in the API ⇔ the service succeeds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from liaison.errors import ActionRefused
from meetings import services
from meetings.choices import ItemStatus, MeetingStatus, MinutesStatus
from meetings.models import ActionItem, DualList, Meeting, Minutes
from meetings.workflow import DUAL_LIST, ITEM, MEETING, MINUTES
from tests.workflow_agreement import disagreements

from ..factories import UserFactory
from .conftest import at, queued_complaint


@pytest.fixture
def users(cast):
    """Each side and role of the mechanism, and an outsider."""
    world = cast.world
    return [
        cast.secretary,
        UserFactory(username="fed_secretary", organization=world.federation, roles=["meeting_secretary"]),
        cast.court_leader,
        cast.fed_leader,
        cast.reviewer,
        world.alice,
        world.bob,
        UserFactory(username="stranger", organization=world.other_court, roles=["meeting_secretary", "leader"]),
    ]


def _original(meeting: Meeting) -> Minutes:
    """The meeting's minutes; without minutes there is nothing a minutes service could act on."""
    minutes = Minutes.objects.filter(meeting=meeting, corrects__isnull=True).first()
    if minutes is None:
        raise ActionRefused("no minutes yet", ActionRefused.STATE)
    return minutes


def _submitted(cast):
    return services.minutes_submit(actor=cast.secretary, minutes=cast.minutes())


def _half_approved(cast):
    minutes = _submitted(cast)
    return services.minutes_decide(actor=cast.court_leader, minutes=minutes, approve=True)


MEETING_STATES = {
    "planned": lambda cast: cast.meeting(),
    "planned_later": lambda cast: cast.meeting(starts_at=at("2026-03-27"), ends_at=at("2026-03-27", 11)),
    "notice_sent": lambda cast: cast.noticed(),
    "notice_sent_later": lambda cast: cast.noticed(starts_at=at("2026-03-27"), ends_at=at("2026-03-27", 11)),
    "postponed": lambda cast: services.meeting_postpone(
        actor=cast.secretary,
        meeting=cast.noticed(),
        reason="改期",
        starts_at=at("2026-03-20", 14),
        ends_at=at("2026-03-20", 16),
    ),
    "cancelled": lambda cast: services.meeting_cancel(actor=cast.secretary, meeting=cast.meeting(), reason="取消"),
    "held": lambda cast: cast.held(),
    "minutes_drafted": lambda cast: cast.minutes().meeting,
    "minutes_submitted": lambda cast: _submitted(cast).meeting,
    "minutes_half_approved": lambda cast: _half_approved(cast).meeting,
    "minutes_approved": lambda cast: cast.approved().meeting,
    "minutes_issued": lambda cast: cast.issued().meeting,
}


def _meeting_calls(cast):
    def first_invitee(user, meeting):
        return meeting.invitees.filter(user=user).first() or meeting.invitees.first()

    def transfer(user, meeting):
        item = meeting.agenda_items.filter(kind="complaints").first()
        complaints = list(item.complaints.all()) if item else []
        if item is None:
            from meetings.models import AgendaItem

            item = AgendaItem.objects.filter(meeting=meeting).first() or AgendaItem(meeting=meeting)
        return services.agenda_transfer(actor=user, item=item, complaints=complaints)

    return {
        "edit": lambda user, meeting: services.meeting_update(actor=user, meeting=meeting, data=cast.data(title="改")),
        "attendance": lambda user, meeting: services.attendance_record(actor=user, meeting=meeting, entries=[]),
        "draft_minutes": lambda user, meeting: services.minutes_create(
            actor=user, meeting=meeting, data=cast.minutes_data(meeting)
        ),
        "approve_minutes": lambda user, meeting: services.minutes_decide(
            actor=user, minutes=_original(meeting), approve=True
        ),
        "issue_minutes": lambda user, meeting: services.minutes_issue(actor=user, minutes=_original(meeting)),
        "agenda": lambda user, meeting: services.agenda_item_add(actor=user, meeting=meeting, title="新议题"),
        "transfer": transfer,
        "rsvp": lambda user, meeting: services.invitee_rsvp(
            actor=user, invitee=first_invitee(user, meeting), answer="accepted"
        ),
    }


MEETING_INPUTS = {
    "postpone": {"reason": "改期", "starts_at": at("2026-03-27"), "ends_at": at("2026-03-27", 11)},
    "cancel": {"reason": "取消"},
}


@pytest.mark.parametrize("state", list(MEETING_STATES))
def test_a_meeting_offers_exactly_the_steps_the_services_perform(cast, users, state):
    queued_complaint(cast)
    pk = MEETING_STATES[state](cast).pk
    found = disagreements(MEETING, lambda: Meeting.objects.get(pk=pk), users, MEETING_INPUTS, _meeting_calls(cast))
    assert found == []


def test_it_builds_a_meeting_in_every_status(cast):
    reached = {MEETING_STATES[state](cast).status for state in MEETING_STATES}
    assert reached == set(MeetingStatus.values)


def _returned(cast):
    minutes = _submitted(cast)
    return services.minutes_decide(actor=cast.fed_leader, minutes=minutes, approve=False, comment="请补充")


def _correction(cast):
    return services.minutes_correct(actor=cast.secretary, minutes=cast.issued())


MINUTES_STATES = {
    "draft": lambda cast: cast.minutes(),
    "submitted": _submitted,
    "half_approved": _half_approved,
    "returned": _returned,
    "approved": lambda cast: cast.approved(),
    "issued": lambda cast: cast.issued(),
    "issued_with_correction": lambda cast: _correction(cast).corrects,
    "correction_draft": _correction,
}


def _minutes_calls(cast):
    return {
        "edit": lambda user, minutes: services.minutes_update(
            actor=user, minutes=minutes, data=cast.minutes_data(minutes.meeting)
        ),
        "approve": lambda user, minutes: services.minutes_decide(actor=user, minutes=minutes, approve=True),
        "approved": lambda user, minutes: services.minutes_decide(actor=user, minutes=minutes, approve=True),
        "return": lambda user, minutes: services.minutes_decide(
            actor=user, minutes=minutes, approve=False, comment="请修改"
        ),
    }


@pytest.mark.parametrize("state", list(MINUTES_STATES))
def test_minutes_offer_exactly_the_steps_the_services_perform(cast, users, state):
    pk = MINUTES_STATES[state](cast).pk
    inputs = {"decide": {"approve": False, "comment": "请修改"}}
    found = disagreements(MINUTES, lambda: Minutes.objects.get(pk=pk), users, inputs, _minutes_calls(cast))
    assert found == []


def test_it_builds_minutes_in_every_status(cast):
    reached = {MINUTES_STATES[state](cast).status for state in MINUTES_STATES}
    assert reached == set(MinutesStatus.values)


def _item(minutes: Minutes) -> ActionItem:
    return minutes.action_items.get()


ITEM_STATES = {
    "draft_of_draft_minutes": lambda cast: _item(cast.minutes()),
    "draft_of_approved_minutes": lambda cast: _item(cast.approved()),
    "open": lambda cast: _item(cast.issued()),
    "in_progress": lambda cast: (
        services.item_report_progress(actor=cast.world.bob, item=_item(cast.issued()), text="进展").item
    ),
    "done": lambda cast: services.item_close(actor=cast.secretary, item=_item(cast.issued())),
}


def _item_calls():
    def open_item(user, item):
        if item.minutes_id:
            return services.minutes_issue(actor=user, minutes=item.minutes)
        raise AssertionError("only minutes items here")

    return {"open": open_item}


@pytest.mark.parametrize("state", list(ITEM_STATES))
def test_an_action_item_offers_exactly_the_steps_the_services_perform(cast, users, state):
    pk = ITEM_STATES[state](cast).pk
    inputs = {
        "progress": {"text": "已梳理"},
        "close": {"note": "已核实"},
        # Minutes items carry no indicators: the step is never offered, and the service refuses it first.
        "indicator": {"indicator": None, "month": dt.date(2026, 3, 1), "value": Decimal("1")},
    }
    found = disagreements(ITEM, lambda: ActionItem.objects.get(pk=pk), users, inputs, _item_calls())
    assert found == []


def test_it_builds_an_item_in_every_status(cast):
    reached = {ITEM_STATES[state](cast).status for state in ITEM_STATES}
    assert reached == set(ItemStatus.values)


def _dual_list(cast, *, tasks: bool = True, approved: bool = False) -> DualList:
    dual_list = services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2026)
    if tasks:
        services.dual_list_replace_tasks(
            actor=cast.secretary,
            dual_list=dual_list,
            rows=[
                services.TaskRow(
                    2,
                    services.ItemData(
                        title="建立涉企案件绿色通道",
                        owner_organization=cast.world.court,
                        due_date=dt.date(2026, 12, 31),
                    ),
                )
            ],
        )
    if approved:
        services.dual_list_approve(actor=cast.secretary, dual_list=dual_list, meeting=_plenary(cast))
    return dual_list


def _plenary(cast) -> Meeting:
    return Meeting.objects.filter(kind="plenary").first() or cast.held(
        kind="plenary", title="2026年全体会议", starts_at=at("2026-03-18"), ends_at=at("2026-03-18", 11)
    )


DUAL_LIST_STATES = {
    "empty_draft": lambda cast: _dual_list(cast, tasks=False),
    "draft": lambda cast: _dual_list(cast),
    "approved": lambda cast: _dual_list(cast, approved=True),
}


@pytest.mark.parametrize("state", list(DUAL_LIST_STATES))
def test_a_dual_list_offers_exactly_the_steps_the_services_perform(cast, users, state):
    plenary = _plenary(cast)
    pk = DUAL_LIST_STATES[state](cast).pk
    rows = [
        services.TaskRow(
            2,
            services.ItemData(
                title="定期通报", owner_organization=cast.world.federation, due_date=dt.date(2026, 12, 31)
            ),
        )
    ]
    calls = {
        "import": lambda user, dual_list: services.dual_list_replace_tasks(actor=user, dual_list=dual_list, rows=rows)
    }
    found = disagreements(
        DUAL_LIST, lambda: DualList.objects.get(pk=pk), users, {"approve": {"meeting": plenary}}, calls
    )
    assert found == []


@pytest.mark.parametrize("closed", [False, True])
def test_a_task_with_indicators_offers_exactly_the_steps_the_services_perform(cast, users, closed):
    """A task co-led by the federation with an entered indicator: both owners may report, others not."""
    dual_list = services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2026)
    services.dual_list_replace_tasks(
        actor=cast.secretary,
        dual_list=dual_list,
        rows=[
            services.TaskRow(
                2,
                services.ItemData(
                    title="压缩立案用时",
                    owner_organization=cast.world.court,
                    due_date=dt.date(2026, 12, 31),
                    co_leads=[services.OwnerData(cast.world.federation)],
                    indicators=[services.IndicatorData("立案平均用时", "天", "at_most", Decimal("1"))],
                ),
            )
        ],
    )
    services.dual_list_approve(actor=cast.secretary, dual_list=dual_list, meeting=_plenary(cast))
    task = dual_list.tasks.get()
    if closed:
        services.item_close(actor=cast.secretary, item=task, note="已完成")
    inputs = {
        "progress": {"text": "已梳理"},
        "close": {"note": "已核实"},
        "indicator": {"indicator": task.indicators.get(), "month": dt.date(2026, 3, 1), "value": Decimal("1")},
    }
    calls = {
        "open": lambda user, item: services.dual_list_approve(
            actor=user, dual_list=item.dual_list, meeting=_plenary(cast)
        )
    }
    found = disagreements(ITEM, lambda: ActionItem.objects.get(pk=task.pk), users, inputs, calls)
    assert found == []
    if not closed:
        offered = {user.username for user in users if ITEM.may(user, task, "indicator")}
        assert offered == {"secretary", "fed_secretary", "court_boss", "fed_boss", "reviewer", "alice", "bob"}
