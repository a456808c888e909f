"""The one scoping rule, on every core page and endpoint: outsiders get 404."""

import datetime as dt

import pytest

from liaison import deadlines, scoping
from liaison.choices import NotificationKind
from liaison.notifications import notify

from ..conftest import login
from ..factories import OrganizationFactory, UserFactory, mechanism_between


@pytest.fixture
def objects(world):
    deadline = deadlines.deadline_start(
        target=world.mechanism,
        kind="t.scope",
        label="范围测试",
        mechanism=world.mechanism,
        owner_organization=world.court,
        start=dt.date(2026, 11, 2),
        working_days=3,
        actor=None,
    )
    notify([world.alice], kind=NotificationKind.SYSTEM, title="给 alice 的通知")
    return {
        "mechanism_page": f"/mechanisms/{world.mechanism.pk}/",
        "deadline_page": f"/deadlines/{deadline.pk}/",
        "mechanism_api": f"/api/v1/mechanisms/{world.mechanism.pk}/",
        "organization_api": f"/api/v1/organizations/{world.federation.pk}/",
        "notification_api": f"/api/v1/notifications/{world.alice.notifications.get().pk}/",
    }


@pytest.mark.parametrize(
    "name", ["mechanism_page", "deadline_page", "mechanism_api", "organization_api", "notification_api"]
)
def test_it_answers_404_to_an_outsider_and_200_to_a_party(world, objects, client, name):
    url = objects[name]
    assert login(client, world.alice).get(url).status_code == 200
    client.logout()
    response = login(client, world.charlie).get(url)
    assert response.status_code == 404
    assert "甲市" not in response.content.decode()


def test_it_keeps_other_mechanisms_out_of_lists(world, client):
    login(client, world.charlie)
    mechanisms = client.get("/api/v1/mechanisms/").json()["results"]
    assert [m["name"] for m in mechanisms] == ["乙区法院·工商联机制"]
    organizations = {o["name"] for o in client.get("/api/v1/organizations/").json()["results"]}
    assert organizations == {"乙区人民法院", "乙区工商业联合会"}
    page = client.get("/mechanisms/").content.decode()
    assert "乙区法院·工商联机制" in page and "甲市法院·工商联机制" not in page


def test_it_lets_a_higher_level_court_read_but_not_act_in_subordinate_mechanisms(world, client):
    district_court = OrganizationFactory(name="甲市某区人民法院", level="district", parent=world.court)
    district_federation = OrganizationFactory(
        name="甲市某区工商联", kind="federation", level="district", parent=world.federation
    )
    subordinate = mechanism_between(district_court, district_federation, name="某区法院·工商联机制")
    assert scoping.visible_mechanisms(world.bob).filter(pk=subordinate.pk).exists()
    assert not scoping.can_act(world.bob, subordinate)
    assert scoping.can_act(world.bob, world.mechanism)
    page = login(client, world.bob).get(f"/mechanisms/{subordinate.pk}/").content.decode()
    assert "只能查看" in page
    # The district court does not see upwards.
    district_clerk = UserFactory(organization=district_court, roles=["court_clerk"])
    assert not scoping.visible_mechanisms(district_clerk).filter(pk=world.mechanism.pk).exists()


def test_it_shows_a_user_without_organization_nothing(world, client):
    loner = UserFactory(organization=None)
    assert login(client, loner).get("/api/v1/mechanisms/").json()["count"] == 0


def test_it_keeps_notifications_to_their_recipient(world, objects, client):
    login(client, world.bob)
    assert client.get("/api/v1/notifications/").json()["count"] == 0
    client.post("/api/v1/notifications/mark-read/", {}, content_type="application/json")
    assert world.alice.notifications.get().read_at is None
