"""Every mediation case state × role × step, and every roster state × role × step: offered on the
page and in the API ⇔ the service succeeds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from liaison import deadlines
from liaison.errors import ActionRefused
from mediation import services
from mediation.choices import CaseStatus, Confirmation, MediatorStatus
from mediation.models import MediationCase, Mediator
from mediation.workflow import CASE, ROSTER
from tests.workflow_agreement import disagreements

from ..factories import UserFactory


def _withdrawn(roster):
    return services.case_withdraw(actor=roster.clerk, case=roster.refer(), reason="当事人已和解")


def _failed(roster):
    return services.case_record_failure(actor=roster.user_for("王调解"), case=roster.in_progress(), reason="分歧大")


def _requested(roster):
    return services.confirmation_request(actor=roster.manager, case=roster.agreed())


def _decided(confirmed: bool):
    def build(roster):
        return services.confirmation_decide(
            actor=roster.clerk,
            case=_requested(roster),
            confirmed=confirmed,
            note="" if confirmed else "协议内容违反法律规定",
        )

    return build


CASE_STATES = {
    "referred": lambda roster: roster.refer(),
    "referred_by_chamber": lambda roster: roster.refer(source="chamber"),
    "assigned": lambda roster: roster.assigned(),
    "accepted": lambda roster: roster.accepted(),
    "in_progress": lambda roster: roster.in_progress(),
    "agreement": lambda roster: roster.agreed(),
    "confirmation_requested": _requested,
    "confirmed": _decided(True),
    "confirmation_refused": _decided(False),
    "failed": _failed,
    "withdrawn": _withdrawn,
}


def _start(user, case):
    """The first session starts the mediation: the step is taken when it moves the case to in progress."""
    before = case.status
    services.session_add(actor=user, case=case, scheduled_at=timezone.now(), place="商会调解室")
    case.refresh_from_db()
    if before == CaseStatus.IN_PROGRESS or case.status != CaseStatus.IN_PROGRESS or not case.started_at:
        raise ActionRefused("no start")


@pytest.mark.parametrize("state", list(CASE_STATES))
def test_a_case_offers_exactly_the_steps_the_services_perform(roster, state):
    world = roster.world
    roster.appoint("李调解")
    pk = CASE_STATES[state](roster).pk
    unassigned_mediator = roster.user_for("李调解")
    organisation_mediator_without_manager_role = UserFactory(
        username="helper", organization=roster.organisation.organization, roles=["mediator"]
    )
    users = [
        roster.manager,
        roster.other_manager,
        roster.clerk,
        roster.handler,
        world.leader,
        roster.user_for("王调解"),
        unassigned_mediator,
        organisation_mediator_without_manager_role,
        world.alice,
        world.charlie,
        UserFactory(username="other_clerk", organization=world.other_court, roles=["court_clerk"]),
    ]
    inputs = {
        "assign": {"mediator": roster.mediators["李调解"]},
        "decline": {"reason": "出差"},
        "agree": {"agreement_text": "被申请人支付货款。", "agreement_amount": Decimal(1000)},
        "fail": {"reason": "分歧大"},
        "withdraw": {"reason": "已和解"},
        "request_confirmation": {"note": ""},
        "confirm": {"confirmed": True, "note": ""},
        "refuse_confirmation": {"confirmed": False, "note": "违反法律规定"},
        "session": {"scheduled_at": timezone.now() + dt.timedelta(days=2), "place": "商会调解室"},
        "extend": {
            "days": 10,
            "reason": "双方仍在协商",
            "applicant_consent": True,
            "respondent_consent": True,
            "consent_note": "书面同意书",
        },
    }
    found = disagreements(CASE, lambda: MediationCase.objects.get(pk=pk), users, inputs, {"start": _start})
    assert found == []


def test_the_case_states_cover_every_status_and_confirmation(roster):
    cases = [CASE_STATES[state](roster) for state in CASE_STATES]
    assert {case.status for case in cases} == set(CaseStatus.values)
    assert {case.confirmation for case in cases} == set(Confirmation.values)


def _suspended(roster):
    return services.mediator_suspend(actor=roster.manager, mediator=roster.appoint("孙调解"), reason="身体原因")


def _expired(roster):
    mediator = roster.appoint(
        "孙调解",
        term_start=deadlines.today() - dt.timedelta(days=800),
        term_end=deadlines.today() + dt.timedelta(days=1),
    )
    Mediator.objects.filter(pk=mediator.pk).update(term_end=deadlines.today() - dt.timedelta(days=1))
    assert services.mediator_expire(mediator=mediator, on=deadlines.today())
    return mediator


def _suspended_term_ended(roster):
    mediator = _suspended(roster)
    Mediator.objects.filter(pk=mediator.pk).update(term_end=deadlines.today() - dt.timedelta(days=1))
    return mediator


MEDIATOR_STATES = {
    "active": lambda roster: roster.appoint("孙调解"),
    "suspended": _suspended,
    "suspended_term_ended": _suspended_term_ended,
    "expired": _expired,
    "removed": lambda roster: services.mediator_remove(
        actor=roster.clerk, mediator=roster.appoint("孙调解"), reason="不再适合"
    ),
}


def _update(user, mediator):
    data = services.MediatorData(
        name=mediator.name,
        profession=mediator.profession,
        phone=mediator.phone,
        term_start=mediator.term_start,
        term_end=mediator.term_end,
        specialties=["contracts"],
        user=mediator.user,
    )
    services.mediator_update(actor=user, mediator=mediator, data=data)


def _expire(user, mediator):
    """No person may take this step: only the daily task does (see test_roster)."""
    ROSTER.check(user, mediator, "expire")
    services.mediator_expire(mediator=mediator, on=deadlines.today())


@pytest.mark.parametrize("state", list(MEDIATOR_STATES))
def test_a_roster_entry_offers_exactly_the_steps_the_services_perform(roster, state):
    world = roster.world
    pk = MEDIATOR_STATES[state](roster).pk
    users = [
        roster.manager,
        roster.other_manager,
        roster.clerk,
        roster.handler,
        world.leader,
        roster.user_for("王调解"),
        world.alice,
        world.charlie,
        UserFactory(username="other_clerk", organization=world.other_court, roles=["court_clerk"]),
    ]
    inputs = {
        "suspend": {"reason": "身体原因"},
        "remove": {"reason": "不再适合"},
        "renew": {"term_end": deadlines.today() + dt.timedelta(days=1500), "appointment_number": "续聘〔2026〕1号"},
        "link": {"relation": "担任常年法律顾问", "party_name": "甲市某公司"},
    }
    found = disagreements(
        ROSTER, lambda: Mediator.objects.get(pk=pk), users, inputs, {"update": _update, "expire": _expire}
    )
    assert found == []


def test_the_roster_states_cover_every_status(roster):
    assert {MEDIATOR_STATES[state](roster).status for state in MEDIATOR_STATES} == set(MediatorStatus.values)


# --- organisations: no state of their own, two permissions ------------------------------------------


def _agree(users, offered, perform) -> list[str]:
    """Each user: the predicate that shows the form ⇔ the service succeeds (rolled back)."""
    from django.db import transaction

    found = []
    for user in users:
        savepoint = transaction.savepoint()
        try:
            perform(user)
            performed, why = True, ""
        except ActionRefused as refusal:
            performed, why = False, refusal.message
        finally:
            transaction.savepoint_rollback(savepoint)
        if bool(offered(user)) != performed:
            found.append(
                f"{user.username}: offered={bool(offered(user))}, service "
                f"{'succeeded' if performed else 'refused: ' + why}"
            )
    return found


def _organisation_users(roster):
    world = roster.world
    return [
        roster.manager,
        roster.other_manager,
        roster.clerk,
        roster.handler,
        world.leader,
        world.alice,
        world.charlie,
        roster.user_for("王调解"),
        UserFactory(username="other_clerk", organization=world.other_court, roles=["court_clerk"]),
        UserFactory(username="fed_reviewer", organization=world.federation, roles=["federation_reviewer"]),
    ]


def test_admitting_is_offered_exactly_to_who_may_admit(roster):
    from liaison import scoping
    from mediation.permissions import may_admit

    organisation = services.organisation_register(
        actor=roster.manager, data=services.OrganisationData(name="新调解室", run_by=roster.chamber)
    )

    def admit(user):
        mechanism = (
            scoping.actionable_mechanisms(user).filter(parties__organization_id=user.organization_id).first()
            or roster.world.mechanism
        )
        services.organisation_admit(
            actor=user,
            organisation=organisation,
            mechanism=mechanism,
            document_number="甲中法〔2026〕9号",
            admitted_on=dt.date(2026, 1, 1),
        )

    users = _organisation_users(roster)
    assert may_admit(roster.clerk, organisation) and not may_admit(roster.manager, organisation)
    assert _agree(users, lambda user: may_admit(user, organisation), admit) == []
    # Once the court has admitted it, it is offered no more (and refused).
    admit(roster.clerk)
    organisation.refresh_from_db()
    assert _agree(users, lambda user: may_admit(user, organisation), admit) == []
    assert not may_admit(roster.clerk, organisation)


def test_registering_an_organisation_is_offered_exactly_to_who_may_register(roster):
    from mediation.permissions import may_register_organisation
    from mediation.selectors import runner_choices

    def register(user):
        run_by = runner_choices(user).first() or roster.chamber
        services.organisation_register(actor=user, data=services.OrganisationData(name="又一个调解室", run_by=run_by))

    assert may_register_organisation(roster.manager) and not may_register_organisation(roster.clerk)
    assert _agree(_organisation_users(roster), may_register_organisation, register) == []
