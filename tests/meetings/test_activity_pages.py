"""Activity pages and API: the list in a fixed number of queries, the detail, the forms, the documents, scoping."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import Activity, Registration
from meetings.services import activities as services

from ..conftest import login
from .activities import Fair, fair  # noqa: F401


def _many(fair: Fair, n: int) -> None:
    for index in range(n):
        activity = fair.published(title=f"培训{index}")
        services.registration_create(actor=fair.people[index % 4], activity=activity)


def test_the_list_has_phone_cards_and_a_fixed_number_of_queries(fair: Fair, client, django_assert_max_num_queries):
    login(client, fair.people[0])
    _many(fair, 2)
    with django_assert_max_num_queries(20) as few:
        response = client.get(reverse("meetings:activity_list"))
    assert response.status_code == 200 and "table-cards" in response.content.decode()
    _many(fair, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("meetings:activity_list"))
    assert response.content.decode().count("培训") >= 10


def test_the_api_list_has_a_fixed_number_of_queries(fair: Fair, api_client, django_assert_max_num_queries):
    api_client.force_authenticate(fair.people[0])
    _many(fair, 2)
    with django_assert_max_num_queries(20) as few:
        assert api_client.get("/api/v1/activities/").status_code == 200
    _many(fair, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api_client.get("/api/v1/activities/")
    assert response.data["count"] == 10 if isinstance(response.data, dict) else len(response.data) == 10


def test_plan_publish_register_and_sign_in_through_the_pages(fair: Fair, client, time_machine):
    login(client, fair.organizer)
    response = client.post(
        reverse("meetings:activity_create"),
        {
            "mechanism": fair.world.mechanism.pk,
            "kind": "training",
            "title": "商会调解员培训",
            "starts_at": "2026-03-25T09:00",
            "ends_at": "2026-03-25T11:00",
            "place": "市工商联会议室",
            "capacity": "1",
            "for_party_staff": "on",
        },
    )
    activity = Activity.objects.get(title="商会调解员培训")
    assert response.status_code == 302
    client.post(reverse("meetings:activity_act", args=[activity.pk, "publish"]))
    for person in fair.people[:2]:
        login(client, person)
        client.post(reverse("meetings:activity_register", args=[activity.pk]))
    statuses = dict(Registration.objects.filter(activity=activity).values_list("user__username", "status"))
    assert statuses == {"person1": "confirmed", "person2": "waitlisted"}
    page = client.get(reverse("meetings:activity_detail", args=[activity.pk])).content.decode()
    assert "候补" in page
    assert client.get(reverse("meetings:activity_ics", args=[activity.pk])).status_code == 200
    time_machine.move_to("2026-03-25 09:05 +08:00", tick=False)
    login(client, fair.organizer)
    mine = Registration.objects.get(activity=activity, user__username="person1")
    client.post(reverse("meetings:activity_sign_in", args=[activity.pk]), {"present": [mine.pk]})
    assert Registration.objects.get(pk=mine.pk).signed_in_at is not None
    pdf = client.get(reverse("meetings:activity_sign_in_sheet", args=[activity.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(reverse("meetings:activity_attendance", args=[activity.pk]))
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content).startswith(b"PK")


def test_bad_input_on_the_form_keeps_what_was_typed(fair: Fair, client):
    login(client, fair.organizer)
    response = client.post(
        reverse("meetings:activity_create"),
        {
            "mechanism": fair.world.mechanism.pk,
            "kind": "training",
            "title": "保留的标题",
            "starts_at": "2026-03-25T09:00",
            "ends_at": "2026-03-25T08:00",
            "capacity": "0",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "名额至少为 1。" in text and "结束时间须晚于开始时间。" in text and "保留的标题" in text
    assert not Activity.objects.exists()


def test_an_outsider_gets_404_on_pages_and_api(fair: Fair, client, api_client):
    activity = fair.published()
    login(client, fair.world.charlie)
    assert client.get(reverse("meetings:activity_detail", args=[activity.pk])).status_code == 404
    assert client.post(reverse("meetings:activity_register", args=[activity.pk])).status_code == 404
    api_client.force_authenticate(fair.world.charlie)
    assert api_client.get(f"/api/v1/activities/{activity.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/activities/{activity.pk}/register/").status_code == 404
    assert not Registration.objects.exists()


def test_the_api_registers_and_refuses_in_words(fair: Fair, api_client):
    activity = fair.published(capacity=1)
    api_client.force_authenticate(fair.people[0])
    response = api_client.post(f"/api/v1/activities/{activity.pk}/register/")
    assert response.status_code == 200 and response.data["registrations"][0]["status"] == "confirmed"
    again = api_client.post(f"/api/v1/activities/{activity.pk}/register/")
    assert again.status_code in (400, 409) and "已报名" in str(again.data)
    api_client.force_authenticate(fair.people[1])
    refused = api_client.post(f"/api/v1/activities/{activity.pk}/publish/")
    assert refused.status_code == 403


@pytest.mark.parametrize("payload_change, field", [({"capacity": 0}, "capacity"), ({"place": ""}, "place")])
def test_the_api_refuses_bad_input(fair: Fair, api_client, payload_change, field):
    api_client.force_authenticate(fair.organizer)
    payload = {
        "mechanism": fair.world.mechanism.pk,
        "kind": "forum",
        "title": "营商环境论坛",
        "starts_at": "2026-04-01T09:00:00+08:00",
        "ends_at": "2026-04-01T11:00:00+08:00",
        "capacity": 50,
        "place": "会议中心",
    }
    payload.update(payload_change)
    response = api_client.post("/api/v1/activities/", payload, format="json")
    assert response.status_code == 400 and field in response.data
    assert not Activity.objects.exists()
