"""Fonts of the printed documents: licensed files from PDF_FONT_DIR when present, else Noto in one
face (the regular: the print CSS sets no bold, as every embedded face costs about 70 KB); the parsed
stylesheets and the font configuration are kept between documents; the administration says which
prints what."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pypdf
import pytest
from django.utils import translation

from liaison import pdf
from liaison.pdf import fonts_in_use, render_pdf

from ..conftest import login
from ..factories import UserFactory
from .test_pdf_layout import monthly_pdf, transfer_letter

KAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")  # stands in for a licensed 仿宋 file


def faces(pdf: bytes) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def minutes() -> bytes:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from pdf import minutes_context  # the benchmark's full set of minutes: headings, tables, <strong>

    return render_pdf("meetings/print/minutes.html", minutes_context())


def test_every_document_prints_in_one_noto_face_without_a_font_folder(settings) -> None:
    settings.PDF_FONT_DIR = ""
    with translation.override("zh-hans"):
        documents = {"letter": transfer_letter(1), "monthly": monthly_pdf(3), "minutes": minutes()}
    # Red headers, titles, table heads and headings included: no bold face is embedded.
    assert {name: faces(content) for name, content in documents.items()} == {
        name: {"Noto-Serif-CJK-SC"} for name in documents
    }
    assert {f["font"] for f in fonts_in_use()} == {"Noto Serif CJK SC"}


@pytest.mark.skipif(not KAI.exists(), reason="needs fonts-arphic-ukai")
def test_it_prints_the_body_with_the_licensed_file_of_the_folder(settings, tmp_path) -> None:
    (tmp_path / "仿宋_GB2312.ttc").symlink_to(KAI)
    (tmp_path / "readme.txt").write_text("not a font")
    settings.PDF_FONT_DIR = str(tmp_path)
    used = {f["role"]: f for f in fonts_in_use()}
    assert used["正文（仿宋）"]["font"] == "仿宋_GB2312.ttc" and used["正文（仿宋）"]["licensed"]
    assert used["标题（小标宋）"]["font"] == "Noto Serif CJK SC" and not used["标题（小标宋）"]["licensed"]
    # WeasyPrint embeds a face declared by @font-face under its declared family name; the red
    # header and the title, without a licensed file, print in the regular Noto face.
    assert faces(transfer_letter(1)) == {"Liaison-Body", "Noto-Serif-CJK-SC"}


def test_the_stylesheets_are_parsed_once_and_again_when_the_fonts_or_the_file_change(settings, tmp_path) -> None:
    settings.PDF_FONT_DIR = ""
    transfer_letter(1)
    styles = pdf._styles()
    sheets = dict(styles.sheets)
    assert Path(settings.BASE_DIR, "static/print/document.css").resolve() in sheets
    transfer_letter(1)
    assert pdf._styles() is styles and styles.sheets == sheets  # the same parsed objects

    # A font folder changes the @font-face rules: a new configuration, stylesheets parsed for it.
    (tmp_path / "FZXBSJW_小标宋.ttf").write_bytes(b"\0")
    settings.PDF_FONT_DIR = str(tmp_path)
    assert pdf._styles() is not styles

    # An edited stylesheet is read again (its modification time is compared).
    settings.PDF_FONT_DIR = ""
    css = tmp_path / "extra.css"
    css.write_text("p { color: #111; }")
    first = pdf._styles().sheet(css)
    assert pdf._styles().sheet(css) is first
    css.write_text("p { color: #222; }")
    os.utime(css, ns=(css.stat().st_atime_ns, css.stat().st_mtime_ns + 1_000_000))
    assert pdf._styles().sheet(css) is not first


@pytest.mark.django_db
def test_the_admin_index_says_which_fonts_print(settings, tmp_path, client) -> None:
    settings.PDF_FONT_DIR = str(tmp_path)
    (tmp_path / "FZXBSJW_小标宋.ttf").write_bytes(b"\0")
    admin = UserFactory(is_staff=True, is_superuser=True, roles=["administrator"])
    page = login(client, admin).get("/admin/").content.decode()
    assert 'id="pdf-fonts"' in page and "FZXBSJW_小标宋.ttf" in page and "Noto Serif CJK SC（备用字体）" in page
