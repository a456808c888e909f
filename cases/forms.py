"""Forms of the complaint, enterprise and transfer pages: they parse input; the services decide.

Clean methods only turn text into what the services take (case numbers, normalised credit codes,
checked uploads) and report what cannot be parsed, with the validators' Chinese messages.
Whether an action is allowed is never decided here.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaison import scoping
from liaison.deadlines import today
from liaison.forms import (  # noqa: F401 - re-exported for the cases views
    SELECT,
    TEXT,
    MultipleFileField,
    apply_refusal,
    style_filter_form,
)
from liaison.limits import LONG_TEXT, validate_supported_date
from liaison.models import Organization, User

from . import meeting_choices, registration, selectors, services
from .choices import ComplaintKind, EnterpriseSize, Industry, ReviewOutcome
from .models import Complaint, Enterprise
from .validators import (
    normalize_credit_code,
    normalize_phone,
    parse_case_numbers,
    validate_credit_code,
    validate_phone,
)


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={**TEXT, "rows": rows})


class CaseNumbersField(forms.CharField):
    """Case numbers, one per line (or separated by ，、；), parsed into CaseNumber objects."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", _textarea(2))
        kwargs.setdefault("help_text", _("每行一个，例如：（2021）豫03民初123号"))
        super().__init__(*args, **kwargs)

    def clean(self, value: object) -> list:
        return parse_case_numbers(super().clean(value) or "")


# --- complaints ------------------------------------------------------------------------------


def court_choices(user: User) -> QuerySet[Organization]:
    """The handling parties (courts...) of the mechanisms the user may act in, other than the user's own."""
    return (
        scoping.handling_organizations(scoping.actionable_mechanisms(user))
        .exclude(pk=user.organization_id)
        .order_by("name")
    )


