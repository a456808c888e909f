"""Forms of the shared core pages, and what every app's forms share: widget classes, uploads,
refusals shown on the form, filter forms styled."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.widgets import Input
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import attachments
from .choices import NotificationKind
from .limits import validate_supported_date

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class WorkingDayForm(forms.Form):
    start = forms.DateField(
        label=_("起算日"), widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_supported_date]
    )
    working_days = forms.IntegerField(label=_("工作日数"), min_value=0, max_value=400, initial=3)


class EmailPreferencesForm(forms.Form):
    """One checkbox per kind of notification: also send it by email."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.BooleanField(label=kind.label, required=False)

    def choices(self) -> dict[str, bool]:
        return {kind.value: bool(self.cleaned_data.get(kind.value)) for kind in NotificationKind}


class ChannelPreferencesForm(forms.Form):
    """Per kind of notification: in the app, by email (one by one or in a daily digest), by SMS.

    The email checkbox keeps the kind's own name (`overdue`); the others add a suffix."""

    CHANNELS = (("in_app", _("站内")), ("", _("邮件")), ("digest", _("改为每日汇总")), ("sms", _("短信")))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            for suffix, label in self.CHANNELS:
                name = f"{kind.value}_{suffix}" if suffix else kind.value
                self.fields[name] = forms.BooleanField(label=f"{kind.label} · {label}", required=False)

    @classmethod
    def initial_from(cls, preferences: dict[str, dict[str, bool]]) -> dict[str, bool]:
        initial = {}
        for kind, chosen in preferences.items():
            initial[kind] = chosen["by_email"]
            initial[f"{kind}_in_app"] = chosen["in_app"]
            initial[f"{kind}_digest"] = chosen["digest"]
            initial[f"{kind}_sms"] = chosen["by_sms"]
        return initial

    def rows(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (kind.label, [self[f"{kind.value}_{s}" if s else kind.value] for s, _label in self.CHANNELS])
            for kind in NotificationKind
        ]

    def choices(self) -> dict[str, dict[str, bool]]:
        data = self.cleaned_data
        return {
            kind.value: {
                "in_app": bool(data.get(f"{kind.value}_in_app")),
                "by_email": bool(data.get(kind.value)),
                "digest": bool(data.get(f"{kind.value}_digest")),
                "by_sms": bool(data.get(f"{kind.value}_sms")),
            }
            for kind in NotificationKind
        }


# --- uploads ---------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files, checked by content (liaison.attachments) before any service runs.

    `cleaned_data[name]` is the list of (upload, FileKind) pairs the services take.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={**TEXT}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("附件"))
        kwargs.setdefault("help_text", _("可选择多个文件；仅接受 PDF、图片、Word 和 Excel 文件。"))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(MultipleFileField, self).clean(f, initial) for f in files]
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return attachments.validate_files(files)


def apply_refusal(form: forms.Form, error: Exception) -> None:
    """Put a service refusal next to the field it names, or above the form."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


def style_filter_form(form: forms.Form) -> forms.Form:
    """Bootstrap classes on a django-filter form (its widgets come without them)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            widget.choices = [("unknown", _("全部")), ("true", _("是")), ("false", _("否"))]
        if isinstance(widget, forms.SelectMultiple):
            widget.attrs.setdefault("size", "3")
        if isinstance(widget, (forms.Select, forms.SelectMultiple)):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
        if isinstance(field, forms.ModelChoiceField):
            widget.choices = model_choices(field)
        if isinstance(widget, (forms.Select, Input)) and not isinstance(widget, forms.FileInput):
            widget.__class__ = _remembering(type(widget))  # type: ignore[assignment]
    return form


# Filter widgets as rendered, by everything that makes their markup (name, value, attributes, choices,
# language): a list page renders the same menus and boxes on every request. Bounded; emptied when full.
_RENDERED: dict[tuple[Any, ...], str] = {}
_RENDERED_LIMIT = 2000
_REMEMBERING: dict[type, type] = {}


def _remembering(widget_class: type[forms.Widget]) -> type[forms.Widget]:
    """A subclass of `widget_class` that renders each (name, value, attributes, choices, input type,
    language) once per process."""
    if widget_class in _REMEMBERING.values():
        return widget_class
    remembering = _REMEMBERING.get(widget_class)
    if remembering is None:

        def render(self: Any, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
            try:
                key = (
                    widget_class,
                    name,
                    get_language(),
                    repr(self.format_value(value)),
                    tuple(sorted(self.attrs.items())),
                    tuple(sorted((attrs or {}).items())),
                    tuple((str(v), str(label)) for v, label in getattr(self, "choices", ())),
                    getattr(self, "input_type", None),
                    type(renderer),
                )
                html = _RENDERED.get(key)
            except (TypeError, ValueError):
                return widget_class.render(self, name, value, attrs, renderer)
            if html is None:
                if len(_RENDERED) >= _RENDERED_LIMIT:
                    _RENDERED.clear()
                html = _RENDERED[key] = widget_class.render(self, name, value, attrs, renderer)
            return html

        remembering = type(widget_class.__name__, (widget_class,), {"render": render, "__module__": __name__})
        _REMEMBERING[widget_class] = remembering
    return remembering


def model_choices(field: forms.ModelChoiceField) -> list[Any]:
    """The options of a model choice field read in one plain query: Django's own iterator reads them
    through `QuerySet.iterator()`, a server-side cursor on PostgreSQL (three round trips a field)."""
    options = field.iterator(field)
    empty: list[Any] = [("", field.empty_label)] if field.empty_label is not None else []
    return empty + [options.choice(obj) for obj in field.queryset or []]
