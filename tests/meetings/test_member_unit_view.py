"""A member unit sees what concerns it: its task list opens on its own tasks and its dashboard
figures count its own tasks; other roles' lists and figures are unchanged."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from liaison.choices import PartyPlace
from liaison.membership import is_member_unit
from liaison.models import MechanismParty
from meetings.figures import meeting_figures, meeting_figures_by_mechanism

from ..conftest import login
from .test_indicators import plan  # noqa: F401 - the fixture

YEAR = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}


def test_only_a_unit_that_is_member_or_observer_everywhere_is_a_member_unit(cast, plan):  # noqa: F811
    _task, _other, officer = plan
    world = cast.world
    assert is_member_unit(officer)
    assert not is_member_unit(world.alice) and not is_member_unit(world.bob)
    # A core party somewhere is not a member unit (its lists keep every task).
    MechanismParty.objects.create(
        mechanism=world.other_mechanism, organization=officer.organization, place=PartyPlace.CORE
    )
    assert not is_member_unit(officer)


def test_the_member_units_task_list_opens_on_its_own_tasks(cast, plan, client, django_assert_max_num_queries):  # noqa: F811
    task, other, officer = plan
    url = reverse("meetings:supervision")
    login(client, officer)
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert task.title in page and other.title not in page
    page = client.get(url, {"mine": "false"}).content.decode()  # the unit may still ask for the others
    assert other.title in page and task.title not in page
    # The court's clerk (a core party) still opens on every task.
    page = login(client, cast.world.bob).get(url).content.decode()
    assert task.title in page and other.title in page


def test_the_member_units_figures_count_its_own_tasks(cast, plan):  # noqa: F811
    task, _other, officer = plan
    mechanism = cast.world.mechanism
    assert meeting_figures(user=officer, mechanism=mechanism, **YEAR)["tasks"]["total"] == 1
    assert meeting_figures_by_mechanism(user=officer, **YEAR)[mechanism.pk]["tasks"]["total"] == 1
    # Every other role, and the mechanism's own (monthly) figures, count both tasks.
    assert meeting_figures(user=cast.world.bob, mechanism=mechanism, **YEAR)["tasks"]["total"] == 2
    assert meeting_figures_by_mechanism(user=cast.world.alice, **YEAR)[mechanism.pk]["tasks"]["total"] == 2
    assert meeting_figures(user=None, mechanism=mechanism, **YEAR)["tasks"]["total"] == 2
