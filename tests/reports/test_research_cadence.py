"""The research programme on the meetings cadence page: per mechanism and year, the topics agreed
against the 1–2 expected, through the `meetings.cadence_rows` hook that reports registers into.

Hand-worked, for 2026 (the page of 2026 shows 2025 and 2026), four mechanisms of the same two parties:

    mechanism   2026 agreed                       2026 not counted         other years       2026 row
    甲 (zero)   –                                 1 proposed               1 agreed in 2025  0 → 尚未商定课题 (warning)
    丙 (one)    1 agreed                          1 dropped                –                 1 → 符合要求
    丁 (two)    1 agreed + 1 finished (counts)    –                        –                 2 → 符合要求
    戊 (three)  3 agreed                          –                        1 agreed in 2027  3 → 多于计划
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import cadence_rows
from meetings.cadence_rows import RowState
from reports import research
from reports import services as report_services
from reports.choices import ReportKind
from reports.research_cadence import agreed_counts
from reports.research_cadence import cadence_rows as research_rows

from ..conftest import login
from ..factories import mechanism_between
from .test_research import Lab, lab  # noqa: F401 - the research fixture


def _topic(lab: Lab, mechanism, title: str, year: int = 2026, agree: bool = True):
    data = lab.data(title=title, year=year, due_date=dt.date(year, 11, 30), milestones=[])
    topic = research.topic_propose(actor=lab.fed_staff, mechanism=mechanism, data=data)
    if agree:
        research.topic_approve(actor=lab.court_leader, topic=topic)
        topic = research.topic_approve(actor=lab.fed_leader, topic=topic)
    return topic


@pytest.fixture
def four(lab: Lab) -> dict[str, object]:
    world = lab.world
    zero = world.mechanism
    one, two, three = (
        mechanism_between(world.court, world.federation, name=f"{name}法院·工商联机制", short_name=name)
        for name in ("丙", "丁", "戊")
    )
    _topic(lab, zero, "尚待商定的课题", agree=False)
    _topic(lab, zero, "上一年度的课题", year=2025)
    _topic(lab, one, "课题一")
    research.topic_drop(actor=lab.court_leader, topic=_topic(lab, one, "撤销的课题"), reason="不再开展")
    _topic(lab, two, "课题一")
    finished = _topic(lab, two, "课题二")
    report = report_services.report_publish(
        report=report_services.report_create(
            actor=lab.secretary,
            mechanism=two,
            kind=ReportKind.RESEARCH_REPORT,
            title="调研报告",
            summary="摘要",
            body="正文",
        ),
        actor=lab.secretary,
    )
    research.topic_finish(actor=lab.secretary, topic=finished, report=report)
    for n in range(3):
        _topic(lab, three, f"课题{n}")
    _topic(lab, three, "下一年度的课题", year=2027)
    return {"zero": zero, "one": one, "two": two, "three": three}


def test_agreed_topics_per_mechanism_and_year_against_the_expected(lab: Lab, four):
    found = {
        name: {year: (row.count, row.state) for year, row in research_rows(lab.secretary, m, (2025, 2026)).items()}
        for name, m in four.items()
    }
    assert found == {
        "zero": {2025: (1, RowState.MET), 2026: (0, RowState.MISSING)},
        "one": {2025: (0, RowState.MISSING), 2026: (1, RowState.MET)},
        "two": {2025: (0, RowState.MISSING), 2026: (2, RowState.MET)},
        "three": {2025: (0, RowState.MISSING), 2026: (3, RowState.ABOVE)},
    }
    assert agreed_counts(lab.secretary, four["three"], (2027,)) == {2027: 1}
    # The hook gives the rows to the cadence page in the same numbers, with the words and the link.
    [row] = cadence_rows.rows(lab.secretary, four["zero"], (2026,))[2026]
    assert (row.key, row.label, row.state_label, row.css) == ("research", "调研课题", "尚未商定课题", "warning")
    assert row.summary == "已商定 0 个（每年应 1–2 个）" and row.url == "/research/?year=2026"
    [row] = cadence_rows.rows(lab.secretary, four["three"], (2026,))[2026]
    assert (row.state_label, row.css) == ("多于计划", "info")


def _row_text(page: str, year: int) -> str:
    start = page.index(f'id="cadence-research-{year}"')
    return page[start : page.index("</p>", start)]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("zero", ("已商定 0 个（每年应 1–2 个）", "尚未商定课题", "text-bg-warning")),
        ("one", ("已商定 1 个（每年应 1–2 个）", "符合要求", "text-bg-success")),
        ("two", ("已商定 2 个（每年应 1–2 个）", "符合要求", "text-bg-success")),
        ("three", ("已商定 3 个（每年应 1–2 个）", "多于计划", "text-bg-info")),
    ],
)
def test_the_cadence_page_shows_the_row_with_its_state_and_a_link(lab: Lab, four, client, name, expected):
    login(client, lab.world.alice)
    response = client.get(f"/meetings/cadence/{four[name].pk}/")
    assert response.status_code == 200
    row = _row_text(response.content.decode(), 2026)
    assert all(text in row for text in expected), row
    assert 'href="/research/?year=2026"' in row and "查看调研课题" in row


def test_the_page_of_2025_counts_the_topic_of_2025_only(lab: Lab, four, client):
    login(client, lab.world.alice)
    page = client.get(f"/meetings/cadence/{four['zero'].pk}/", {"year": 2025}).content.decode()
    assert "已商定 1 个" in _row_text(page, 2025) and "已商定 0 个" in _row_text(page, 2024)


def test_a_user_sees_the_rows_of_the_mechanisms_they_see_only(lab: Lab, four, client):
    charlie = lab.world.charlie  # of the other mechanism
    assert research_rows(charlie, four["three"], (2026,))[2026].count == 0
    login(client, charlie)
    assert client.get(f"/meetings/cadence/{four['three'].pk}/").status_code == 404
    page = client.get(f"/meetings/cadence/{lab.world.other_mechanism.pk}/").content.decode()
    assert "已商定 0 个" in _row_text(page, 2026)
    assert f"/meetings/cadence/{four['three'].pk}/" not in page and "已商定 3 个" not in page


def test_the_cadence_page_uses_a_fixed_number_of_queries(lab: Lab, client, django_assert_max_num_queries):
    login(client, lab.world.alice)
    url = f"/meetings/cadence/{lab.world.mechanism.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(3):
        _topic(lab, lab.world.mechanism, f"课题{n}")
        _topic(lab, lab.world.mechanism, f"往年课题{n}", year=2025)
        mechanism_between(lab.world.court, lab.world.federation, name=f"新机制{n}")
    expected = len(few.captured_queries)  # before the next request resets the log
    client.get(url)  # the new parties changed the scope: read once more (`liaison.scope_token`)
    with django_assert_max_num_queries(expected):
        page = client.get(url).content.decode()
    assert "已商定 3 个" in _row_text(page, 2026) and "已商定 3 个" in _row_text(page, 2025)
