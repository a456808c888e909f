"""The supervision of the four kinds of cases (四类案件监管): the list filters by it, the figures count it,
the ledger shows it."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from cases import services
from cases.figures import complaint_figures
from reports.ledgers import overdue_ledger, overdue_ledger_workbook

from ..conftest import login


def _two(cast):
    supervised = cast.transferred(title="设备被错误查封")
    services.complaint_register(
        actor=cast.clerk, complaint=supervised, registration_number="DJ-2026-1", under_supervision=True
    )
    plain = cast.transferred(title="合同纠纷久拖未结")
    services.complaint_register(actor=cast.clerk, complaint=plain, registration_number="DJ-2026-2")
    return supervised, plain


def test_it_filters_the_list_by_supervision(cast, client, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    supervised, plain = _two(cast)
    page = login(client, cast.clerk).get("/cases/complaints/?under_supervision=true").content.decode()
    assert supervised.serial in page and plain.serial not in page and "四类案件监管" in page
    page = client.get("/cases/complaints/?under_supervision=false").content.decode()
    assert plain.serial in page and supervised.serial not in page
    rows = client.get("/api/v1/complaints/?under_supervision=true").json()
    serials = [row["serial"] for row in rows.get("results", rows)]
    assert serials == [supervised.serial]


def test_the_figures_count_supervised_complaints(cast, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    _two(cast)
    figures = complaint_figures(
        user=cast.clerk, mechanism=cast.world.mechanism, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30)
    )
    assert figures["total"] == 2 and figures["under_supervision"] == 1


def test_the_ledger_shows_supervision(cast, client, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)
    supervised, plain = _two(cast)
    time_machine.move_to("2026-12-20 09:00 +08:00", tick=False)  # both answers overdue
    ledger = overdue_ledger(user=cast.clerk)
    flags = {row.reference: row.supervised for row in ledger.rows if row.kind == "complaint"}
    assert flags == {supervised.serial: True, plain.serial: False}
    page = login(client, cast.clerk).get("/cases/ledgers/overdue/").content.decode()
    assert page.count('badge text-bg-dark">四类案件监管') == 1
    sheet = openpyxl.load_workbook(io.BytesIO(overdue_ledger_workbook(ledger)))["涉企诉求"]
    header = [c.value for c in sheet[1]]
    column = header.index("四类案件监管")
    marks = {row[2].value: row[column].value for row in sheet.iter_rows(min_row=2)}
    assert marks == {supervised.serial: "是", plain.serial: None}
