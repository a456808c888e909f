"""Fonts of the printed documents: licensed files from PDF_FONT_DIR when present, else Noto; the
administration says which prints what."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from liaison.pdf import fonts_in_use

from ..conftest import login
from ..factories import UserFactory

KAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")  # stands in for a licensed 仿宋 file


def faces(pdf: bytes) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def sample() -> bytes:
    from django.template import engines

    html = (
        engines["django"]
        .from_string(
            '{% extends "print/base.html" %}{% block body %}<h1 class="doc-title">关于移送涉企诉求的函</h1>'
            "<p>正文内容。</p>{% endblock %}"
        )
        .render({})
    )
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from liaison.pdf import font_css

    config = FontConfiguration()
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=font_css(), font_config=config)], font_config=config)


def test_it_prints_with_two_noto_faces_without_a_font_folder(settings) -> None:
    settings.PDF_FONT_DIR = ""
    assert faces(sample()) == {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold"}
    assert {f["font"] for f in fonts_in_use()} == {"Noto Serif CJK SC"}


@pytest.mark.skipif(not KAI.exists(), reason="needs fonts-arphic-ukai")
def test_it_prints_the_body_with_the_licensed_file_of_the_folder(settings, tmp_path) -> None:
    (tmp_path / "仿宋_GB2312.ttc").symlink_to(KAI)
    (tmp_path / "readme.txt").write_text("not a font")
    settings.PDF_FONT_DIR = str(tmp_path)
    used = {f["role"]: f for f in fonts_in_use()}
    assert used["正文（仿宋）"]["font"] == "仿宋_GB2312.ttc" and used["正文（仿宋）"]["licensed"]
    assert used["标题（小标宋）"]["font"] == "Noto Serif CJK SC" and not used["标题（小标宋）"]["licensed"]
    printed = faces(sample())
    # WeasyPrint embeds a face declared by @font-face under its declared family name.
    assert "Liaison-Body" in printed and "Noto-Serif-CJK-SC-Bold" in printed and "Noto-Serif-CJK-SC" not in printed


@pytest.mark.django_db
def test_the_admin_index_says_which_fonts_print(settings, tmp_path, client) -> None:
    settings.PDF_FONT_DIR = str(tmp_path)
    (tmp_path / "FZXBSJW_小标宋.ttf").write_bytes(b"\0")
    admin = UserFactory(is_staff=True, is_superuser=True, roles=["administrator"])
    page = login(client, admin).get("/admin/").content.decode()
    assert 'id="pdf-fonts"' in page and "FZXBSJW_小标宋.ttf" in page and "Noto Serif CJK SC（备用字体）" in page
