"""Serializers of the mediation API: they shape output and validate input; the views call the services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Enterprise
from liaison import scoping
from liaison.api.common import BlankAsNullURLField
from liaison.api.serializers import OrganizationSerializer, PersonSerializer
from liaison.limits import LONG_TEXT, MESSAGE_TEXT
from liaison.models import Mechanism, Organization, User
from liaison.validators import mask_phone

from .. import selectors, services
from ..choices import (
    MAX_EXTENSION_DAYS,
    CaseSource,
    CheckupKind,
    PartyRole,
    Profession,
    RecommendationKind,
    Specialty,
)
from ..forms import enterprise_choices
from ..models import (
    Admission,
    Checkup,
    Lawyer,
    MediationCase,
    MediationDecline,
    MediationExtension,
    MediationOrganisation,
    MediationParty,
    MediationSession,
    Mediator,
    MediatorLink,
    Pairing,
    Recommendation,
)


def _user(serializer: serializers.Field) -> User | None:
    """The requesting user, or None while the schema is generated (no real request then)."""
    request = serializer.context.get("request")
    if request is None or getattr(serializer.context.get("view"), "swagger_fake_view", False):
        return None
    return request.user


# --- organisations ---------------------------------------------------------------------------------


class AdmissionSerializer(serializers.ModelSerializer):
    court = OrganizationSerializer(read_only=True)

    class Meta:
        model = Admission
        fields = ["id", "court", "mechanism", "document_number", "admitted_on", "is_active"]
        read_only_fields = fields


class MediationOrganisationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name", read_only=True)
    short_name = serializers.CharField(source="organization.short_name", read_only=True)
    organization = serializers.IntegerField(
        source="organization_id", read_only=True, help_text="对应的单位（类型为调解组织）"
    )
    run_by = OrganizationSerializer(read_only=True)
    admissions = AdmissionSerializer(many=True, read_only=True)
    active_mediators = serializers.IntegerField(source="mediator_count", read_only=True)

    class Meta:
        model = MediationOrganisation
        fields = [
            "id",
            "name",
            "short_name",
            "organization",
            "run_by",
            "address",
            "phone",
            "description",
            "admissions",
            "active_mediators",
            "created_at",
        ]
        read_only_fields = fields


class OrganisationWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    short_name = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    run_by = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), help_text="设立单位：本单位或本单位下属的商会、工商联"
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=MESSAGE_TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["run_by"].queryset = selectors.runner_choices(user)

    def as_data(self) -> services.OrganisationData:
        return services.OrganisationData(**self.validated_data)


class AdmitSerializer(serializers.Serializer):
    mechanism = serializers.PrimaryKeyRelatedField(
        queryset=Mechanism.objects.none(), help_text="本院参与的沟通联系机制"
    )
    document_number = serializers.CharField(max_length=60, allow_blank=True, help_text="吸纳文号（必填）")
    admitted_on = serializers.DateField(help_text="吸纳日期")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["mechanism"].queryset = scoping.actionable_mechanisms(user)


# --- mediators -------------------------------------------------------------------------------------


class MediatorFiguresSerializer(serializers.Serializer):
    cases = serializers.IntegerField()
    open_cases = serializers.IntegerField()
    finished = serializers.IntegerField(help_text="办结（达成协议或调解不成）")
    successes = serializers.IntegerField(help_text="达成协议")
    success_rate = serializers.FloatField(allow_null=True, help_text="达成协议÷办结")
    average_days = serializers.FloatField(allow_null=True, help_text="办结案件平均用时（自然日）")
    in_time_rate = serializers.FloatField(allow_null=True, help_text="期限内办结÷办结")


class BriefOrganisationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = MediationOrganisation
        fields = ["id", "name"]
        read_only_fields = fields


class MediatorSerializer(serializers.ModelSerializer):
    """A roster entry; the phone is masked for those who do not need it."""

    court = OrganizationSerializer(read_only=True)
    organisation = BriefOrganisationSerializer(read_only=True)
    profession_display = serializers.CharField(source="get_profession_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    specialties = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    phone_masked = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Mediator
        fields = [
            "id",
            "name",
            "court",
            "organisation",
            "profession",
            "profession_display",
            "specialties",
            "languages",
            "phone",
            "phone_masked",
            "appointment_number",
            "term_start",
            "term_end",
            "status",
            "status_display",
            "status_reason",
            "training_record",
            "takes_paid",
            "fee_standard",
            "user",
            "figures",
        ]
        read_only_fields = fields

    def _may_see(self, mediator: Mediator) -> bool:
        user = _user(self)
        return user is not None and selectors.can_see_phone(user, mediator)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Specialty.choices)))
    def get_specialties(self, mediator: Mediator) -> list[str]:
        return [s.specialty for s in mediator.specialties.all()]

    def get_phone(self, mediator: Mediator) -> str:
        return mediator.phone if self._may_see(mediator) else mask_phone(mediator.phone)

    def get_phone_masked(self, mediator: Mediator) -> bool:
        return not self._may_see(mediator)

    @extend_schema_field(MediatorFiguresSerializer)
    def get_figures(self, mediator: Mediator) -> dict:
        finished = getattr(mediator, "finished", 0)
        return {
            "cases": getattr(mediator, "case_count", 0),
            "open_cases": getattr(mediator, "open_cases", 0),
            "finished": finished,
            "successes": getattr(mediator, "successes", 0),
            "success_rate": mediator.successes / finished if finished else None,
            "average_days": float(mediator.average_days)
            if getattr(mediator, "average_days", None) is not None
            else None,
            "in_time_rate": mediator.finished_in_time / finished if finished else None,
        }


class MediatorWriteSerializer(serializers.Serializer):
    """Input of appointing (all fields) and correcting (PATCH: the fields sent; not the term or the court)."""

    organisation = serializers.PrimaryKeyRelatedField(
        queryset=MediationOrganisation.objects.none(), help_text="调解组织（仅聘任时）"
    )
    court = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), help_text="聘任法院（仅聘任时）")
    term_start = serializers.DateField(help_text="任期开始（仅聘任时；续聘用 renew）")
    term_end = serializers.DateField(help_text="任期届满（仅聘任时；续聘用 renew）")
    name = serializers.CharField(max_length=40)
    profession = serializers.ChoiceField(choices=Profession.choices)
    specialties = serializers.ListField(child=serializers.ChoiceField(choices=Specialty.choices), allow_empty=True)
    languages = serializers.CharField(max_length=100, required=False, default="普通话")
    phone = serializers.CharField(max_length=30)
    appointment_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    training_record = serializers.CharField(required=False, allow_blank=True, default="")
    takes_paid = serializers.BooleanField(required=False, default=False)
    fee_standard = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="收费标准（仅承接有偿调解的填写）"
    )
    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="调解员本人的登录账号",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["organisation"].queryset = selectors.organisation_scope(user)
            self.fields["court"].queryset = Organization.objects.filter(kind="court")
        if self.instance is not None:
            for name in ("organisation", "court", "term_start", "term_end"):
                self.fields.pop(name)

    def as_data(self) -> services.MediatorData:
        values = {k: v for k, v in self.validated_data.items() if k not in ("organisation", "court")}
        mediator = self.instance
        if mediator is not None:
            current = {f: getattr(mediator, f) for f in services.roster.FIELDS}
            current["specialties"] = [s.specialty for s in mediator.specialties.all()]
            current["user"] = mediator.user
            values = {**current, **values}
        return services.MediatorData(**values)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="理由（必填）")


class RenewSerializer(serializers.Serializer):
    term_end = serializers.DateField(help_text="新任期届满日期")
    appointment_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class MediatorLinkSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", default=None, read_only=True)

    class Meta:
        model = MediatorLink
        fields = ["id", "enterprise", "enterprise_name", "party_name", "relation", "recorded_at"]
        read_only_fields = fields


class MediatorLinkWriteSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="关联的企业（本机制登记的企业）",
    )
    party_name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default="", help_text="或当事人名称"
    )
    relation = serializers.CharField(max_length=200, allow_blank=True, help_text="关联关系（必填）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mediator = self.context.get("mediator")
        if mediator is not None:
            self.fields["enterprise"].queryset = Enterprise.objects.filter(mechanism_id=mediator.mechanism_id)


# --- cases -----------------------------------------------------------------------------------------


class PartySerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    phone = serializers.SerializerMethodField()

    class Meta:
        model = MediationParty
        fields = ["id", "role", "role_display", "name", "enterprise", "contact_person", "phone"]
        read_only_fields = fields

    def get_phone(self, party: MediationParty) -> str:
        shown = self.context.get("contacts", {}).get(party.case_id, False)
        return party.phone if shown else mask_phone(party.phone)


class BriefMediatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mediator
        fields = ["id", "name"]
        read_only_fields = fields


class MediationCaseSerializer(serializers.ModelSerializer):
    """A case in lists: everything read from the list query, nothing per row."""

    court = OrganizationSerializer(read_only=True)
    organisation = BriefOrganisationSerializer(read_only=True)
    mediator = BriefMediatorSerializer(read_only=True, allow_null=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    dispute_type_display = serializers.CharField(source="get_dispute_type_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    confirmation_display = serializers.CharField(source="get_confirmation_display", read_only=True)
    parties = serializers.SerializerMethodField()

    class Meta:
        model = MediationCase
        fields = [
            "id",
            "serial",
            "mechanism",
            "court",
            "organisation",
            "source",
            "source_display",
            "case_number",
            "dispute_type",
            "dispute_type_display",
            "title",
            "amount",
            "status",
            "status_display",
            "confirmation",
            "confirmation_display",
            "mediator",
            "parties",
            "referred_at",
            "time_limit_days",
            "due_date",
            "extended_days",
            "assigned_at",
            "accepted_at",
            "started_at",
            "closed_on",
            "duration_days",
            "in_time",
        ]
        read_only_fields = fields

    @extend_schema_field(PartySerializer(many=True))
    def get_parties(self, case: MediationCase) -> list[dict]:
        user = _user(self)
        contacts = self.context.setdefault("contacts", {})
        if case.pk not in contacts:
            contacts[case.pk] = user is not None and selectors.can_see_party_contacts(user, case)
        return PartySerializer(case.parties.all(), many=True, context=self.context).data


class SessionSerializer(serializers.ModelSerializer):
    created_by = PersonSerializer(read_only=True)
    online_link = BlankAsNullURLField(help_text="在线调解链接；没有时为 null")

    class Meta:
        model = MediationSession
        fields = ["id", "scheduled_at", "place", "online_link", "notes", "created_by", "created_at"]
        read_only_fields = fields


class ExtensionSerializer(serializers.ModelSerializer):
    recorded_by = PersonSerializer(read_only=True)

    class Meta:
        model = MediationExtension
        fields = [
            "id",
            "days",
            "reason",
            "applicant_consent",
            "respondent_consent",
            "consent_note",
            "old_due",
            "new_due",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class DeclineSerializer(serializers.ModelSerializer):
    mediator = BriefMediatorSerializer(read_only=True)

    class Meta:
        model = MediationDecline
        fields = ["id", "mediator", "reason", "declined_at"]
        read_only_fields = fields


class MediationCaseDetailSerializer(MediationCaseSerializer):
    """One case, with its outcome, extensions, declines and the actions open to the user."""

    allowed_actions = serializers.SerializerMethodField(
        help_text="当前用户现在可以办理的操作（与操作接口对应：request_confirmation → request-confirmation/；"
        "session → sessions/（POST））"
    )
    extensions = ExtensionSerializer(many=True, read_only=True)
    declines = DeclineSerializer(many=True, read_only=True)

    class Meta(MediationCaseSerializer.Meta):
        fields = [
            *MediationCaseSerializer.Meta.fields,
            "description",
            "agreement_text",
            "agreement_amount",
            "failure_reason",
            "withdrawal_reason",
            "confirmation_note",
            "confirmation_requested_at",
            "confirmation_decided_at",
            "closed_at",
            "extensions",
            "declines",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, case: MediationCase) -> list[str]:
        user = _user(self)
        return services.allowed_actions(user, case) if user is not None else []


class PartyWriteSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default="", help_text="名称或姓名（关联企业的可省略）"
    )
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="已登记的企业（用于回避审查）",
    )
    contact_person = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class CaseWriteSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=CaseSource.choices)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=MediationOrganisation.objects.none(), help_text="调解组织（须为该法院的特邀调解组织）"
    )
    court = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), help_text="法院")
    case_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="", help_text="案号（仅委托调解）"
    )
    dispute_type = serializers.ChoiceField(choices=Specialty.choices)
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(allow_blank=True, max_length=LONG_TEXT)
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    parties = PartyWriteSerializer(many=True, help_text="至少一位申请人和一位被申请人")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            admissions = selectors.referable(user)
            self.fields["organisation"].queryset = MediationOrganisation.objects.filter(
                pk__in=admissions.values("organisation")
            )
            self.fields["court"].queryset = Organization.objects.filter(pk__in=admissions.values("court"))
            # Parties may be linked only to enterprises the user may choose (as on the form).
            self.fields["parties"].child.fields["enterprise"].queryset = enterprise_choices(user, admissions)

    def as_data(self) -> services.CaseData:
        d = dict(self.validated_data)
        parties = [services.PartyData(**p) for p in d.pop("parties")]
        return services.CaseData(parties=parties, **d)


class _CourtMediatorField(serializers.PrimaryKeyRelatedField):
    """A mediator of the case's court (the case comes in the context)."""

    default_error_messages = {
        "does_not_exist": gettext_lazy("请从本案法院的特邀调解员名册中选择调解员。"),
        "incorrect_type": gettext_lazy("请从本案法院的特邀调解员名册中选择调解员。"),
    }

    def get_queryset(self) -> QuerySet:
        case = self.context.get("case")
        queryset = super().get_queryset()
        return queryset.filter(court_id=case.court_id) if case else queryset.none()


