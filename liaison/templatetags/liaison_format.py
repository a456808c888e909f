"""Template filters for numbers and printed titles (liaison.formatting)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString

from liaison import formatting

register = template.Library()

MAX_UNBROKEN = 14  # characters of a 22 pt title on a line of an A4 page, with room to spare


@register.filter
def amount(value: Any) -> str:
    return formatting.amount(value)


@register.filter
def count(value: object) -> object:
    return formatting.count(value) if isinstance(value, int) and not isinstance(value, bool) else value


@register.filter
def keep_words(title: str) -> SafeString:
    """The title in unbreakable pieces, so that a line breaks between words and never inside one
    (a piece longer than a title line stays breakable)."""
    return format_html_join(
        "",
        '<span class="{}">{}</span>',
        (
            ("nobreak" if len(piece) <= MAX_UNBROKEN else "", conditional_escape(piece))
            for piece in formatting.title_segments(str(title))
        ),
    )


@register.simple_tag
def pdf_fonts() -> list[dict[str, str | bool]]:
    """For the administration: which font prints each role of the official documents."""
    from liaison.pdf import fonts_in_use

    return fonts_in_use()


@register.simple_tag
def pdf_font_dir() -> str:
    from django.conf import settings

    return settings.PDF_FONT_DIR
