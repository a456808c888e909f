"""Fixtures for complaints: a filing federation, an addressed court, their people, an enterprise."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cases import services
from cases.models import Complaint, Enterprise
from cases.validators import parse_case_numbers
from liaison.models import Department, User

from ..factories import DepartmentFactory, UserFactory

VALID_CODES = ["91350100M000100Y43", "914403001922038216"]


@dataclass
class Cast:
    world: object
    staff: User  # federation staff (alice)
    reviewer: User
    clerk: User  # court clerk (bob)
    handler: User
    court_leader: User
    department: Department
    enterprise: Enterprise

    def file(self, **overrides) -> Complaint:
        data = services.ComplaintData(
            enterprise=self.enterprise,
            court=self.world.court,
            kind="case_handling",
            title="合同纠纷案件久拖未结",
            facts="2021年起诉至今未审结。",
            demands="请求依法及时审理。",
            case_numbers=parse_case_numbers("（2021）豫03民初123号"),
        )
        for key, value in overrides.items():
            setattr(data, key, value)
        return services.complaint_create(actor=self.staff, mechanism=self.world.mechanism, data=data)

    def to_review(self, **overrides) -> Complaint:
        complaint = self.file(**overrides)
        services.complaint_submit(actor=self.staff, complaint=complaint)
        return services.complaint_start_review(actor=self.reviewer, complaint=complaint)

    def transferred(self, **overrides) -> Complaint:
        complaint = self.to_review(is_major=True, major_reason="涉及重大财产权益", **overrides)
        services.complaint_transfer_now(actor=self.reviewer, complaint=complaint)
        complaint.refresh_from_db()
        return complaint

    def assigned(self) -> Complaint:
        complaint = self.transferred()
        services.complaint_register(actor=self.clerk, complaint=complaint, registration_number="DJ-2026-001")
        return services.complaint_assign(
            actor=self.clerk, complaint=complaint, department=self.department, handler=self.handler
        )


@pytest.fixture
def cast(world) -> Cast:
    reviewer = UserFactory(username="reviewer", organization=world.federation, roles=["federation_reviewer"])
    handler = UserFactory(username="handler", organization=world.court, roles=["court_handler"])
    department = DepartmentFactory(organization=world.court, name="民一庭")
    party = world.mechanism.parties.get(organization=world.court)
    party.liaison_officer = world.bob
    party.save()
    enterprise = services.enterprise_register(
        actor=world.alice,
        mechanism=world.mechanism,
        data=services.EnterpriseData(
            name="洛阳某机械制造有限公司",
            credit_code=VALID_CODES[0],
            size="small",
            industry="C",
            contact_person="王经理",
            contact_phone="13812345678",
        ),
    )
    return Cast(
        world=world,
        staff=world.alice,
        reviewer=reviewer,
        clerk=world.bob,
        handler=handler,
        court_leader=world.leader,
        department=department,
        enterprise=enterprise,
    )
