"""Every complaint-side workbook writes a hostile enterprise name or title as inert text."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from cases import services

from ..conftest import login

HOSTILE = '=HYPERLINK("http://evil.example/","点击查看")'


def _cells(response) -> list:
    assert response.status_code == 200, response.status_code
    book = load_workbook(io.BytesIO(response.getvalue()))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_inert(cells: list) -> None:
    found = [cell for cell in cells if cell.value == HOSTILE]
    assert found, "the hostile text is in the export"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in found)
    assert not [cell for cell in cells if cell.data_type == "f"]


def test_the_complaint_ledger_keeps_a_formula_name_as_text(cast, client):
    services.enterprise_update(
        actor=cast.staff,
        enterprise=cast.enterprise,
        data=services.EnterpriseData(name=HOSTILE, credit_code=cast.enterprise.credit_code, size="small", industry="C"),
    )
    cast.transferred(title=HOSTILE)
    _assert_inert(_cells(login(client, cast.clerk).get("/cases/complaints/export.xlsx")))


def test_the_overdue_ledger_keeps_a_formula_title_as_text(cast, client, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    cast.transferred(title=HOSTILE)
    time_machine.move_to("2026-12-01 09:00 +08:00", tick=False)
    _assert_inert(_cells(login(client, cast.clerk).get("/cases/ledgers/overdue/export.xlsx")))
