"""Every step refuses the wrong person (403-style PERMISSION), the wrong state (STATE) and bad input (INVALID),
and leaves the data as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from liaison.errors import ActionRefused
from meetings import services
from meetings.choices import MeetingStatus
from meetings.models import AgendaItem, DualList, Meeting, Minutes

from ..factories import UserFactory
from .conftest import at, queued_complaint


def refused(call, code: str, text: str = "") -> ActionRefused:
    with pytest.raises(ActionRefused) as caught:
        call()
    assert caught.value.code == code, caught.value.message
    assert text in caught.value.message
    return caught.value


@pytest.fixture
def people(cast):
    """A court clerk of the mechanism (no secretary role) and a secretary of another mechanism."""
    return {
        "clerk": cast.world.bob,
        "stranger": UserFactory(organization=cast.world.other_court, roles=["meeting_secretary"]),
    }


SECRETARY_STEPS = {
    "update": lambda c, actor, m: services.meeting_update(actor=actor, meeting=m, data=c.data(title="改")),
    "send_notice": lambda c, actor, m: services.meeting_send_notice(actor=actor, meeting=m),
    "postpone": lambda c, actor, m: services.meeting_postpone(
        actor=actor, meeting=m, reason="x", starts_at=at("2026-03-27"), ends_at=at("2026-03-27", 11)
    ),
    "cancel": lambda c, actor, m: services.meeting_cancel(actor=actor, meeting=m, reason="x"),
    "agenda_add": lambda c, actor, m: services.agenda_item_add(actor=actor, meeting=m, title="新议题"),
    "attendance": lambda c, actor, m: services.attendance_record(actor=actor, meeting=m, entries=[]),
}


@pytest.mark.parametrize("step", SECRETARY_STEPS)
@pytest.mark.parametrize("who", ["clerk", "stranger"])
def test_meeting_steps_are_for_a_secretary_of_a_party(cast, people, step, who):
    meeting = cast.meeting()
    refused(lambda: SECRETARY_STEPS[step](cast, people[who], meeting), ActionRefused.PERMISSION)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.title == "2026年第一季度联席会议"
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


MINUTES_STEPS = {
    "update": lambda c, actor, m: services.minutes_update(actor=actor, minutes=m, data=c.minutes_data(m.meeting)),
    "submit": lambda c, actor, m: services.minutes_submit(actor=actor, minutes=m),
    "issue": lambda c, actor, m: services.minutes_issue(actor=actor, minutes=m),
    "correct": lambda c, actor, m: services.minutes_correct(actor=actor, minutes=m),
}


@pytest.mark.parametrize("step", MINUTES_STEPS)
@pytest.mark.parametrize("who", ["clerk", "stranger"])
def test_minutes_steps_are_for_a_secretary_of_a_party(cast, people, step, who):
    minutes = cast.minutes()
    refused(lambda: MINUTES_STEPS[step](cast, people[who], minutes), ActionRefused.PERMISSION)
    assert Minutes.objects.get(pk=minutes.pk).status == "draft"


def test_steps_from_the_wrong_state(cast):
    held = cast.held()
    refused(
        lambda: services.meeting_postpone(
            actor=cast.secretary, meeting=held, reason="x", starts_at=at("2026-03-27"), ends_at=at("2026-03-27", 11)
        ),
        ActionRefused.STATE,
        "已召开",
    )
    refused(lambda: services.meeting_cancel(actor=cast.secretary, meeting=held, reason="x"), ActionRefused.STATE)
    refused(lambda: services.meeting_send_notice(actor=cast.secretary, meeting=held), ActionRefused.STATE)
    refused(
        lambda: services.agenda_item_add(actor=cast.secretary, meeting=held, title="晚了"),
        ActionRefused.STATE,
        "议题不能再调整",
    )
    minutes = services.minutes_create(actor=cast.secretary, meeting=held, data=cast.minutes_data(held))
    refused(lambda: services.minutes_issue(actor=cast.secretary, minutes=minutes), ActionRefused.STATE, "草稿")
    refused(
        lambda: services.minutes_correct(actor=cast.secretary, minutes=minutes),
        ActionRefused.STATE,
        "未印发的纪要请直接修改",
    )
    services.minutes_submit(actor=cast.secretary, minutes=minutes)
    refused(lambda: services.minutes_submit(actor=cast.secretary, minutes=minutes), ActionRefused.STATE, "待审定")
    refused(
        lambda: services.minutes_update(actor=cast.secretary, minutes=minutes, data=cast.minutes_data(held)),
        ActionRefused.STATE,
        "送审后须先退回",
    )


def test_postponing_needs_a_sensible_new_time(cast):
    meeting = cast.noticed()
    refused(
        lambda: services.meeting_postpone(
            actor=cast.secretary,
            meeting=meeting,
            reason="x",
            starts_at=at("2026-03-27", 11),
            ends_at=at("2026-03-27", 9),
        ),
        ActionRefused.INVALID,
        "结束时间须晚于开始时间",
    )
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.NOTICE_SENT


def test_only_complaints_on_the_agenda_item_are_transferred(cast):
    on_agenda = queued_complaint(cast, "列入议题的诉求")
    meeting = cast.held()
    later = queued_complaint(cast, "会后才列入的诉求")
    agenda = meeting.agenda_items.get(kind="complaints")
    refused(
        lambda: services.agenda_transfer(actor=cast.reviewer, item=agenda, complaints=[later]),
        ActionRefused.INVALID,
        "只能移送列入该议题的诉求",
    )
    refused(
        lambda: services.agenda_transfer(actor=cast.reviewer, item=agenda, complaints=[]),
        ActionRefused.INVALID,
        "请选择要移送的诉求",
    )
    on_agenda.refresh_from_db()
    assert on_agenda.status == "queued"


def test_the_default_agenda_takes_only_the_mechanisms_own_items(cast):
    queued = queued_complaint(cast)
    other = cast.world.other_mechanism
    queued.mechanism = other  # a complaint of another mechanism
    refused(
        lambda: services.meeting_create(
            actor=cast.secretary, mechanism=cast.world.mechanism, data=cast.data(), complaints=[queued]
        ),
        ActionRefused.INVALID,
        "只能选择本机制待联席会议移送的诉求",
    )
    assert not Meeting.objects.exists()


def test_dual_list_refusals(cast, people):
    dual_list = services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2026)
    row = services.TaskRow(2, services.ItemData("任务", cast.world.court, dt.date(2026, 12, 31)))
    refused(
        lambda: services.dual_list_replace_tasks(actor=people["clerk"], dual_list=dual_list, rows=[row]),
        ActionRefused.PERMISSION,
    )
    refused(
        lambda: services.dual_list_replace_tasks(actor=cast.secretary, dual_list=dual_list, rows=[]),
        ActionRefused.INVALID,
        "没有可导入的任务",
    )
    plenary = cast.held(kind="plenary", title="全体会议")
    refused(
        lambda: services.dual_list_approve(actor=cast.secretary, dual_list=dual_list, meeting=plenary),
        ActionRefused.STATE,
        "还没有任务",
    )
    planned = cast.meeting(kind="plenary", title="尚未召开的全体会议")
    services.dual_list_replace_tasks(actor=cast.secretary, dual_list=dual_list, rows=[row])
    refused(
        lambda: services.dual_list_approve(actor=cast.secretary, dual_list=dual_list, meeting=planned),
        ActionRefused.INVALID,
        "请选择已召开的全体会议",
    )
    refused(
        lambda: services.dual_list_approve(actor=people["clerk"], dual_list=dual_list, meeting=plenary),
        ActionRefused.PERMISSION,
    )
    services.dual_list_approve(actor=cast.secretary, dual_list=dual_list, meeting=plenary)
    refused(
        lambda: services.dual_list_approve(
            actor=cast.secretary, dual_list=DualList.objects.get(pk=dual_list.pk), meeting=plenary
        ),
        ActionRefused.STATE,
        "已审定",
    )
