"""Meetings: planning with the default agenda, notices, postponing, cancelling, holding, RSVP, attendance."""

from __future__ import annotations

import pytest
from django.core import mail

from cases.models import Transfer
from liaison.errors import ActionRefused
from liaison.models import AuditEvent, Notification
from meetings import services
from meetings.choices import AgendaKind, Attendance, Rsvp
from meetings.choices import MeetingStatus as M
from meetings.models import AgendaItem, InvitationEmail, Invitee, Meeting

from ..factories import OrganizationFactory, UserFactory
from .conftest import at, queued_complaint


def actions(meeting: Meeting) -> list[str]:
    return list(
        AuditEvent.objects.filter(content_type__model="meeting", object_id=str(meeting.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- planning -------------------------------------------------------------------------------------


def test_it_plans_a_meeting_with_users_and_outside_people(cast):
    meeting = cast.meeting()
    assert meeting.status == M.PLANNED and meeting.sequence == 0
    assert meeting.convenor == cast.world.court  # the mechanism's convenor party by default
    names = [i.display_name for i in meeting.invitees.order_by("order")]
    assert names[-1] == "王会长" and len(names) == 5
    outside = meeting.invitees.get(user__isnull=True)
    assert outside.organization_display == "甲市民营企业商会" and outside.title_display == "会长"
    assert actions(meeting) == ["meeting_create"]


def test_a_joint_meetings_agenda_starts_with_open_items_and_queued_complaints(cast):
    complaint = queued_complaint(cast)
    issued = cast.issued(title="上次联席会议")
    item = issued.action_items.get()
    meeting = cast.meeting(title="第二季度联席会议")
    agenda = list(meeting.agenda_items.order_by("order"))
    assert [a.kind for a in agenda] == [AgendaKind.ACTION_ITEMS, AgendaKind.COMPLAINTS]
    assert list(agenda[0].action_items.all()) == [item]
    assert list(agenda[1].complaints.all()) == [complaint]


def test_the_secretary_can_trim_the_default_agenda(cast):
    first, second = queued_complaint(cast, "第一件"), queued_complaint(cast, "第二件")
    meeting = services.meeting_create(
        actor=cast.secretary, mechanism=cast.world.mechanism, data=cast.data(), action_items=[], complaints=[first]
    )
    [agenda] = meeting.agenda_items.all()
    assert list(agenda.complaints.all()) == [first]
    services.agenda_item_trim(actor=cast.secretary, item=agenda, complaints=[first])
    assert agenda.complaints.count() == 0
    with pytest.raises(ActionRefused) as refused:
        services.agenda_item_trim(actor=cast.secretary, item=agenda, complaints=[second])
    assert "只能移除该议题下的事项" in refused.value.message
    services.agenda_item_remove(actor=cast.secretary, item=agenda)
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_other_kinds_start_with_an_empty_agenda(cast):
    queued_complaint(cast)
    assert cast.meeting(kind="coordination").agenda_items.count() == 0


def test_only_a_secretary_of_a_party_plans_meetings(cast):
    world = cast.world
    with pytest.raises(ActionRefused) as refused:
        services.meeting_create(actor=world.alice, mechanism=world.mechanism, data=cast.data())
    assert refused.value.code == ActionRefused.PERMISSION and "会议秘书" not in refused.value.message
    assert "安排会议" in refused.value.message
    stranger = UserFactory(organization=world.other_court, roles=["meeting_secretary"])
    with pytest.raises(ActionRefused) as refused:
        services.meeting_create(actor=stranger, mechanism=world.mechanism, data=cast.data())
    assert refused.value.code == ActionRefused.PERMISSION and "不是该机制的参与单位" in refused.value.message
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": " "}, "请填写会议名称"),
        ({"ends_at": at("2026-03-20", 8)}, "结束时间须晚于开始时间"),
        ({"place": ""}, "请填写会议地点或线上会议链接"),
        ({"kind": "party"}, "请选择会议类型"),
    ],
)
def test_it_refuses_bad_meeting_data_in_chinese(cast, overrides, message):
    with pytest.raises(ActionRefused) as refused:
        cast.meeting(**overrides)
    assert message in refused.value.message and refused.value.code == ActionRefused.INVALID
    assert not Meeting.objects.exists()


def test_a_meeting_online_needs_no_room(cast):
    meeting = cast.meeting(place="", online_link="https://meeting.example.test/123")
    assert meeting.online_link


def test_the_convenor_and_invitees_must_be_parties(cast):
    world = cast.world
    with pytest.raises(ActionRefused) as refused:
        cast.meeting(convenor=world.other_court)
    assert "召集单位须是本机制的参与单位" in refused.value.message
    with pytest.raises(ActionRefused) as refused:
        cast.meeting(invitees=[world.charlie])
    assert "不属于本机制的参与单位" in refused.value.message


# --- notices and their .ics ------------------------------------------------------------------------


def test_sending_the_notice_tells_invitees_in_the_app_and_by_email_with_an_ics(
    cast, django_capture_on_commit_callbacks
):
    meeting = cast.meeting()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_notice(actor=cast.secretary, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == M.NOTICE_SENT and meeting.notice_sent_at
    notes = Notification.objects.filter(kind="meeting", title__contains="会议通知")
    assert set(notes.values_list("recipient__username", flat=True)) == {"court_boss", "fed_boss", "alice", "bob"}
    assert set(notes.values_list("email_state", flat=True)) == {"none"}  # the invitation email is the email
    assert len(mail.outbox) == 5  # four users and the chamber's president
    assert InvitationEmail.objects.filter(state="sent").count() == 5
    message = next(m for m in mail.outbox if m.to == ["wang@chamber.test"])
    assert "2026年第一季度联席会议" in message.subject and "市法院三楼会议室" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    assert "METHOD:REQUEST" in content


def test_a_second_notice_is_refused_naming_who_sent_it(cast):
    meeting = cast.noticed()
    with pytest.raises(ActionRefused) as refused:
        services.meeting_send_notice(actor=cast.secretary, meeting=meeting)
    assert refused.value.code == ActionRefused.STATE
    assert "已由 孙丽" in refused.value.message and "发出会议通知" in refused.value.message


def test_a_notice_needs_invitees(cast):
    meeting = cast.meeting(invitees=[], outside=[])
    with pytest.raises(ActionRefused) as refused:
        services.meeting_send_notice(actor=cast.secretary, meeting=meeting)
    assert "请先添加参会人员" in refused.value.message
    assert Meeting.objects.get(pk=meeting.pk).status == M.PLANNED


def test_changing_a_notified_meeting_sends_an_update_with_a_higher_sequence(cast, django_capture_on_commit_callbacks):
    meeting = cast.noticed()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            actor=cast.secretary,
            meeting=meeting,
            data=cast.data(place="市工商联二楼会议室", invitees=[cast.court_leader, cast.fed_leader]),
        )
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and meeting.place == "市工商联二楼会议室"
    methods = {m.to[0]: m.attachments[0][1] for m in mail.outbox if "会议通知" not in m.subject}
    assert "SEQUENCE:1" in methods["court_boss@example.test"] and "METHOD:REQUEST" in methods["court_boss@example.test"]
    assert "METHOD:CANCEL" in methods["alice@example.test"]  # no longer invited
    assert "会议地点：市法院三楼会议室 → 市工商联二楼会议室" in AuditEvent.objects.get(action="meeting_edit").summary


def test_postponing_needs_a_reason_and_moves_the_meeting(cast, django_capture_on_commit_callbacks):
    meeting = cast.noticed()
    with pytest.raises(ActionRefused) as refused:
        services.meeting_postpone(
            actor=cast.secretary, meeting=meeting, reason=" ", starts_at=at("2026-03-27"), ends_at=at("2026-03-27", 11)
        )
    assert "请填写延期理由" in refused.value.message
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_postpone(
            actor=cast.secretary,
            meeting=meeting,
            reason="院领导另有公务",
            starts_at=at("2026-03-27"),
            ends_at=at("2026-03-27", 11),
        )
    meeting.refresh_from_db()
    assert meeting.status == M.POSTPONED and meeting.reason == "院领导另有公务" and meeting.sequence == 1
    content = next(m for m in mail.outbox if "会议延期" in m.subject).attachments[0][1]
    assert "DTSTART;TZID=Asia/Shanghai:20260327T090000" in content and "SEQUENCE:1" in content
    assert Notification.objects.filter(title__startswith="会议延期").count() == 4


def test_cancelling_sends_a_cancellation(cast, django_capture_on_commit_callbacks):
    meeting = cast.noticed()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=cast.secretary, meeting=meeting, reason="议题已通过书面方式办理")
    meeting.refresh_from_db()
    assert meeting.status == M.CANCELLED and meeting.sequence == 1
    content = next(m for m in mail.outbox if "会议取消" in m.subject).attachments[0][1]
    assert "METHOD:CANCEL" in content and "STATUS:CANCELLED" in content
    with pytest.raises(ActionRefused) as refused:
        services.meeting_cancel(actor=cast.secretary, meeting=meeting, reason="再次取消")
    assert refused.value.code == ActionRefused.STATE and "已取消" in refused.value.message
    with pytest.raises(ActionRefused):
        services.meeting_update(actor=cast.secretary, meeting=meeting, data=cast.data())


