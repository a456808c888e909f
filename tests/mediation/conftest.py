"""Fixtures for mediation: two chambers' mediation organisations admitted by the world's court,
their managers, a roster of mediators, enterprises that belong to the chambers, and cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from cases import services as case_services
from cases.models import Enterprise
from cases.validators import credit_code_check_char
from liaison import deadlines
from liaison.models import Organization, User
from mediation import services
from mediation.models import MediationCase, MediationOrganisation, Mediator

from ..factories import OrganizationFactory, UserFactory


def credit_code(n: int) -> str:
    first17 = f"91410300MA{n:07d}"
    return first17 + credit_code_check_char(first17)


@dataclass
class Roster:
    world: object
    chamber: Organization  # runs organisation A
    other_chamber: Organization  # runs organisation B
    organisation: MediationOrganisation  # A
    other_organisation: MediationOrganisation  # B
    manager: User  # mediation manager of chamber A
    other_manager: User  # mediation manager of chamber B
    clerk: User  # court clerk (world.bob)
    handler: User  # court handler
    mediators: dict[str, Mediator] = field(default_factory=dict)
    enterprises: dict[str, Enterprise] = field(default_factory=dict)
    _counter: list[int] = field(default_factory=lambda: [0])

    def user_for(self, name: str) -> User:
        return self.mediators[name].user

    def appoint(
        self,
        name: str,
        *,
        organisation: MediationOrganisation | None = None,
        specialties: tuple[str, ...] = ("contracts",),
        with_account: bool = True,
        term_end: dt.date | None = None,
        **extra,
    ) -> Mediator:
        organisation = organisation or self.organisation
        self._counter[0] += 1
        user = None
        if with_account:
            user = UserFactory(
                username=f"m{self._counter[0]}",
                full_name=name,
                organization=organisation.organization,
                roles=["mediator"],
            )
        today = deadlines.today()
        data = services.MediatorData(
            name=name,
            profession=extra.pop("profession", "lawyer"),
            phone=f"1390379{self._counter[0]:04d}",
            term_start=extra.pop("term_start", today - dt.timedelta(days=365)),
            term_end=term_end or today + dt.timedelta(days=700),
            specialties=specialties,
            user=user,
            **extra,
        )
        manager = self.manager if organisation == self.organisation else self.other_manager
        mediator = services.mediator_appoint(
            actor=manager, organisation=organisation, court=self.world.court, data=data
        )
        self.mediators[name] = mediator
        return mediator

    def enterprise(self, name: str, chambers: tuple[Organization, ...] = ()) -> Enterprise:
        self._counter[0] += 1
        enterprise = case_services.enterprise_register(
            actor=self.world.alice,
            mechanism=self.world.mechanism,
            data=case_services.EnterpriseData(
                name=name,
                credit_code=credit_code(self._counter[0]),
                size="small",
                industry="C",
                contact_phone="13812345678",
                chambers=list(chambers),
            ),
        )
        self.enterprises[name] = enterprise
        return enterprise

    def refer(
        self,
        *,
        source: str = "delegated",
        dispute_type: str = "contracts",
        applicant: object = "张三",
        respondent: object = "李四",
        title: str = "买卖合同货款纠纷",
        case_number: str = "",
        organisation: MediationOrganisation | None = None,
        actor: User | None = None,
    ) -> MediationCase:
        def party(role: str, who: object) -> services.PartyData:
            if isinstance(who, Enterprise):
                return services.PartyData(role=role, name=who.name, enterprise=who, phone="13912345678")
            return services.PartyData(role=role, name=str(who), phone="13912345678")

        data = services.CaseData(
            source=source,
            organisation=organisation or self.organisation,
            court=self.world.court,
            dispute_type=dispute_type,
            title=title,
            description="拖欠货款三十万元，双方同意先行调解。",
            amount=Decimal("300000"),
            case_number=case_number,
            parties=[party("applicant", applicant), party("respondent", respondent)],
        )
        if actor is None:
            actor = self.manager if source == "chamber" else self.clerk
        return services.case_refer(actor=actor, data=data)

    def assigned(self, mediator: str = "王调解", **kwargs) -> MediationCase:
        case = self.refer(**kwargs)
        return services.case_assign(actor=self.manager, case=case, mediator=self.mediators[mediator])

    def accepted(self, mediator: str = "王调解", **kwargs) -> MediationCase:
        case = self.assigned(mediator, **kwargs)
        return services.case_accept(actor=self.user_for(mediator), case=case)

    def in_progress(self, mediator: str = "王调解", **kwargs) -> MediationCase:
        from django.utils import timezone

        case = self.accepted(mediator, **kwargs)
        services.session_add(
            actor=self.user_for(mediator),
            case=case,
            scheduled_at=timezone.now(),
            place="商会调解室",
            notes="双方到场，陈述意见。",
        )
        case.refresh_from_db()
        return case

    def agreed(self, mediator: str = "王调解", **kwargs) -> MediationCase:
        case = self.in_progress(mediator, **kwargs)
        return services.case_record_agreement(
            actor=self.user_for(mediator),
            case=case,
            agreement_text="被申请人于30日内支付货款25万元。",
            agreement_amount=Decimal("250000"),
        )


@pytest.fixture
def roster(world) -> Roster:
    chamber = OrganizationFactory(name="甲市民营企业商会", kind="chamber", parent=world.federation)
    other_chamber = OrganizationFactory(name="甲市建筑业商会", kind="chamber", parent=world.federation)
    manager = UserFactory(username="manager", full_name="周管理", organization=chamber, roles=["mediation_manager"])
    other_manager = UserFactory(username="manager_b", organization=other_chamber, roles=["mediation_manager"])
    handler = UserFactory(username="judge", organization=world.court, roles=["court_handler"])
    organisation = services.organisation_register(
        actor=manager, data=services.OrganisationData(name="甲市民营企业商会调解委员会", run_by=chamber)
    )
    other_organisation = services.organisation_register(
        actor=other_manager, data=services.OrganisationData(name="甲市建筑业商会调解中心", run_by=other_chamber)
    )
    for org in (organisation, other_organisation):
        services.organisation_admit(
            actor=world.bob,
            organisation=org,
            mechanism=world.mechanism,
            document_number="甲中法〔2025〕12号",
            admitted_on=dt.date(2025, 3, 1),
        )
    result = Roster(
        world=world,
        chamber=chamber,
        other_chamber=other_chamber,
        organisation=organisation,
        other_organisation=other_organisation,
        manager=manager,
        other_manager=other_manager,
        clerk=world.bob,
        handler=handler,
    )
    result.appoint("王调解", specialties=("contracts", "finance"))
    return result
