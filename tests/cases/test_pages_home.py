"""Home-page panels of the complaint work queues: per role, counted, in one query each."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import home, services
from cases.models import Complaint

from ..conftest import login


@pytest.fixture(autouse=True)
def _panels():
    home.register()  # idempotent; CasesConfig.ready() does the same


def test_federation_staff_see_their_drafts_and_answers_to_accept(cast, client):
    draft = cast.file(title="草稿甲")
    cast.file(title="草稿乙")
    complaint = cast.assigned()
    services.complaint_answer(actor=cast.handler, complaint=complaint, answer="已处理")
    text = login(client, cast.staff).get("/").content.decode()
    assert "我的草稿（2）" in text and "待确认反馈（1）" in text
    assert f'<a href="/cases/complaints/{draft.pk}/">{draft.serial}</a> 草稿甲' in text
    assert 'href="/cases/complaints/?queue=drafts"' in text
    assert "待登记移送" not in text


def test_reviewers_clerks_handlers_and_leaders_see_their_queues(cast, client, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    cast.to_review()
    cast.transferred()
    cast.assigned()
    assert "待审核诉求（1）" in login(client, cast.reviewer).get("/").content.decode()
    clerk = login(client, cast.clerk).get("/").content.decode()
    assert "待登记移送（1）" in clerk and "待交办（0）" in clerk
    assert "我承办的诉求（1）" in login(client, cast.handler).get("/").content.decode()
    time_machine.move_to("2026-11-09 09:00 +08:00", tick=False)
    leader = login(client, cast.court_leader).get("/").content.decode()
    assert "已逾期诉求（1）" in leader and "截止 2026-11-05" in leader


def test_an_outsider_sees_empty_counts(cast, client):
    cast.file()
    assert "我的草稿（0）" in login(client, cast.world.charlie).get("/").content.decode()


def test_each_panel_costs_one_query_whatever_the_rows(cast, client, django_assert_max_num_queries):
    cast.file()
    login(client, cast.staff)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(8):
        cast.file(title=f"草稿{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/").status_code == 200
    user = cast.staff
    with CaptureQueriesContext(connection) as one:
        home.queue_panel("drafts", "我的草稿")(user)
    # The rows and their count in one query; queue_filter() also reads the calendar overrides
    # (it builds a WorkingCalendar for the due-soon queue whichever queue is asked for), and the
    # user's units are read once per request (then kept on the user).
    assert len(one.captured_queries) <= 3
    assert sum("cases_complaint" in q["sql"] for q in one.captured_queries) == 1


def test_the_home_page_shows_the_units_overdue_and_due_this_week_apart_from_mine(cast, client, time_machine):
    """On Monday 11-02 two complaints reach the court: registration due 3 working days later
    (Thursday 11-05, this week), feedback 15 working days later (Monday 11-23); those deadlines
    belong to the court with nobody named, so they are the unit's, not the clerk's own. A week
    later the registrations are overdue. A deadline owned by the handler is the handler's own."""
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    cast.transferred()
    cast.transferred()
    login(client, cast.clerk)
    page = client.get("/")
    assert page.context["unit_figures"] == {"open": 4, "overdue": 0, "week": 2}
    assert page.context["my_figures"] == {"open": 0, "overdue": 0, "week": 0}
    week = client.get("/deadlines/", {"unit": "1", "due": "week"})
    assert [d.due_date.isoformat() for d, _status in week.context["rows"]] == ["2026-11-05", "2026-11-05"]
    assert client.get("/deadlines/", {"mine": "1", "due": "week"}).context["rows"] == []

    time_machine.move_to("2026-11-09 09:00 +08:00", tick=False)
    page = login(client, cast.clerk).get("/")  # a new session: the idle one has expired
    assert page.context["unit_figures"] == {"open": 4, "overdue": 2, "week": 0}
    assert page.context["my_figures"]["overdue"] == 0
    html = page.content.decode()
    assert 'id="my-overdue" href="/deadlines/?mine=1&amp;due=overdue"' in html
    assert 'id="unit-overdue" href="/deadlines/?unit=1&amp;due=overdue"' in html and 'id="unit-work-queue"' in html
    overdue = client.get("/deadlines/", {"unit": "1", "due": "overdue"})
    assert len(overdue.context["rows"]) == 2
    assert all(d.due_date.isoformat() == "2026-11-05" for d, _status in overdue.context["rows"])
    # An assigned complaint's feedback deadline is the handler's own.
    services.complaint_assign(
        actor=cast.clerk,
        complaint=services.complaint_register(
            actor=cast.clerk,
            complaint=Complaint.objects.filter(status="transferred").first(),
            registration_number="DJ-7",
        ),
        department=cast.department,
        handler=cast.handler,
    )
    mine = login(client, cast.handler).get("/").context
    assert mine["my_figures"]["open"] == 1 and mine["unit_figures"]["open"] == 2
    # The federation's staff own none of these; an outsider sees nothing.
    assert login(client, cast.staff).get("/").context["unit_figures"]["overdue"] == 0
    assert login(client, cast.world.charlie).get("/").context["my_figures"] == {"open": 0, "overdue": 0, "week": 0}
    # An unknown filter value shows the whole list rather than failing.
    assert login(client, cast.clerk).get("/deadlines/", {"due": "someday"}).status_code == 200