def test_a_planned_meeting_cancelled_before_notice_tells_nobody(cast):
    meeting = cast.meeting()
    services.meeting_cancel(actor=cast.secretary, meeting=meeting, reason="改期另行安排")
    assert not InvitationEmail.objects.exists() and not Notification.objects.filter(kind="meeting").exists()


def test_a_meeting_is_held_on_its_day_not_before(cast, time_machine):
    time_machine.move_to("2026-03-19 09:00 +08:00", tick=False)
    meeting = cast.noticed()
    with pytest.raises(ActionRefused) as refused:
        services.meeting_hold(actor=cast.secretary, meeting=meeting)
    assert "召开当天或之后" in refused.value.message
    time_machine.move_to("2026-03-20 12:00 +08:00", tick=False)
    assert services.meeting_hold(actor=cast.secretary, meeting=meeting).status == M.HELD
    with pytest.raises(ActionRefused) as refused:
        services.meeting_hold(actor=cast.world.alice, meeting=meeting)
    assert refused.value.code == ActionRefused.PERMISSION
    assert actions(meeting) == ["meeting_create", "meeting_send_notice", "meeting_hold"]


def test_a_planned_meeting_cannot_be_held_without_a_notice(cast):
    with pytest.raises(ActionRefused) as refused:
        services.meeting_hold(actor=cast.secretary, meeting=cast.meeting())
    assert refused.value.code == ActionRefused.STATE and "已计划" in refused.value.message


