"""Filing through the API reads the routing parties of the user's mechanisms once (compiled once per
day and set of mechanisms): the court's choices and the filing service's checks follow the same
rules as `membership.routing_parties` — member units only by the mechanism's rule, parties only
between the day they join and the day they leave."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import services
from cases.models import Complaint
from liaison import membership, scoping
from liaison.choices import PartyPlace
from liaison.models import MechanismParty, MechanismPlaceRule, User

from ..conftest import login
from ..factories import OrganizationFactory


def routing_by_orm(user) -> set[tuple[int, int, str]]:
    parties = MechanismParty.objects.filter(mechanism_id__in=scoping.visible_mechanism_ids(user))
    return set(membership.routing_parties(parties).values_list("mechanism_id", "organization_id", "side"))


def body(cast, court) -> dict:
    return {
        "enterprise": cast.enterprise.pk,
        "court": court.pk,
        "kind": "case_handling",
        "title": "合同纠纷案件久拖未结",
        "facts": "2021年起诉至今未审结。",
        "demands": "请求依法及时审理。",
    }


@pytest.fixture
def bureau(cast):
    """A member unit on the handling side, joined at the start of the year."""
    unit = OrganizationFactory(name="甲市市场监督管理局", kind="government")
    MechanismParty.objects.create(
        mechanism=cast.world.mechanism,
        organization=unit,
        place=PartyPlace.MEMBER,
        side="handler",
        joined_on=dt.date(2026, 1, 1),
    )
    return unit


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_the_routing_parties_are_those_of_membership(cast, bureau, time_machine):
    time_machine.move_to("2026-03-02 09:00 +08:00", tick=False)
    user = cast.staff
    rows = services.routing_in_scope(user).parties
    assert set(rows) == routing_by_orm(user) and len(rows) == len(set(rows))
    assert (cast.world.mechanism.pk, cast.world.court.pk, "handler") in rows
    assert bureau.pk not in {org for _m, org, _side in rows}  # a member unit routes nothing by default
    MechanismPlaceRule.objects.create(mechanism=cast.world.mechanism, place=PartyPlace.MEMBER, routes_matters=True)
    # Each request loads its own user and reads the scope's token with it (`liaison.scope_token`).
    user = fresh(user)
    assert (cast.world.mechanism.pk, bureau.pk, "handler") in services.routing_in_scope(user).parties
    # The compiled query is kept per day: a party that leaves tomorrow routes today, not the day after.
    MechanismParty.objects.filter(organization=bureau).update(left_on=dt.date(2026, 3, 3))
    user = fresh(user)
    assert bureau.pk in {org for _m, org, _side in services.routing_in_scope(user).parties}
    time_machine.move_to("2026-03-03 09:00 +08:00", tick=False)
    user = fresh(user)
    rows = services.routing_in_scope(user).parties
    assert bureau.pk not in {org for _m, org, _side in rows}
    assert set(rows) == routing_by_orm(user)


def test_a_court_that_does_not_route_matters_is_not_a_choice(cast, bureau, api_client):
    login(api_client, cast.staff)
    response = api_client.post("/api/v1/complaints/", body(cast, bureau), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["court"]
    MechanismPlaceRule.objects.create(mechanism=cast.world.mechanism, place=PartyPlace.MEMBER, routes_matters=True)
    response = api_client.post("/api/v1/complaints/", body(cast, bureau), format="json")
    assert response.status_code == 201, response.json()
    assert Complaint.objects.get(pk=response.json()["id"]).court == bureau


def test_a_filer_that_no_longer_routes_matters_is_refused(cast, api_client):
    # The federation becomes a member unit: it still sees the mechanism but files no more.
    MechanismParty.objects.filter(mechanism=cast.world.mechanism, organization=cast.world.federation).update(
        place=PartyPlace.MEMBER, is_convenor=False
    )
    login(api_client, cast.staff)
    response = api_client.post("/api/v1/complaints/", body(cast, cast.world.court), format="json")
    assert response.status_code == 403, response.json()
    assert "收集移送方" in str(response.json())
    assert not Complaint.objects.exists()
