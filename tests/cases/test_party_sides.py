"""The party's place in the mechanism is data: who may file matters and who handles them."""

from __future__ import annotations

import pytest

from cases import services
from cases.forms import court_choices
from cases.validators import parse_case_numbers
from liaison.choices import PartySide
from liaison.errors import ActionRefused
from liaison.models import MechanismParty

from ..factories import OrganizationFactory, UserFactory, mechanism_between
from .conftest import VALID_CODES


@pytest.fixture
def linkage(db):
    """A government ↔ court linkage (Weidong): no federation, so both parties route matters either way."""
    government = OrganizationFactory(name="丁区人民政府", kind="government", level="district")
    court = OrganizationFactory(name="丁区人民法院", kind="court", level="district")
    mechanism = mechanism_between(government, court, name="丁区府院联动机制")
    return mechanism, government, court


def _file(actor, mechanism, court):
    enterprise = services.enterprise_register(
        actor=actor,
        mechanism=mechanism,
        data=services.EnterpriseData(name="丁区某建材有限公司", credit_code=VALID_CODES[1], size="small", industry="C"),
    )
    return services.complaint_create(
        actor=actor,
        mechanism=mechanism,
        data=services.ComplaintData(
            enterprise=enterprise,
            court=court,
            kind="enforcement",
            title="执行款久未发放",
            facts="判决已生效。",
            demands="请协调发放。",
            case_numbers=parse_case_numbers("（2024）豫0403执100号"),
        ),
    )


def test_it_gives_new_parties_their_side_from_the_mechanism(world, linkage):
    mechanism, government, court = linkage
    sides = dict(MechanismParty.objects.filter(mechanism=mechanism).values_list("organization__kind", "side"))
    assert sides == {"government": PartySide.BOTH, "court": PartySide.BOTH}
    sides = dict(MechanismParty.objects.filter(mechanism=world.mechanism).values_list("organization__kind", "side"))
    assert sides == {"federation": PartySide.COLLECTOR, "court": PartySide.HANDLER}


def test_it_lets_the_court_of_a_linkage_raise_a_matter_to_the_government(linkage):
    mechanism, government, court = linkage
    court_officer = UserFactory(username="court_officer", organization=court, roles=["court_clerk", "federation_staff"])
    government_officer = UserFactory(
        username="gov_officer", organization=government, roles=["court_clerk", "federation_staff"]
    )
    assert list(court_choices(court_officer)) == [government]
    complaint = _file(court_officer, mechanism, government)
    services.complaint_submit(actor=court_officer, complaint=complaint)
    assert complaint.court == government and complaint.filing_organization == court
    # The government registers it like any handling party; the court that filed may not.
    with pytest.raises(ActionRefused, match="只有受理的工商联才能"):
        services.complaint_start_review(actor=government_officer, complaint=complaint)


def test_it_refuses_filing_by_a_handling_party(world):
    clerk = UserFactory(username="clerk_who_files", organization=world.court, roles=["court_clerk", "federation_staff"])
    with pytest.raises(ActionRefused, match="收集移送方"):
        _file(clerk, world.mechanism, world.federation)


def test_it_refuses_sending_a_matter_to_a_party_that_does_not_handle_matters(world):
    with pytest.raises(ActionRefused, match="所选法院不是本机制的参与法院"):
        _file(world.alice, world.mechanism, world.federation)
