"""Minutes: drafting, approval by every party (or return), numbering at issue, the freeze, corrections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from liaison.choices import DeadlineState
from liaison.errors import ActionRefused
from liaison.models import AuditEvent, Deadline, Notification
from meetings import services
from meetings.choices import ApprovalDecision, ItemStatus, MeetingStatus
from meetings.choices import MinutesStatus as MS
from meetings.models import ActionItem, Decision, Minutes, MinutesSection

from ..factories import UserFactory


def test_minutes_are_drafted_once_the_meeting_was_held(cast):
    meeting = cast.noticed()
    with pytest.raises(ActionRefused) as refused:
        services.minutes_create(actor=cast.secretary, meeting=meeting, data=cast.minutes_data(meeting))
    assert "会议确认召开后才能起草纪要" in refused.value.message
    minutes = cast.minutes(title="另一次会议")
    assert minutes.status == MS.DRAFT and minutes.number == ""
    assert minutes.meeting.status == MeetingStatus.MINUTES_DRAFTED
    assert minutes.sections.count() == 1 and minutes.decisions.count() == 1
    [item] = minutes.action_items.all()
    assert item.status == ItemStatus.DRAFT and item.source == "minutes"
    with pytest.raises(ActionRefused) as refused:
        services.minutes_create(actor=cast.secretary, meeting=minutes.meeting, data=cast.minutes_data(meeting))
    assert "该会议已有纪要" in refused.value.message


def test_only_the_secretary_drafts_minutes(cast):
    meeting = cast.held()
    with pytest.raises(ActionRefused) as refused:
        services.minutes_create(actor=cast.court_leader, meeting=meeting, data=cast.minutes_data(meeting))
    assert refused.value.code == ActionRefused.PERMISSION and "起草纪要" in refused.value.message


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "请填写纪要标题"),
        ({"summary": " "}, "请填写会议概况"),
        ({"sections": [services.SectionData(heading="通报", discussion="")]}, "第 1 个议题：请填写议题和讨论情况"),
    ],
)
def test_it_refuses_incomplete_minutes(cast, change, message):
    meeting = cast.held()
    with pytest.raises(ActionRefused) as refused:
        services.minutes_create(actor=cast.secretary, meeting=meeting, data=cast.minutes_data(meeting, **change))
    assert message in refused.value.message
    assert not Minutes.objects.exists()
    assert meeting.status == MeetingStatus.HELD


def test_action_items_need_an_owner_party_and_a_date_after_the_meeting(cast):
    meeting = cast.held()
    world = cast.world
    bad = [
        (
            services.ItemData(title="x", owner_organization=world.other_court, due_date=dt.date(2026, 5, 1)),
            "第 1 项督办事项：责任单位须是本机制的参与单位",
        ),
        (
            services.ItemData(title="x", owner_organization=world.court, due_date=dt.date(2026, 3, 19)),
            "第 1 项督办事项：完成时限须晚于 2026-03-20",
        ),
        (
            services.ItemData(
                title="x",
                owner_organization=world.federation,
                owner_department=cast.department,
                due_date=dt.date(2026, 5, 1),
            ),
            "不属于甲市工商业联合会",
        ),
    ]
    for item, message in bad:
        with pytest.raises(ActionRefused) as refused:
            services.minutes_create(
                actor=cast.secretary, meeting=meeting, data=cast.minutes_data(meeting, action_items=[item])
            )
        assert message in refused.value.message


def test_every_partys_leader_approves_before_the_minutes_are_approved(cast):
    minutes = services.minutes_submit(actor=cast.secretary, minutes=cast.minutes())
    assert minutes.status == MS.SUBMITTED and minutes.approval_round == 1
    assert set(minutes.approvals.values_list("organization__name", "decision")) == {
        ("甲市中级人民法院", "pending"),
        ("甲市工商业联合会", "pending"),
    }
    assert Notification.objects.filter(title__startswith="会议纪要待审定").count() == 2
    services.minutes_decide(actor=cast.court_leader, minutes=minutes, approve=True)
    assert Minutes.objects.get(pk=minutes.pk).status == MS.SUBMITTED
    services.minutes_decide(actor=cast.fed_leader, minutes=minutes, approve=True, comment="同意印发")
    minutes.refresh_from_db()
    assert minutes.status == MS.APPROVED and minutes.approved_at
    assert minutes.meeting.status == MeetingStatus.MINUTES_APPROVED


def test_a_leader_returns_the_minutes_with_comments(cast):
    minutes = services.minutes_submit(actor=cast.secretary, minutes=cast.minutes())
    with pytest.raises(ActionRefused) as refused:
        services.minutes_decide(actor=cast.fed_leader, minutes=minutes, approve=False, comment="")
    assert "退回修改的，请填写意见" in refused.value.message
    services.minutes_decide(actor=cast.fed_leader, minutes=minutes, approve=False, comment="请补充商会会长的发言。")
    minutes.refresh_from_db()
    assert minutes.status == MS.RETURNED
    assert set(minutes.approvals.values_list("decision", flat=True)) == {
        ApprovalDecision.RETURNED,
        ApprovalDecision.WITHDRAWN,
    }
    assert Notification.objects.filter(recipient=cast.secretary, title__startswith="会议纪要被退回修改").exists()
    with pytest.raises(ActionRefused) as refused:
        services.minutes_decide(actor=cast.court_leader, minutes=minutes, approve=True)
    assert refused.value.code == ActionRefused.STATE
    services.minutes_update(
        actor=cast.secretary,
        minutes=minutes,
        data=cast.minutes_data(minutes.meeting, summary="会议通报了上季度工作；商会会长就查封问题发言。"),
    )
    minutes = services.minutes_submit(actor=cast.secretary, minutes=minutes)
    assert minutes.approval_round == 2 and minutes.approvals.filter(round=2, decision="pending").count() == 2


def test_approval_refusals(cast):
    world = cast.world
    minutes = cast.minutes()
    with pytest.raises(ActionRefused) as refused:
        services.minutes_decide(actor=cast.court_leader, minutes=minutes, approve=True)
    assert refused.value.code == ActionRefused.STATE and "草稿" in refused.value.message
    services.minutes_submit(actor=cast.secretary, minutes=minutes)
    with pytest.raises(ActionRefused) as refused:
        services.minutes_decide(actor=world.bob, minutes=minutes, approve=True)
    assert refused.value.code == ActionRefused.PERMISSION and "审定纪要" in refused.value.message
    outsider = UserFactory(organization=world.other_court, roles=["leader"])
    with pytest.raises(ActionRefused) as refused:
        services.minutes_decide(actor=outsider, minutes=minutes, approve=True)
    assert refused.value.code == ActionRefused.PERMISSION
    services.minutes_decide(actor=cast.court_leader, minutes=minutes, approve=True)
    second_leader = UserFactory(full_name="副院长乙", organization=world.court, roles=["leader"])
    with pytest.raises(ActionRefused) as refused:
        services.minutes_decide(actor=second_leader, minutes=minutes, approve=True)
    assert refused.value.code == ActionRefused.STATE and "本单位已由" in refused.value.message
    with pytest.raises(ActionRefused) as refused:
        services.minutes_issue(actor=cast.secretary, minutes=minutes)
    assert refused.value.code == ActionRefused.STATE and "须经各方审定" in refused.value.message


def test_issuing_numbers_distributes_and_supervises(cast):
    minutes = cast.issued()
    assert minutes.status == MS.ISSUED and minutes.number == "〔2026〕第1期"
    assert (minutes.year, minutes.sequence) == (2026, 1) and minutes.issued_by == cast.secretary
    assert minutes.meeting.status == MeetingStatus.MINUTES_ISSUED
    assert set(minutes.distribution.values_list("organization__name", flat=True)) == {
        "甲市中级人民法院",
        "甲市工商业联合会",
    }
    [item] = minutes.action_items.all()
    assert item.status == ItemStatus.OPEN
    deadline = Deadline.objects.get(kind=services.ITEM_DEADLINE, object_id=str(item.pk))
    assert deadline.due_date == dt.date(2026, 4, 30) and deadline.state == DeadlineState.RUNNING
    assert deadline.owner_organization == cast.world.court
    issued_to = set(
        Notification.objects.filter(title__contains="〔2026〕第1期").values_list("recipient__username", flat=True)
    )
    assert {"alice", "bob", "court_boss", "fed_boss", "secretary"} <= issued_to
    second = cast.issued(title="第二次联席会议", starts_at=cast.data().starts_at, ends_at=cast.data().ends_at)
    assert second.number == "〔2026〕第2期"


def test_a_due_date_on_a_holiday_moves_to_the_next_working_day(cast):
    meeting = cast.held()
    item = services.ItemData(title="国庆前完成", owner_organization=cast.world.court, due_date=dt.date(2026, 10, 3))
    minutes = services.minutes_create(
        actor=cast.secretary, meeting=meeting, data=cast.minutes_data(meeting, action_items=[item])
    )
    services.minutes_submit(actor=cast.secretary, minutes=minutes)
    services.minutes_decide(actor=cast.court_leader, minutes=minutes, approve=True)
    services.minutes_decide(actor=cast.fed_leader, minutes=minutes, approve=True)
    services.minutes_issue(actor=cast.secretary, minutes=minutes)
    deadline = Deadline.objects.get(kind=services.ITEM_DEADLINE)
    assert deadline.due_date == dt.date(2026, 10, 8)  # National Day holiday 1–7 October


def test_issued_minutes_are_never_edited(cast):
    minutes = cast.issued()
    with pytest.raises(ActionRefused) as refused:
        services.minutes_update(actor=cast.secretary, minutes=minutes, data=cast.minutes_data(minutes.meeting))
    assert "已印发的纪要不能修改" in refused.value.message and refused.value.code == ActionRefused.STATE
    with pytest.raises(ActionRefused):
        services.minutes_submit(actor=cast.secretary, minutes=minutes)


@pytest.mark.parametrize(
    "write",
    [
        lambda m: Minutes.objects.filter(pk=m.pk).update(title="改过的标题"),
        lambda m: Minutes.objects.filter(pk=m.pk).update(status="draft"),
        lambda m: MinutesSection.objects.create(minutes=m, heading="补充", discussion="事后补写"),
        lambda m: MinutesSection.objects.filter(minutes=m).update(discussion="改写"),
        lambda m: Decision.objects.filter(minutes=m).update(text="改写"),
        lambda m: Decision.objects.create(minutes=m, text="事后补充的议定事项"),
        lambda m: ActionItem.objects.filter(minutes=m).update(due_date=dt.date(2026, 12, 31)),
        lambda m: ActionItem.objects.filter(minutes=m).update(title="换了事项"),
        lambda m: ActionItem.objects.create(
            mechanism_id=m.mechanism_id,
            source="minutes",
            minutes=m,
            title="补充事项",
            owner_organization_id=m.mechanism.parties.first().organization_id,
            due_date=dt.date(2026, 12, 31),
        ),
    ],
)
def test_the_database_refuses_to_change_issued_minutes(cast, write):
    minutes = cast.issued()
    with pytest.raises(IntegrityError), transaction.atomic():
        write(minutes)
    assert Minutes.objects.get(pk=minutes.pk).title == minutes.title


def test_issued_minutes_are_not_deleted_either(cast):
    from django.db.models import ProtectedError

    minutes = cast.issued()
    with pytest.raises(ProtectedError):
        minutes.delete()  # its action items protect it (PostgreSQL's triggers refuse deletes too)
    with pytest.raises(ProtectedError):
        minutes.meeting.delete()


def test_the_freeze_triggers_are_installed(cast):
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'meetings_%'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'meetings_%'")
        names = {row[0] for row in cursor.fetchall()}
    expected = (
        {
            "meetings_minutes_issued_no_update",
            "meetings_actionitem_issued_no_edit",
            "meetings_minutessection_issued_no_insert",
            "meetings_decision_issued_no_update",
        }
        if connection.vendor == "sqlite"
        else {
            "meetings_minutes_issued_frozen",
            "meetings_actionitem_issued_frozen",
            "meetings_minutessection_issued_frozen",
            "meetings_decision_issued_frozen",
        }
    )
    assert expected <= names


def test_the_work_on_an_issued_minutes_action_item_goes_on(cast):
    minutes = cast.issued()
    item = minutes.action_items.get()
    services.item_report_progress(actor=cast.world.bob, item=item, text="已梳理出 12 件。")
    assert ActionItem.objects.get(pk=item.pk).status == ItemStatus.IN_PROGRESS


def test_a_correction_is_new_numbered_minutes_referring_to_the_issued_one(cast):
    original = cast.issued()
    correction = services.minutes_correct(actor=cast.secretary, minutes=original)
    assert correction.corrects == original and correction.status == MS.DRAFT
    assert correction.title == "关于〔2026〕第1期会议纪要的更正"
    assert correction.sections.count() == 1 and correction.decisions.count() == 1
    with pytest.raises(ActionRefused) as refused:
        services.minutes_correct(actor=cast.secretary, minutes=original)
    assert "已有一份正在办理的更正纪要" in refused.value.message
    with pytest.raises(ActionRefused):
        services.minutes_correct(actor=cast.secretary, minutes=correction)
    services.minutes_submit(actor=cast.secretary, minutes=correction)
    services.minutes_decide(actor=cast.court_leader, minutes=correction, approve=True)
    services.minutes_decide(actor=cast.fed_leader, minutes=correction, approve=True)
    correction = services.minutes_issue(actor=cast.secretary, minutes=correction)
    assert correction.number == "〔2026〕第2期"
    original.refresh_from_db()
    assert original.status == MS.ISSUED and original.number == "〔2026〕第1期"
    assert correction.meeting.status == MeetingStatus.MINUTES_ISSUED


def test_the_timeline_tells_the_story(cast):
    minutes = cast.issued()
    actions = list(
        AuditEvent.objects.filter(content_type__model="minutes", object_id=str(minutes.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "minutes_create",
        "minutes_submit",
        "minutes_approve",
        "minutes_approve",
        "minutes_approved",
        "minutes_issue",
    ]


def test_it_lists_the_steps_open_to_each_person(cast):
    minutes = cast.minutes()
    assert services.minutes_allowed_actions(cast.secretary, minutes) == ["edit", "submit"]
    assert services.minutes_allowed_actions(cast.court_leader, minutes) == []
    services.minutes_submit(actor=cast.secretary, minutes=minutes)
    minutes.refresh_from_db()
    assert services.minutes_allowed_actions(cast.court_leader, minutes) == ["decide"]
    assert services.minutes_allowed_actions(cast.secretary, minutes) == []
    assert services.minutes_allowed_actions(cast.world.charlie, minutes) == []


def test_minutes_go_for_approval_only_when_every_party_has_a_leader(cast):
    minutes = cast.minutes()
    cast.fed_leader.role_assignments.all().delete()
    with pytest.raises(ActionRefused) as refused:
        services.minutes_submit(actor=cast.secretary, minutes=minutes)
    assert "甲市工商业联合会没有领导账号" in refused.value.message
    assert Minutes.objects.get(pk=minutes.pk).status == MS.DRAFT
