"""Every complaint state × role × step: offered on the page and in the API ⇔ the service succeeds."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.choices import ComplaintStatus
from cases.models import Complaint
from cases.workflow import COMPLAINT
from liaison.files import FileKind
from tests.workflow_agreement import disagreements

from ..factories import OrganizationFactory, UserFactory, mechanism_between
from .test_api import pdf_bytes


def _answered(cast):
    complaint = cast.assigned()
    return services.complaint_answer(actor=cast.handler, complaint=complaint, answer="已审结。")


def _returned(cast):
    complaint = cast.transferred()
    return services.complaint_court_return(actor=cast.clerk, complaint=complaint, reason="不属本院管辖")


def _extension_requested(cast):
    complaint = cast.assigned()
    return services.complaint_request_extension(actor=cast.handler, complaint=complaint, reason="案情复杂")


STATES = {
    "draft": lambda cast: cast.file(),
    "draft_major": lambda cast: cast.file(is_major=True, major_reason="重大"),
    "submitted": lambda cast: services.complaint_submit(actor=cast.staff, complaint=cast.file()),
    "under_review": lambda cast: cast.to_review(),
    "under_review_major": lambda cast: cast.to_review(is_major=True, major_reason="重大"),
    "needs_material": lambda cast: services.complaint_request_material(
        actor=cast.reviewer, complaint=cast.to_review(), reason="补充判决书"
    ),
    "declined": lambda cast: services.complaint_decline(
        actor=cast.reviewer, complaint=cast.to_review(), reason="不属于"
    ),
    "queued": lambda cast: services.complaint_queue(actor=cast.reviewer, complaint=cast.to_review()),
    "withdrawn": lambda cast: services.complaint_withdraw(actor=cast.staff, complaint=cast.file(), reason="已和解"),
    "transferred": lambda cast: cast.transferred(),
    "registered": lambda cast: services.complaint_register(
        actor=cast.clerk, complaint=cast.transferred(), registration_number="DJ-1"
    ),
    "assigned": lambda cast: cast.assigned(),
    "extension_requested": _extension_requested,
    "answered": _answered,
    "returned": _returned,
    "closed": lambda cast: services.complaint_close(actor=cast.staff, complaint=_answered(cast)),
}


@pytest.mark.parametrize("state", list(STATES))
def test_it_offers_exactly_the_steps_the_services_perform(cast, state):
    world = cast.world
    other_court = OrganizationFactory(name="丙区人民法院", kind="court")
    mechanism_between(other_court, world.federation, name="丙区法院·甲市工商联机制")
    secretary = UserFactory(username="secretary", organization=world.federation, roles=["meeting_secretary"])
    federation_leader = UserFactory(username="fed_boss", organization=world.federation, roles=["leader"])
    other_handler = UserFactory(username="other_handler", organization=world.court, roles=["court_handler"])
    pk = STATES[state](cast).pk
    users = [
        cast.staff,
        cast.reviewer,
        secretary,
        federation_leader,
        cast.clerk,
        cast.handler,
        other_handler,
        cast.court_leader,
        world.charlie,
    ]
    inputs = {
        name: {"reason": "理由"}
        for name in ("request_material", "decline", "court_return", "reopen", "withdraw", "request_extension")
    } | {
        "register": {"registration_number": "DJ-9"},
        "assign": {"department": cast.department, "handler": cast.handler},
        "answer": {"answer": "办理结果"},
        "reroute": {"court": other_court},
        "decide_extension": {"approve": True},
        "case_review": {"outcome": "corrected"},
        "add_files": {"files": [(SimpleUploadedFile("材料.pdf", pdf_bytes()), FileKind.PDF)]},
    }
    calls = {
        "transfer_batch": lambda user, complaint: services.complaints_transfer_batch(
            actor=user, complaints=[complaint], meeting_reference="第一次联席会议"
        )
    }
    found = disagreements(COMPLAINT, lambda: Complaint.objects.get(pk=pk), users, inputs, calls)
    assert found == []


def test_it_builds_a_complaint_in_every_status(cast):
    reached = {STATES[state](cast).status for state in STATES}
    assert reached == set(ComplaintStatus.values)
