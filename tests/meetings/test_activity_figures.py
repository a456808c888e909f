"""Activity figures with hand-worked numbers: the function, the API, the dashboard and the monthly report."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from meetings.activity_figures import activity_figures
from meetings.services import activities as services
from reports import monthly

from ..conftest import login
from ..factories import UserFactory
from .activities import Fair, fair  # noqa: F401
from .conftest import at


def _build(fair: Fair, time_machine) -> None:
    """In the mechanism, March 2026:
    - open day on 03-25, capacity 2: people 1, 2 confirmed, 3 waiting; 1 and 2 sign in; 12 enterprises; held;
    - training on 03-26, capacity 5: people 1, 4 confirmed; 4 signs in; 3 enterprises; held;
    - forum on 03-27: published, then cancelled (not counted);
    - training on 04-02: held, 1 sign-in (outside March).
    In the other mechanism: an open day held on 03-25 with 1 sign-in (outside the court's scope).
    Hand-worked for March, as the court's secretary sees it: held 2 (open day 1, training 1),
    participants 3, registered (confirmed) 4, enterprises 15.
    """
    open_day = fair.published(capacity=2)
    training = fair.published(
        kind="training", title="商会调解员培训", capacity=5, starts_at=at("2026-03-26", 9), ends_at=at("2026-03-26", 11)
    )
    forum = fair.published(kind="forum", title="论坛", starts_at=at("2026-03-27", 9), ends_at=at("2026-03-27", 11))
    april = fair.published(
        kind="training",
        title="四月培训",
        starts_at=at("2026-04-02", 9),
        ends_at=at("2026-04-02", 11),
        registration_deadline=None,
    )
    services.activity_cancel(actor=fair.organizer, activity=forum, reason="改期")
    p1, p2, p3, p4 = fair.people
    r = {
        "o1": services.registration_create(actor=p1, activity=open_day),
        "o2": services.registration_create(actor=p2, activity=open_day),
        "o3": services.registration_create(actor=p3, activity=open_day),
        "t1": services.registration_create(actor=p1, activity=training),
        "t4": services.registration_create(actor=p4, activity=training),
        "a1": services.registration_create(actor=p1, activity=april),
    }
    other_secretary = UserFactory(
        username="other_sec", organization=fair.world.other_court, roles=["meeting_secretary"]
    )
    other_person = UserFactory(username="other_p", organization=fair.world.other_court, roles=["court_handler"])
    elsewhere = services.activity_publish(
        actor=other_secretary,
        activity=services.activity_create(
            actor=other_secretary, mechanism=fair.world.other_mechanism, data=fair.data(title="乙区开放日")
        ),
    )
    r_other = services.registration_create(actor=other_person, activity=elsewhere)

    time_machine.move_to("2026-03-25 12:00 +08:00", tick=False)
    services.sign_in_record(actor=fair.organizer, activity=open_day, present=[r["o1"].pk, r["o2"].pk])
    services.activity_hold(actor=fair.organizer, activity=open_day)
    services.activity_report_record(actor=fair.organizer, activity=open_day, report="开放日", enterprises_reached=12)
    services.sign_in_record(actor=other_secretary, activity=elsewhere, present=[r_other.pk])
    services.activity_hold(actor=other_secretary, activity=elsewhere)
    time_machine.move_to("2026-03-26 12:00 +08:00", tick=False)
    services.sign_in_record(actor=fair.organizer, activity=training, present=[r["t4"].pk])
    services.activity_hold(actor=fair.organizer, activity=training)
    services.activity_report_record(actor=fair.organizer, activity=training, report="培训", enterprises_reached=3)
    time_machine.move_to("2026-04-02 12:00 +08:00", tick=False)
    services.sign_in_record(actor=fair.organizer, activity=april, present=[r["a1"].pk])
    services.activity_hold(actor=fair.organizer, activity=april)


MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def test_the_figures_of_march_are_the_hand_worked_ones(fair: Fair, time_machine):
    _build(fair, time_machine)
    figures = activity_figures(user=fair.organizer, start=MARCH[0], end=MARCH[1])
    assert (figures["held"], figures["participants"], figures["registered"], figures["enterprises_reached"]) == (
        2,
        3,
        4,
        15,
    )
    kinds = {row["key"]: row["count"] for row in figures["by_kind"]}
    assert kinds["open_day"] == 1 and kinds["training"] == 1 and kinds["forum"] == 0
    assert [(row["held"], row["enterprises_reached"]) for row in figures["by_mechanism"]] == [(2, 15)]
    # Both mechanisms for nobody in particular: the other mechanism alone counts its open day.
    other = activity_figures(user=None, mechanism=fair.world.other_mechanism, start=MARCH[0], end=MARCH[1])
    assert (other["held"], other["participants"]) == (1, 1)
    april = activity_figures(user=fair.organizer, start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30))
    assert (april["held"], april["participants"]) == (1, 1)


def test_the_api_dashboard_and_monthly_report_show_them(fair: Fair, time_machine, client, api_client):
    _build(fair, time_machine)
    api_client.force_authenticate(fair.organizer)
    data = api_client.get("/api/v1/figures/activities/", {"start": "2026-03-01", "end": "2026-03-31"}).json()
    assert (data["held"], data["participants"], data["enterprises_reached"]) == (2, 3, 15)
    other = api_client.get("/api/v1/figures/activities/", {"mechanism": fair.world.other_mechanism.pk})
    assert other.status_code == 404
    leader = fair.world.leader
    login(client, leader)
    page = client.get(reverse("reports:dashboard"), {"period": "custom", "start": "2026-03-01", "end": "2026-03-31"})
    page = page.content.decode()
    assert 'id="figure-activities-held">2<' in page and 'id="figure-activity-participants">3<' in page
    rows = {row["key"]: row for row in monthly.monthly_figures(fair.world.mechanism, 2026, 3)["rows"]}
    assert (rows["activities_held"]["month"], rows["activity_participants"]["month"]) == (2, 3)
    assert rows["activity_enterprises"]["month"] == 15
