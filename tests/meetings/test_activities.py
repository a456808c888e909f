"""Activities: the lifecycle and its refusals, registration with a waiting list, the reminder, the .ics."""

from __future__ import annotations

import icalendar
import pytest

from liaison.errors import ActionRefused
from liaison.models import AuditEvent, Notification
from meetings import ics
from meetings.activity_choices import ActivityStatus, RegistrationStatus
from meetings.models import Activity, Registration
from meetings.services import activities as services

from ..factories import UserFactory
from .activities import Fair, fair  # noqa: F401
from .conftest import at

A, R = ActivityStatus, RegistrationStatus


def test_it_publishes_and_tells_the_parties_and_the_audience(fair: Fair):
    activity = fair.published()
    assert activity.status == A.PUBLISHED and activity.published_at is not None
    told = set(
        Notification.objects.filter(title__contains="法院公众开放日").values_list("recipient__username", flat=True)
    )
    # Staff of the parties were chosen: everyone of the court and the federation; nobody of the other mechanism.
    assert {"act_secretary", "act_fed", "person1", "person2", "alice", "bob"} <= told
    assert "charlie" not in told
    events = list(AuditEvent.objects.filter(action__startswith="activity_").values_list("action", "to_state"))
    assert events == [("activity_create", "activity.draft"), ("activity_publish", "activity.published")]


def test_it_refuses_to_plan_for_an_outsider_or_a_role_that_does_not_organize(fair: Fair):
    with pytest.raises(ActionRefused) as refused:
        services.activity_create(actor=fair.world.charlie, mechanism=fair.world.mechanism, data=fair.data())
    assert "不是该机制的参与单位" in refused.value.message
    with pytest.raises(ActionRefused) as refused:
        services.activity_create(actor=fair.people[0], mechanism=fair.world.mechanism, data=fair.data())
    assert "安排活动" in refused.value.message


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": " "}, "title"),
        ({"ends_at": at("2026-03-25", 8)}, "ends_at"),
        ({"place": "", "online_link": ""}, "place"),
        ({"capacity": 0}, "capacity"),
        ({"registration_deadline": at("2026-03-26")}, "registration_deadline"),
        ({"for_party_staff": False}, "for_party_staff"),
    ],
)
def test_it_refuses_bad_input_with_a_message_and_saves_nothing(fair: Fair, overrides, field):
    with pytest.raises(ActionRefused) as refused:
        fair.draft(**overrides)
    assert refused.value.field == field
    assert not Activity.objects.exists()


def test_only_the_organizing_side_publishes_and_a_step_is_taken_once(fair: Fair):
    activity = fair.draft()
    with pytest.raises(ActionRefused) as refused:
        services.activity_publish(actor=fair.fed_staff, activity=activity)
    assert "主办或协办单位" in refused.value.message
    services.activity_publish(actor=fair.organizer, activity=activity)
    with pytest.raises(ActionRefused) as refused:
        services.activity_publish(actor=fair.organizer, activity=Activity.objects.get(pk=activity.pk))
    assert "已由" in refused.value.message and "报名中" in refused.value.message


def test_a_co_organizer_takes_the_steps_too(fair: Fair):
    activity = fair.draft(co_organizers=[fair.world.federation])
    services.activity_publish(actor=fair.fed_staff, activity=activity)
    assert activity.status == A.PUBLISHED


def test_the_lifecycle_to_held_and_the_refusals_on_the_way(fair: Fair, time_machine):
    activity = fair.published()
    services.activity_close_registration(actor=fair.organizer, activity=activity)
    with pytest.raises(ActionRefused) as refused:
        services.activity_hold(actor=fair.organizer, activity=activity)
    assert "举办当天或之后" in refused.value.message
    time_machine.move_to("2026-03-25 12:00 +08:00", tick=False)
    services.activity_hold(actor=fair.organizer, activity=activity)
    assert activity.status == A.HELD and activity.held_at is not None
    with pytest.raises(ActionRefused):
        services.activity_cancel(actor=fair.organizer, activity=activity, reason="迟到的取消")


