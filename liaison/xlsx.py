"""The one workbook every Excel export writes: text can never run as a formula.

A name such as ``=HYPERLINK("http://…","点击")`` typed into a form would otherwise reach the
court's ledger as a live formula (openpyxl stores any text starting with ``=`` as one). Text that
starts with ``= + - @`` or a control character is written as a string cell with Excel's quote
prefix (shown exactly as typed, never evaluated, not even after editing); numbers and dates stay
what they are. Control characters Excel cannot store are removed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_risky(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula or a command."""
    return text.startswith(FORMULA_TRIGGERS) or (bool(text) and ord(text[0]) < 32)


def clean_text(text: str) -> str:
    """The text without the control characters an .xlsx cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def guard_cell(cell: Cell) -> None:
    """Make a text cell inert in place; other cells are left alone."""
    value = cell.value
    if not isinstance(value, str):
        return
    if cell.data_type == "f" or is_risky(value):
        cell.data_type = "s"
        cell.quotePrefix = True


class SafeWorkbook(Workbook):
    """An openpyxl workbook whose sheets neutralise text on `append` and again before saving."""

    def __init__(self, write_only: bool = False, iso_dates: bool = False) -> None:
        super().__init__(write_only=write_only, iso_dates=iso_dates)
        for sheet in self._sheets:
            self._guard_appends(sheet)

    def create_sheet(self, title: str | None = None, index: int | None = None) -> Any:
        sheet = super().create_sheet(title, index)
        self._guard_appends(sheet)
        return sheet

    def _guard_appends(self, sheet: Any) -> None:
        original = sheet.append

        def append(iterable: Iterable[Any]) -> None:
            original([self._safe_value(sheet, value) for value in iterable])

        sheet.append = append

    def _safe_value(self, sheet: Any, value: Any) -> Any:
        if isinstance(value, Cell):
            if isinstance(value.value, str):
                value.value = clean_text(value.value)
            guard_cell(value)
            return value
        if not isinstance(value, str):
            return value
        value = clean_text(value)
        if self.write_only and is_risky(value):
            cell = WriteOnlyCell(sheet, value=value)
            guard_cell(cell)
            return cell
        return value

    def save(self, filename: Any) -> None:
        if not self.write_only:
            # Cells set directly (sheet["A1"] = …) bypass append: check them all once here.
            for sheet in self.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        guard_cell(cell)
        super().save(filename)


def workbook_bytes(workbook: SafeWorkbook) -> bytes:
    """The saved .xlsx as bytes, for a download response."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
