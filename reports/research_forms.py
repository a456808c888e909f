"""Forms of the research programme pages. They parse; the services in `reports.research` decide."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from liaison import deadlines, scoping
from liaison.models import Mechanism, Organization, User
from meetings.choices import HELD_STATES
from meetings.models import Meeting

from .choices import ReportKind, ReportState
from .models import Report, ResearchTopic
from .research import MilestoneData, TopicData
from .research_choices import UseKind

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("请按“年-月-日”填写日期。"), "required": _("请填写日期。")}


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={**TEXT, "rows": rows})


def parse_milestones(text: str) -> list[MilestoneData]:
    """One milestone a line: "名称，2026-06-30" (a Chinese or an ASCII comma)."""
    found = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"[，,]\s*", line)
        if len(parts) != 2:
            raise ValidationError(_("第 %(n)s 行请按“节点名称，年-月-日”填写。") % {"n": number})
        try:
            due = dt.date.fromisoformat(parts[1].strip())
        except ValueError:
            raise ValidationError(_("第 %(n)s 行的日期请按“年-月-日”填写。") % {"n": number}) from None
        found.append(MilestoneData(parts[0].strip(), due))
    return found


class TopicForm(forms.Form):
    mechanism = forms.ModelChoiceField(
        label=_("沟通联系机制"), queryset=Mechanism.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs=TEXT),
        error_messages={"required": _("请填写年度。"), "invalid": _("请填写年度。")},
    )
    title = forms.CharField(label=_("课题名称"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(label=_("研究内容"), required=False, max_length=5000, widget=_textarea(3))
    lead_organization = forms.ModelChoiceField(
        label=_("牵头单位"), queryset=Organization.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("课题组成员（双方）"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due_date = forms.DateField(label=_("结题时间"), widget=DATE, error_messages=DATE_ERRORS)
    milestones = forms.CharField(
        label=_("节点"),
        required=False,
        max_length=3000,
        widget=_textarea(4),
        help_text=_("每行一个：节点名称，年-月-日"),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"year": deadlines.today().year})
        super().__init__(*args, **kwargs)
        mechanisms = scoping.actionable_mechanisms(user).order_by("name")
        self.fields["mechanism"].queryset = mechanisms
        parties = Organization.objects.filter(mechanism_parties__mechanism__in=mechanisms.values("pk")).distinct()
        self.fields["lead_organization"].queryset = parties.order_by("name")
        self.fields["participants"].queryset = (
            User.objects.filter(organization__in=parties, is_active=True)
            .select_related("organization")
            .order_by("organization__name", "full_name")
        )
        self.fields["participants"].label_from_instance = lambda u: f"{u.display_name}（{u.organization.name}）"

    def clean_milestones(self) -> list[MilestoneData]:
        return parse_milestones(self.cleaned_data.get("milestones", ""))

    def data_for_service(self) -> TopicData:
        d = self.cleaned_data
        return TopicData(
            year=d["year"],
            title=d["title"],
            description=d.get("description", ""),
            lead_organization=d["lead_organization"],
            due_date=d["due_date"],
            participants=list(d.get("participants") or []),
            milestones=d.get("milestones") or [],
        )


class AgreeAtMeetingForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("商定的会议"),
        queryset=Meeting.objects.none(),
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": _("请选择会议。"), "invalid_choice": _("请选择本机制已召开的会议。")},
    )

    def __init__(self, *args: object, topic: ResearchTopic, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            mechanism_id=topic.mechanism_id, status__in=HELD_STATES
        ).order_by("-starts_at")


class FinishForm(forms.Form):
    report = forms.ModelChoiceField(
        label=_("调研报告"),
        queryset=Report.objects.none(),
        widget=forms.Select(attrs=SELECT),
        error_messages={"required": _("请选择调研报告。"), "invalid_choice": _("请选择本机制已发布的调研报告。")},
        help_text=_("先在“共享案例”中发布类型为“调研报告”的报告。"),
    )

    def __init__(self, *args: object, topic: ResearchTopic, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = Report.objects.filter(
            mechanism_id=topic.mechanism_id,
            kind=ReportKind.RESEARCH_REPORT,
            state=ReportState.PUBLISHED,
            research_topic__isnull=True,
        ).order_by("-published_at")


class DropForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销理由"), widget=_textarea(2), max_length=300, error_messages={"required": _("请填写撤销理由。")}
    )


class UseForm(forms.Form):
    kind = forms.ChoiceField(label=_("运用方式"), choices=UseKind.choices, widget=forms.Select(attrs=SELECT))
    title = forms.CharField(label=_("名称"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    used_on = forms.DateField(label=_("日期"), widget=DATE, error_messages=DATE_ERRORS)
    link = forms.URLField(
        label=_("链接"),
        max_length=300,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs=TEXT),
        error_messages={"invalid": _("请填写完整的网址。")},
    )
