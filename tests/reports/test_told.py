"""Reports follow who is told (`liaison.membership.told`): a published report and the monthly report
reach the parties told in the mechanism — not a member unit the administrator turned off, nor a party
that has left."""

from __future__ import annotations

import datetime as dt

import pytest

from liaison.choices import NotificationKind, PartyPlace
from liaison.models import MechanismParty, MechanismPlaceRule, Notification
from reports import monthly
from reports.models import CommentRequest

from ..factories import OrganizationFactory, UserFactory
from .conftest import draft_regulation, published


@pytest.fixture
def units(world, time_machine):
    time_machine.move_to("2026-11-05 09:00 +08:00", tick=False)
    member = OrganizationFactory(name="甲市市场监督管理局", kind="government")
    leaving = OrganizationFactory(name="甲市税务局", kind="government")
    for organization, place in ((member, PartyPlace.MEMBER), (leaving, PartyPlace.OBSERVER)):
        MechanismParty.objects.create(mechanism=world.mechanism, organization=organization, place=place, side="handler")
    UserFactory(username="m_boss", organization=member, roles=["leader"])
    UserFactory(username="l_boss", organization=leaving, roles=["leader"])
    return member, leaving


def recipients(**filters) -> set[str]:
    return set(Notification.objects.filter(**filters).values_list("recipient__username", flat=True))


def turn_off_and_leave(world, leaving) -> None:
    MechanismPlaceRule.objects.create(mechanism=world.mechanism, place=PartyPlace.MEMBER, is_told=False)
    MechanismParty.objects.filter(organization=leaving).update(left_on=dt.date(2026, 10, 31))


def test_a_published_report_reaches_the_member_unit_by_default(world, units):
    published(world)
    assert recipients(kind=NotificationKind.WORK) == {"alice", "m_boss", "l_boss"}


def test_a_published_report_skips_a_member_unit_turned_off_and_a_party_that_left(world, units):
    member, leaving = units
    turn_off_and_leave(world, leaving)
    published(world)
    assert recipients(kind=NotificationKind.WORK) == {"alice"}
    # Nor are they asked for comments on a draft regulation.
    published_draft = draft_regulation(world)
    from reports import services

    services.report_publish(report=published_draft, actor=world.bob)
    asked = set(CommentRequest.objects.filter(report=published_draft).values_list("organization", flat=True))
    assert asked == {world.federation.pk}


def test_the_monthly_report_reaches_the_leaders_of_the_told_parties(world, units):
    member, leaving = units
    monthly.generate_monthly_report(mechanism=world.mechanism, year=2026, month=9, actor=world.leader)
    assert {"court_boss", "m_boss", "l_boss"} <= recipients(title__contains="已生成")
    turn_off_and_leave(world, leaving)
    monthly.generate_monthly_report(mechanism=world.mechanism, year=2026, month=10, actor=world.leader)
    told = recipients(title__contains="2026年10月")
    assert "court_boss" in told and not told & {"m_boss", "l_boss"}
