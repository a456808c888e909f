"""Member units: their place decides what they approve, route and are told; history survives a change."""

from __future__ import annotations

import datetime as dt

import pytest

from liaison import membership, scoping
from liaison.choices import HANDLING_SIDES, PartyPlace
from liaison.errors import ActionRefused
from liaison.models import MechanismParty, MechanismPlaceRule
from meetings import services
from meetings.choices import MinutesStatus as MS
from meetings.models import Minutes

from ..factories import OrganizationFactory, UserFactory


@pytest.fixture
def member(cast):
    """A member unit with a liaison officer but no leader account."""
    unit = OrganizationFactory(name="甲市市场监督管理局", kind="government")
    officer = UserFactory(username="member_officer", organization=unit, roles=["court_handler"])
    MechanismParty.objects.create(
        mechanism=cast.world.mechanism,
        organization=unit,
        place=PartyPlace.MEMBER,
        side="handler",
        liaison_officer=officer,
        joined_on=dt.date(2026, 1, 1),
    )
    return unit


def test_it_approves_minutes_without_the_member_unit_that_has_no_leader(cast, member):
    minutes = services.minutes_submit(actor=cast.secretary, minutes=cast.minutes())
    assert set(minutes.approvals.values_list("organization__name", flat=True)) == {
        "甲市中级人民法院",
        "甲市工商业联合会",
    }
    services.minutes_decide(actor=cast.court_leader, minutes=minutes, approve=True)
    minutes = services.minutes_decide(actor=cast.fed_leader, minutes=minutes, approve=True)
    assert minutes.status == MS.APPROVED
    minutes = services.minutes_issue(actor=cast.secretary, minutes=minutes)
    # The member unit is told: the issued minutes are distributed to it, and its officer reads them.
    assert "甲市市场监督管理局" in set(minutes.distribution.values_list("organization__name", flat=True))
    officer = member.users.get()
    assert Minutes.objects.filter(pk=minutes.pk).filter(mechanism_id__in=scoping.visible_mechanism_ids(officer))


def test_a_member_unit_may_not_decide_on_minutes(cast, member):
    minutes = services.minutes_submit(actor=cast.secretary, minutes=cast.minutes())
    member_leader = UserFactory(username="member_boss", organization=member, roles=["leader"])
    with pytest.raises(ActionRefused):
        services.minutes_decide(actor=member_leader, minutes=minutes, approve=True)


def test_the_administrator_makes_member_units_approve(cast, member):
    MechanismPlaceRule.objects.create(
        mechanism=cast.world.mechanism, place=PartyPlace.MEMBER, approves_minutes=True, is_told=True
    )
    minutes = cast.minutes()
    with pytest.raises(ActionRefused) as refused:
        services.minutes_submit(actor=cast.secretary, minutes=minutes)
    assert "甲市市场监督管理局没有领导账号" in refused.value.message
    member_leader = UserFactory(username="member_boss", organization=member, roles=["leader"])
    minutes = services.minutes_submit(actor=cast.secretary, minutes=minutes)
    assert minutes.approvals.count() == 3
    services.minutes_decide(actor=cast.court_leader, minutes=minutes, approve=True)
    services.minutes_decide(actor=cast.fed_leader, minutes=minutes, approve=True)
    assert Minutes.objects.get(pk=minutes.pk).status == MS.SUBMITTED
    assert services.minutes_decide(actor=member_leader, minutes=minutes, approve=True).status == MS.APPROVED


def test_an_observer_is_not_told_when_the_rule_says_so(cast, member):
    MechanismParty.objects.filter(organization=member).update(place=PartyPlace.OBSERVER)
    MechanismPlaceRule.objects.create(mechanism=cast.world.mechanism, place=PartyPlace.OBSERVER, is_told=False)
    minutes = cast.issued()
    assert "甲市市场监督管理局" not in set(minutes.distribution.values_list("organization__name", flat=True))


