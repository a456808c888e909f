"""The printed documents read by their own text positions (pdfplumber): no two characters overlap,
no table row is split across pages, and fixed inputs give fixed page counts.

The documents are rendered from their real templates and print CSS with in-memory inputs, so the
tests need no database and pin the layout, not the data.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace as NS

import pdfplumber
import pytest
from django.utils import timezone, translation

from liaison.pdf import render_pdf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

COURT = NS(pk=1, name="洛阳市中级人民法院", short_name="洛阳中院")
FEDERATION = NS(pk=2, name="洛阳市工商业联合会", short_name="洛阳市工商联")
MECHANISM = NS(name="洛阳市中级人民法院与洛阳市工商业联合会沟通联系机制", document_number="洛中法〔2021〕65号")


class Related(list):
    """A list that answers `.all()` like a related manager."""

    def all(self) -> list:
        return self


def pages_of(pdf: bytes) -> list:
    return pdfplumber.open(io.BytesIO(pdf)).pages


def overlaps(page) -> list[str]:
    """Pairs of characters drawn over each other: boxes overlapping by more than a third of the
    smaller character each way (kerned pairs such as "LY" touch by a point or two)."""
    chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: c["x0"])
    found = []
    for i, a in enumerate(chars):
        for b in chars[i + 1 :]:
            if b["x0"] >= a["x1"]:
                break
            across = min(a["x1"], b["x1"]) - b["x0"]
            down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if (
                across > min(a["x1"] - a["x0"], b["x1"] - b["x0"]) / 3
                and down > min(a["bottom"] - a["top"], b["bottom"] - b["top"]) / 3
            ):
                found.append(f"{a['text']}@({a['x0']:.0f},{a['top']:.0f}) × {b['text']}@({b['x0']:.0f},{b['top']:.0f})")
    return found


def assert_clean(pdf: bytes) -> list:
    pages = pages_of(pdf)
    problems = [f"page {n}: {o}" for n, page in enumerate(pages, 1) for o in overlaps(page)[:3]]
    assert problems == []
    return pages


def page_of(pages: list, text: str) -> int:
    """The one page whose text holds `text` (spaces and line breaks ignored)."""
    found = [n for n, page in enumerate(pages) if text in "".join((page.extract_text() or "").split())]
    assert len(found) == 1, f"{text!r} found on pages {found}"
    return found[0]


def table_rows(pages: list) -> list[list[str]]:
    """Every row of every table, page by page, its cells' text without spaces or line breaks."""
    return [
        ["".join((cell or "").split()) for cell in row]
        for page in pages
        for table in page.extract_tables()
        for row in table
    ]


def line_of(page, text: str) -> set[float]:
    """The tops of the characters of `text` on `page` (one value: printed on one line)."""
    flat = "".join(c["text"] for c in page.chars)
    start = flat.index(text)
    return {round(c["top"]) for c in page.chars[start : start + len(text)]}


def transfer_letter(items: int) -> bytes:
    complaints = [
        NS(
            serial=f"LY-2026-{n:04d}",
            enterprise=NS(name=f"洛阳第{n}机械制造有限公司"),
            is_major=False,
            get_kind_display="案件办理投诉",
            title=f"买卖合同纠纷执行款长期未到位（第{n}件）",
            case_numbers=Related([NS(number=f"（2025）豫03执{n}号")]),
        )
        for n in range(1, items + 1)
    ]
    transfer = NS(
        number="洛工商联移〔2026〕12号",
        sender=FEDERATION,
        court=COURT,
        mechanism=MECHANISM,
        is_immediate=False,
        meeting_reference="2026年第四季度联席会议",
        made_by=NS(display_name="王晓明"),
        registration_due=dt.date(2026, 12, 9),
        answer_due=dt.date(2026, 12, 28),
    )
    return render_pdf(
        "cases/print/transfer_letter.html",
        {"transfer": transfer, "complaints": complaints, "made_on": dt.date(2026, 12, 4)},
    )


def test_it_prints_a_one_item_transfer_letter_on_one_page_with_the_imprint_at_its_foot() -> None:
    pages = assert_clean(transfer_letter(1))
    assert len(pages) == 1
    page = pages[0]
    text = "".join(page.extract_text().split())
    assert "请于2026年12月9日前登记" in text and "于2026年12月28日前将办理结果" in text
    imprint = [c for c in page.chars if c["text"] == "经"][-1]
    assert imprint["top"] > page.height * 0.75, "the 版记 is not at the foot of the page"
    assert len(line_of(page, "沟通联系机制联络员")) == 1


def test_it_keeps_each_row_of_a_long_transfer_letter_on_one_page() -> None:
    pages = assert_clean(transfer_letter(40))
    assert len(pages) == 5
    # A row split across pages would show on each page with part of its cells.
    rows = {row[1]: row for row in table_rows(pages) if row[1].startswith("LY-")}
    assert sorted(rows) == [f"LY-2026-{n:04d}" for n in range(1, 41)]
    for n in range(1, 41):
        assert rows[f"LY-2026-{n:04d}"][2:] == [
            f"洛阳第{n}机械制造有限公司",
            f"案件办理投诉：买卖合同纠纷执行款长期未到位（第{n}件）",
            f"（2025）豫03执{n}号",
        ]
    assert page_of(pages, "经办人：王晓明") == len(pages) - 1