def test_cancel_needs_a_reason_and_tells_the_registered(fair: Fair):
    activity = fair.published()
    services.registration_create(actor=fair.people[0], activity=activity)
    with pytest.raises(ActionRefused) as refused:
        services.activity_cancel(actor=fair.organizer, activity=activity, reason="  ")
    assert refused.value.field == "reason"
    services.activity_cancel(actor=fair.organizer, activity=activity, reason="场地检修")
    assert activity.status == A.CANCELLED and activity.reason == "场地检修"
    assert Notification.objects.filter(recipient=fair.people[0], title__startswith="活动取消").count() == 1


def test_registration_fills_the_places_then_the_waiting_list_and_a_withdrawal_promotes(fair: Fair):
    activity = fair.published()  # two places
    first, second, third, fourth = (
        services.registration_create(actor=person, activity=activity) for person in fair.people
    )
    assert [r.status for r in (first, second, third, fourth)] == [R.CONFIRMED, R.CONFIRMED, R.WAITLISTED, R.WAITLISTED]
    with pytest.raises(ActionRefused) as refused:
        services.registration_create(actor=fair.people[0], activity=activity)
    assert "已报名" in refused.value.message
    services.registration_cancel(actor=fair.people[1], registration=second)
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == R.CONFIRMED and third.promoted_at is not None
    assert fourth.status == R.WAITLISTED
    assert Notification.objects.filter(recipient=fair.people[2], title__startswith="候补转正").count() == 1
    # Someone else's registration is withdrawn only by the organizing side.
    with pytest.raises(ActionRefused) as refused:
        services.registration_cancel(actor=fair.people[3], registration=first)
    assert "本人" in refused.value.message
    services.registration_cancel(actor=fair.organizer, registration=first)
    fourth.refresh_from_db()
    assert fourth.status == R.CONFIRMED
    assert Registration.objects.filter(activity=activity, status=R.CONFIRMED).count() == 2


def test_registration_is_refused_outside_the_mechanism_before_publishing_and_after_the_deadline(fair, time_machine):
    activity = fair.draft()
    with pytest.raises(ActionRefused):
        services.registration_create(actor=fair.people[0], activity=activity)
    services.activity_publish(actor=fair.organizer, activity=activity)
    with pytest.raises(ActionRefused) as refused:
        services.registration_create(actor=fair.world.charlie, activity=activity)
    assert "不是该机制的参与单位" in refused.value.message
    time_machine.move_to("2026-03-24 18:00 +08:00", tick=False)
    with pytest.raises(ActionRefused) as refused:
        services.registration_create(actor=fair.people[0], activity=activity)
    assert "报名已于 2026-03-24 17:00 截止" in refused.value.message


def test_raising_the_capacity_promotes_the_waiting_list_and_it_cannot_fall_below_the_registered(fair: Fair):
    activity = fair.published()
    registrations = [services.registration_create(actor=p, activity=activity) for p in fair.people[:3]]
    with pytest.raises(ActionRefused) as refused:
        services.activity_update(actor=fair.organizer, activity=activity, data=fair.data(capacity=1))
    assert refused.value.field == "capacity"
    services.activity_update(actor=fair.organizer, activity=activity, data=fair.data(capacity=3))
    registrations[2].refresh_from_db()
    assert registrations[2].status == R.CONFIRMED
    assert Activity.objects.get(pk=activity.pk).sequence == 1