def test_member_units_route_matters_only_when_the_rule_lets_them(cast, member):
    mechanism = cast.world.mechanism
    assert member.pk not in mechanism.party_ids(HANDLING_SIDES)
    assert cast.world.court.pk in mechanism.party_ids(HANDLING_SIDES)
    MechanismPlaceRule.objects.create(mechanism=mechanism, place=PartyPlace.MEMBER, routes_matters=True)
    assert member.pk in mechanism.party_ids(HANDLING_SIDES)


def test_history_is_kept_across_a_membership_change(cast, member, time_machine):
    first = cast.issued()
    assert "甲市市场监督管理局" in set(first.distribution.values_list("organization__name", flat=True))
    # The unit leaves at the end of March; another joins in April.
    MechanismParty.objects.filter(organization=member).update(left_on=dt.date(2026, 3, 31))
    newcomer = OrganizationFactory(name="甲市税务局", kind="government")
    MechanismParty.objects.create(
        mechanism=cast.world.mechanism, organization=newcomer, place=PartyPlace.CORE, joined_on=dt.date(2026, 4, 1)
    )
    tax_boss = UserFactory(username="tax_boss", organization=newcomer, roles=["leader"])
    # Before it joins, the newcomer approves nothing; the leaving unit is still a party.
    assert newcomer.pk not in membership.approving_organization_ids(cast.world.mechanism)
    assert member.pk in membership.told_organization_ids(cast.world.mechanism)
    time_machine.move_to("2026-04-10 08:00 +08:00", tick=False)
    second = services.minutes_submit(actor=cast.secretary, minutes=cast.minutes(title="第二季度联席会议"))
    for leader in (cast.court_leader, cast.fed_leader, tax_boss):
        services.minutes_decide(actor=leader, minutes=second, approve=True)
    second = services.minutes_issue(actor=cast.secretary, minutes=Minutes.objects.get(pk=second.pk))
    # The first minutes keep the units they had; the second ones have the new composition.
    assert set(first.distribution.values_list("organization__name", flat=True)) == {
        "甲市中级人民法院",
        "甲市工商业联合会",
        "甲市市场监督管理局",
    }
    assert set(second.distribution.values_list("organization__name", flat=True)) == {
        "甲市中级人民法院",
        "甲市工商业联合会",
        "甲市税务局",
    }
    assert set(second.approvals.values_list("organization__name", flat=True)) == {
        "甲市中级人民法院",
        "甲市工商业联合会",
        "甲市税务局",
    }
    assert set(first.approvals.values_list("organization__name", flat=True)) == {"甲市中级人民法院", "甲市工商业联合会"}
    # The unit that left reads its history but acts no more.
    officer = member.users.get()
    scoping.forget_visible_mechanisms(officer)
    assert cast.world.mechanism.pk in scoping.visible_mechanism_ids(officer)
    assert not scoping.can_act(officer, cast.world.mechanism)


def test_the_database_refuses_a_departure_before_joining(cast, member):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MechanismParty.objects.filter(organization=member).update(left_on=dt.date(2025, 12, 31))


def test_a_member_unit_files_matters_only_when_the_rule_lets_it(cast, member):
    from cases import services as cases
    from cases.models import Enterprise

    MechanismParty.objects.filter(organization=member).update(side="both")
    staff = UserFactory(username="member_staff", organization=member, roles=["federation_staff"])
    enterprise = Enterprise(name="某公司", mechanism=cast.world.other_mechanism)  # only read by the data check

    def attempt() -> str:
        data = cases.ComplaintData(
            enterprise=enterprise,
            court=cast.world.court,
            kind="enforcement",
            title="查封",
            facts="事实",
            demands="诉求",
        )
        with pytest.raises(ActionRefused) as refused:
            cases.complaint_create(actor=staff, mechanism=cast.world.mechanism, data=data)
        return refused.value.message

    assert "诉求由本机制的收集移送方" in attempt()
    MechanismPlaceRule.objects.create(mechanism=cast.world.mechanism, place=PartyPlace.MEMBER, routes_matters=True)
    assert attempt() == "该企业不属于本机制。"  # past the party's place: the data are checked next
