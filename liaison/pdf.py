"""HTML → PDF with WeasyPrint, in the style of a Chinese official document.

Fonts: a FangSong is named first so that a deployment with 仿宋_GB2312 installed uses it; otherwise
Noto Serif CJK SC (Debian's fonts-noto-cjk, installed by .ci/run and the Docker image).
Fonts are subset by WeasyPrint, so a page stays a few hundred KB.
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango costs time at startup

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(content: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{escape_uri_path(filename)}"
    return response