# --- RSVP and attendance -----------------------------------------------------------------------------


def test_invitees_answer_the_notice(cast):
    meeting = cast.noticed()
    mine = meeting.invitees.get(user=cast.fed_leader)
    services.invitee_rsvp(actor=cast.fed_leader, invitee=mine, answer=Rsvp.ACCEPTED)
    assert Invitee.objects.get(pk=mine.pk).rsvp == Rsvp.ACCEPTED
    with pytest.raises(ActionRefused) as refused:
        services.invitee_rsvp(actor=cast.world.alice, invitee=mine, answer=Rsvp.DECLINED, note="x")
    assert refused.value.code == ActionRefused.PERMISSION
    alice = meeting.invitees.get(user=cast.world.alice)
    with pytest.raises(ActionRefused) as refused:
        services.invitee_rsvp(actor=cast.world.alice, invitee=alice, answer=Rsvp.DECLINED)
    assert "不参加的，请说明理由" in refused.value.message
    services.invitee_rsvp(actor=cast.secretary, invitee=alice, answer=Rsvp.DECLINED, note="电话告知：出差")
    assert Invitee.objects.get(pk=alice.pk).rsvp_note == "电话告知：出差"


def test_answers_close_when_the_meeting_is_held(cast):
    meeting = cast.held()
    mine = meeting.invitees.get(user=cast.fed_leader)
    with pytest.raises(ActionRefused) as refused:
        services.invitee_rsvp(actor=cast.fed_leader, invitee=mine, answer=Rsvp.ACCEPTED)
    assert refused.value.code == ActionRefused.STATE


