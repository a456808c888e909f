"""The register form proposes the court's next number; the assign form's handlers follow the department."""

from __future__ import annotations

import pytest

from cases import registration, services
from cases.forms import AssignForm, RegisterForm
from liaison.errors import ActionRefused

from ..factories import DepartmentFactory, UserFactory


def test_the_register_form_proposes_the_courts_next_number_and_takes_it_only_when_used(cast, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    court = cast.world.court.short_name or cast.world.court.name
    first, second, third = cast.transferred(), cast.transferred(), cast.transferred()
    form = RegisterForm(complaint=first, prefix="register")
    proposed = f"{court}联登〔2026〕1号"
    assert form.fields["registration_number"].initial == proposed
    assert proposed in form.fields["registration_number"].help_text
    # Showing the proposal twice does not take the number.
    assert registration.proposed_number(second) == proposed
    services.complaint_register(actor=cast.clerk, complaint=first, registration_number=proposed)
    assert registration.proposed_number(second) == f"{court}联登〔2026〕2号"
    # A number typed from the court's own registry leaves the sequence where it is.
    services.complaint_register(actor=cast.clerk, complaint=second, registration_number="（2026）豫03立12号")
    assert registration.proposed_number(third) == f"{court}联登〔2026〕2号"


def test_a_refused_registration_does_not_take_the_number(cast):
    complaint = cast.transferred()
    proposed = registration.proposed_number(complaint)
    with pytest.raises(ActionRefused):
        services.complaint_register(actor=cast.staff, complaint=complaint, registration_number=proposed)
    assert registration.proposed_number(complaint) == proposed


def test_the_handlers_name_their_department_and_the_service_checks_it(cast):
    complaint = cast.transferred()
    services.complaint_register(actor=cast.clerk, complaint=complaint, registration_number="DJ-1")
    other = DepartmentFactory(organization=cast.world.court, name="民二庭")
    civil_two = UserFactory(
        username="civil_two", organization=cast.world.court, roles=["court_handler"], department=other
    )
    html = str(AssignForm(complaint=complaint, prefix="assign"))
    assert "data-filters-handlers" in html and "data-follows-department" in html
    assert f'value="{civil_two.pk}" data-department="{other.pk}"' in html
    with pytest.raises(ActionRefused, match="不属于所选的承办部门"):
        services.complaint_assign(actor=cast.clerk, complaint=complaint, department=cast.department, handler=civil_two)
    services.complaint_assign(actor=cast.clerk, complaint=complaint, department=other, handler=civil_two)
    complaint.refresh_from_db()
    assert complaint.handler == civil_two
