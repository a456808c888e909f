"""Every state × role × step of an activity: offered on the page and in the API ⇔ the service succeeds;
and registrations made at the same moment on PostgreSQL never exceed the capacity."""

from __future__ import annotations

import pytest

from meetings.activity_choices import ActivityStatus, RegistrationStatus
from meetings.activity_workflow import ACTIVITY
from meetings.models import Activity, Registration
from meetings.services import activities as services
from tests.workflow_agreement import disagreements

from ..concurrency import run_together
from ..factories import UserFactory
from .activities import Fair, fair  # noqa: F401


def _held(fair: Fair, time_machine):
    activity = fair.published(starts_at=fair.data().starts_at.replace(day=20, hour=9), registration_deadline=None)
    return services.activity_hold(actor=fair.organizer, activity=activity)


STATES = {
    "draft": lambda fair, tm: fair.draft(),
    "published": lambda fair, tm: fair.published(),
    "published_today": lambda fair, tm: fair.published(
        starts_at=fair.data().starts_at.replace(day=20, hour=9), registration_deadline=None
    ),
    "closed": lambda fair, tm: services.activity_close_registration(actor=fair.organizer, activity=fair.published()),
    "held": _held,
    "cancelled": lambda fair, tm: services.activity_cancel(actor=fair.organizer, activity=fair.draft(), reason="取消"),
}


@pytest.fixture
def users(fair: Fair):
    world = fair.world
    return [
        fair.organizer,
        fair.fed_staff,
        fair.people[0],
        world.leader,
        UserFactory(username="stranger", organization=world.other_court, roles=["meeting_secretary", "leader"]),
    ]


def _calls(fair: Fair):
    def withdraw(user, activity):
        """Each user withdraws their own registration (made for the check, inside its rolled-back savepoint)."""
        registration = Registration.objects.filter(activity=activity, user=user).exclude(status="cancelled").first()
        if registration is None:
            registration = Registration.objects.create(activity=activity, user=user, status="confirmed")
        return services.registration_cancel(actor=user, registration=registration)

    return {
        "edit": lambda user, activity: services.activity_update(actor=user, activity=activity, data=fair.data()),
        "register": lambda user, activity: services.registration_create(actor=user, activity=activity),
        "withdraw": withdraw,
        "sign_in": lambda user, activity: services.sign_in_record(actor=user, activity=activity, present=[]),
        "report": lambda user, activity: services.activity_report_record(actor=user, activity=activity, report="简报"),
    }


@pytest.mark.parametrize("state", list(STATES))
def test_an_activity_offers_exactly_the_steps_the_services_perform(fair, users, time_machine, state):
    activity = STATES[state](fair, time_machine)
    if activity.status in (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED, ActivityStatus.HELD):
        Registration.objects.create(activity=activity, user=fair.people[0], status=RegistrationStatus.CONFIRMED)
    found = disagreements(
        ACTIVITY, lambda: Activity.objects.get(pk=activity.pk), users, {"cancel": {"reason": "取消"}}, _calls(fair)
    )
    assert found == []


def test_it_builds_an_activity_in_every_status(fair, time_machine):
    reached = {STATES[state](fair, time_machine).status for state in STATES}
    assert reached == set(ActivityStatus.values)


@pytest.mark.postgres
def test_concurrent_registrations_never_exceed_the_capacity(postgres, fair: Fair):
    activity = fair.published(capacity=3)
    people = [
        UserFactory(username=f"rush{n}", organization=fair.world.court, roles=["court_handler"]) for n in range(8)
    ]
    results = run_together(
        *[
            (lambda p=p: services.registration_create(actor=p, activity=Activity.objects.get(pk=activity.pk)))
            for p in people
        ]
    )
    assert all(isinstance(r, Registration) for r in results), results
    statuses = sorted(r.status for r in results)
    assert statuses.count(RegistrationStatus.CONFIRMED) == 3
    assert statuses.count(RegistrationStatus.WAITLISTED) == 5
    assert Registration.objects.filter(activity=activity, status="confirmed").count() == 3


@pytest.mark.postgres
def test_concurrent_withdrawals_promote_exactly_as_many_as_left(postgres, fair: Fair):
    activity = fair.published(capacity=2)
    regs = [services.registration_create(actor=p, activity=activity) for p in fair.people]
    results = run_together(
        lambda: services.registration_cancel(
            actor=fair.people[0], registration=Registration.objects.get(pk=regs[0].pk)
        ),
        lambda: services.registration_cancel(
            actor=fair.people[1], registration=Registration.objects.get(pk=regs[1].pk)
        ),
        lambda: services.registration_create(
            actor=UserFactory(username="late", organization=fair.world.court, roles=["court_handler"]),
            activity=Activity.objects.get(pk=activity.pk),
        ),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Registration.objects.filter(activity=activity, status="confirmed").count() == 2
    assert set(
        Registration.objects.filter(activity=activity, status="confirmed").values_list("user__username", flat=True)
    ) == {"person3", "person4"}