def test_the_reminder_goes_the_day_before_exactly_once(fair: Fair, time_machine):
    activity = fair.published()
    services.registration_create(actor=fair.people[0], activity=activity)
    services.registration_create(actor=fair.people[1], activity=activity)
    services.registration_create(actor=fair.people[2], activity=activity)  # waiting
    withdrawn = services.registration_create(actor=fair.people[3], activity=activity)
    services.registration_cancel(actor=fair.people[3], registration=withdrawn)
    assert services.activities_remind() == 0  # 2026-03-20: not the day before
    time_machine.move_to("2026-03-24 08:00 +08:00", tick=False)
    assert services.activities_remind() == 3
    assert services.activities_remind() == 0
    time_machine.move_to("2026-03-24 20:00 +08:00", tick=False)
    assert services.activities_remind() == 0
    reminded = Notification.objects.filter(title__startswith="活动提醒").values_list("recipient__username", flat=True)
    assert sorted(reminded) == ["person1", "person2", "person3"]


def test_the_reminder_task_is_routed_and_runs(fair: Fair, time_machine, settings):
    from meetings.tasks import remind_activities

    assert settings.CELERY_TASK_ROUTES["meetings.tasks.remind_activities"]["queue"]
    activity = fair.published()
    services.registration_create(actor=fair.people[0], activity=activity)
    time_machine.move_to("2026-03-24 08:00 +08:00", tick=False)
    assert remind_activities.delay().get() == 1


def test_each_registration_has_an_ics_and_the_feed_holds_the_activity(fair: Fair):
    from meetings import selectors

    activity = fair.published()
    services.registration_create(actor=fair.people[0], activity=activity)
    calendar = icalendar.Calendar.from_ical(ics.activity_invitation(activity, ("参加人1", "p1@example.test")))
    event = calendar.walk("VEVENT")[0]
    assert str(event["uid"]) == f"activity-{activity.pk}@liaison"
    assert "法院公众开放日" in str(event["summary"])
    assert event["dtstart"].dt.hour == 9
    feed = icalendar.Calendar.from_ical(ics.feed([], "feed", activities=selectors.activities_of(fair.people[0])))
    assert [str(e["uid"]) for e in feed.walk("VEVENT")] == [f"activity-{activity.pk}@liaison"]
    assert list(selectors.activities_of(fair.people[1])) == []


def test_sign_in_is_recorded_for_confirmed_people_on_the_day(fair: Fair, time_machine):
    activity = fair.published()
    regs = [services.registration_create(actor=p, activity=activity) for p in fair.people[:3]]
    with pytest.raises(ActionRefused) as refused:
        services.sign_in_record(actor=fair.organizer, activity=activity, present=[regs[0].pk])
    assert "举办当天" in refused.value.message
    time_machine.move_to("2026-03-25 09:10 +08:00", tick=False)
    with pytest.raises(ActionRefused) as refused:
        services.sign_in_record(actor=fair.organizer, activity=activity, present=[regs[2].pk])
    assert refused.value.field == "present"
    with pytest.raises(ActionRefused):
        services.sign_in_record(actor=fair.people[0], activity=activity, present=[regs[0].pk])
    assert services.sign_in_record(actor=fair.organizer, activity=activity, present=[r.pk for r in regs[:2]]) == 2
    assert Registration.objects.filter(activity=activity, signed_in_at__isnull=False).count() == 2
    services.sign_in_record(actor=fair.organizer, activity=activity, present=[regs[0].pk])
    assert Registration.objects.filter(activity=activity, signed_in_at__isnull=False).count() == 1


def test_the_report_is_recorded_after_the_activity_is_held(fair: Fair, time_machine):
    activity = fair.published()
    with pytest.raises(ActionRefused):
        services.activity_report_record(actor=fair.organizer, activity=activity, report="简报")
    time_machine.move_to("2026-03-25 12:00 +08:00", tick=False)
    services.activity_hold(actor=fair.organizer, activity=activity)
    with pytest.raises(ActionRefused) as refused:
        services.activity_report_record(actor=fair.organizer, activity=activity, report=" ")
    assert refused.value.field == "report"
    services.activity_report_record(
        actor=fair.organizer, activity=activity, report="30 名企业家参观诉讼服务中心。", enterprises_reached=12
    )
    activity.refresh_from_db()
    assert activity.enterprises_reached == 12 and "企业家" in activity.report