class AssignSerializer(serializers.Serializer):
    mediator = _CourtMediatorField(queryset=Mediator.objects.all(), help_text="调解员（见 candidates/ 的推荐）")


class SessionWriteSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField(help_text="调解时间")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    online_link = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="在线调解链接（https://…）；地点和链接至少填一项",
    )
    notes = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT, help_text="调解记录"
    )


class AgreementSerializer(serializers.Serializer):
    agreement_text = serializers.CharField(allow_blank=True, max_length=LONG_TEXT, help_text="调解协议内容（必填）")
    agreement_amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )


class ExtensionWriteSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=MAX_EXTENSION_DAYS, help_text="延长天数（自然日）")
    reason = serializers.CharField(allow_blank=True)
    applicant_consent = serializers.BooleanField(help_text="申请人已同意")
    respondent_consent = serializers.BooleanField(help_text="被申请人已同意")
    consent_note = serializers.CharField(max_length=200, allow_blank=True, help_text="同意方式，如书面同意书")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ConfirmationDecisionSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField(help_text="true 确认，false 不予确认（须写明理由）")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CandidateSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    mediator = BriefMediatorSerializer(read_only=True)
    organisation = serializers.CharField(source="mediator.organisation.name")
    specialty_match = serializers.BooleanField()
    open_cases = serializers.IntegerField()
    finished = serializers.IntegerField()
    successes = serializers.IntegerField()
    success_rate = serializers.FloatField(allow_null=True)
    explanation = serializers.CharField()


