"""HTML → PDF with WeasyPrint, in the style of a Chinese official document.

Fonts: a FangSong is named first so that a deployment with 仿宋_GB2312 installed uses it; otherwise
Noto Serif CJK SC (Debian's fonts-noto-cjk, installed by .ci/run and the Docker image).
Fonts are subset by WeasyPrint, so a page stays a few hundred KB.
"""
from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango costs time at startup

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
