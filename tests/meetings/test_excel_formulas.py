"""The supervision and dual-list workbooks write a hostile item title as inert text."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from meetings import services

from ..conftest import login

HOSTILE = '=HYPERLINK("http://evil.example/","点击查看")'


def _hostile_cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    return [cell for cell in cells if cell.value == HOSTILE]


def test_the_supervision_export_keeps_a_formula_title_as_text(cast, client):
    meeting = cast.held()
    minutes = services.minutes_create(
        actor=cast.secretary,
        meeting=meeting,
        data=cast.minutes_data(
            meeting,
            action_items=[
                services.ItemData(title=HOSTILE, owner_organization=cast.world.court, due_date=dt.date(2026, 4, 30))
            ],
        ),
    )
    minutes = services.minutes_submit(actor=cast.secretary, minutes=minutes)
    services.minutes_decide(actor=cast.court_leader, minutes=minutes, approve=True)
    services.minutes_issue(
        actor=cast.secretary, minutes=services.minutes_decide(actor=cast.fed_leader, minutes=minutes, approve=True)
    )
    response = login(client, cast.world.alice).get("/meetings/supervision/export.xlsx")
    found = _hostile_cells(response.getvalue())
    assert found and all(cell.data_type == "s" and cell.quotePrefix for cell in found)


def test_the_dual_list_export_keeps_a_formula_task_as_text(cast, client):
    dual_list = services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2026)
    services.dual_list_replace_tasks(
        actor=cast.secretary,
        dual_list=dual_list,
        rows=[
            services.TaskRow(
                row=2,
                data=services.ItemData(
                    title=HOSTILE, owner_organization=cast.world.court, due_date=dt.date(2026, 12, 31)
                ),
            )
        ],
    )
    response = login(client, cast.secretary).get(f"/meetings/dual-lists/{dual_list.pk}/export.xlsx")
    found = _hostile_cells(response.getvalue())
    assert found and all(cell.data_type == "s" and cell.quotePrefix for cell in found)
