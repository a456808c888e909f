"""Every shared-report state × role × step: offered on the page and in the API ⇔ the service succeeds."""

from __future__ import annotations

import datetime as dt

import pytest

from reports import monthly, services
from reports.models import Report
from reports.workflow import REPORT
from tests.workflow_agreement import disagreements

from ..factories import UserFactory
from .conftest import draft, draft_regulation, published


def _withdrawn(world):
    return services.report_withdraw(report=published(world), actor=world.bob, reason="需补充")


def _past_deadline(world):
    report = draft_regulation(world)
    services.report_publish(report=report, actor=world.bob)
    Report.objects.filter(pk=report.pk).update(comment_deadline=dt.date(2026, 11, 1))
    return report


def _monthly(world):
    made = monthly.generate_monthly_report(mechanism=world.mechanism, year=2026, month=10, actor=world.leader)
    return made.report


STATES = {
    "draft": draft,
    "published": published,
    "withdrawn": _withdrawn,
    "consultation": lambda world: services.report_publish(report=draft_regulation(world), actor=world.bob),
    "consultation_closed": _past_deadline,
    "draft_regulation": draft_regulation,
    "monthly": _monthly,
}


@pytest.mark.parametrize("state", list(STATES))
def test_it_offers_exactly_the_steps_the_services_perform(world, monday, higher, state):
    secretary = UserFactory(username="fed_secretary", organization=world.federation, roles=["meeting_secretary"])
    mediator = UserFactory(username="mediator", organization=world.federation, roles=["mediator"])
    fed_leader = UserFactory(username="fed_boss", organization=world.federation, roles=["leader"])
    pk = STATES[state](world).pk
    users = [world.bob, world.leader, world.alice, secretary, fed_leader, mediator, world.charlie, higher]
    inputs = {
        "edit": {"data": {"title": "修改后的标题"}},
        "withdraw": {"reason": "需补充"},
        "comment": {"text": "建议补充第三条。"},
    }
    found = disagreements(REPORT, lambda: Report.objects.get(pk=pk), users, inputs)
    assert found == []


def test_every_step_has_a_service_and_the_state_changes_are_the_three_of_the_report():
    assert all(rule.service for rule in REPORT)
    assert {rule.name for rule in REPORT if rule.api and rule.per_object} == {"publish", "withdraw", "reopen"}