def test_it_records_attendance_with_deputies(cast):
    meeting = cast.held()
    people = {i.display_name: i for i in meeting.invitees.all()}
    entries = [services.AttendanceEntry(i, Attendance.PRESENT) for i in people.values()]
    entries[1] = services.AttendanceEntry(entries[1].invitee, Attendance.REPRESENTED, "")
    with pytest.raises(ActionRefused) as refused:
        services.attendance_record(actor=cast.secretary, meeting=meeting, entries=entries)
    assert "委托出席的，请填写出席人姓名" in refused.value.message
    assert not meeting.invitees.exclude(attendance=Attendance.UNKNOWN).exists()  # nothing saved
    entries[1] = services.AttendanceEntry(entries[1].invitee, Attendance.REPRESENTED, "刘建国")
    entries[2] = services.AttendanceEntry(entries[2].invitee, Attendance.ABSENT)
    services.attendance_record(actor=cast.secretary, meeting=meeting, entries=entries)
    assert meeting.invitees.filter(attendance=Attendance.PRESENT).count() == 3
    assert meeting.invitees.get(attendance=Attendance.REPRESENTED).represented_by == "刘建国"
    assert "出席 3 人，委托出席 1 人，缺席 1 人" in AuditEvent.objects.filter(action="meeting_attendance").get().summary


def test_attendance_waits_for_the_day_and_freezes_when_minutes_go_for_approval(cast, time_machine):
    time_machine.move_to("2026-03-18 09:00 +08:00", tick=False)
    meeting = cast.noticed()
    entry = [services.AttendanceEntry(meeting.invitees.first(), Attendance.PRESENT)]
    with pytest.raises(ActionRefused) as refused:
        services.attendance_record(actor=cast.secretary, meeting=meeting, entries=entry)
    assert "会议召开当天或之后" in refused.value.message
    time_machine.move_to("2026-03-20 09:00 +08:00", tick=False)
    services.meeting_hold(actor=cast.secretary, meeting=meeting)
    minutes = services.minutes_create(actor=cast.secretary, meeting=meeting, data=cast.minutes_data(meeting))
    services.minutes_submit(actor=cast.secretary, minutes=minutes)
    meeting.refresh_from_db()
    with pytest.raises(ActionRefused) as refused:
        services.attendance_record(actor=cast.secretary, meeting=meeting, entries=entry)
    assert refused.value.code == ActionRefused.STATE


# --- transfer at this meeting -----------------------------------------------------------------------


def test_transfer_at_this_meeting_creates_the_letter_and_links_it(cast):
    complaint = queued_complaint(cast)
    meeting = cast.held()
    agenda = meeting.agenda_items.get(kind=AgendaKind.COMPLAINTS)
    with pytest.raises(ActionRefused) as refused:  # the court's leader neither collects nor runs the meeting
        services.agenda_transfer(actor=cast.court_leader, item=agenda, complaints=[complaint])
    assert refused.value.code == ActionRefused.PERMISSION
    [transfer] = services.agenda_transfer(actor=cast.reviewer, item=agenda, complaints=[complaint])
    assert list(agenda.transfers.all()) == [transfer]
    assert transfer.meeting_reference == meeting.title
    complaint.refresh_from_db()
    assert complaint.status == "transferred" and complaint.transfer == transfer
    assert "meeting_agenda_transfer" in actions(meeting)


def test_transfer_waits_for_the_meeting(cast, time_machine):
    time_machine.move_to("2026-03-10 09:00 +08:00", tick=False)
    complaint = queued_complaint(cast)
    meeting = cast.noticed()
    agenda = meeting.agenda_items.get(kind=AgendaKind.COMPLAINTS)
    with pytest.raises(ActionRefused) as refused:
        services.agenda_transfer(actor=cast.reviewer, item=agenda, complaints=[complaint])
    assert "会议召开时才能在会上移送诉求" in refused.value.message
    assert not Transfer.objects.exists()


def test_it_lists_the_steps_the_user_may_take(cast):
    meeting = cast.meeting()
    assert services.allowed_actions(cast.secretary, meeting) == ["send_notice", "postpone", "cancel", "edit"]
    assert services.allowed_actions(cast.world.alice, meeting) == []
    other = OrganizationFactory(name="上级法院", kind="court")
    cast.world.court.parent = other
    cast.world.court.save()
    reader = UserFactory(organization=other, roles=["meeting_secretary"])
    assert services.allowed_actions(reader, meeting) == []
