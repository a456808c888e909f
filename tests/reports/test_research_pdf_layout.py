"""The research programme printed (PDF) read by its text positions: landscape, columns wide enough
that a party's name, a person's name and a topic's title are never broken inside, no overlaps."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

import pytest
from django.utils import translation

from liaison.pdf import render_pdf

from ..liaison.test_pdf_layout import Related, assert_clean

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

COURT = NS(name="广州市天河区人民法院")
FEDERATION = NS(name="广州市天河区工商业联合会")
TITLES = ["民营企业产权司法保护调研", "涉企执行案件财产处置难问题研究", "商会调解与司法确认衔接机制调研"]
PEOPLE = [("欧阳晓明", COURT), ("司马思远", FEDERATION), ("陈静", FEDERATION), ("王建国", COURT)]


def topic(n: int) -> NS:
    return NS(
        title=TITLES[n % len(TITLES)],
        due_date=dt.date(2026, 11, 30),
        lead_organization=FEDERATION if n % 2 else COURT,
        participants=Related([NS(display_name=name, organization=org) for name, org in PEOPLE]),
        milestones=Related(
            [
                NS(title="形成调研提纲", due_date=dt.date(2026, 3, 31), done_at=dt.datetime(2026, 3, 30)),
                NS(title="走访重点企业", due_date=dt.date(2026, 6, 30), done_at=None),
            ]
        ),
        get_status_display="已商定",
        result_id=None,
        uses=Related([NS(get_kind_display="司法建议", title="关于规范财产处置的建议", used_on=dt.date(2026, 9, 1))]),
    )


def programme(topics: int) -> bytes:
    mechanism = NS(name="广州市天河区人民法院与广州市天河区工商业联合会沟通联系机制")
    return render_pdf(
        "reports/print/research_programme.html",
        {
            "year": 2026,
            "mechanism": None,
            "groups": [{"mechanism": mechanism, "topics": [topic(n) for n in range(topics)]}],
        },
    )


def cell_lines(pages) -> list[str]:
    """Every printed line of every table cell (pdfplumber keeps a cell's line breaks), spaces dropped."""
    return [
        line.replace(" ", "")
        for page in pages
        for table in page.extract_tables()
        for row in table
        for cell in row
        for line in (cell or "").split("\n")
    ]


def unbroken(pages, text: str) -> bool:
    """`text` is printed on one line of a cell somewhere (not split over two)."""
    return any(text in line for line in cell_lines(pages))


def test_the_programme_prints_landscape_with_names_and_titles_unbroken():
    with translation.override("zh-hans"):
        pages = assert_clean(programme(3))
    assert all(page.width > page.height for page in pages)  # landscape
    for text in [
        COURT.name,
        FEDERATION.name,
        *TITLES,
        *(name for name, _ in PEOPLE),
        "形成调研提纲",
        "走访重点企业",
        "2026-11-30",
    ]:
        assert unbroken(pages, text), text