def monthly_pdf(industries: int) -> bytes:
    from reports.documents import fold_zero_rows
    from reports.monthly import LINES, SECTIONS, table

    rows = [
        {
            "key": line.key,
            "section": line.section,
            "section_label": str(SECTIONS[line.section]),
            "label": str(line.label),
            "unit": line.unit,
            "month": 0,
            "previous": 0,
            "change": 0,
            "year_to_date": 0.5 if line.unit == "share" else 12345,
        }
        for line in LINES
    ]
    breakdown = {
        "key": "by_industry",
        "title": "按企业所属行业",
        "rows": [
            {"key": f"i{n}", "label": f"行业{n}", "month": 0, "previous": 0, "year_to_date": 0}
            for n in range(industries)
        ],
    }
    breakdown["rows"][0].update(month=2, previous=1, year_to_date=9)
    figures = {
        "year": 2026,
        "month": 11,
        "start": "2026-11-01",
        "end": "2026-11-30",
        "year_start": "2026-01-01",
        "rows": rows,
        "breakdowns": [breakdown],
    }
    report = NS(
        title="洛阳市中级人民法院与洛阳市工商业联合会沟通联系机制2026年11月运行情况通报",
        body="本月受理企业诉求0件。",
        author_organization=COURT,
    )
    monthly = NS(generated_at=timezone.make_aware(dt.datetime(2026, 12, 1, 9)), revision=1)
    return render_pdf(
        "reports/print/monthly.html",
        {
            "monthly": monthly,
            "report": report,
            "figures": figures,
            "sections": table(figures),
            "breakdowns": [{**breakdown, "rows": fold_zero_rows(breakdown["rows"])}],
            "parties": [COURT, FEDERATION],
            "printed_at": timezone.now(),
        },
    )


def test_it_prints_the_monthly_report_without_overlap_and_folds_empty_categories() -> None:
    with translation.override("zh-hans"):
        pages = assert_clean(monthly_pdf(20))
    # Three pages of figures (with the joint activities); the 版记 (抄送) sits at the foot of the last,
    # after the notes, and nothing follows it but the page number.
    last = "".join(pages[-1].extract_text().split())
    assert len(pages) == 3 and last.index("抄送") > last.index("说明") and last.endswith("工商业联合会。—3—")
    text = "".join("".join(p.extract_text().split()) for p in pages)
    assert "0.0个百分点" in text and "12,345" in text
    assert "行业0" in text and "其他（19类）" in text and "行业5" not in text
    first = pages[0]
    for word in ("洛阳市中级人民法院", "沟通联系机制", "运行情况通报"):
        assert len(line_of(first, word)) == 1, f"the title breaks inside {word}"


def test_it_prints_the_roster_landscape_with_whole_rows_and_the_heading_on_every_page() -> None:
    organisation = NS(name="洛阳市民营企业商会调解委员会")
    mediators = [
        NS(
            name=f"调解员{n:02d}",
            organisation=organisation,
            get_profession_display="律师",
            specialties=Related([NS(get_specialty_display="合同纠纷"), NS(get_specialty_display="金融借款")]),
            languages="普通话、英语",
            term_start=dt.date(2025, 1, 1),
            term_end=dt.date(2027, 12, 31),
            get_status_display="在任",
            takes_paid=False,
        )
        for n in range(1, 61)
    ]
    pdf = render_pdf(
        "mediation/print/roster.html",
        {"sections": [NS(court=COURT, mediators=mediators)], "printed_on": dt.date(2026, 12, 4)},
    )
    pages = assert_clean(pdf)
    assert len(pages) == 4
    assert all(page.width > page.height for page in pages)
    assert all("".join(page.extract_text().split()).count("专长领域") == 1 for page in pages)
    rows = {row[1]: row for row in table_rows(pages) if row[1].startswith("调解员")}
    assert len(rows) == 60
    assert all(
        row[4:] == ["合同纠纷、金融借款", "普通话、英语", "2025.1.1—2027.12.31", "在任"] for row in rows.values()
    )
    assert all(len(line_of(pages[0], f"调解员0{n}")) == 1 for n in range(1, 9))


def test_it_prints_the_minutes_without_overlap_and_whole_action_item_rows() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from pdf import minutes_context  # the benchmark's full set of minutes

    context = minutes_context()
    for n, item in enumerate(context["action_items"], 1):
        item.target = f"目标{n:02d}"
    pages = assert_clean(render_pdf("meetings/print/minutes.html", context))
    assert len(pages) == PAGES_OF_MINUTES
    rows = [row for row in table_rows(pages) if len(row) == 4 and row[1].startswith("落实第")]
    assert [row[1] for row in rows] == [f"落实第{n}项议定事项（目标{n:02d}）" for n in range(1, 13)]


PAGES_OF_MINUTES = 9  # eight sections, twelve decisions, twelve action items, sixteen present
