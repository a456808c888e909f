"""The leaders' dashboard page, on hand-built data whose numbers are worked out by hand below.

The clock is frozen at Monday 2026-11-23 10:00 (Asia/Shanghai); the range is October 2026 (month preset).
The court leader sees a complaint once it is transferred:

    complaint  submitted     transferred   registered    answered      state
    a          10-12 23:30   10-13 00:30   -             -             transferred (registration due 11-20: overdue)
    b          10-08 09:00   10-09 09:00   10-09 15:00   10-23 10:00   answered (feedback due 10-30: on time)
    hidden     10-14 09:00   -             -             -             under review (the court does not see it)

Working days (10-10 a Saturday make-up working day): a submission→transfer 10-12 → 10-13 = 1;
b submission→transfer 10-08 → 10-09 = 1, transfer→registration same day = 0,
registration→answer 10-09 → 10-23 = 10-10, 12..16, 19..23 = 11.
Averages 1.00, 0.00, 11.00; on time 1 of 1 = 100.0%; reopen rate 0 of 1 = 0.0%.
"""

from __future__ import annotations

import datetime as dt
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.durations import refresh_durations
from cases.models import Complaint
from cases.services import FEEDBACK, REGISTRATION
from liaison.models import Deadline

from ..conftest import login
from ..factories import UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date
URL = "/cases/dashboard/"
OCTOBER = {"period": "month", "on": "2026-10-15"}


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(at(11, 23, 10), tick=False):
        yield


def stamp(complaint: Complaint, **fields: dt.datetime) -> None:
    Complaint.objects.filter(pk=complaint.pk).update(**fields)


def set_due(complaint: Complaint, kind: str, start: dt.date, due: dt.date) -> None:
    Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint), object_id=str(complaint.pk), kind=kind
    ).update(start_date=start, due_date=due)


def answered(cast) -> Complaint:
    return services.complaint_answer(actor=cast.handler, complaint=cast.assigned(), answer="已依法处理")


@pytest.fixture
def history(cast) -> dict[str, Complaint]:
    a = cast.transferred()
    stamp(a, submitted_at=at(10, 12, 23, 30), transferred_at=at(10, 13, 0, 30))
    set_due(a, REGISTRATION, D(2026, 10, 13), D(2026, 11, 20))

    b = answered(cast)
    stamp(
        b,
        submitted_at=at(10, 8, 9),
        transferred_at=at(10, 9, 9),
        registered_at=at(10, 9, 15),
        answered_at=at(10, 23, 10),
    )
    set_due(b, FEEDBACK, D(2026, 10, 9), D(2026, 10, 30))

    hidden = cast.to_review()
    stamp(hidden, submitted_at=at(10, 14, 9))
    # The stamps above bypass the services: recompute what they keep on each complaint.
    refresh_durations(Complaint.objects.all())
    return {"a": a, "b": b, "hidden": hidden}


def text_of(response) -> str:
    return unescape(response.content.decode())


def test_it_shows_the_figures_of_the_range_to_a_court_leader(client, cast, history):
    login(client, cast.court_leader)
    response = client.get(URL, {**OCTOBER, "mechanism": cast.world.mechanism.pk})
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures["start"], figures["end"]) == (D(2026, 10, 1), D(2026, 10, 31))
    assert (figures["total"], figures["open_total"], figures["due_soon"], figures["overdue"]) == (2, 2, 0, 1)
    assert figures["average_working_days"] == {
        "submission_to_transfer": 1.0,
        "transfer_to_registration": 0.0,
        "registration_to_answer": 11.0,
    }
    html = text_of(response)
    assert "提交日期 2026-10-01 至 2026-10-31" in html
    assert '<div class="fs-4 text-danger">1</div>' in html  # overdue
    assert "100.0%" in html and "0.0%" in html  # on time, reopen rate
    assert "11.00" in html
    # Each chart has its table and its SVG bars; a row links to its list.
    for chart in ("by-state", "by-kind", "by-industry", "by-size"):
        assert f'id="{chart}"' in html
    assert html.count("<svg") == 4
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'style="' not in html
    assert "/cases/complaints/?kind=case_handling&submitted_from=2026-10-01&submitted_to=2026-10-31" in html
    assert "/cases/complaints/?industry=C&submitted_from=2026-10-01" in html
    assert "/cases/complaints/?status=transferred&submitted_from=2026-10-01" in html
    # Meetings against the cadence: October lies in one quarter, the mechanism asks for one joint
    # meeting a quarter and none was held; no mediation case was referred.
    assert response.context["meetings"]["joint_meetings_required"] == 1
    assert 'id="figure-meetings-held">0 / 1</a>' in html
    assert response.context["mediation"]["referred"] == 0 and 'id="mediation-figures"' in html