def test_an_outsider_sees_no_activity_of_another_mechanism(fair: Fair):
    from django.http import Http404

    from meetings import selectors

    activity = fair.published()
    with pytest.raises(Http404):
        selectors.activity_get(user=fair.world.charlie, pk=activity.pk)
    assert selectors.activity_get(user=fair.people[0], pk=activity.pk) == activity
    assert list(selectors.activity_list(user=fair.world.charlie)) == []


def test_a_user_without_organizing_role_of_the_other_party_cannot_close(fair: Fair):
    activity = fair.published()
    boss = UserFactory(username="fed_boss2", organization=fair.world.federation, roles=["leader"])
    with pytest.raises(ActionRefused):
        services.activity_close_registration(actor=boss, activity=activity)


def test_the_held_activity_report_is_published_as_a_shared_work_bulletin(fair: Fair, time_machine, client):
    from django.urls import reverse

    from reports.models import ActivityReport, Report

    activity = fair.published()
    reg = services.registration_create(actor=fair.people[0], activity=activity)
    time_machine.move_to("2026-03-25 12:00 +08:00", tick=False)
    services.sign_in_record(actor=fair.organizer, activity=activity, present=[reg.pk])
    services.activity_hold(actor=fair.organizer, activity=activity)
    login_client = client
    login_client.force_login(fair.organizer)
    url = reverse("reports:activity_share", args=[activity.pk])
    login_client.post(url)
    assert not ActivityReport.objects.exists()  # no report written yet
    services.activity_report_record(
        actor=fair.organizer, activity=activity, report="企业家参观。", enterprises_reached=5
    )
    response = login_client.post(url)
    link = ActivityReport.objects.get(activity=activity)
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[link.report_id])
    report = Report.objects.get(pk=link.report_id)
    assert report.kind == "work_bulletin" and report.state == "published" and "签到 1 人，覆盖企业 5 家" in report.body
    login_client.post(url)
    assert ActivityReport.objects.count() == 1
    login_client.force_login(fair.world.charlie)
    assert login_client.post(url).status_code == 404


def test_publishing_tells_only_the_parties_told_in_the_mechanism(fair: Fair):
    """A member unit whose place the mechanism does not tell, and a party that has left, hear of nothing."""
    import datetime as dt

    from liaison.choices import PartyPlace
    from liaison.models import MechanismParty, MechanismPlaceRule

    from ..factories import OrganizationFactory

    mechanism = fair.world.mechanism
    units = {}
    for key, name, place, left_on in (
        ("member", "甲市市场监督管理局", PartyPlace.MEMBER, None),
        ("left", "甲市税务局", PartyPlace.OBSERVER, dt.date(2026, 3, 1)),
        ("observer", "甲市司法局", PartyPlace.OBSERVER, None),
    ):
        units[key] = OrganizationFactory(name=name, kind="government")
        officer = UserFactory(username=f"{key}_officer", organization=units[key], roles=["court_handler"])
        UserFactory(username=f"{key}_staff", organization=units[key], roles=["meeting_secretary"])
        MechanismParty.objects.create(
            mechanism=mechanism,
            organization=units[key],
            place=place,
            side="handler",
            liaison_officer=officer,
            joined_on=dt.date(2026, 1, 1),
            left_on=left_on,
        )
    MechanismPlaceRule.objects.create(mechanism=mechanism, place=PartyPlace.MEMBER, is_told=False)
    fair.published()
    told = set(
        Notification.objects.filter(title__contains="法院公众开放日").values_list("recipient__username", flat=True)
    )
    assert {"observer_officer", "observer_staff", "act_fed", "alice"} <= told
    assert not told & {"member_officer", "member_staff", "left_officer", "left_staff"}
