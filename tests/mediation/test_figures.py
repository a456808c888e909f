"""The figures: per mediator, per organisation and per court by month, from database aggregates."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediation import figures, services


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
    assert len(queries.captured_queries) <= 5