def test_it_links_the_overdue_figure_to_its_list(client, cast, history):
    login(client, cast.court_leader)
    response = client.get(URL, OCTOBER)
    overdue_url = "/cases/complaints/?overdue=true&submitted_from=2026-10-01&submitted_to=2026-10-31"
    assert response.context["overdue_url"] == overdue_url
    assert f'href="{overdue_url}" id="figure-overdue"' in text_of(response)
    listed = client.get(overdue_url)
    assert listed.status_code == 200


def test_it_reads_quarter_year_and_custom_ranges(client, cast, history):
    login(client, cast.court_leader)
    quarter = client.get(URL, {"period": "quarter", "on": "2026-11-02"}).context["figures"]
    assert (quarter["start"], quarter["end"], quarter["total"]) == (D(2026, 10, 1), D(2026, 12, 31), 2)
    year = client.get(URL, {"period": "year", "on": "2026-03-01"}).context["figures"]
    assert (year["start"], year["end"], year["total"]) == (D(2026, 1, 1), D(2026, 12, 31), 2)
    custom = client.get(URL, {"period": "custom", "start": "2026-10-10", "end": "2026-10-31"}).context["figures"]
    assert custom["total"] == 1  # only a


def test_it_falls_back_to_this_month_on_a_bad_range(client, cast, history):
    login(client, cast.court_leader)
    for query in (
        {"period": "custom", "start": "2026-10-31", "end": "2026-10-01"},
        {"period": "custom", "start": "2026-10-01"},
        {"period": "decade"},
        {"period": "month", "on": "not-a-date"},
    ):
        response = client.get(URL, query)
        assert response.status_code == 200
        html = text_of(response)
        assert "所选统计期间无效，已显示本月数据。" in html
        assert "提交日期 2026-11-01 至 2026-11-30" in html
        assert response.context["figures"]["total"] == 0
    assert "结束日期不能早于开始日期。" in text_of(
        client.get(URL, {"period": "custom", "start": "2026-10-31", "end": "2026-10-01"})
    )


def test_it_hides_a_mechanism_from_an_outsider(client, cast, history):
    login(client, cast.court_leader)
    assert client.get(URL, {"mechanism": cast.world.other_mechanism.pk}).status_code == 404
    assert client.get(URL, {"mechanism": "x"}).status_code == 404
    outsider = UserFactory(username="other_boss", organization=cast.world.other_federation, roles=["leader"])
    login(client, outsider)
    assert client.get(URL, {"mechanism": cast.world.mechanism.pk}).status_code == 404
    assert client.get(URL, {"mechanism": cast.world.other_mechanism.pk}).status_code == 200


def test_it_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302


def test_it_renders_in_a_fixed_number_of_queries(client, cast, history):
    login(client, cast.court_leader)
    query = {**OCTOBER, "mechanism": cast.world.mechanism.pk}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, query).status_code == 200
        return len(captured)

    queries()  # the scope is read once (`liaison.scope_token`)
    few = queries()
    for _ in range(3):
        stamp(answered(cast), submitted_at=at(10, 20, 9))
    assert client.get(URL, query).context["figures"]["total"] == 5
    # complaints 4 + satisfaction 1, meetings 3, mediation 1, activities 2, mechanisms, session, auth, navigation
    # (a menu entry the role may not open, here the enterprise users' confirmation, asks Django's own permissions
    # once: 2)
    # + 1: whether the user's unit is a member unit (its task figures narrow to its own tasks)
    assert queries() == few <= 23


@pytest.fixture
def province(cast, history):
    """A higher court above the court of the mechanism and above the court of the other mechanism."""
    from ..factories import OrganizationFactory, UserFactory

    higher = OrganizationFactory(name="甲省高级人民法院", kind="court", level="province")
    for court in (cast.world.court, cast.world.other_court):
        court.parent = higher
        court.save()
    return UserFactory(username="province_boss", organization=higher, roles=["leader"]), cast.world.other_mechanism