class ComplaintForm(forms.Form):
    mechanism = forms.ModelChoiceField(label=_("沟通联系机制"), queryset=None, widget=forms.Select(attrs=SELECT))
    enterprise = forms.ModelChoiceField(
        label=_("企业"),
        queryset=None,
        widget=forms.Select(attrs=SELECT),
        help_text=_("企业尚未登记的，请先在“企业”页面登记。"),
    )
    court = forms.ModelChoiceField(label=_("拟送法院"), queryset=None, widget=forms.Select(attrs=SELECT))
    kind = forms.ChoiceField(label=_("诉求类型"), choices=ComplaintKind.choices, widget=forms.Select(attrs=SELECT))
    title = forms.CharField(label=_("标题"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    facts = forms.CharField(label=_("基本事实"), widget=_textarea(6), max_length=LONG_TEXT)
    demands = forms.CharField(label=_("具体诉求"), widget=_textarea(4), max_length=LONG_TEXT)
    case_numbers = CaseNumbersField(label=_("关联案号"))
    amount_involved = forms.DecimalField(
        label=_("涉案金额（元）"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
    )
    is_major = forms.BooleanField(
        label=_("重大事项（须立即移送法院）"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    major_reason = forms.CharField(
        label=_("重大事项理由"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    files = MultipleFileField()
    confirm_duplicate = forms.BooleanField(label=_("确认不是重复诉求，继续保存"), required=False)

    def __init__(self, *args: object, user: User, complaint: Complaint | None = None, **kwargs: object) -> None:
        if complaint is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "enterprise": complaint.enterprise_id,
                "court": complaint.court_id,
                "kind": complaint.kind,
                "title": complaint.title,
                "facts": complaint.facts,
                "demands": complaint.demands,
                "case_numbers": "\n".join(n.number for n in complaint.case_numbers.all()),
                "amount_involved": complaint.amount_involved,
                "is_major": complaint.is_major,
                "major_reason": complaint.major_reason,
            }
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        self.fields["enterprise"].queryset = selectors.enterprise_list(user=user).order_by("name")
        self.fields["enterprise"].label_from_instance = lambda e: f"{e.name}（{e.credit_code}）"
        courts = court_choices(user)
        self.fields["court"].queryset = courts
        if complaint is not None:
            # The mechanism of a filed complaint does not change; it is shown on the page.
            del self.fields["mechanism"]
        else:
            mechanisms = scoping.actionable_mechanisms(user).order_by("name")
            self.fields["mechanism"].queryset = mechanisms
            only = list(mechanisms[:2])
            if len(only) == 1:
                self.fields["mechanism"].initial = only[0].pk
                self.fields["mechanism"].empty_label = None
            only_courts = list(courts[:2])
            if len(only_courts) == 1:
                self.fields["court"].initial = only_courts[0].pk

    @property
    def main_fields(self) -> list:
        return [f for f in self if f.name != "confirm_duplicate"]

    def data_for_service(self) -> services.ComplaintData:
        d = self.cleaned_data
        return services.ComplaintData(
            enterprise=d["enterprise"],
            court=d["court"],
            kind=d["kind"],
            title=d["title"],
            facts=d["facts"],
            demands=d["demands"],
            case_numbers=d["case_numbers"],
            amount_involved=d.get("amount_involved"),
            is_major=bool(d.get("is_major")),
            major_reason=d.get("major_reason") or "",
        )


# --- actions on a complaint ----------------------------------------------------------------


class EmptyActionForm(forms.Form):
    """A transition that takes no input: the button is the form."""


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=_textarea(3), max_length=2000)


class RegisterForm(forms.Form):
    registration_number = forms.CharField(label=_("登记号"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    court_case_numbers = CaseNumbersField(label=_("关联案号（法院登记）"))
    under_supervision = forms.BooleanField(label=_("纳入四类案件监管"), required=False)

    def __init__(self, *args: object, complaint: Complaint | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if complaint is not None:
            # A proposal from the court's sequence; the number is taken only when registered under it.
            field = self.fields["registration_number"]
            field.initial = registration.proposed_number(complaint)
            field.help_text = registration.hint(complaint, field.initial)


class HandlerSelect(forms.Select):
    """Each handler's option names their department, so the list can follow the chosen department."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):  # noqa: ANN001, ANN201
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and instance.department_id:
            option["attrs"]["data-department"] = str(instance.department_id)
        return option


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("承办部门"), queryset=None, widget=forms.Select(attrs={**SELECT, "data-filters-handlers": ""})
    )
    handler = forms.ModelChoiceField(
        label=_("承办人"), queryset=None, widget=HandlerSelect(attrs={**SELECT, "data-follows-department": ""})
    )

    def __init__(self, *args: object, complaint: Complaint, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.court_departments(complaint=complaint)
        self.fields["handler"].queryset = selectors.court_handlers(complaint=complaint)
        self.fields["handler"].label_from_instance = lambda u: u.display_name
        self.fields["department"].label_from_instance = lambda d: d.name
        if complaint.department_id:
            self.fields["department"].initial = complaint.department_id
        if complaint.handler_id:
            self.fields["handler"].initial = complaint.handler_id


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("办理结果"), widget=_textarea(6), max_length=20000)
    files = MultipleFileField()
    enterprise_answer = forms.CharField(
        label=_("答复企业的内容（企业可见）"),
        widget=_textarea(4),
        max_length=20000,
        required=False,
        help_text=_("企业在线提交的诉求必填；办理结果仅工商联和法院可见。"),
    )
    enterprise_files = MultipleFileField(label=_("给企业的附件"))


class SupplyMaterialForm(forms.Form):
    note = forms.CharField(label=_("补充说明"), widget=_textarea(3), max_length=2000, required=False)
    files = MultipleFileField()


class RerouteForm(forms.Form):
    court = forms.ModelChoiceField(label=_("改送法院"), queryset=None, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args: object, user: User, complaint: Complaint, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = court_choices(user).exclude(pk=complaint.court_id)


class ExtensionRequestForm(forms.Form):
    reason = forms.CharField(label=_("延期理由"), max_length=300, widget=_textarea(2))


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准延期")), ("refuse", _("不批准"))])

    def __init__(self, *args: object, complaint: Complaint, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.note = _("延期理由：%(reason)s") % {"reason": complaint.extension_reason}
        self.buttons = [
            ("decision", "approve", _("批准延期"), "btn-success"),
            ("decision", "refuse", _("不批准"), "btn-outline-danger"),
        ]

    def clean(self) -> dict:
        data = super().clean()
        if "decision" in data:
            data["approve"] = data["decision"] == "approve"
        return data


class CaseReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("评查结果"), choices=[("", _("请选择…")), *ReviewOutcome.choices], widget=forms.Select(attrs=SELECT)
    )
    explanation = forms.CharField(
        label=_("释法析理说明"),
        required=False,
        widget=_textarea(4),
        max_length=20000,
        help_text=_("评查无错误的，须写明向企业释法析理的说明。"),
    )


class FilesForm(forms.Form):
    files = MultipleFileField(required=True)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("留言"), widget=_textarea(3), max_length=5000)
    internal = forms.BooleanField(label=_("仅本单位可见（内部备注）"), required=False)


# --- enterprises -------------------------------------------------------------------------------


class EnterpriseForm(forms.Form):
    mechanism = forms.ModelChoiceField(label=_("沟通联系机制"), queryset=None, widget=forms.Select(attrs=SELECT))
    name = forms.CharField(label=_("企业名称"), max_length=120, widget=forms.TextInput(attrs=TEXT))
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("18位，可含空格或全角字符，保存时自动规范。"),
    )
    size = forms.ChoiceField(label=_("企业规模"), choices=EnterpriseSize.choices, widget=forms.Select(attrs=SELECT))
    industry = forms.ChoiceField(label=_("所属行业"), choices=Industry.choices, widget=forms.Select(attrs=SELECT))
    address = forms.CharField(label=_("地址"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))
    legal_representative = forms.CharField(
        label=_("法定代表人"), max_length=40, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    contact_person = forms.CharField(
        label=_("联系人"), max_length=40, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=40, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    chambers = forms.ModelMultipleChoiceField(
        label=_("所属商会"), queryset=None, required=False, widget=forms.SelectMultiple(attrs=SELECT)
    )

    def __init__(self, *args: object, user: User, enterprise: Enterprise | None = None, **kwargs: object) -> None:
        if enterprise is not None and not kwargs.get("initial"):
            kwargs["initial"] = {f: getattr(enterprise, f) for f in services.ENTERPRISE_FIELDS}
            kwargs["initial"]["chambers"] = [c.pk for c in enterprise.chambers.all()]
        super().__init__(*args, **kwargs)
        mechanisms = scoping.actionable_mechanisms(user).order_by("name")
        self.fields["chambers"].queryset = (
            Organization.objects.filter(
                kind="chamber",
                mechanism_parties__mechanism__in=mechanisms.values("pk"),
            )
            .distinct()
            .order_by("name")
        )
        if enterprise is not None:
            del self.fields["mechanism"]
        else:
            self.fields["mechanism"].queryset = mechanisms
            only = list(mechanisms[:2])
            if len(only) == 1:
                self.fields["mechanism"].initial = only[0].pk
                self.fields["mechanism"].empty_label = None

    def clean_credit_code(self) -> str:
        code = normalize_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data.get("contact_phone", "")
        if not phone.strip():
            return ""
        validate_phone(phone)
        return normalize_phone(phone)

    def data_for_service(self) -> services.EnterpriseData:
        d = self.cleaned_data
        return services.EnterpriseData(
            name=d["name"],
            credit_code=d["credit_code"],
            size=d["size"],
            industry=d["industry"],
            address=d["address"],
            legal_representative=d["legal_representative"],
            contact_person=d["contact_person"],
            contact_phone=d["contact_phone"],
            chambers=list(d["chambers"]),
        )


# --- transfers ---------------------------------------------------------------------------------


class TransferBatchForm(forms.Form):
    complaints = forms.ModelMultipleChoiceField(
        label=_("待移送的诉求"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    meeting = forms.TypedChoiceField(
        label=_("联席会议"),
        coerce=int,
        widget=forms.Select(attrs=SELECT),
        help_text=_("移送函上写明的联席会议，从本机制已安排的会议中选择"),
    )
    meeting_reference = forms.CharField(
        label=_("联席会议"),
        max_length=120,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("例如：2026年第四季度联席会议"),
    )

    def __init__(self, *args: object, queued: QuerySet[Complaint], user: User | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["complaints"].queryset = queued
        self.meetings = meeting_choices.meetings_for(user) if user is not None else []
        if self.meetings:
            # The meeting is chosen from those that exist; its reference goes on the letter.
            self.fields["meeting"].choices = [("", _("请选择联席会议")), *self.meetings]
            del self.fields["meeting_reference"]
        else:
            del self.fields["meeting"]

    def reference(self) -> str:
        """What the transfer letters name: the chosen meeting, or the text typed where none is planned."""
        if "meeting" in self.fields:
            return dict(self.meetings)[self.cleaned_data["meeting"]]
        return self.cleaned_data["meeting_reference"]


# --- the dashboard's period ------------------------------------------------------------------

PERIODS = [
    ("month", _("月度")),
    ("quarter", _("季度")),
    ("year", _("年度")),
    ("custom", _("自定义")),
]


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def period_range(period: str, on: dt.date) -> tuple[dt.date, dt.date]:
    """The month, quarter or year containing `on`, as inclusive dates."""
    if period == "quarter":
        first = on.replace(month=(on.month - 1) // 3 * 3 + 1, day=1)
        return first, month_of(first.replace(month=first.month + 2))[1]
    if period == "year":
        return on.replace(month=1, day=1), on.replace(month=12, day=31)
    return month_of(on)


class RangeForm(forms.Form):
    """A preset period around a chosen date, or a custom start and end; empty means this month."""

    period = forms.ChoiceField(label=_("统计期间"), choices=PERIODS, required=False)
    on = forms.DateField(
        label=_("所在日期"),
        required=False,
        validators=[validate_supported_date],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    start = forms.DateField(
        label=_("开始日期"),
        required=False,
        validators=[validate_supported_date],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    end = forms.DateField(
        label=_("结束日期"),
        required=False,
        validators=[validate_supported_date],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self) -> dict:
        data = super().clean()
        period = data.get("period") or "month"
        if self.errors:
            return data
        if period == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise forms.ValidationError(_("自定义期间须填写开始日期和结束日期。"))
            if start > end:
                raise forms.ValidationError(_("结束日期不能早于开始日期。"))
        else:
            data["start"], data["end"] = period_range(period, data.get("on") or today())
        data["period"] = period
        return data
