"""Forms of the report pages: they parse and check input; the services decide."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from liaison import attachments
from liaison.models import Mechanism, User

from . import selectors, services
from .choices import WRITABLE_KIND_CHOICES, ReportKind
from .models import Report


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files; each is checked by content (liaison.attachments) before anything is saved."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(MultipleFileField, self).clean(f, initial) for f in files]
        try:
            attachments.validate_files(files)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return files


def parse_tags(text: str) -> list[str]:
    """'民营企业，合同纠纷、买卖' → ['民营企业', '合同纠纷', '买卖']."""
    return [part for part in (p.strip() for p in re.split(r"[,，、;；\s]+", text or "")) if part]


class ReportForm(forms.ModelForm):
    tags_text = forms.CharField(
        label=_("标签"),
        required=False,
        max_length=300,
        help_text=_("多个标签用逗号或顿号分隔，例如：民营企业、合同纠纷"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    files = MultipleFileField(label=_("附件"), help_text=_("可选多个文件；仅接受 PDF、图片、Word、Excel 文件。"))

    field_order = [
        "mechanism",
        "kind",
        "title",
        "summary",
        "body",
        "tags_text",
        "case_numbers",
        "comment_deadline",
        "files",
    ]

    class Meta:
        model = Report
        fields = ["mechanism", "kind", "title", "summary", "body", "case_numbers", "comment_deadline"]
        widgets = {
            "mechanism": forms.Select(attrs={"class": "form-select"}),
            "kind": forms.Select(attrs={"class": "form-select"}),
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "summary": forms.Textarea(attrs={"class": "form-control", "rows": 3}),
            "body": forms.Textarea(attrs={"class": "form-control", "rows": 14}),
            "case_numbers": forms.TextInput(attrs={"class": "form-control"}),
            "comment_deadline": forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Generated kinds (the monthly report) are written by the system, never by hand.
        self.fields["kind"].choices = [("", "---------"), *WRITABLE_KIND_CHOICES]
        if self.instance.pk:
            # The mechanism of a report does not change; it is shown on the page instead.
            del self.fields["mechanism"]
            self.fields["tags_text"].initial = "、".join(t.name for t in self.instance.tags.all())
        else:
            self.fields["mechanism"].queryset = selectors.report_mechanisms(user)
            self.fields["mechanism"].empty_label = None

    def clean_tags_text(self) -> list[str]:
        try:
            return services.clean_tag_names(parse_tags(self.cleaned_data.get("tags_text", "")))
        except services.ReportError as error:
            raise ValidationError(error.message) from None

    def clean(self) -> dict:
        data = super().clean()
        kind, deadline = data.get("kind"), data.get("comment_deadline")
        if kind == ReportKind.DRAFT_REGULATION and deadline is None and "comment_deadline" not in self.errors:
            self.add_error("comment_deadline", services.COMMENT_DEADLINE_REQUIRED)
        if kind and kind != ReportKind.DRAFT_REGULATION and deadline is not None:
            self.add_error("comment_deadline", services.COMMENT_DEADLINE_ONLY_FOR_DRAFT_REGULATION)
        return data

    def validate_unique(self) -> None:
        # Uniqueness of the title is the service's check (with the same message); the instance here
        # has no mechanism when it is new, so the model's own check would not work.
        pass

    def service_data(self) -> dict:
        data = {
            name: self.cleaned_data.get(name)
            for name in ("kind", "title", "summary", "body", "case_numbers", "comment_deadline")
        }
        data["tags"] = self.cleaned_data.get("tags_text", [])
        return data


class OpinionForm(forms.Form):
    text = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}), max_length=20000
    )
    files = MultipleFileField(label=_("附件"), help_text=_("可选；仅接受 PDF、图片、Word、Excel 文件。"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回理由"), required=False, max_length=300, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class MonthlyGenerateForm(forms.Form):
    """Which mechanism and month to (re)generate the monthly report of; the service checks the rest."""

    mechanism = forms.ModelChoiceField(
        label=_("机制"),
        queryset=Mechanism.objects.none(),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    month = forms.CharField(
        label=_("月份"),
        max_length=7,
        widget=forms.TextInput(
            attrs={"type": "month", "class": "form-control form-control-sm", "placeholder": "2026-10"}
        ),
    )

    def __init__(self, *args: object, mechanisms, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mechanism"].queryset = mechanisms

    def clean_month(self) -> tuple[int, int]:
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", self.cleaned_data["month"])
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("请按“年-月”填写月份，例如 2026-10。"))
        return int(match.group(1)), int(match.group(2))


# --- judicial suggestions and risk reports on their way to a reply ---------------------------------

_DATE = forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d")
_TEXT = {"class": "form-control"}


def _parties_of(suggestion: object) -> object:
    from liaison.models import Organization

    report = suggestion.report  # type: ignore[attr-defined]
    return (
        Organization.objects.filter(mechanism_parties__mechanism_id=report.mechanism_id)
        .exclude(pk=report.author_organization_id)
        .order_by("name")
    )


class SuggestionConsultForm(forms.Form):
    consulted = forms.ModelChoiceField(label=_("征求意见单位"), queryset=None)
    comment_due = forms.DateField(label=_("征求意见截止日期"), widget=_DATE)

    def __init__(self, *args: object, suggestion: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consulted"].queryset = _parties_of(suggestion)
        self.fields["consulted"].widget.attrs["class"] = "form-select"


class SuggestionCommentForm(forms.Form):
    text = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={**_TEXT, "rows": 4}), max_length=5000)


class SuggestionIssueForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("受文单位（机制内）"), queryset=None, required=False, help_text=_("机制外的单位请填写下方名称")
    )
    recipient_name = forms.CharField(
        label=_("受文单位名称（机制外）"), max_length=100, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    document_number = forms.CharField(
        label=_("文号"), max_length=60, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    reply_working_days = forms.IntegerField(
        label=_("回复期限（工作日）"), min_value=1, max_value=120, initial=40, widget=forms.NumberInput(attrs=_TEXT)
    )

    def __init__(self, *args: object, suggestion: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = _parties_of(suggestion)
        self.fields["recipient"].widget.attrs["class"] = "form-select"


class SuggestionReplyForm(forms.Form):
    text = forms.CharField(label=_("回复内容"), widget=forms.Textarea(attrs={**_TEXT, "rows": 4}), max_length=5000)
    replied_on = forms.DateField(label=_("回复日期"), widget=_DATE, required=False)
    files = MultipleFileField(label=_("回复函（文件）"))
