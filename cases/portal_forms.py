"""Forms of the enterprise side: registration, invitations, and the account a person chooses."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.forms import SELECT, TEXT, MultipleFileField
from liaison.limits import LONG_TEXT, MESSAGE_TEXT

from . import services
from .choices import ComplaintKind, EnterpriseSize, Industry, Rating
from .forms import CaseNumbersField
from .models import Complaint
from .services.portal import collecting_parties, party_for_credit_code
from .validators import normalize_credit_code, normalize_mobile, validate_credit_code, validate_mobile


class MobileField(forms.CharField):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label", _("手机号码"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={**TEXT, "inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(*args, **kwargs)

    def clean(self, value: object) -> str:
        value = normalize_mobile(super().clean(value) or "")
        validate_mobile(value)
        return value


class RegistrationForm(forms.Form):
    """Who registers for which enterprise, and where it is (the federation that serves it)."""

    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        widget=forms.TextInput(attrs={**TEXT, "autocapitalize": "characters"}),
    )
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=120, widget=forms.TextInput(attrs=TEXT))
    size = forms.ChoiceField(label=_("企业规模"), choices=EnterpriseSize.choices, widget=forms.Select(attrs=SELECT))
    industry = forms.ChoiceField(label=_("所属行业"), choices=Industry.choices, widget=forms.Select(attrs=SELECT))
    full_name = forms.CharField(label=_("姓名"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    mobile = MobileField()
    email = forms.EmailField(
        label=_("电子邮箱"),
        widget=forms.EmailInput(attrs={**TEXT, "autocomplete": "email"}),
        help_text=_("验证码以短信发送至手机号码，同时发送至该邮箱"),
    )
    # Asked only when the credit code's division matches no federation.
    party = forms.ModelChoiceField(
        label=_("企业所在地区"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("未能根据统一社会信用代码确定企业所在地区，请选择服务本企业所在地区的工商联"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # The list shows once the code matched nothing (the person has then chosen or must choose).
        self.ask_party = bool(self.data.get("party")) if self.is_bound else False
        self.fields["party"].queryset = collecting_parties()
        self.fields["party"].label_from_instance = lambda p: (
            f"{p.organization.region or p.organization.name} · {p.organization.short_name or p.organization.name}"
        )

    def clean_credit_code(self) -> str:
        code = normalize_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code

    def clean(self) -> dict:
        data = super().clean()
        if "credit_code" not in data:
            return data
        derived = party_for_credit_code(data["credit_code"])
        if derived is not None:
            data["party"] = derived
            self.ask_party = False
        else:
            self.ask_party = True
            if not data.get("party"):
                self.add_error("party", _("请选择企业所在地区。"))
        return data

    def as_session(self) -> dict:
        d = self.cleaned_data
        return {**{k: d[k] for k in d if k != "party"}, "party": d["party"].pk}


def registration_from_session(stored: dict) -> services.SelfRegistration | None:
    party = collecting_parties().filter(pk=stored.get("party")).first()
    if party is None:
        return None
    return services.SelfRegistration(
        party=party,
        credit_code=stored["credit_code"],
        enterprise_name=stored["enterprise_name"],
        size=stored["size"],
        industry=stored["industry"],
        full_name=stored["full_name"],
        mobile=stored["mobile"],
        email=stored["email"],
    )


class AccountForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"), max_length=150, widget=forms.TextInput(attrs={**TEXT, "autocomplete": "username"})
    )
    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput(attrs={**TEXT, "autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label=_("再次输入密码"), widget=forms.PasswordInput(attrs={**TEXT, "autocomplete": "new-password"})
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("两次输入的密码不一致。"))
        return data

    def account(self) -> services.Account:
        return services.Account(self.cleaned_data["username"].strip(), self.cleaned_data["password"])


class VerifyForm(AccountForm):
    code = forms.CharField(
        label=_("验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={**TEXT, "inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    field_order = ["code", "username", "password", "password_again"]


class InvitationForm(forms.Form):
    full_name = forms.CharField(label=_("联系人姓名"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    mobile = MobileField()
    email = forms.EmailField(label=_("电子邮箱"), widget=forms.EmailInput(attrs=TEXT))


# --- filing online --------------------------------------------------------------------------------


class MatterForm(forms.Form):
    """The enterprise's filing form, one column on a phone."""

    kind = forms.ChoiceField(label=_("诉求类型"), choices=ComplaintKind.choices, widget=forms.Select(attrs=SELECT))
    title = forms.CharField(
        label=_("标题"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("可不填，系统按诉求类型和事实自动生成"),
    )
    facts = forms.CharField(label=_("基本事实"), widget=forms.Textarea(attrs={**TEXT, "rows": 6}), max_length=LONG_TEXT)
    demands = forms.CharField(
        label=_("具体诉求"), widget=forms.Textarea(attrs={**TEXT, "rows": 4}), max_length=LONG_TEXT
    )
    case_numbers = CaseNumbersField(label=_("关联案号"))
    amount_involved = forms.DecimalField(
        label=_("涉案金额（元）"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.01", "inputmode": "decimal"}),
    )
    is_major = forms.BooleanField(
        label=_("重大事项（涉及重大财产权益等，需尽快移送）"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    major_reason = forms.CharField(
        label=_("重大事项理由"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    files = MultipleFileField(label=_("附件（可拍照上传）"))
    confirm_duplicate = forms.BooleanField(label=_("确认不是重复诉求，继续提交"), required=False)

    def __init__(self, *args: object, matter: Complaint | None = None, **kwargs: object) -> None:
        if matter is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "kind": matter.kind,
                "title": matter.title,
                "facts": matter.facts,
                "demands": matter.demands,
                "case_numbers": "\n".join(n.number for n in matter.case_numbers.all()),
                "amount_involved": matter.amount_involved,
                "is_major": matter.is_major,
                "major_reason": matter.major_reason,
            }
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = "image/*,.pdf,.doc,.docx,.xls,.xlsx"

    def clean(self) -> dict:
        data = super().clean()
        if data.get("is_major") and not (data.get("major_reason") or "").strip():
            self.add_error("major_reason", _("重大事项须说明理由。"))
        return data

    @property
    def main_fields(self) -> list:
        return [f for f in self if f.name != "confirm_duplicate"]

    def data_for_service(self) -> services.MatterData:
        d = self.cleaned_data
        return services.MatterData(
            kind=d["kind"],
            title=d.get("title") or "",
            facts=d["facts"],
            demands=d["demands"],
            case_numbers=d["case_numbers"],
            amount_involved=d.get("amount_involved"),
            is_major=bool(d.get("is_major")),
            major_reason=d.get("major_reason") or "",
        )


class MaterialForm(forms.Form):
    note = forms.CharField(
        label=_("补充说明"), widget=forms.Textarea(attrs={**TEXT, "rows": 4}), max_length=2000, required=True
    )
    files = MultipleFileField(label=_("补充材料（可拍照上传）"))


class EnterpriseMessageForm(forms.Form):
    body = forms.CharField(label=_("留言"), widget=forms.Textarea(attrs={**TEXT, "rows": 3}), max_length=MESSAGE_TEXT)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("您对答复的评价"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=MESSAGE_TEXT, widget=forms.Textarea(attrs={**TEXT, "rows": 3})
    )
    ask_reopen = forms.BooleanField(
        label=_("不满意，申请重新办理"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    reopen_reason = forms.CharField(
        label=_("申请重新办理的理由"),
        required=False,
        max_length=MESSAGE_TEXT,
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("ask_reopen"):
            if data.get("rating") != Rating.DISSATISFIED:
                self.add_error("ask_reopen", _("只有“不满意”时才能申请重新办理。"))
            elif not (data.get("reopen_reason") or "").strip():
                self.add_error("reopen_reason", _("请填写申请重新办理的理由。"))
        else:
            data["reopen_reason"] = ""
        return data


class FollowUpForm(forms.Form):
    called_on = forms.DateField(label=_("回访日期"), widget=forms.DateInput(attrs={**TEXT, "type": "date"}))
    person_reached = forms.CharField(label=_("回访对象"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    rating = forms.ChoiceField(label=_("评价"), choices=Rating.choices, widget=forms.Select(attrs=SELECT))
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=MESSAGE_TEXT, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )
