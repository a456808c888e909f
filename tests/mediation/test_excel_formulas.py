"""The roster and case workbooks write a hostile name as inert text."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from ..conftest import login

HOSTILE = '=HYPERLINK("http://e.cn","查看")'  # fits a mediator's 40-character name


def _hostile_cells(response) -> list:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.getvalue()))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    found = [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert found and all(cell.data_type == "s" and cell.quotePrefix for cell in found)
    return found


def test_the_roster_export_keeps_a_formula_name_as_text(roster, client):
    roster.appoint(HOSTILE)
    _hostile_cells(login(client, roster.world.alice).get("/mediation/roster/export.xlsx"))


def test_the_case_export_keeps_a_formula_party_and_title_as_text(roster, client):
    roster.refer(title=HOSTILE, applicant=HOSTILE)
    found = _hostile_cells(login(client, roster.world.alice).get("/mediation/cases/export.xlsx"))
    assert HOSTILE in [cell.value for cell in found]
