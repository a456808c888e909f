"""Who is told: every notice to a mechanism's parties follows `liaison.membership.told` — the parties on
the day (a party that has left is not told) whose place is told in the mechanism (the administrator may
turn member units off; the convenor and core parties are told by default)."""

from __future__ import annotations

import datetime as dt

import pytest

from liaison import membership
from liaison.choices import PartyPlace
from liaison.models import ExternalSystem, MechanismParty, MechanismPlaceRule, Notification, OutboxMessage
from meetings import cadence, forms, services
from meetings.models import InvitationEmail, Meeting
from meetings.services import invitations

from ..factories import OrganizationFactory, UserFactory
from .conftest import at

Notice = membership.Notice


class Parties:
    """Beside the court (convenor) and the federation (core): a member unit and an observer that will leave."""

    def __init__(self, cast) -> None:
        self.cast = cast
        mechanism = cast.world.mechanism
        self.member = OrganizationFactory(name="甲市市场监督管理局", kind="government")
        self.m_officer = UserFactory(username="m_officer", organization=self.member, roles=["court_handler"])
        self.m_secretary = UserFactory(username="m_secretary", organization=self.member, roles=["meeting_secretary"])
        self.m_boss = UserFactory(username="m_boss", organization=self.member, roles=["leader"])
        MechanismParty.objects.create(
            mechanism=mechanism,
            organization=self.member,
            place=PartyPlace.MEMBER,
            side="handler",
            liaison_officer=self.m_officer,
            joined_on=dt.date(2026, 1, 1),
        )
        self.leaving = OrganizationFactory(name="甲市税务局", kind="government")
        self.l_boss = UserFactory(username="l_boss", organization=self.leaving, roles=["leader"])
        self.l_secretary = UserFactory(username="l_secretary", organization=self.leaving, roles=["meeting_secretary"])
        MechanismParty.objects.create(
            mechanism=mechanism,
            organization=self.leaving,
            place=PartyPlace.OBSERVER,
            side="handler",
            joined_on=dt.date(2026, 1, 1),
        )

    def member_not_told(self) -> None:
        MechanismPlaceRule.objects.create(mechanism=self.cast.world.mechanism, place=PartyPlace.MEMBER, is_told=False)

    def leave(self, on: dt.date) -> None:
        MechanismParty.objects.filter(organization=self.leaving).update(left_on=on)


@pytest.fixture
def parties(cast) -> Parties:
    return Parties(cast)


def names(users) -> set[str]:
    return {u.username for u in users}


def told_of(title_start: str) -> set[str]:
    return set(Notification.objects.filter(title__startswith=title_start).values_list("recipient__username", flat=True))


# --- the one answer --------------------------------------------------------------------------------


def test_the_parties_told_follow_the_place_rule_and_the_day(cast, parties):
    world, mechanism = cast.world, cast.world.mechanism
    everyone = [world.court.pk, world.federation.pk, parties.member.pk, parties.leaving.pk]
    assert sorted(membership.told(mechanism, Notice.MINUTES_ISSUED).organization_ids) == sorted(everyone)
    parties.leave(dt.date(2026, 3, 10))
    # Before it left it was told; from the day it left, not.
    assert parties.leaving.pk in membership.told(mechanism, Notice.MEETING, dt.date(2026, 3, 9)).organization_ids
    assert parties.leaving.pk not in membership.told(mechanism, Notice.MEETING).organization_ids
    assert names(membership.told(mechanism, Notice.CADENCE_MISSED).users) == {"court_boss", "fed_boss", "m_boss"}
    assert names(membership.told(mechanism, Notice.CADENCE_DUE).users) == {"secretary", "m_secretary"}
    assert names(membership.told(mechanism, Notice.MEETING).users) == {
        "court_boss",
        "fed_boss",
        "secretary",
        "bob",  # the court's liaison officer
        "m_boss",
        "m_secretary",
        "m_officer",
    }
    parties.member_not_told()
    for kind in Notice:
        told = membership.told(mechanism, kind)
        assert told.organization_ids == [world.court.pk, world.federation.pk], kind
    assert names(membership.told(mechanism, Notice.CADENCE_MISSED).users) == {"court_boss", "fed_boss"}
    assert membership.told(mechanism, Notice.SYSTEM_EVENT).users == []