def test_it_compares_the_mechanisms_of_a_higher_level_unit(client, cast, history, province):
    boss, other = province
    login(client, boss)
    response = client.get(URL, OCTOBER)
    rows = {row["mechanism"].pk: row for row in response.context["comparison"]}
    assert set(rows) == {cast.world.mechanism.pk, other.pk}
    mine = rows[cast.world.mechanism.pk]
    # The higher court reads what its court reads: a and b, not the complaint still under review.
    assert (mine["total"], mine["open_total"], mine["overdue"], mine["on_time_percent"]) == (2, 2, 1, "100.0%")
    assert (mine["meetings_held"], mine["meetings_required"]) == (0, 1)
    assert (rows[other.pk]["total"], rows[other.pk]["overdue"], rows[other.pk]["on_time_percent"]) == (0, 0, None)
    html = text_of(response)
    assert f'id="comparison-{other.pk}"' in html
    assert (
        f"/cases/complaints/?mechanism={cast.world.mechanism.pk}&overdue=true"
        "&submitted_from=2026-10-01&submitted_to=2026-10-31"
    ) in html
    # The name leads to the mechanism's own dashboard for the same period.
    assert (
        f"/cases/dashboard/?period=custom&start=2026-10-01&end=2026-10-31&mechanism={cast.world.mechanism.pk}" in html
    )


def test_the_comparison_takes_a_fixed_number_of_queries(client, cast, history, province):
    boss, _other = province
    login(client, boss)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, OCTOBER).status_code == 200
        return len(captured)

    queries()  # the scope is read once (`liaison.scope_token`); the new mechanisms below read it again
    few = queries()
    from ..factories import OrganizationFactory, mechanism_between

    for n in range(3):
        court = OrganizationFactory(name=f"丙{n}区人民法院", kind="court", level="district", parent=boss.organization)
        mechanism_between(court, OrganizationFactory(name=f"丙{n}区工商联", kind="federation"), name=f"丙{n}区机制")
    assert len(client.get(URL, OCTOBER).context["comparison"]) == 5
    assert queries() == few


def test_a_single_mechanism_has_no_comparison(client, cast, history):
    login(client, cast.court_leader)
    assert client.get(URL, OCTOBER).context["comparison"] is None


def test_a_role_without_the_dashboard_is_told_so(client, cast, history):
    login(client, cast.staff)
    response = client.get(URL, OCTOBER)
    assert response.status_code == 403 and "统计看板供领导和系统管理员使用" in response.content.decode()


def test_every_figure_links_to_the_complaints_it_counts(client, cast, history, province):
    boss, other = province
    login(client, boss)
    response = client.get(URL, {**OCTOBER, "mechanism": cast.world.mechanism.pk})
    figures = response.context["figures"]
    for name, key in (
        ("overdue_url", "overdue"),
        ("open_url", "open_total"),
        ("answered_url", "answered"),
        ("reopened_url", "reopened"),
        ("range_url", "total"),
    ):
        url = response.context[name]
        assert f"mechanism={cast.world.mechanism.pk}" in url
        listed = client.get(url)
        assert listed.context["page"].paginator.count == figures[key], name
    # The other mechanism's complaints are never in the list of this one.
    assert client.get("/cases/complaints/", {"mechanism": other.pk}).context["page"].paginator.count == 0
    # A mechanism the user does not see is a filter error, not a leak.
    login(client, cast.world.charlie)
    refused = client.get("/cases/complaints/", {"mechanism": cast.world.mechanism.pk})
    assert refused.context["page"].paginator.count == 0


def test_the_api_compares_the_mechanisms(api_client, cast, history, province):
    boss, other = province
    login(api_client, boss)
    response = api_client.get("/api/v1/figures/mechanisms/", {"start": "2026-10-01", "end": "2026-10-31"})
    assert response.status_code == 200
    rows = {row["mechanism"]: row for row in response.json()}
    assert set(rows) == {cast.world.mechanism.pk, other.pk}
    mine = rows[cast.world.mechanism.pk]
    assert (mine["complaints"]["total"], mine["complaints"]["overdue"], mine["complaints"]["on_time_share"]) == (
        2,
        1,
        1.0,
    )
    assert mine["meetings"]["joint_meetings_required"] == 1 and mine["mediation"]["referred"] == 0
    assert rows[other.pk]["complaints"]["total"] == 0
    # The federation staff of the mechanism compare only what they see: one mechanism.
    login(api_client, cast.staff)
    assert [row["mechanism"] for row in api_client.get("/api/v1/figures/mechanisms/").json()] == [
        cast.world.mechanism.pk
    ]
    bad = api_client.get("/api/v1/figures/mechanisms/", {"start": "2026-10-31", "end": "2026-10-01"})
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in bad.json()["end"][0]
