"""The demo loader creates the seeds' institutions and every role, and a second run changes nothing."""

import datetime as dt

from django.apps import apps

from liaison.demo import loader
from liaison.models import Mechanism, Organization, User

COUNTED = [
    "liaison.Organization",
    "liaison.Department",
    "liaison.User",
    "liaison.RoleAssignment",
    "liaison.Mechanism",
    "liaison.MechanismParty",
    "liaison.Deadline",
    "liaison.AuditEvent",
    "liaison.Notification",
    "liaison.Attachment",
    "cases.Enterprise",
    "cases.Complaint",
    "cases.Transfer",
]


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def test_it_loads_the_seed_institutions_and_is_idempotent(db):
    loader.load()
    first = counts()
    loader.load()
    assert counts() == first
    assert (
        Organization.objects.filter(
            name__in=[
                "洛阳市中级人民法院",
                "洛阳市工商业联合会",
                "广州市天河区人民法院",
                "广州市天河区工商业联合会",
                "天津市司法局",
                "天津市工商业联合会",
                "卫东区人民政府",
                "卫东区人民法院",
            ]
        ).count()
        == 8
    )
    assert Mechanism.objects.get(document_number="洛中法〔2021〕65号").parties.count() == 2
    assert set(Mechanism.objects.values_list("document_number", flat=True)) >= {
        "洛中法〔2021〕65号",
        "穗天法〔2021〕31号",
        "津司发〔2024〕8号",
    }
    for username in [
        "fed_staff",
        "fed_reviewer",
        "fed_leader",
        "court_clerk",
        "court_handler",
        "court_leader",
        "secretary",
        "mediation_manager",
        "mediator",
        "admin",
        "tianhe_fed_staff",
        "tianhe_court_clerk",
    ]:
        assert User.objects.get(username=username).check_password("demo-pass-2026"), username


def test_the_demo_has_complaints_in_every_state(db):
    from cases.choices import ComplaintStatus
    from cases.models import Complaint

    loader.load()
    states = set(Complaint.objects.values_list("status", flat=True))
    assert states == set(ComplaintStatus.values)


def test_the_demo_has_a_past_that_the_figures_read_and_the_audit_chain_verifies(db, settings):
    """Twelve months of complaints, each step on the day its deadlines imply; loaded once."""
    from django.db.models import F
    from django.utils import timezone

    from cases.demo_history import MONTHS, PER_MONTH
    from cases.figures import complaint_figures
    from cases.models import Complaint
    from liaison.audit import verify_chain

    settings.DEMO_HISTORY = True
    loader.load()
    first = counts()
    loader.load()
    assert counts() == first
    past = Complaint.objects.filter(title__contains="月第")
    assert past.count() == MONTHS * PER_MONTH
    today = timezone.localdate()
    months = {timezone.localtime(c.submitted_at).strftime("%Y-%m") for c in past}
    assert len(months) == MONTHS and today.strftime("%Y-%m") not in months
    assert not past.filter(transferred_at__lt=F("submitted_at")).exists()
    assert not past.filter(answered_at__lt=F("transferred_at")).exists()
    assert past.filter(status="closed").count() >= MONTHS * PER_MONTH // 2
    assert past.filter(reopen_count__gt=0).exists()
    assert verify_chain().ok
    leader = User.objects.get(username="fed_leader")
    month_ago = today.replace(day=1) - dt.timedelta(days=1)
    assert complaint_figures(user=leader, start=month_ago.replace(day=1), end=month_ago)["total"] == PER_MONTH
    # Six months back every complaint has been transferred at a quarterly meeting and answered.
    start = (today.replace(day=1) - dt.timedelta(days=160)).replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    figures = complaint_figures(user=leader, start=start, end=end)
    assert figures["total"] == figures["answered"] == PER_MONTH


