"""The figures: per mediator, per organisation, per court by month and for a date range, from database aggregates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediation import figures, services

from ..conftest import login


@pytest.fixture
def history(roster, time_machine):
    """王调解 (organisation A): an agreement in 10 days and a failure after 41 (late), both in October
    and November; 李调解 (organisation B): one agreement on the day, one case still open; one withdrawal."""
    roster.appoint("李调解", organisation=roster.other_organisation)
    time_machine.move_to("2026-10-05 09:00 +08:00", tick=False)
    agreed = roster.in_progress("王调解", title="十天达成协议")
    late = roster.in_progress("王调解", title="超期调解不成")
    roster.agreed("李调解", title="当天达成协议")
    roster.assigned("李调解", title="仍在办理")
    withdrawn = roster.refer(title="撤回的案件")
    services.case_withdraw(actor=roster.clerk, case=withdrawn, reason="撤回")
    time_machine.move_to("2026-10-15 09:00 +08:00", tick=False)
    services.case_record_agreement(actor=roster.user_for("王调解"), case=agreed, agreement_text="和解")
    time_machine.move_to("2026-11-15 09:00 +08:00", tick=False)
    services.case_record_failure(actor=roster.user_for("王调解"), case=late, reason="分歧大")
    roster.refer(title="十一月的新案")
    return roster


def test_per_mediator(history, world):
    rows = {r.label: r for r in figures.figures_for(user=world.bob).mediators}
    wang, li = rows["王调解"], rows["李调解"]
    assert (wang.cases, wang.open_cases, wang.finished, wang.successes, wang.in_time) == (2, 0, 2, 1, 1)
    assert wang.success_rate == 0.5 and wang.average_days == 25.5 and wang.in_time_rate == 0.5
    assert wang.group == "甲市中级人民法院 · 甲市民营企业商会调解委员会"
    assert (li.cases, li.open_cases, li.finished, li.successes) == (2, 1, 1, 1)
    assert li.average_days == 0 and li.group.endswith("甲市建筑业商会调解中心")


def test_per_organisation_counts_the_cases_its_mediators_took(history, world):
    rows = {r.label: r for r in figures.figures_for(user=world.bob).organisations}
    assert set(rows) == {"甲市民营企业商会调解委员会", "甲市建筑业商会调解中心"}
    a, b = rows["甲市民营企业商会调解委员会"], rows["甲市建筑业商会调解中心"]
    assert (a.cases, a.finished, a.successes) == (2, 2, 1)
    assert (b.cases, b.open_cases, b.finished, b.successes) == (2, 1, 1, 1)


def test_per_court_by_month(history, world):
    result = figures.figures_for(user=world.bob)
    rows = {r.label: r for r in result.months}
    october, november = rows["2026-10"], rows["2026-11"]
    assert october.group == "甲市中级人民法院"
    assert (october.cases, october.open_cases) == (5, 1)  # referred in October, one still with its mediator
    assert (october.finished, october.successes, october.average_days) == (2, 2, 5.0)
    assert (november.cases, november.finished, november.successes, november.in_time) == (1, 1, 0, 0)
    assert (result.total.cases, result.total.finished, result.total.successes) == (6, 3, 2)


def test_outsiders_get_no_figures(history, world):
    result = figures.figures_for(user=world.charlie)
    assert result.total.cases == 0 and result.mediators == result.organisations == result.months == []


def test_each_table_is_one_query(history, world):
    with CaptureQueriesContext(connection) as queries:
        figures.figures_for(user=world.bob)
    # Five tables, plus the user's mechanisms and own units, looked up once per request (`scoping`).
    assert len(queries.captured_queries) <= 5 + 2


# --- mediation_figures: the same figures for a date range (dashboards and the API) ---------------
#
# From `history`, all referred on 10-05 except the November case (11-15):
#     十天达成协议  agreement 10-15, 10 days, in time
#     当天达成协议  agreement 10-05, 0 days, in time
#     撤回的案件    withdrawn 10-05 (not finished: left out of the rates)
#     仍在办理      open
#     超期调解不成  failure 11-15, 41 days, late
#     十一月的新案  referred 11-15, open
# October: referred 5; finished 2, both agreements → success 1.0; average (10 + 0) / 2 = 5.0; in time 2/2.
# October–November: referred 6; finished 3, agreements 2 → 0.6667; average (10 + 41 + 0) / 3 = 17.0;
# in time 2/3 → 0.6667. November: referred 1; finished 1, no agreement → 0.0; average 41.0; in time 0.

FIGURES_URL = "/api/v1/figures/mediation/"
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def test_range_figures_of_october(history, world):
    result = figures.mediation_figures(user=world.bob, mechanism=world.mechanism, start=OCTOBER[0], end=OCTOBER[1])
    assert (result["referred"], result["finished"], result["agreements"], result["failures"], result["withdrawn"]) == (
        5,
        2,
        2,
        0,
        1,
    )
    assert (result["success_rate"], result["average_days"], result["in_time"], result["in_time_share"]) == (
        1.0,
        5.0,
        2,
        1.0,
    )


def test_range_figures_across_two_months_and_of_november(history, world):
    both = figures.mediation_figures(user=world.bob, start=dt.date(2026, 10, 1), end=dt.date(2026, 11, 30))
    assert (both["referred"], both["finished"], both["agreements"], both["failures"]) == (6, 3, 2, 1)
    assert (both["success_rate"], both["average_days"], both["in_time_share"]) == (0.6667, 17.0, 0.6667)
    november = figures.mediation_figures(user=world.bob, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    assert (november["referred"], november["finished"], november["agreements"]) == (1, 1, 0)
    assert (november["success_rate"], november["average_days"], november["in_time_share"]) == (0.0, 41.0, 0.0)


def test_range_figures_are_empty_for_an_outsider_and_outside_the_range(history, world):
    empty = figures.mediation_figures(user=world.charlie, start=dt.date(2026, 10, 1), end=dt.date(2026, 11, 30))
    assert (empty["referred"], empty["finished"], empty["success_rate"], empty["average_days"]) == (0, 0, None, None)
    september = figures.mediation_figures(user=world.bob, start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))
    assert (september["referred"], september["finished"]) == (0, 0)


def test_range_figures_take_one_query_whatever_the_rows(history, world):
    def queries() -> int:
        bob = type(world.bob).objects.get(pk=world.bob.pk)  # as a request loads its user
        with CaptureQueriesContext(connection) as captured:
            figures.mediation_figures(user=bob, mechanism=world.mechanism, start=OCTOBER[0], end=OCTOBER[1])
        return len(captured)

    queries()  # the scope is read once (`liaison.scope_token`)
    few = queries()
    for n in range(4):
        history.refer(title=f"又一件 {n}")  # referred on 11-15 (the clock of `history`)
    assert (
        figures.mediation_figures(user=world.bob, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))["referred"]
        == 5
    )
    assert queries() == few <= 2 + 2  # plus the user's mechanisms and units, once per request


def test_range_figures_over_the_api(api_client, history, world):
    login(api_client, world.bob)
    response = api_client.get(
        FIGURES_URL, {"mechanism": world.mechanism.pk, "start": "2026-10-01", "end": "2026-11-30"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["referred"], body["finished"], body["success_rate"], body["average_days"]) == (6, 3, 0.6667, 17.0)
    # The clock of `history` stands on 2026-11-15: the default range is November.
    body = api_client.get(FIGURES_URL).json()
    assert (body["start"], body["end"], body["referred"], body["finished"]) == ("2026-11-01", "2026-11-30", 1, 1)
    assert api_client.get(FIGURES_URL, {"start": "2026-10-31", "end": "2026-10-01"}).status_code == 400


def test_range_figures_hide_a_mechanism_from_an_outsider(api_client, history, world):
    login(api_client, world.charlie)
    assert api_client.get(FIGURES_URL, {"mechanism": world.mechanism.pk}).status_code == 404
    assert api_client.get(FIGURES_URL, {"mechanism": world.other_mechanism.pk}).status_code == 200
