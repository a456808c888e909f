"""Meeting figures on hand-built data; every expected number is worked out by hand below.

The clock is frozen at Monday 2026-11-23 10:00 (Asia/Shanghai). The range is 2026-08-15..11-30,
which overlaps two quarters (Q3 and Q4). The mechanism requires 3 joint meetings a quarter.

    meeting  kind          status           starts (Shanghai)   counts?
    m1       joint         held             08-20 09:00         joint
    m2       joint         minutes_issued   10-15 09:00         joint
    m3       plenary       held             09-10 09:00         joint (the cadence counts plenaries) and plenary
    m4       joint         planned          10-30 09:00         no: not held
    m5       joint         held             08-15 00:30         joint (08-14 16:30 in UTC: the local day counts)
    m6       joint         held             12-01 00:30         no: after the range (11-30 in UTC)
    m7       coordination  held             09-01 09:00         no: not a cadence kind
    other    joint         held             09-01 09:00         no: the other mechanism
Joint meetings held 4 (m1, m2, m3, m5) of 3 × 2 = 6 required → 0.6667; plenaries held 1 (m3).

    item  source     status       due     closed (Shanghai)   counts
    a1    minutes    done         09-30   09-30 23:00         done on time
    a2    minutes    done         10-15   10-16 00:30         done late (10-15 16:30 in UTC: the local day counts)
    a3    minutes    in_progress  11-20   -                   open overdue (11-20 < 11-23)
    a4    minutes    open         11-30   -                   open, not yet due
    a5    minutes    open         08-14   -                   no: due before the range
    a6    minutes    draft        10-01   -                   no: a draft
    t1    dual list  done         08-15   08-01 10:00         done on time
    t2    dual list  open         11-22   -                   open overdue
    t3    dual list  in_progress  11-23   -                   open, due today (not overdue)
    other minutes    open         10-01   -                   no: the other mechanism
Action items: total 4, done 2, on time 1 (0.25), overdue 1. Tasks: total 3, done 1, on time 1 (0.3333), overdue 1.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.models import User
from meetings.figures import meeting_figures, quarters_overlapping
from meetings.models import ActionItem, DualList, Meeting, Minutes

from ..conftest import login

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date
START, END = D(2026, 8, 15), D(2026, 11, 30)
URL = "/api/v1/figures/meetings/"


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def meeting(cast, when: dt.datetime, *, kind: str = "joint", status: str = "held", mechanism=None) -> Meeting:
    created = cast.meeting(title=f"{kind} {when:%m-%d}")
    Meeting.objects.filter(pk=created.pk).update(
        kind=kind,
        status=status,
        starts_at=when,
        ends_at=when + dt.timedelta(hours=2),
        mechanism=mechanism or cast.world.mechanism,
    )
    return created


def item(
    cast,
    holder: Minutes | DualList,
    due: dt.date,
    status: str = "open",
    closed: dt.datetime | None = None,
    mechanism=None,
) -> ActionItem:
    source = (
        {"minutes": holder, "dual_list": None}
        if isinstance(holder, Minutes)
        else {"minutes": None, "dual_list": holder}
    )
    return ActionItem.objects.create(
        mechanism=mechanism or cast.world.mechanism,
        source="minutes" if isinstance(holder, Minutes) else "dual_list",
        title=f"事项 {due}",
        owner_organization=cast.world.court,
        due_date=due,
        status=status,
        closed_at=closed,
        **source,
    )


@pytest.fixture
def history(cast, time_machine):
    """Built on 2026-03-20 (the cast's day), read on 2026-11-23 10:00."""
    mechanism = cast.world.mechanism
    mechanism.meetings_per_quarter = 3
    mechanism.save(update_fields=["meetings_per_quarter"])
    meeting(cast, at(8, 20, 9))
    meeting(cast, at(10, 15, 9), status="minutes_issued")
    meeting(cast, at(9, 10, 9), kind="plenary")
    meeting(cast, at(10, 30, 9), status="planned")
    meeting(cast, at(8, 15, 0, 30))
    meeting(cast, at(12, 1, 0, 30))
    meeting(cast, at(9, 1, 9), kind="coordination")
    meeting(cast, at(9, 1, 9), mechanism=cast.world.other_mechanism)

    minutes = cast.minutes()  # held 03-20, with one draft action item due 04-30: outside the range
    dual_list = DualList.objects.create(mechanism=mechanism, year=2026, title="2026年双清单", created_by=cast.secretary)
    item(cast, minutes, D(2026, 9, 30), "done", at(9, 30, 23))
    item(cast, minutes, D(2026, 10, 15), "done", at(10, 16, 0, 30))
    item(cast, minutes, D(2026, 11, 20), "in_progress")
    item(cast, minutes, D(2026, 11, 30))
    item(cast, minutes, D(2026, 8, 14))
    item(cast, minutes, D(2026, 10, 1), "draft")
    item(cast, dual_list, D(2026, 8, 15), "done", at(8, 1, 10))
    item(cast, dual_list, D(2026, 11, 22))
    item(cast, dual_list, D(2026, 11, 23), "in_progress")
    other_list = DualList.objects.create(
        mechanism=cast.world.other_mechanism, year=2026, title="乙区双清单", created_by=cast.secretary
    )
    item(cast, other_list, D(2026, 10, 1), mechanism=cast.world.other_mechanism)

    time_machine.move_to(at(11, 23, 10), tick=False)
    return minutes, dual_list


def test_the_range_overlaps_whole_quarters():
    assert quarters_overlapping(START, END) == [(D(2026, 7, 1), D(2026, 9, 30)), (D(2026, 10, 1), D(2026, 12, 31))]
    assert quarters_overlapping(D(2026, 3, 31), D(2027, 1, 1)) == [
        (D(2026, 1, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), D(2026, 9, 30)),
        (D(2026, 10, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 3, 31)),
    ]
    assert quarters_overlapping(D(2026, 5, 1), D(2026, 5, 1)) == [(D(2026, 4, 1), D(2026, 6, 30))]


def test_it_computes_the_figures_of_the_range(cast, history):
    figures = meeting_figures(user=cast.secretary, mechanism=cast.world.mechanism, start=START, end=END)

    assert (figures["joint_meetings_held"], figures["joint_meetings_required"]) == (4, 6)
    assert figures["joint_meetings_share"] == 0.6667
    assert figures["plenaries_held"] == 1
    assert figures["action_items"] == {
        "total": 4,
        "done": 2,
        "done_on_time": 1,
        "on_time_share": 0.25,
        "open_overdue": 1,
    }
    assert figures["tasks"] == {"total": 3, "done": 1, "done_on_time": 1, "on_time_share": 0.3333, "open_overdue": 1}


def test_quarters_before_the_founding_are_not_required(cast, history):
    mechanism = cast.world.mechanism
    mechanism.founded_on = D(2026, 10, 8)  # Q3 ended before: only Q4 counts
    mechanism.save(update_fields=["founded_on"])
    figures = meeting_figures(user=cast.secretary, mechanism=mechanism, start=START, end=END)
    assert figures["joint_meetings_required"] == 3


def test_it_reads_the_scope_of_the_user(cast, history):
    # Without a mechanism: every mechanism the user sees; the secretary sees only the world's.
    assert meeting_figures(user=cast.secretary, start=START, end=END)["joint_meetings_held"] == 4
    # Charlie sees only the other mechanism: its one meeting, its one task (open, due 10-01: overdue)
    # and its default cadence of 1 a quarter over two quarters.
    figures = meeting_figures(user=cast.world.charlie, start=START, end=END)
    assert (figures["joint_meetings_held"], figures["joint_meetings_required"], figures["plenaries_held"]) == (1, 2, 0)
    assert figures["tasks"] == {"total": 1, "done": 0, "done_on_time": 0, "on_time_share": 0.0, "open_overdue": 1}
    assert figures["action_items"]["total"] == 0


def test_it_answers_in_a_fixed_number_of_queries(cast, history):
    minutes, dual_list = history

    def queries() -> int:
        user = User.objects.get(pk=cast.secretary.pk)  # as a request loads it: its scope not yet read
        with CaptureQueriesContext(connection) as captured:
            meeting_figures(user=user, mechanism=cast.world.mechanism, start=START, end=END)
        return len(captured)

    queries()  # the scope is read once (`liaison.scope_token`)
    few = queries()
    for day in (2, 3, 4, 5):
        meeting(cast, at(9, day, 9))
        item(cast, minutes, D(2026, 9, day))
        item(cast, dual_list, D(2026, 9, day), "done", at(9, day, 10))
    figures = meeting_figures(user=cast.secretary, mechanism=cast.world.mechanism, start=START, end=END)
    assert (figures["joint_meetings_held"], figures["action_items"]["total"], figures["tasks"]["total"]) == (8, 8, 7)
    # three figures, the user's mechanisms once per request, and whether the user's unit is a member unit
    assert queries() == few <= 5


def test_it_serves_the_figures_over_the_api(api_client, cast, history):
    login(api_client, cast.secretary)
    response = api_client.get(URL, {"mechanism": cast.world.mechanism.pk, "start": "2026-08-15", "end": "2026-11-30"})
    assert response.status_code == 200
    body = response.json()
    assert (body["joint_meetings_held"], body["joint_meetings_required"], body["plenaries_held"]) == (4, 6, 1)
    assert body["action_items"]["open_overdue"] == 1
    assert body["tasks"]["on_time_share"] == 0.3333


def test_it_defaults_to_the_current_month(api_client, cast, history):
    login(api_client, cast.secretary)
    body = api_client.get(URL).json()
    # November: a4 (due 11-30), a3, t2, t3; no meeting held; one quarter of 3 required.
    assert (body["start"], body["end"], body["joint_meetings_held"], body["joint_meetings_required"]) == (
        "2026-11-01",
        "2026-11-30",
        0,
        3,
    )
    assert (body["action_items"]["total"], body["tasks"]["total"]) == (2, 2)


def test_it_refuses_a_reversed_range(api_client, cast):
    login(api_client, cast.secretary)
    response = api_client.get(URL, {"start": "2026-10-31", "end": "2026-09-01"})
    assert response.status_code == 400
    assert "end" in response.json()


def test_it_hides_a_mechanism_from_an_outsider(api_client, cast, history):
    login(api_client, cast.world.charlie)
    assert api_client.get(URL, {"mechanism": cast.world.mechanism.pk}).status_code == 404
    assert api_client.get(URL, {"mechanism": cast.world.other_mechanism.pk}).status_code == 200


def test_the_dashboard_links_the_overdue_items_to_the_supervision_list(client, cast, history):
    """The overdue count of each row leads to exactly those items on the supervision page."""
    client.force_login(cast.court_leader)
    query = {"period": "custom", "start": "2026-08-15", "end": "2026-11-30", "mechanism": cast.world.mechanism.pk}
    response = client.get("/cases/dashboard/", query)
    rows = {row["label"]: row for row in response.context["meeting_items"]}
    for label, expected in (("督办事项", 1), ("双清单任务", 1)):
        row = rows[label]
        assert row["open_overdue"] == expected
        listed = client.get(row["overdue_url"])
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == expected, label
    assert f"mechanism={cast.world.mechanism.pk}" in response.context["mediation_url"]
    assert client.get(response.context["mediation_url"]).status_code == 200


def test_the_comparison_counts_joint_meetings_quarter_by_quarter(cast):
    """Two joint meetings and the plenary in Q3, none in Q4: one quarter met out of two, not 150%."""
    from meetings.figures import meeting_figures_by_mechanism

    mechanism = cast.world.mechanism
    mechanism.meetings_per_quarter = 1
    mechanism.save(update_fields=["meetings_per_quarter"])
    meeting(cast, at(7, 20, 9))
    meeting(cast, at(8, 20, 9))
    meeting(cast, at(9, 10, 9), kind="plenary")
    row = meeting_figures_by_mechanism(user=cast.secretary, start=D(2026, 7, 1), end=D(2026, 12, 31))[mechanism.pk]
    assert (row["joint_meetings_held"], row["joint_meetings_required"], row["joint_meetings_share"]) == (2, 2, 0.5)