def test_cadence_reminders_fall_back_to_the_liaison_officers_of_the_told_parties(cast, parties):
    from liaison.models import User

    User.objects.filter(username__in=["secretary", "m_secretary", "l_secretary"]).update(is_active=False)
    assert names(membership.told(cast.world.mechanism, Notice.CADENCE_DUE).users) == {"bob", "m_officer"}
    parties.member_not_told()
    assert names(membership.told(cast.world.mechanism, Notice.CADENCE_DUE).users) == {"bob"}


# --- issued minutes ------------------------------------------------------------------------------------


def test_issued_minutes_reach_the_member_unit_by_default(cast, parties):
    minutes = cast.issued()
    assert set(minutes.distribution.values_list("organization", flat=True)) == {
        cast.world.court.pk,
        cast.world.federation.pk,
        parties.member.pk,
        parties.leaving.pk,
    }
    assert {"m_officer", "m_boss", "l_boss", "court_boss"} <= told_of("会议纪要")


def test_issued_minutes_skip_a_member_unit_turned_off_and_a_party_that_left(cast, parties):
    parties.member_not_told()
    parties.leave(dt.date(2026, 3, 10))
    minutes = cast.issued()
    assert set(minutes.distribution.values_list("organization", flat=True)) == {
        cast.world.court.pk,
        cast.world.federation.pk,
    }
    told = told_of(f"会议纪要{minutes.number}已印发")
    assert {"court_boss", "fed_boss", "bob", "secretary"} <= told
    assert not told & {"m_officer", "m_secretary", "m_boss", "l_boss", "l_secretary"}


# --- meeting notices and reminders ---------------------------------------------------------------------


def test_meeting_notices_changes_and_cancellation_follow_who_is_told(cast, parties):
    invitees = [cast.court_leader, cast.fed_leader, parties.m_officer, parties.l_boss]
    meeting = cast.noticed(invitees=invitees)
    assert told_of("会议通知") == {"court_boss", "fed_boss", "m_officer", "l_boss"}
    # The member units are no longer told; the tax bureau leaves the mechanism today.
    parties.member_not_told()
    parties.leave(dt.date(2026, 3, 20))
    services.meeting_update(
        actor=cast.secretary,
        meeting=meeting,
        data=cast.data(invitees=[cast.court_leader, cast.fed_leader, parties.m_officer], place="市法院五楼会议室"),
    )
    assert told_of("会议变更") == {"court_boss", "fed_boss"}
    assert told_of("不再邀请您参加") == set()  # the tax bureau's leader: it has left
    meeting = Meeting.objects.get(pk=meeting.pk)
    services.meeting_postpone(
        actor=cast.secretary,
        meeting=meeting,
        reason="与市委会议冲突",
        starts_at=at("2026-03-27"),
        ends_at=at("2026-03-27", 11),
    )
    assert told_of("会议延期") == {"court_boss", "fed_boss"}
    services.meeting_cancel(actor=cast.secretary, meeting=Meeting.objects.get(pk=meeting.pk), reason="另行安排")
    assert told_of("会议取消") == {"court_boss", "fed_boss"}
    # Outside guests are no party: they are always told (by email with the .ics).
    assert InvitationEmail.objects.filter(address="wang@chamber.test").count() == 4


def test_a_notice_to_nobody_told_is_refused(cast, parties):
    parties.member_not_told()
    meeting = cast.meeting(invitees=[parties.m_officer], outside=[])
    with pytest.raises(Exception, match="请先添加参会人员"):
        services.meeting_send_notice(actor=cast.secretary, meeting=meeting)


def test_the_meeting_form_offers_and_ticks_only_people_of_told_parties(cast, parties):
    from liaison.models import Mechanism

    scope = Mechanism.objects.filter(pk=cast.world.mechanism.pk)
    ticked = set(forms.default_invitees(scope))
    assert {parties.m_officer.pk, parties.m_boss.pk, parties.l_boss.pk} <= ticked
    parties.member_not_told()
    parties.leave(dt.date(2026, 3, 1))
    ticked = set(forms.default_invitees(scope))
    offered = set(forms.party_users(scope).values_list("username", flat=True))
    assert not ticked & {parties.m_officer.pk, parties.m_boss.pk, parties.l_boss.pk, parties.l_secretary.pk}
    assert {cast.court_leader.pk, cast.fed_leader.pk, cast.secretary.pk, cast.world.bob.pk} <= ticked
    assert offered.isdisjoint({"m_officer", "m_boss", "l_boss"}) and "court_boss" in offered


