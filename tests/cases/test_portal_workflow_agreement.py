"""The enterprise-side workflows: offered ⇔ the service succeeds, for every user, step and state."""

from __future__ import annotations

import pytest

from cases import services
from cases.models import EnterpriseMembership
from cases.workflow import MEMBERSHIP, SATISFACTION
from tests.workflow_agreement import disagreements

from ..factories import UserFactory
from .test_portal_satisfaction import answered_online


def _people(cast, *extra):
    return [cast.staff, cast.reviewer, cast.clerk, cast.handler, cast.court_leader, cast.world.charlie, *extra]


@pytest.mark.parametrize("state", ["pending", "confirmed", "refused"])
def test_the_membership_workflow_agrees_with_its_services(cast, state):
    person = UserFactory(username="person", organization=None, roles=["enterprise"])
    membership = EnterpriseMembership.objects.create(
        user=person, enterprise=cast.enterprise, source="registered", claimed_name="某公司", mobile="13700000000"
    )
    if state == "confirmed":
        services.membership_confirm(actor=cast.reviewer, membership=membership)
    elif state == "refused":
        services.membership_refuse(actor=cast.reviewer, membership=membership, reason="非本企业员工")
    found = disagreements(
        MEMBERSHIP,
        lambda: EnterpriseMembership.objects.select_related("enterprise").get(pk=membership.pk),
        _people(cast, person),
        {"refuse_membership": {"reason": "非本企业员工"}},
    )
    assert not found, "\n".join(found)


@pytest.mark.parametrize("decision", ["pending", "explained"])
def test_the_reopen_decision_workflow_agrees_with_its_services(cast, decision):
    ent = UserFactory(username="ent", organization=None, roles=["enterprise"])
    services.membership_confirm(
        actor=cast.reviewer,
        membership=EnterpriseMembership.objects.create(
            user=ent, enterprise=cast.enterprise, source="invited", claimed_name="x", mobile="13912345678"
        ),
    )
    ent.refresh_from_db()
    matter = answered_online(cast, ent)
    rating = services.matter_rate(actor=ent, complaint=matter, rating="dissatisfied", reopen_reason="不服")
    if decision == "explained":
        services.satisfaction_explain(actor=cast.reviewer, satisfaction=rating, reason="已依法处理")
    found = disagreements(
        SATISFACTION,
        lambda: type(rating).objects.select_related("complaint").get(pk=rating.pk),
        _people(cast, ent),
        {"explain": {"reason": "已依法处理"}},
    )
    assert not found, "\n".join(found)
