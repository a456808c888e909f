"""Enterprises on activities: told on publish when the audience includes them, registering through the
portal with the same places and waiting list, the .ics, counted among the enterprises reached;
404 for anything not open to their enterprise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import Enterprise, EnterpriseMembership
from liaison.errors import ActionRefused
from liaison.models import Notification
from meetings.activity_figures import activity_figures
from meetings.services import activities as services

from ..conftest import login
from ..factories import UserFactory
from .activities import Fair, fair  # noqa: F401

CODES = ["91350100M000100Y43", "914403001922038216", "91110000100000000A"]


def _enterprise(mechanism, organization, code: str, name: str) -> Enterprise:
    return Enterprise.objects.create(
        mechanism=mechanism, registered_by=organization, name=name, credit_code=code, size="small", industry="C"
    )


def _user(username: str, enterprise: Enterprise, state: str = "confirmed"):
    user = UserFactory(username=username, organization=None, roles=["enterprise"])
    EnterpriseMembership.objects.create(
        user=user,
        enterprise=enterprise,
        source="invited",
        claimed_name=enterprise.name,
        mobile="13912345678",
        state=state,
    )
    return user


@pytest.fixture
def firms(fair: Fair) -> dict:
    world = fair.world
    a = _enterprise(world.mechanism, world.federation, CODES[0], "甲机械有限公司")
    b = _enterprise(world.mechanism, world.federation, CODES[1], "乙商贸有限公司")
    far = _enterprise(world.other_mechanism, world.federation, CODES[0], "丙公司")
    return {
        "a1": _user("ent_a1", a),
        "a2": _user("ent_a2", a),
        "b": _user("ent_b", b),
        "pending": _user("ent_pending", b, state="pending"),
        "far": _user("ent_far", far),
    }


def test_enterprises_of_the_mechanism_are_told_on_publish_when_the_audience_includes_them(fair: Fair, firms):
    staff_only = fair.published(title="仅工作人员")
    assert not Notification.objects.filter(recipient__in=firms.values()).exists()
    open_day = fair.published(title="企业开放日", for_enterprises=True)
    told = Notification.objects.filter(recipient__in=firms.values())
    assert {n.recipient.username for n in told} == {"ent_a1", "ent_a2", "ent_b"}
    assert {n.url for n in told} == {reverse("portal_activities:enterprise_activity_detail", args=[open_day.pk])}
    assert staff_only.pk != open_day.pk


def test_enterprises_take_places_then_the_waiting_list_and_a_withdrawal_promotes(fair: Fair, firms):
    activity = fair.published(for_enterprises=True, capacity=2)
    r1 = services.registration_create(actor=firms["a1"], activity=activity)
    r2 = services.registration_create(actor=fair.people[0], activity=activity)
    r3 = services.registration_create(actor=firms["b"], activity=activity)
    assert (r1.status, r2.status, r3.status) == ("confirmed", "confirmed", "waitlisted")
    with pytest.raises(ActionRefused):
        services.registration_create(actor=firms["a1"], activity=activity)
    services.registration_cancel(actor=firms["a1"], registration=r1)
    r3.refresh_from_db()
    assert r3.status == "confirmed"
    # One may not withdraw another's registration.
    with pytest.raises(ActionRefused):
        services.registration_cancel(actor=firms["a2"], registration=r3)


@pytest.mark.parametrize("who", ["far", "pending"])
def test_an_enterprise_of_another_mechanism_or_unconfirmed_cannot_register(fair: Fair, firms, who):
    activity = fair.published(for_enterprises=True)
    with pytest.raises(ActionRefused):
        services.registration_create(actor=firms[who], activity=activity)


def test_an_activity_not_open_to_enterprises_refuses_them(fair: Fair, firms):
    with pytest.raises(ActionRefused):
        services.registration_create(actor=firms["a1"], activity=fair.published())


def test_the_portal_shows_registers_withdraws_and_gives_the_ics(fair: Fair, firms, client):
    open_day = fair.published(title="企业开放日", for_enterprises=True)
    staff_only = fair.published(title="仅工作人员")
    draft = fair.draft(title="草稿活动", for_enterprises=True)
    login(client, firms["a1"])
    page = client.get(reverse("portal_activities:enterprise_activity_list")).content.decode()
    assert "企业开放日" in page and "仅工作人员" not in page and "草稿活动" not in page
    detail = reverse("portal_activities:enterprise_activity_detail", args=[open_day.pk])
    assert 'id="register"' in client.get(detail).content.decode()
    client.post(reverse("portal_activities:enterprise_activity_register", args=[open_day.pk]))
    assert open_day.registrations.get(user=firms["a1"]).status == "confirmed"
    ics = client.get(reverse("portal_activities:enterprise_activity_ics", args=[open_day.pk]))
    assert ics.status_code == 200 and b"BEGIN:VCALENDAR" in b"".join(ics.streaming_content)
    client.post(reverse("portal_activities:enterprise_activity_withdraw", args=[open_day.pk]))
    assert open_day.registrations.get(user=firms["a1"]).status == "cancelled"
    for activity in (staff_only, draft):
        for name in ("enterprise_activity_detail", "enterprise_activity_ics"):
            assert client.get(reverse(f"portal_activities:{name}", args=[activity.pk])).status_code == 404
        assert (
            client.post(reverse("portal_activities:enterprise_activity_register", args=[activity.pk])).status_code
            == 404
        )
    # Nothing of the mechanism's own pages.
    assert client.get(reverse("meetings:activity_detail", args=[open_day.pk])).status_code == 404
    login(client, firms["far"])
    assert client.get(detail).status_code == 404
    assert "企业开放日" not in client.get(reverse("portal_activities:enterprise_activity_list")).content.decode()
    login(client, fair.people[0])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("portal_activities:enterprise_activity_list")).status_code == 404


def test_enterprises_reached_count_distinct_enterprises_registered_and_those_reported(fair: Fair, firms, time_machine):
    activity = fair.published(for_enterprises=True, capacity=5)
    for who in ("a1", "a2", "b"):
        services.registration_create(actor=firms[who], activity=activity)
    time_machine.move_to("2026-03-25 12:00 +08:00", tick=False)
    services.activity_hold(actor=fair.organizer, activity=activity)
    services.activity_report_record(actor=fair.organizer, activity=activity, report="开放日", enterprises_reached=5)
    figures = activity_figures(user=fair.organizer, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    # 5 reported as reached offline + enterprises 甲 (two users) and 乙 through the portal.
    assert figures["enterprises_reached"] == 7
    assert [row["enterprises_reached"] for row in figures["by_mechanism"]] == [7]
