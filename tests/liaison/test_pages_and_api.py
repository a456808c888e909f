"""Core pages and endpoints: content, actions, and a fixed number of queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison import deadlines, notifications
from liaison.choices import NotificationKind
from liaison.models import Notification
from liaison.notifications import notify

from ..conftest import login
from ..factories import OrganizationFactory, mechanism_between


def test_the_home_page_shows_the_work_queue_and_unread_count(world, client):
    notify([world.alice], kind=NotificationKind.SYSTEM, title="第一条")
    deadlines.deadline_start(
        target=world.mechanism,
        kind="t.home",
        label="报送议题",
        mechanism=world.mechanism,
        owner_organization=world.federation,
        owner_user=world.alice,
        start=dt.date(2026, 11, 2),
        working_days=5,
        actor=None,
    )
    text = login(client, world.alice).get("/").content.decode()
    assert "报送议题" in text and "第一条" in text
    assert 'id="unread-count"' in text and ">1</span>" in text


def test_marking_read_clears_the_unread_count(world, client):
    notify([world.alice], kind=NotificationKind.SYSTEM, title="A")
    notify([world.alice], kind=NotificationKind.SYSTEM, title="B")
    login(client, world.alice)
    first = Notification.objects.filter(recipient=world.alice).first()
    client.post("/notifications/read/", {"id": first.pk})
    assert client.get("/api/v1/me/").json()["unread_notifications"] == 1
    response = client.post("/api/v1/notifications/mark-read/", {}, content_type="application/json")
    assert response.json() == {"marked": 1}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 0


def unread_for(user, count):
    Notification.objects.bulk_create(
        Notification(recipient=user, kind=NotificationKind.SYSTEM, title=f"通知{n}", body="", url="/")
        for n in range(count)
    )


def test_the_unread_badge_reads_99_plus_above_99_and_counts_no_further(world, client):
    unread_for(world.alice, 150)
    unread_for(world.bob, 3)  # another user's do not count
    login(client, world.alice)
    with CaptureQueriesContext(connection) as queries:
        text = client.get("/").content.decode()
    assert re.search(r'id="unread-count"[^>]*>99\+</span>', text)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "liaison_notification" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 100" in counts[0], counts  # at most 100 rows read
    me = client.get("/api/v1/me/").json()
    assert (me["unread_notifications"], me["unread_notifications_capped"]) == (99, True)
    # Read down to 99: the exact number again.
    read = Notification.objects.filter(recipient=world.alice).order_by("pk").values_list("pk", flat=True)[:51]
    notifications.mark_read(world.alice, list(read))
    assert re.search(r'id="unread-count"[^>]*>99</span>', client.get("/").content.decode())
    me = client.get("/api/v1/me/").json()
    assert (me["unread_notifications"], me["unread_notifications_capped"]) == (99, False)


def test_the_preferences_page_saves_email_choices(world, client):
    login(client, world.alice)
    response = client.post("/notifications/preferences/", {"overdue": "on"}, follow=True)
    assert "通知设置已保存" in response.content.decode()
    from liaison.notifications import email_preferences

    prefs = email_preferences(world.alice)
    assert prefs["overdue"] is True and prefs["due_soon"] is False


def test_the_calendar_page_computes_and_explains(world, client):
    text = login(client, world.alice).get("/calendar/?start=2026-09-30&working_days=3").content.decode()
    assert "2026-10-10" in text and "国庆节" in text


def test_the_calendar_page_rejects_bad_input_with_a_message(world, client):
    response = login(client, world.alice).get("/calendar/?start=not-a-date&working_days=-1")
    assert response.status_code == 200
    text = response.content.decode()
    assert "有效" in text or "日期" in text


def test_the_calendar_page_warns_administrators_of_unknown_years(world, client):
    from liaison.choices import Role
    from liaison.models import RoleAssignment

    RoleAssignment.objects.create(user=world.bob, role=Role.ADMINISTRATOR)
    text = login(client, world.bob).get("/calendar/").content.decode()
    assert "2027 年的节假日安排尚未录入" in text
    client.logout()
    assert "尚未录入" not in login(client, world.alice).get("/calendar/").content.decode()


def test_the_api_me_lists_roles(world, client):
    data = login(client, world.bob).get("/api/v1/me/").json()
    assert data["roles"] == ["court_clerk"] and data["username"] == "bob"


def test_the_schema_documents_the_core_endpoints(world, client):
    login(client, world.alice)
    schema = client.get("/api/schema/?format=json").json()
    for path in [
        "/api/v1/me/",
        "/api/v1/organizations/",
        "/api/v1/mechanisms/",
        "/api/v1/notifications/",
        "/api/v1/notifications/mark-read/",
    ]:
        assert path in schema["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<script>" not in html and "googleapis" not in html and "/static/drf_spectacular_sidecar/" in html
    assert client.get("/api/docs/?script=").status_code == 200


def add_mechanisms(world, count):
    for n in range(count):
        court = OrganizationFactory()
        mechanism_between(world.federation, court)
        notify([world.alice], kind=NotificationKind.SYSTEM, title=f"通知{n}")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/mechanisms/",
        "/notifications/",
        "/deadlines/",
        "/api/v1/mechanisms/",
        "/api/v1/organizations/",
        "/api/v1/notifications/",
    ],
)
def test_lists_use_a_fixed_number_of_queries(world, client, django_assert_max_num_queries, url):
    login(client, world.alice)
    add_mechanisms(world, 2)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    expected = len(few.captured_queries)  # before the next request resets the log
    add_mechanisms(world, 15)
    client.get(url)  # the new parties changed the scope: read once more (`liaison.scope_token`)
    with django_assert_max_num_queries(expected):
        assert client.get(url).status_code == 200
