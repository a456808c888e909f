"""Small template helpers of the meetings pages (presentation only)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def css_for(mapping: dict, key: str) -> str:
    """The Bootstrap colour a status maps to, e.g. {{ css|css_for:meeting.status }}."""
    return mapping.get(key, "secondary") if isinstance(mapping, dict) else "secondary"


@register.filter
def cn_index(number: int) -> str:
    """一、二、三… for headings of official documents (up to 99)."""
    digits = "零一二三四五六七八九"
    number = int(number)
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"
