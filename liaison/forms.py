"""Forms of the shared core pages."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import NotificationKind
from .limits import validate_supported_date


class WorkingDayForm(forms.Form):
    start = forms.DateField(label=_("起算日"), widget=forms.DateInput(attrs={"type": "date"}),
                            validators=[validate_supported_date])
    working_days = forms.IntegerField(label=_("工作日数"), min_value=0, max_value=400, initial=3)


class EmailPreferencesForm(forms.Form):
    """One checkbox per kind of notification: also send it by email."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            self.fields[kind.value] = forms.BooleanField(label=kind.label, required=False)

    def choices(self) -> dict[str, bool]:
        return {kind.value: bool(self.cleaned_data.get(kind.value)) for kind in NotificationKind}