def test_the_meetings_and_mediation_cases_of_the_past_happened_on_their_days(db, settings):
    """Luoyang's joint meetings, minutes, action items and mediation cases are not stamped at load time:
    each step happened on its day, so the figures of past periods read real durations."""
    from django.utils import timezone

    from cases.models import Transfer
    from liaison.demo import history
    from mediation.models import MediationCase
    from meetings.figures import meeting_figures
    from meetings.models import ActionItem, Meeting, Minutes

    settings.DEMO_HISTORY = True
    loader.load()
    luoyang = Mechanism.objects.get(short_name="洛阳法院·工商联")
    now = timezone.now()
    today = timezone.localdate()
    held = Meeting.objects.filter(mechanism=luoyang, kind="joint", held_at__isnull=False)
    assert held.count() == 4  # the last four quarters but the missed one, and this quarter's
    for meeting in held:
        day = timezone.localtime(meeting.starts_at).date()
        assert day == history.joint_meeting_day(today, *history.quarter_of(day))
        assert timezone.localdate(meeting.held_at) == day
        assert (meeting.starts_at - meeting.created_at).days >= 20
    issued = Minutes.objects.filter(mechanism=luoyang, status="issued")
    assert issued.count() == 3
    for minutes in issued:
        meeting_day = timezone.localtime(minutes.meeting.starts_at)
        assert meeting_day < minutes.submitted_at < minutes.approved_at <= minutes.issued_at < now
        assert 3 <= (minutes.issued_at - meeting_day).days <= 20
    # Transfers at a joint meeting carry its title and were issued on its day.
    batch = Transfer.objects.filter(mechanism=luoyang, complaints__title__contains="月第").exclude(meeting_reference="")
    assert batch.exists()
    for transfer in batch:
        meeting = held.get(title=transfer.meeting_reference)
        assert timezone.localdate(transfer.made_at) == timezone.localdate(meeting.starts_at)
    # Items closed on their day: one on time, one late, and the late one after its due date.
    closed = ActionItem.objects.filter(mechanism=luoyang, source="minutes", closed_at__isnull=False)
    assert closed.count() >= 4
    late = [item for item in closed if timezone.localdate(item.closed_at) > item.due_date]
    on_time = [item for item in closed if timezone.localdate(item.closed_at) <= item.due_date]
    assert late and on_time
    assert all(item.closed_at < now - dt.timedelta(days=30) for item in closed)
    # The figures of the year before read them.
    leader = User.objects.get(username="court_leader")
    figures = meeting_figures(user=leader, start=today - dt.timedelta(days=400), end=today)
    assert figures["joint_meetings_held"] == 4
    items = figures["action_items"]
    assert items["done"] == 4 and items["done_on_time"] == 3
    # Mediation cases: referred on their day, concluded weeks later, durations real.
    cases = MediationCase.objects.filter(mechanism=luoyang)
    ended = cases.filter(closed_at__isnull=False)
    assert ended.count() >= 6
    for case in ended:
        assert case.referred_at < case.accepted_at < case.closed_at < now
        assert case.duration_days == (timezone.localdate(case.closed_at) - timezone.localdate(case.referred_at)).days
        assert case.duration_days >= (3 if case.status == "withdrawn" else 10)
    oldest = cases.order_by("referred_at").first()
    assert (today - timezone.localdate(oldest.referred_at)).days == 160


def test_the_held_activities_of_the_past_happened_on_their_days(db, settings):
    """The demo's held activities went through their steps on their own days under the moved clock:
    planned and published two weeks before, registered for, closed the day before, signed in and held
    on the day, the report the next day; the audit events carry those days and the chain verifies.
    The upcoming ones are still ahead."""
    import inspect

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from liaison.audit import verify_chain
    from liaison.models import AuditEvent
    from meetings import demo_activities
    from meetings.models import Activity

    settings.DEMO_HISTORY = True
    loader.load()
    today = timezone.localdate()
    now = timezone.now()
    held = {a.title: a for a in Activity.objects.filter(status="held")}
    assert set(held) == {demo_activities.OPEN_DAY, demo_activities.LECTURE}
    kind = ContentType.objects.get_for_model(Activity)

    def local(moment):
        return timezone.localdate(moment)

    for title, back in (
        (demo_activities.OPEN_DAY, demo_activities.OPEN_DAY_BACK),
        (demo_activities.LECTURE, demo_activities.LECTURE_BACK),
    ):
        activity = held[title]
        day = demo_activities.held_day(today, back)
        assert 0 <= (today - day).days - back <= 7  # the last working day that long ago
        planned = day - dt.timedelta(days=14)
        assert local(activity.starts_at) == local(activity.ends_at) == day
        assert local(activity.created_at) == local(activity.published_at) == planned
        assert local(activity.closed_at) == day - dt.timedelta(days=1)
        assert local(activity.held_at) == day and activity.starts_at < activity.held_at
        assert activity.report and activity.enterprises_reached > 0
        registrations = list(activity.registrations.all())
        assert len(registrations) >= 3
        for registration in registrations:
            assert planned < local(registration.registered_at) < day
            assert local(registration.signed_in_at) == day
        # (The research demo, a late loader, shares the open day's report as a bulletin today.)
        events = (
            AuditEvent.objects.filter(content_type=kind, object_id=str(activity.pk))
            .exclude(action="activity_share_report")
            .order_by("id")
        )
        days = {}
        for event in events:
            days.setdefault(event.action, set()).add(local(event.created_at))
            assert event.created_at < now - dt.timedelta(days=back - 2)
        assert days["activity_create"] == days["activity_publish"] == {planned}
        assert days["activity_close_registration"] == {day - dt.timedelta(days=1)}
        assert days["activity_sign_in"] == days["activity_hold"] == {day}
        assert days["activity_report"] == {day + dt.timedelta(days=1)}
        assert len(days["activity_register"]) == len(registrations)  # one a day
        times = [event.created_at for event in events]
        assert times == sorted(times)
    upcoming = Activity.objects.exclude(status="held")
    assert upcoming.count() == 2
    for activity in upcoming:
        assert activity.status == "published" and activity.starts_at > now
        assert local(activity.created_at) == today
    assert verify_chain().ok
    # Nothing is moved back by hand any more: the clock was.
    source = inspect.getsource(demo_activities)
    assert ".update(" not in source and "refresh_from_db" in source


def test_without_history_the_held_activities_are_held_today(db):
    """Without a moved clock the same steps run now, on activities that start a few minutes ahead."""
    from django.utils import timezone

    from meetings import demo_activities
    from meetings.models import Activity

    loader.load()
    held = Activity.objects.filter(title__in=[demo_activities.OPEN_DAY, demo_activities.LECTURE])
    assert [
        (a.status, bool(a.report), a.registrations.filter(signed_in_at__isnull=False).count() > 0) for a in held
    ] == [("held", True, True)] * 2
    assert {timezone.localdate(a.starts_at) for a in held} == {timezone.localdate()}
