"""Forms of the shared core pages, and what every app's forms share: widget classes, uploads,
refusals shown on the form, filter forms styled."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
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
    return form
