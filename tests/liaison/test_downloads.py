"""The one download helper: Django's FileResponse, named and typed by the file's name."""

from urllib.parse import quote

import pytest

from liaison.downloads import XLSX, download


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("报表.xlsx", XLSX),
        ("签到表.pdf", "application/pdf"),
        ("meeting-1.ics", "text/calendar; charset=utf-8"),
    ],
)
def test_it_types_the_file_by_its_extension(name, content_type):
    assert download(b"x", name)["Content-Type"] == content_type


def test_it_names_a_chinese_file_for_saving():
    response = download(b"PK\x03\x04", "逾期台账-20261012.xlsx")
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('逾期台账-20261012.xlsx')}"
    assert response["Content-Length"] == "4"
    assert response.getvalue() == b"PK\x03\x04"


def test_it_shows_a_pdf_in_the_browser_when_inline():
    response = download(b"%PDF-1.7", "dual-list.pdf", inline=True)
    assert response["Content-Disposition"] == 'inline; filename="dual-list.pdf"'
