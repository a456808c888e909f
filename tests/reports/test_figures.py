"""Complaint figures on hand-built data; every expected number is worked out by hand below.

The clock is frozen at Monday 2026-11-23 10:00 (Asia/Shanghai). The range is 2026-09-01..10-31.

    complaint  submitted         transferred       registered        answered          state
    c1         09-30 10:00       10-09 10:00       10-12 10:00       10-16 10:00       answered (feedback due 10-20)
    c2         10-08 09:00       10-09 09:00       10-09 15:00       10-23 10:00       answered after a reopen
                                                                                       (first feedback due 10-30, second 10-21)
    c3         10-12 23:30       10-13 00:30       -                 -                 transferred (registration due 11-20)
    c4         09-01 00:30       -                 -                 -                 under review (review due 11-25)
    c5         10-14 09:00       -                 -                 -                 under review (review due 11-26),
                                                                                       enforcement, other enterprise
    out        08-31 23:30       (outside the range)                                   under review
    draft      never submitted                                                         draft

Working days (d with start < d <= end; 10-01..10-07 National Day, 10-10 Saturday a make-up working day):
    c1 submission→transfer   09-30 → 10-09: 10-08, 10-09                         = 2
    c1 transfer→registration 10-09 → 10-12: 10-10 (调休), 10-12                   = 2
    c1 registration→answer   10-12 → 10-16: 10-13, 14, 15, 16                    = 4
    c2 submission→transfer   10-08 → 10-09                                       = 1
    c2 transfer→registration same day                                            = 0
    c2 registration→answer   10-09 → 10-23: 10-10, 12..16, 19..23                = 11
    c3 submission→transfer   10-12 → 10-13 in Shanghai (both 10-12 in UTC)       = 1
Averages: (2 + 1 + 1) / 3 = 1.33; (2 + 0) / 2 = 1.0; (4 + 11) / 2 = 7.5.
On time: c1 answered 10-16 <= 10-20 yes; c2 answered 10-23 > 10-21 (the deadline it met) no → 1 of 2.
Reopen rate: c2 of {c1, c2} → 0.5.
Due soon / overdue on 11-23: c4 due 11-25 is 2 working days away (soon); c5 due 11-26 is 3 (not);
c3's nearest running deadline 11-20 has passed (overdue).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.durations import refresh_durations, refresh_running_deadline
from cases.figures import complaint_figures
from cases.models import Complaint
from cases.services import FEEDBACK, REGISTRATION, REVIEW
from liaison.models import Deadline, User
from liaison.workdays import WorkingCalendar

from ..conftest import login
from .conftest import VALID_CODES

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date
START, END = D(2026, 9, 1), D(2026, 10, 31)
URL = "/api/v1/figures/complaints/"


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(at(11, 23, 10), tick=False):
        yield


def stamp(complaint: Complaint, **fields: dt.datetime) -> None:
    Complaint.objects.filter(pk=complaint.pk).update(**fields)


def deadlines_of(complaint: Complaint, kind: str) -> list[Deadline]:
    return list(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Complaint), object_id=str(complaint.pk), kind=kind
        ).order_by("pk")
    )


def set_due(deadline: Deadline, start: dt.date, due: dt.date) -> None:
    Deadline.objects.filter(pk=deadline.pk).update(start_date=start, due_date=due)
    refresh_running_deadline(Complaint.objects.filter(pk=int(deadline.object_id)))  # bypassed the services


def answered(cast, answer: str = "已依法处理") -> Complaint:
    complaint = cast.assigned()
    return services.complaint_answer(actor=cast.handler, complaint=complaint, answer=answer)


@pytest.fixture
def history(cast) -> dict[str, Complaint]:
    c1 = answered(cast)
    stamp(
        c1,
        submitted_at=at(9, 30, 10),
        transferred_at=at(10, 9, 10),
        registered_at=at(10, 12, 10),
        answered_at=at(10, 16, 10),
    )
    set_due(deadlines_of(c1, FEEDBACK)[0], D(2026, 10, 9), D(2026, 10, 20))

    c2 = answered(cast)
    services.complaint_reopen(actor=cast.staff, complaint=c2, reason="答复未回应核心诉求")
    services.complaint_answer(actor=cast.handler, complaint=Complaint.objects.get(pk=c2.pk), answer="再次答复")
    stamp(
        c2,
        submitted_at=at(10, 8, 9),
        transferred_at=at(10, 9, 9),
        registered_at=at(10, 9, 15),
        answered_at=at(10, 23, 10),
    )
    first, second = deadlines_of(c2, FEEDBACK)
    set_due(first, D(2026, 10, 9), D(2026, 10, 30))
    set_due(second, D(2026, 10, 20), D(2026, 10, 21))

    c3 = cast.transferred()
    stamp(c3, submitted_at=at(10, 12, 23, 30), transferred_at=at(10, 13, 0, 30))
    set_due(deadlines_of(c3, REGISTRATION)[0], D(2026, 10, 13), D(2026, 11, 20))

    c4 = cast.to_review()
    stamp(c4, submitted_at=at(9, 1, 0, 30))
    set_due(deadlines_of(c4, REVIEW)[0], D(2026, 11, 23), D(2026, 11, 25))

    other = services.enterprise_register(
        actor=cast.staff,
        mechanism=cast.world.mechanism,
        data=services.EnterpriseData(
            name="洛阳某商贸有限公司",
            credit_code=VALID_CODES[1],
            size="large",
            industry="F",
            contact_person="李经理",
            contact_phone="13912345678",
        ),
    )
    c5 = cast.to_review(enterprise=other, kind="enforcement")
    stamp(c5, submitted_at=at(10, 14, 9))
    set_due(deadlines_of(c5, REVIEW)[0], D(2026, 11, 23), D(2026, 11, 26))

    out = cast.to_review()
    stamp(out, submitted_at=at(8, 31, 23, 30))
    cast.file()  # a draft: never submitted
    # The stamps above bypass the services: recompute what they keep on each complaint.
    refresh_durations(Complaint.objects.all())
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5}


def counts(rows: list[dict]) -> dict[str, int]:
    return {row["key"]: row["count"] for row in rows if row["count"]}


def test_it_checks_the_hand_numbers_against_the_calendar(db):
    calendar = WorkingCalendar()
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    assert calendar.working_days_between(D(2026, 10, 9), D(2026, 10, 12)) == 2
    assert calendar.working_days_between(D(2026, 10, 12), D(2026, 10, 16)) == 4
    assert calendar.working_days_between(D(2026, 10, 9), D(2026, 10, 23)) == 11
    assert calendar.working_days_between(D(2026, 11, 23), D(2026, 11, 25)) == 2
    assert calendar.working_days_between(D(2026, 11, 23), D(2026, 11, 26)) == 3


def test_it_computes_the_figures_of_the_range(cast, history):
    figures = complaint_figures(user=cast.staff, mechanism=cast.world.mechanism, start=START, end=END)

    assert figures["total"] == 5
    assert figures["open_total"] == 5
    assert counts(figures["open_by_state"]) == {"answered": 2, "transferred": 1, "under_review": 2}
    assert figures["due_soon"] == 1
    assert figures["overdue"] == 1
    assert figures["average_working_days"] == {
        "submission_to_transfer": 1.33,
        "transfer_to_registration": 1.0,
        "registration_to_answer": 7.5,
    }
    assert (figures["answered"], figures["answered_on_time"], figures["on_time_share"]) == (2, 1, 0.5)
    assert (figures["reopened"], figures["reopen_rate"]) == (1, 0.5)
    assert counts(figures["by_kind"]) == {"case_handling": 4, "enforcement": 1}
    assert counts(figures["by_industry"]) == {"C": 4, "F": 1}
    assert counts(figures["by_size"]) == {"small": 4, "large": 1}


def test_it_reads_the_scope_of_the_user(cast, history):
    # The court sees a complaint once transferred: c1, c2, c3.
    figures = complaint_figures(user=cast.court_leader, start=START, end=END)
    assert figures["total"] == 3
    assert counts(figures["open_by_state"]) == {"answered": 2, "transferred": 1}
    assert complaint_figures(user=cast.world.charlie, start=START, end=END)["total"] == 0


def test_it_answers_in_a_fixed_number_of_queries(cast, history):
    def queries() -> int:
        user = User.objects.get(pk=cast.staff.pk)  # as a request loads it: its scope not yet read
        with CaptureQueriesContext(connection) as captured:
            complaint_figures(user=user, mechanism=cast.world.mechanism, start=START, end=END)
        return len(captured)

    few = queries()
    for _ in range(4):
        stamp(answered(cast), submitted_at=at(10, 20, 9))
    assert complaint_figures(user=cast.staff, start=START, end=END)["total"] == 9
    # main, due (+ calendar overrides), kind × industry × size, satisfaction, and the user's scope
    # (mechanisms, units, parties: once per request)
    assert queries() == few <= 8


def test_it_serves_the_figures_over_the_api(api_client, cast, history):
    login(api_client, cast.staff)
    response = api_client.get(URL, {"mechanism": cast.world.mechanism.pk, "start": "2026-09-01", "end": "2026-10-31"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 5
    assert body["average_working_days"]["submission_to_transfer"] == 1.33
    assert body["on_time_share"] == 0.5


def test_it_defaults_to_the_current_month(api_client, cast, history):
    login(api_client, cast.staff)
    body = api_client.get(URL).json()
    assert (body["start"], body["end"], body["total"]) == ("2026-11-01", "2026-11-30", 0)


def test_it_refuses_a_reversed_range(api_client, cast):
    login(api_client, cast.staff)
    response = api_client.get(URL, {"start": "2026-10-31", "end": "2026-09-01"})
    assert response.status_code == 400
    assert "end" in response.json()


def test_it_hides_a_mechanism_from_an_outsider(api_client, cast, history):
    login(api_client, cast.world.charlie)
    assert api_client.get(URL, {"mechanism": cast.world.mechanism.pk}).status_code == 404
    assert api_client.get(URL, {"mechanism": cast.world.other_mechanism.pk}).status_code == 200
