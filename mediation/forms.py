"""Forms of the mediation pages: they parse input; the services decide.

Clean methods only turn text into what the services take and report what cannot be parsed;
whether an action is allowed, and whether values fit together, is decided by the services (their
refusals are put next to the field they name).
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Enterprise
from liaison import scoping
from liaison.choices import Role
from liaison.forms import SELECT, TEXT, apply_refusal, style_filter_form  # noqa: F401  (re-exported for the views)
from liaison.models import User

from . import selectors, services
from .choices import MAX_EXTENSION_DAYS, CaseSource, PartyRole, Profession, Specialty
from .models import Admission, Lawyer, MediationCase, Mediator

DATE = forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d")
CHECK = {"class": "form-check-input"}


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={**TEXT, "rows": rows})


# --- organisations ---------------------------------------------------------------------------------


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("调解组织名称"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    short_name = forms.CharField(label=_("简称"), max_length=30, required=False, widget=forms.TextInput(attrs=TEXT))
    run_by = forms.ModelChoiceField(label=_("设立单位"), queryset=None, widget=forms.Select(attrs=SELECT))
    address = forms.CharField(label=_("地址"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(label=_("简介"), required=False, widget=_textarea(3), max_length=5000)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run_by"].queryset = selectors.runner_choices(user)

    def data_for_service(self) -> services.OrganisationData:
        d = self.cleaned_data
        return services.OrganisationData(
            name=d["name"],
            run_by=d["run_by"],
            short_name=d["short_name"],
            address=d["address"],
            phone=d["phone"],
            description=d["description"],
        )


class AdmitForm(forms.Form):
    mechanism = forms.ModelChoiceField(label=_("沟通联系机制"), queryset=None, widget=forms.Select(attrs=SELECT))
    document_number = forms.CharField(
        label=_("吸纳文号"), max_length=60, widget=forms.TextInput(attrs=TEXT), help_text=_("例如：洛中法〔2021〕88号")
    )
    admitted_on = forms.DateField(label=_("吸纳日期"), widget=DATE)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        mechanisms = scoping.actionable_mechanisms(user).order_by("name")
        self.fields["mechanism"].queryset = mechanisms
        only = list(mechanisms[:2])
        if len(only) == 1:
            self.fields["mechanism"].initial = only[0].pk
            self.fields["mechanism"].empty_label = None


# --- the roster ------------------------------------------------------------------------------------


class MediatorForm(forms.Form):
    admission = forms.ModelChoiceField(label=_("调解组织 · 聘任法院"), queryset=None, widget=forms.Select(attrs=SELECT))
    name = forms.CharField(label=_("姓名"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    profession = forms.ChoiceField(label=_("职业"), choices=Profession.choices, widget=forms.Select(attrs=SELECT))
    specialties = forms.MultipleChoiceField(
        label=_("专长领域"), choices=Specialty.choices, widget=forms.CheckboxSelectMultiple(attrs=CHECK), required=False
    )
    languages = forms.CharField(
        label=_("工作语言"),
        max_length=100,
        initial="普通话",
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("多种语言以顿号分隔，如：普通话、英语、粤语"),
    )
    phone = forms.CharField(label=_("联系电话"), max_length=30, widget=forms.TextInput(attrs=TEXT))
    appointment_number = forms.CharField(
        label=_("聘任文号"), max_length=60, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    term_start = forms.DateField(label=_("任期开始"), widget=DATE)
    term_end = forms.DateField(label=_("任期届满"), widget=DATE)
    training_record = forms.CharField(label=_("培训记录"), required=False, widget=_textarea(3), max_length=5000)
    takes_paid = forms.BooleanField(label=_("承接有偿调解"), required=False, widget=forms.CheckboxInput(attrs=CHECK))
    fee_standard = forms.CharField(
        label=_("收费标准"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("仅承接有偿调解的填写"),
    )
    user = forms.ModelChoiceField(
        label=_("登录账号"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("调解员本人的账号，用于接受指派和记录调解"),
    )

    def __init__(self, *args: object, user: User, mediator: Mediator | None = None, **kwargs: object) -> None:
        if mediator is not None and not kwargs.get("initial"):
            kwargs["initial"] = {f: getattr(mediator, f) for f in services.roster.FIELDS}
            kwargs["initial"]["specialties"] = [s.specialty for s in mediator.specialties.all()]
            kwargs["initial"]["user"] = mediator.user_id
        super().__init__(*args, **kwargs)
        self.mediator = mediator
        if mediator is not None:
            # The organisation, the court and the term are fixed; the term moves by renewal.
            for name in ("admission", "term_start", "term_end"):
                del self.fields[name]
        else:
            admissions = services.appointable(user)
            self.fields["admission"].queryset = (
                Admission.objects.filter(pk__in=[a.pk for a in admissions])
                .select_related("organisation__organization", "court")
                .order_by("court__name")
            )
            self.fields["admission"].label_from_instance = lambda a: f"{a.organisation.name} · {a.court.name}"
            if len(admissions) == 1:
                self.fields["admission"].initial = admissions[0].pk
                self.fields["admission"].empty_label = None
        # The mediator's own account: a user with the mediator role on the organisation's side.
        if mediator is not None:
            sides = {mediator.organisation.organization_id, mediator.organisation.run_by_id}
        else:
            sides = {o for a in admissions for o in (a.organisation.organization_id, a.organisation.run_by_id)}
        accounts = User.objects.filter(is_active=True, role_assignments__role=Role.MEDIATOR, organization_id__in=sides)
        self.fields["user"].queryset = accounts.distinct().order_by("full_name", "username")
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"

    def data_for_service(self) -> services.MediatorData:
        d = self.cleaned_data
        term_start = d.get("term_start") or (self.mediator.term_start if self.mediator else None)
        term_end = d.get("term_end") or (self.mediator.term_end if self.mediator else None)
        return services.MediatorData(
            name=d["name"],
            profession=d["profession"],
            phone=d["phone"],
            term_start=term_start,
            term_end=term_end,
            specialties=d["specialties"],
            languages=d["languages"],
            appointment_number=d["appointment_number"],
            training_record=d["training_record"],
            takes_paid=d["takes_paid"],
            fee_standard=d["fee_standard"],
            user=d.get("user"),
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=_textarea(2), max_length=2000)


class EmptyActionForm(forms.Form):
    """An action that takes no input: the button is the form."""


class RenewForm(forms.Form):
    term_end = forms.DateField(label=_("新任期届满日期"), widget=DATE)
    appointment_number = forms.CharField(
        label=_("续聘文号"), max_length=60, required=False, widget=forms.TextInput(attrs=TEXT)
    )


class LinkForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("企业"), queryset=None, required=False, widget=forms.Select(attrs=SELECT)
    )
    party_name = forms.CharField(
        label=_("或当事人名称"), max_length=120, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    relation = forms.CharField(
        label=_("关联关系"),
        max_length=200,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("如：担任该企业常年法律顾问"),
    )

    def __init__(self, *args: object, mediator: Mediator, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(mechanism_id=mediator.mechanism_id).order_by(
            "name"
        )


# --- cases -----------------------------------------------------------------------------------------


def enterprise_choices(user: User, admissions: QuerySet[Admission]) -> QuerySet[Enterprise]:
    """Enterprises a party may be linked to: the court side sees its mechanisms' register; a chamber's
    organisation side its own members in the admitting mechanisms."""
    mechanisms = {a.mechanism_id for a in admissions}
    rows = Enterprise.objects.filter(mechanism_id__in=mechanisms)
    court_side = {a.mechanism_id for a in admissions if a.court_id == user.organization_id}
    if court_side:
        return rows.filter(mechanism_id__in=court_side).order_by("name")
    return (
        rows.filter(chambers__in=[user.organization_id, *[a.organisation.run_by_id for a in admissions]])
        .distinct()
        .order_by("name")
    )


class CaseForm(forms.Form):
    admission = forms.ModelChoiceField(label=_("法院 · 调解组织"), queryset=None, widget=forms.Select(attrs=SELECT))
    source = forms.ChoiceField(label=_("来源"), choices=CaseSource.choices, widget=forms.Select(attrs=SELECT))
    case_number = forms.CharField(
        label=_("案号"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("仅委托调解（立案后）填写，例如：（2026）豫03民初123号"),
    )
    dispute_type = forms.ChoiceField(label=_("纠纷类型"), choices=Specialty.choices, widget=forms.Select(attrs=SELECT))
    title = forms.CharField(label=_("案由"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(label=_("纠纷概况"), widget=_textarea(5), max_length=20000)
    amount = forms.DecimalField(
        label=_("标的额（元）"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        admissions = selectors.referable(user)
        self.admissions = admissions
        self.fields["admission"].queryset = admissions
        self.fields["admission"].label_from_instance = lambda a: f"{a.court.name} · {a.organisation.name}"
        only = list(admissions[:2])
        if len(only) == 1:
            self.fields["admission"].initial = only[0].pk
            self.fields["admission"].empty_label = None
        # The referring court of an admission delegates by default; an organisation's side takes applications.
        refers = any(a.court_id == user.organization_id for a in admissions)
        self.fields["source"].initial = CaseSource.DELEGATED if refers else CaseSource.CHAMBER


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("地位"), choices=PartyRole.choices, widget=forms.Select(attrs=SELECT))
    name = forms.CharField(label=_("名称或姓名"), max_length=120, required=False, widget=forms.TextInput(attrs=TEXT))
    enterprise = forms.ModelChoiceField(
        label=_("关联企业"), queryset=Enterprise.objects.none(), required=False, widget=forms.Select(attrs=SELECT)
    )
    contact_person = forms.CharField(
        label=_("联系人"), max_length=40, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args: object, enterprises: QuerySet[Enterprise] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if enterprises is not None:
            self.fields["enterprise"].queryset = enterprises

    def as_party(self) -> services.PartyData | None:
        d = self.cleaned_data
        if not (d.get("name") or "").strip() and d.get("enterprise") is None:
            return None
        return services.PartyData(
            role=d["role"],
            name=d.get("name") or "",
            enterprise=d.get("enterprise"),
            contact_person=d.get("contact_person") or "",
            phone=d.get("phone") or "",
        )


PartyFormSet = forms.formset_factory(PartyForm, extra=0, min_num=4, max_num=8)
PARTY_INITIAL = [
    {"role": PartyRole.APPLICANT},
    {"role": PartyRole.APPLICANT},
    {"role": PartyRole.RESPONDENT},
    {"role": PartyRole.RESPONDENT},
]


def party_formset(data: object, user: User, admissions: QuerySet[Admission]) -> forms.BaseFormSet:
    enterprises = enterprise_choices(user, admissions)
    formset = PartyFormSet(data, prefix="parties", initial=PARTY_INITIAL, form_kwargs={"enterprises": enterprises})
    return formset


class AssignForm(forms.Form):
    mediator = forms.ModelChoiceField(label=_("调解员"), queryset=None, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args: object, case: MediationCase, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Any active mediator of the court may be chosen here; the service refuses the excluded ones
        # and says why (the ranking on the page shows the same reasons).
        self.fields["mediator"].queryset = Mediator.objects.filter(court_id=case.court_id, status="active").order_by(
            "name"
        )


class SessionForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("调解时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT))
    online_link = forms.CharField(
        label=_("在线调解链接"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("如在人民法院调解平台进行，填写会议链接"),
    )
    notes = forms.CharField(
        label=_("调解记录"),
        required=False,
        widget=_textarea(3),
        max_length=20000,
        help_text=_("已进行的调解，记录双方意见和进展"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["scheduled_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class AgreementForm(forms.Form):
    agreement_text = forms.CharField(label=_("调解协议内容"), widget=_textarea(5), max_length=20000)
    agreement_amount = forms.DecimalField(
        label=_("协议金额（元）"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
    )


class ExtensionForm(forms.Form):
    days = forms.IntegerField(
        label=_("延长天数"), min_value=1, max_value=MAX_EXTENSION_DAYS, widget=forms.NumberInput(attrs=TEXT)
    )
    reason = forms.CharField(label=_("延长理由"), widget=_textarea(2), max_length=2000)
    applicant_consent = forms.BooleanField(
        label=_("申请人同意延长"), required=False, widget=forms.CheckboxInput(attrs=CHECK)
    )
    respondent_consent = forms.BooleanField(
        label=_("被申请人同意延长"), required=False, widget=forms.CheckboxInput(attrs=CHECK)
    )
    consent_note = forms.CharField(
        label=_("同意方式"),
        max_length=200,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("如：双方当事人签署书面同意书"),
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), widget=_textarea(2), max_length=2000, required=False)


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("不予确认的理由"), widget=_textarea(2), max_length=2000)


# --- recommendations -------------------------------------------------------------------------------


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Zero or more files; the service checks each by content before anything is saved."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"class": "form-control"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(_MultipleFileField, self).clean(f, initial) for f in files]


class RecommendationForm(forms.Form):
    """A candidate filed by the recommending party."""

    mechanism = forms.ModelChoiceField(label=_("机制"), queryset=None, widget=forms.Select(attrs=SELECT))
    kind = forms.ChoiceField(label=_("推荐类别"), widget=forms.Select(attrs=SELECT))
    receiver = forms.ModelChoiceField(label=_("接收单位"), queryset=None, widget=forms.Select(attrs=SELECT))
    name = forms.CharField(label=_("姓名"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    phone = forms.CharField(label=_("联系电话"), max_length=30, widget=forms.TextInput(attrs=TEXT))
    employer = forms.CharField(label=_("工作单位"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    position = forms.CharField(label=_("职务"), max_length=60, required=False, widget=forms.TextInput(attrs=TEXT))
    profession = forms.ChoiceField(
        label=_("职业"), required=False, choices=[("", "—"), *Profession.choices], widget=forms.Select(attrs=SELECT)
    )
    specialties = forms.CharField(
        label=_("专长"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("多项以顿号分隔，如：财税、企业管理"),
    )
    mediation_organisation = forms.ModelChoiceField(
        label=_("所在调解组织"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("推荐特邀调解员时必填"),
    )
    mediator_specialties = forms.MultipleChoiceField(
        label=_("调解专长领域"),
        choices=Specialty.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("推荐特邀调解员时至少选择一项"),
    )
    reasons = forms.CharField(label=_("推荐理由"), widget=_textarea(4), max_length=5000)
    files = _MultipleFileField(label=_("附件（简历、本人同意书等）"))

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        from .choices import RecommendationKind
        from .models import MediationOrganisation

        super().__init__(*args, **kwargs)
        mechanisms = services.recommending_mechanisms(user)
        self.fields["mechanism"].queryset = mechanisms
        self.fields["kind"].choices = RecommendationKind.choices
        from liaison.choices import HANDLING_SIDES
        from liaison.models import Organization

        self.fields["receiver"].queryset = (
            Organization.objects.filter(
                mechanism_parties__mechanism__in=mechanisms.values("pk"), mechanism_parties__side__in=HANDLING_SIDES
            )
            .exclude(pk=user.organization_id)
            .distinct()
            .order_by("name")
        )
        self.fields["mediation_organisation"].queryset = (
            MediationOrganisation.objects.filter(
                admissions__mechanism__in=mechanisms.values("pk"), admissions__is_active=True
            )
            .distinct()
            .select_related("organization")
        )
        if mechanisms.count() == 1:
            self.fields["mechanism"].initial = mechanisms.first()

    def data_for_service(self) -> services.CandidateData:
        d = self.cleaned_data
        return services.CandidateData(
            kind=d["kind"],
            receiver=d["receiver"],
            name=d["name"],
            phone=d["phone"],
            employer=d["employer"],
            position=d["position"],
            profession=d["profession"],
            specialties=d["specialties"],
            mediator_specialties=d["mediator_specialties"],
            mediation_organisation=d["mediation_organisation"],
            reasons=d["reasons"],
            files=d.get("files") or [],
        )


class RecommendationAppointForm(forms.Form):
    term_start = forms.DateField(label=_("任期开始"), widget=DATE)
    term_end = forms.DateField(label=_("任期届满"), widget=DATE)
    appointment_number = forms.CharField(label=_("任命文号"), max_length=60, widget=forms.TextInput(attrs=TEXT))


# --- law firms, pairings and legal check-ups ---------------------------------------------------------


class CheckupForm(forms.Form):
    mechanism = forms.ModelChoiceField(label=_("机制"), queryset=None, widget=forms.Select(attrs=SELECT))
    kind = forms.ChoiceField(label=_("服务类型"), widget=forms.Select(attrs=SELECT))
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=120, widget=forms.TextInput(attrs=TEXT))
    contact_person = forms.CharField(label=_("企业联系人"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, widget=forms.TextInput(attrs=TEXT))
    subject = forms.CharField(label=_("需求事项"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    description = forms.CharField(label=_("需求说明"), required=False, widget=_textarea(4), max_length=5000)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        from .choices import CheckupKind

        super().__init__(*args, **kwargs)
        mechanisms = services.filing_chambers(user).order_by("name")
        self.fields["mechanism"].queryset = mechanisms
        self.fields["kind"].choices = CheckupKind.choices
        if mechanisms.count() == 1:
            self.fields["mechanism"].initial = mechanisms.first()

    def data_for_service(self) -> services.CheckupData:
        d = self.cleaned_data
        return services.CheckupData(
            kind=d["kind"],
            enterprise_name=d["enterprise_name"],
            contact_person=d["contact_person"],
            contact_phone=d["contact_phone"],
            subject=d["subject"],
            description=d["description"],
        )


class CheckupAssignForm(forms.Form):
    pairing = forms.ModelChoiceField(label=_("结对律所"), queryset=None, widget=forms.Select(attrs=SELECT))
    lawyer = forms.ModelChoiceField(
        label=_("承办律师"), queryset=None, required=False, widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args: object, checkup: object, **kwargs: object) -> None:
        from .choices import PairingStatus
        from .models import Lawyer, Pairing

        super().__init__(*args, **kwargs)
        pairings = Pairing.objects.filter(
            chamber_id=checkup.chamber_id,  # type: ignore[attr-defined]
            mechanism_id=checkup.mechanism_id,  # type: ignore[attr-defined]
            status=PairingStatus.ACTIVE,
        ).select_related("firm")
        self.fields["pairing"].queryset = pairings
        self.fields["pairing"].label_from_instance = lambda p: p.firm.name
        self.fields["lawyer"].queryset = Lawyer.objects.filter(
            firm_id__in=pairings.values("firm"), is_active=True
        ).select_related("firm")
        self.fields["lawyer"].label_from_instance = lambda lawyer: f"{lawyer.name}（{lawyer.firm.name}）"


class CheckupVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE)
    lawyers = forms.CharField(label=_("走访律师"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    notes = forms.CharField(label=_("走访记录"), widget=_textarea(3), max_length=5000)


class CheckupReportForm(forms.Form):
    findings = forms.CharField(label=_("发现的问题"), widget=_textarea(4), max_length=5000)
    advice = forms.CharField(label=_("法律建议"), widget=_textarea(4), max_length=5000)


class PairingRenewForm(forms.Form):
    term_end = forms.DateField(label=_("新的届满日期"), widget=DATE)


class PairingForm(forms.Form):
    """The justice bureau pairs a law firm with a chamber of its mechanism."""

    mechanism = forms.ModelChoiceField(label=_("机制"), queryset=None, widget=forms.Select(attrs=SELECT))
    firm = forms.ModelChoiceField(label=_("律师事务所"), queryset=None, widget=forms.Select(attrs=SELECT))
    chamber = forms.ModelChoiceField(label=_("商会"), queryset=None, widget=forms.Select(attrs=SELECT))
    term_start = forms.DateField(label=_("结对开始"), widget=DATE)
    term_end = forms.DateField(label=_("结对届满"), widget=DATE)
    firm_lawyer = forms.ModelChoiceField(
        label=_("从律师名单选择律所联系人"),
        queryset=Lawyer.objects.none(),
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("选择后，律所联系人和联系电话取该律师的登记信息。"),
    )
    firm_contact = forms.CharField(
        label=_("律所联系人"), max_length=40, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    firm_phone = forms.CharField(
        label=_("律所联系电话"), max_length=30, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    chamber_contact = forms.CharField(label=_("商会联系人"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    chamber_phone = forms.CharField(label=_("商会联系电话"), max_length=30, widget=forms.TextInput(attrs=TEXT))
    services = forms.CharField(label=_("约定服务"), widget=_textarea(3), max_length=5000)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        from liaison.models import Organization

        super().__init__(*args, **kwargs)
        mechanisms = services.pairing_mechanisms(user)
        self.fields["mechanism"].queryset = mechanisms
        parties = Organization.objects.filter(mechanism_parties__mechanism__in=mechanisms.values("pk")).distinct()
        self.fields["firm"].queryset = parties.filter(kind="law_firm").order_by("name")
        self.fields["chamber"].queryset = parties.filter(kind__in=["chamber", "federation"]).order_by("name")
        lawyers = Lawyer.objects.filter(firm__in=self.fields["firm"].queryset, is_active=True).select_related("firm")
        self.fields["firm_lawyer"].queryset = lawyers.order_by("firm__name", "name")
        self.fields["firm_lawyer"].label_from_instance = lambda lawyer: f"{lawyer.name}（{lawyer.firm.name}）"
        if mechanisms.count() == 1:
            self.fields["mechanism"].initial = mechanisms.first()

    def clean(self) -> dict:
        data = super().clean() or {}
        lawyer = data.get("firm_lawyer")
        if lawyer is not None:
            if data.get("firm") is not None and lawyer.firm_id != data["firm"].pk:
                self.add_error("firm_lawyer", _("所选律师不属于该律师事务所。"))
            else:
                data["firm_contact"], data["firm_phone"] = lawyer.name, lawyer.phone
        return data

    def data_for_service(self) -> services.PairingData:
        d = self.cleaned_data
        return services.PairingData(
            firm=d["firm"],
            chamber=d["chamber"],
            term_start=d["term_start"],
            term_end=d["term_end"],
            firm_contact=d["firm_contact"],
            firm_phone=d["firm_phone"],
            chamber_contact=d["chamber_contact"],
            chamber_phone=d["chamber_phone"],
            services=d["services"],
        )


class LawyerForm(forms.Form):
    """A lawyer of a law firm, listed by the justice bureau or the firm itself."""

    name = forms.CharField(label=_("姓名"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    phone = forms.CharField(label=_("联系电话"), max_length=30, widget=forms.TextInput(attrs=TEXT))
    license_number = forms.CharField(
        label=_("执业证号"), max_length=40, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    specialties = forms.CharField(
        label=_("专业领域"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