class ExcludedSerializer(serializers.Serializer):
    mediator = BriefMediatorSerializer(read_only=True)
    organisation = serializers.CharField(source="mediator.organisation.name")
    reasons = serializers.ListField(child=serializers.CharField())


class RankingSerializer(serializers.Serializer):
    candidates = CandidateSerializer(many=True)
    excluded = ExcludedSerializer(many=True)


class MediationFiguresSerializer(serializers.Serializer):
    """Mediation figures of the range (see `mediation.figures.mediation_figures`)."""

    mechanism = serializers.IntegerField(allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()
    referred = serializers.IntegerField(help_text="期间委派（受理）的案件")
    finished = serializers.IntegerField(help_text="期间办结（达成协议或调解不成）的案件")
    agreements = serializers.IntegerField(help_text="其中达成协议")
    failures = serializers.IntegerField(help_text="其中调解不成")
    withdrawn = serializers.IntegerField(help_text="期间撤回（不计入成功率）")
    success_rate = serializers.FloatField(allow_null=True, help_text="调解成功率（0–1）")
    average_days = serializers.FloatField(allow_null=True, help_text="平均用时（日）")
    in_time = serializers.IntegerField(help_text="期限内办结")
    in_time_share = serializers.FloatField(allow_null=True, help_text="期限内办结率（0–1）")


class RecommendationAppointSerializer(serializers.Serializer):
    term_start = serializers.DateField(help_text="任期开始")
    term_end = serializers.DateField(help_text="任期届满")
    appointment_number = serializers.CharField(max_length=60, allow_blank=True, help_text="任命文号（必填）")


class RecommendationSerializer(serializers.ModelSerializer):
    """A recommended person and what became of the recommendation; the phone is masked for readers from above."""

    mechanism = serializers.PrimaryKeyRelatedField(read_only=True)
    recommender = OrganizationSerializer(read_only=True)
    receiver = OrganizationSerializer(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    phone = serializers.SerializerMethodField()
    mediator = serializers.PrimaryKeyRelatedField(read_only=True, help_text="列入名册的特邀调解员")
    mediation_organisation = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "mechanism",
            "kind",
            "kind_display",
            "recommender",
            "receiver",
            "name",
            "phone",
            "employer",
            "position",
            "profession",
            "specialties",
            "mediation_organisation",
            "reasons",
            "status",
            "status_display",
            "filed_at",
            "decision_due",
            "decided_at",
            "decline_reason",
            "appointment_number",
            "term_start",
            "term_end",
            "end_reason",
            "ended_at",
            "mediator",
        ]
        read_only_fields = fields

    def get_phone(self, recommendation: Recommendation) -> str:
        user = _user(self)
        if user is not None and selectors.can_see_candidate_phone(user, recommendation):
            return recommendation.phone
        return mask_phone(recommendation.phone)


class RecommendationWriteSerializer(serializers.Serializer):
    """Filing a candidate (the recommending party)."""

    mechanism = serializers.PrimaryKeyRelatedField(queryset=Mechanism.objects.none())
    kind = serializers.ChoiceField(choices=RecommendationKind.choices)
    receiver = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), help_text="接收单位")
    name = serializers.CharField(max_length=40)
    phone = serializers.CharField(max_length=30)
    employer = serializers.CharField(max_length=100)
    position = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    profession = serializers.ChoiceField(choices=Profession.choices, required=False, allow_blank=True, default="")
    specialties = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="专长（特邀调解员以外必填）"
    )
    mediator_specialties = serializers.ListField(
        child=serializers.ChoiceField(choices=Specialty.choices),
        required=False,
        default=list,
        help_text="调解专长领域（推荐特邀调解员时必填）",
    )
    mediation_organisation = serializers.PrimaryKeyRelatedField(
        queryset=MediationOrganisation.objects.all(), required=False, allow_null=True, default=None
    )
    reasons = serializers.CharField(max_length=LONG_TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["mechanism"].queryset = services.recommending_mechanisms(user)
            self.fields["receiver"].queryset = scoping.visible_organizations(user)

    def as_data(self) -> services.CandidateData:
        values = {k: v for k, v in self.validated_data.items() if k != "mechanism"}
        return services.CandidateData(**values)


class CheckupAssignSerializer(serializers.Serializer):
    pairing = serializers.PrimaryKeyRelatedField(queryset=Pairing.objects.all(), help_text="结对（律所与商会）")
    lawyer = serializers.PrimaryKeyRelatedField(
        queryset=Lawyer.objects.all(), required=False, allow_null=True, default=None, help_text="承办律师"
    )


class CheckupReportSerializer(serializers.Serializer):
    findings = serializers.CharField(max_length=LONG_TEXT, allow_blank=True, help_text="发现的问题（必填）")
    advice = serializers.CharField(max_length=LONG_TEXT, allow_blank=True, help_text="法律建议（必填）")


class PairingRenewSerializer(serializers.Serializer):
    term_end = serializers.DateField(help_text="新的届满日期")


class CheckupSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    firm = serializers.SerializerMethodField()

    class Meta:
        model = Checkup
        fields = [
            "id",
            "mechanism",
            "chamber",
            "kind",
            "kind_display",
            "enterprise_name",
            "subject",
            "description",
            "status",
            "status_display",
            "filed_at",
            "assign_due",
            "pairing",
            "firm",
            "lawyer",
            "report_due",
            "findings",
            "advice",
            "reported_at",
            "in_time",
            "confirmed_at",
        ]
        read_only_fields = fields

    def get_firm(self, checkup: Checkup) -> str:
        return checkup.pairing.firm.name if checkup.pairing_id else ""


class CheckupWriteSerializer(serializers.Serializer):
    """Filing a request (a chamber paired with a firm)."""

    mechanism = serializers.PrimaryKeyRelatedField(queryset=Mechanism.objects.none())
    kind = serializers.ChoiceField(choices=CheckupKind.choices, default=CheckupKind.CHECKUP)
    enterprise_name = serializers.CharField(max_length=120)
    contact_person = serializers.CharField(max_length=40)
    contact_phone = serializers.CharField(max_length=30)
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["mechanism"].queryset = services.filing_chambers(user)

    def as_data(self) -> services.CheckupData:
        return services.CheckupData(**{k: v for k, v in self.validated_data.items() if k != "mechanism"})


class PairingSerializer(serializers.ModelSerializer):
    firm = OrganizationSerializer(read_only=True)
    chamber = OrganizationSerializer(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Pairing
        fields = [
            "id",
            "mechanism",
            "firm",
            "chamber",
            "term_start",
            "term_end",
            "firm_contact",
            "chamber_contact",
            "services",
            "status",
            "status_display",
            "end_reason",
        ]
        read_only_fields = fields


class LawyerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lawyer
        fields = ["id", "firm", "name", "phone", "license_number", "specialties", "is_active"]
        read_only_fields = fields


class LawyerWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=40, help_text="姓名")
    phone = serializers.CharField(max_length=30, help_text="联系电话")
    license_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    specialties = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class _CheckupCountsSerializer(serializers.Serializer):
    requests = serializers.IntegerField(help_text="分派给律所的申请")
    reported = serializers.IntegerField(help_text="已出具报告")
    on_time = serializers.IntegerField(help_text="按期出具报告")
    enterprises = serializers.IntegerField(help_text="服务企业（已出具报告的企业，按名称去重）")


class CheckupPairingFiguresSerializer(_CheckupCountsSerializer):
    pairing = serializers.IntegerField()
    firm = serializers.CharField()
    chamber = serializers.CharField()


class CheckupFirmFiguresSerializer(_CheckupCountsSerializer):
    firm = serializers.IntegerField()
    name = serializers.CharField()


class CheckupFiguresSerializer(serializers.Serializer):
    pairings = CheckupPairingFiguresSerializer(many=True)
    firms = CheckupFirmFiguresSerializer(many=True)
