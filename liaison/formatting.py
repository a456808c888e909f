"""How numbers are written, the same on every page, PDF and export: amounts in yuan with
thousands separators and two decimals, counts with thousands separators."""

from __future__ import annotations

import re
from decimal import Decimal

# Excel's format for the same amounts (the cell keeps the number, Excel shows the separators).
AMOUNT_FORMAT = "#,##0.00"


def amount(value: Decimal | float | int | None, *, empty: str = "—") -> str:
    """1234567.5 → "1,234,567.50"."""
    if value is None or value == "":
        return empty
    return f"{Decimal(value):,.2f}"


def count(value: int | None, *, empty: str = "—") -> str:
    """12345 → "12,345"."""
    if value is None or value == "":
        return empty
    return f"{int(value):,}"


def amount_cell(sheet: object, value: Decimal | float | int | None) -> object:
    """An amount for a write-only openpyxl sheet: a number shown with separators, or blank."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=None if value is None else float(value))
    cell.number_format = AMOUNT_FORMAT
    return cell


# Where a printed title may break: after the name of an institution or of a mechanism, around
# "与/和/关于", before a year. Elsewhere a line break would cut a word (沟/通).
_AFTER = re.compile(r"(法院|联合会|工商联|商会|司法局|政府|机制|委员会|协会|中心)")
_BEFORE = re.compile(r"(?=与|和|关于|\d{4}年)")


def title_segments(title: str) -> list[str]:
    """A title cut at the places where it may break; each piece is printed without a break."""
    marked = _BEFORE.sub("\x00", _AFTER.sub("\\1\x00", title))
    return [piece for piece in marked.split("\x00") if piece]