def _tomorrows_meeting(cast, parties) -> Meeting:
    invitees = [cast.court_leader, cast.fed_leader, cast.world.bob, parties.m_officer, parties.l_boss]
    meeting = cast.noticed(invitees=invitees, starts_at=at("2026-03-21"), ends_at=at("2026-03-21", 11))
    services.invitee_rsvp(
        actor=cast.world.bob, invitee=meeting.invitees.get(user=cast.world.bob), answer="declined", note="出差"
    )
    return meeting


def test_the_day_before_a_meeting_its_told_invitees_are_reminded_once(cast, parties):
    _tomorrows_meeting(cast, parties)
    assert invitations.meetings_remind(dt.date(2026, 3, 19)) == 0  # two days before: not yet
    assert invitations.meetings_remind() == 4
    assert told_of("会议提醒") == {"court_boss", "fed_boss", "m_officer", "l_boss"}  # not bob: declined
    assert invitations.meetings_remind() == 0


def test_the_meeting_reminder_skips_a_member_unit_turned_off_and_a_party_that_left(cast, parties):
    _tomorrows_meeting(cast, parties)
    parties.member_not_told()
    parties.leave(dt.date(2026, 3, 20))
    assert invitations.meetings_remind() == 2
    assert told_of("会议提醒") == {"court_boss", "fed_boss"}


# --- cadence warnings ------------------------------------------------------------------------------------


def cadence_titles(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind__in=["due_soon", "overdue"])
        .order_by("id")
        .values_list("title", flat=True)
    )


def test_cadence_warnings_go_to_the_told_parties(cast, parties, time_machine):
    parties.leave(dt.date(2026, 6, 30))
    time_machine.move_to("2026-08-31 09:00 +08:00", tick=False)  # 30 days before the third quarter ends
    cadence.remind()
    # Before the quarter ends: the secretaries of the parties told, the member unit's too.
    assert len(cadence_titles(cast.secretary)) == 1 and len(cadence_titles(parties.m_secretary)) == 1
    assert cadence_titles(parties.l_secretary) == []
    # The second quarter ended without a meeting: the leaders of the parties told now.
    for leader in (cast.court_leader, cast.fed_leader, parties.m_boss):
        assert ["2026年第二季度已结束" in title for title in cadence_titles(leader)] == [True]
    assert cadence_titles(parties.l_boss) == []
    # The administrator stops telling member units: the ten-day warning skips them.
    parties.member_not_told()
    time_machine.move_to("2026-09-20 09:00 +08:00", tick=False)
    assert cadence.remind() == 1
    assert "还有 10 天结束" in cadence_titles(cast.secretary)[-1]
    assert len(cadence_titles(parties.m_secretary)) == 1


# --- docked systems ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "heard"), [("none", 1), ("member_not_told", 0), ("left", 0)])
def test_the_member_units_docked_system_hears_of_issued_minutes_only_while_told(cast, parties, change, heard):
    system = ExternalSystem.objects.create(
        name="市场监管协同平台",
        organization=parties.member,
        webhook_url="http://127.0.0.1:9/hooks",
        secret="whsec-test",
        event_types=["minutes.issued"],
    )
    system.mechanisms.add(cast.world.mechanism)
    if change == "member_not_told":
        parties.member_not_told()
    elif change == "left":
        MechanismParty.objects.filter(organization=parties.member).update(left_on=dt.date(2026, 3, 19))
    cast.issued()
    assert OutboxMessage.objects.filter(system=system).count() == heard


# --- an item reported done -----------------------------------------------------------------------------------


def test_the_secretaries_of_the_told_parties_hear_that_an_item_was_reported_done(cast, parties):
    item = cast.issued().action_items.get()
    parties.leave(dt.date(2026, 3, 20))
    services.item_report_progress(actor=cast.world.bob, item=item, text="清单已梳理完毕。", completed=True)
    assert told_of("督办事项报告已完成") == {"secretary", "m_secretary"}
    parties.member_not_told()
    services.item_report_progress(actor=cast.world.bob, item=item, text="补充材料已上传。", completed=True)
    assert Notification.objects.filter(title__startswith="督办事项报告已完成").count() == 3
