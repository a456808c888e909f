"""`{% form_field field %}`: a form field as `cases/includes/field.html` shows it (label, widget,
help text, errors), its markup remembered for empty forms.

A detail page shows the same empty step forms on every request (the register form, a reason box,
the message form); their fields' markup depends only on what the key below holds, so it is
rendered once per process and language. A bound form (shown again with its errors and values) and
any other widget (a choice's options come from the database and may change; a widget of the
project's own may render more than its attributes) are always rendered.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

FIELD_TEMPLATE = "cases/includes/field.html"
_RENDERED: dict[tuple[Any, ...], str] = {}
_RENDERED_LIMIT = 1000


# Django's own text boxes, text areas and check boxes: their markup is their name, value and attributes.
REMEMBERED = (
    forms.TextInput,
    forms.Textarea,
    forms.CheckboxInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.DateInput,
    forms.HiddenInput,
)


def _key(field: BoundField) -> tuple[Any, ...] | None:
    widget = field.field.widget
    if field.form.is_bound or type(widget) not in REMEMBERED:
        return None
    return (
        type(field.form),
        type(widget),
        field.html_name,
        field.auto_id,
        get_language(),
        str(field.label),
        str(field.help_text),
        field.field.required,
        field.field.disabled,
        repr(field.value()),
        getattr(widget, "input_type", None),
        tuple(sorted((name, str(value)) for name, value in widget.attrs.items())),
    )


def _render(field: BoundField) -> str:
    return get_template(FIELD_TEMPLATE).render({"field": field})


@register.simple_tag
def form_field(field: BoundField) -> SafeString:
    try:
        key = _key(field)
    except (TypeError, ValueError):
        key = None
    if key is None:
        return mark_safe(_render(field))  # noqa: S308 (the template's own escaped output)
    html = _RENDERED.get(key)
    if html is None:
        if len(_RENDERED) >= _RENDERED_LIMIT:
            _RENDERED.clear()
        html = _RENDERED[key] = _render(field)
    return mark_safe(html)  # noqa: S308 (the template's own escaped output)
