"""Serializers of the cases API: they shape output and validate input; the views call the services."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from liaison import attachments, scoping
from liaison.api.serializers import ChoiceLabelField, DepartmentSerializer, OrganizationSerializer, PersonSerializer
from liaison.deadlines import due_status_of, today
from liaison.models import Attachment, Department, Mechanism, Organization, User
from liaison.workdays import WorkingCalendar
from meetings.api.serializers import ItemFiguresSerializer

from .. import selectors, services
from ..choices import ComplaintKind, ComplaintStatus, EnterpriseSize, Industry, ReviewOutcome
from ..models import CaseReview, Complaint, ComplaintMessage, Enterprise, Transfer
from ..validators import (
    CaseNumber,
    mask_phone,
    normalize_credit_code,
    parse_case_numbers,
    validate_credit_code,
    validate_phone,
)


def _user(serializer: serializers.Field) -> User | None:
    """The requesting user, or None while the schema is generated (no real request then)."""
    request = serializer.context.get("request")
    if request is None or getattr(serializer.context.get("view"), "swagger_fake_view", False):
        return None
    return request.user


def _messages(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.messages)


# --- shared pieces -------------------------------------------------------------------------------

@extend_schema_field({
    "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}],
    "description": "案号：字符串列表，或一段以换行、逗号、顿号、分号分隔的文字，如 （2021）豫03民初123号",
})
class CaseNumbersField(serializers.Field):
    """Case numbers as a list of strings or one text; becomes a list of parsed CaseNumber."""

    default_error_messages = {"invalid": gettext_lazy("案号应为字符串或字符串列表。")}

    def to_internal_value(self, data: Any) -> list[CaseNumber]:
        if isinstance(data, str):
            text = data
        elif isinstance(data, list) and all(isinstance(entry, str) for entry in data):
            text = "\n".join(data)
        else:
            self.fail("invalid")
        try:
            return parse_case_numbers(text)
        except DjangoValidationError as error:
            raise _messages(error) from None

    def to_representation(self, value: Sequence[CaseNumber]) -> list[str]:
        return [number.canonical for number in value]


class EnterpriseBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code"]
        read_only_fields = fields


class DeadlineSerializer(serializers.Serializer):
    """The complaint's current running (or paused) deadline."""

    kind = serializers.CharField(help_text="complaint.review / complaint.registration / complaint.feedback")
    due_date = serializers.DateField()
    text = serializers.CharField(help_text="如：剩余 3 个工作日、今日到期、已逾期 2 个工作日、暂停计时")
    working_days = serializers.IntegerField(help_text="正数为剩余工作日，0 为今日到期或暂停，负数为逾期工作日")


class ComplaintAttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.display_name", default="", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "kind", "size", "sha256", "purpose", "uploaded_by", "uploaded_at",
                  "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment: Attachment) -> str:
        return reverse("attachment_download", args=[attachment.pk])


# --- enterprises ---------------------------------------------------------------------------------

class EnterpriseSerializer(serializers.ModelSerializer):
    """An enterprise as shown; the contact phone is masked for anyone but the registering organization."""

    size_display = serializers.CharField(source="get_size_display", read_only=True)
    industry_display = serializers.CharField(source="get_industry_display", read_only=True)
    registered_by = OrganizationSerializer(read_only=True)
    contact_phone = serializers.SerializerMethodField()
    contact_phone_masked = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = ["id", "mechanism", "registered_by", "name", "credit_code", "size", "size_display", "industry",
                  "industry_display", "address", "legal_representative", "contact_person", "contact_phone",
                  "contact_phone_masked", "chambers", "created_at"]
        read_only_fields = fields

    def _may_see_contact(self, enterprise: Enterprise) -> bool:
        user = _user(self)
        return user is not None and selectors.can_see_contact(user, enterprise)

    def get_contact_phone(self, enterprise: Enterprise) -> str:
        phone = enterprise.contact_phone
        return phone if self._may_see_contact(enterprise) else mask_phone(phone)

    def get_contact_phone_masked(self, enterprise: Enterprise) -> bool:
        return bool(enterprise.contact_phone) and not self._may_see_contact(enterprise)


class EnterpriseWriteSerializer(serializers.Serializer):
    """Input of register (all fields) and correct (PUT: all fields; PATCH: only those sent)."""

    mechanism = serializers.PrimaryKeyRelatedField(queryset=Mechanism.objects.none(),
                                                   help_text="所属机制（仅登记时；须为本单位参与的机制）")
    name = serializers.CharField(max_length=120)
    credit_code = serializers.CharField(max_length=40, help_text="统一社会信用代码，18位")
    size = serializers.ChoiceField(choices=EnterpriseSize.choices)
    industry = serializers.ChoiceField(choices=Industry.choices)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    legal_representative = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    contact_person = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    chambers = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), many=True, required=False,
                                                  default=list, help_text="所属商会")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["mechanism"].queryset = scoping.actionable_mechanisms(user)
            self.fields["chambers"].child_relation.queryset = scoping.visible_organizations(user).filter(
                kind="chamber")
        if self.instance is not None:
            self.fields.pop("mechanism")  # an enterprise stays in its mechanism

    def validate_credit_code(self, value: str) -> str:
        code = normalize_credit_code(value)
        try:
            validate_credit_code(code)
        except DjangoValidationError as error:
            raise _messages(error) from None
        return code

    def validate_contact_phone(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            validate_phone(value)
        except DjangoValidationError as error:
            raise _messages(error) from None
        return value

    def as_data(self) -> services.EnterpriseData:
        """The validated input over the current record (a PATCH sends only what changes)."""
        values = dict(self.validated_data)
        values.pop("mechanism", None)
        if self.instance is not None:
            current = {field: getattr(self.instance, field) for field in services.ENTERPRISE_FIELDS}
            current["chambers"] = list(self.instance.chambers.all())
            values = {**current, **values}
        return services.EnterpriseData(**values)


# --- complaints ----------------------------------------------------------------------------------

class ComplaintSerializer(serializers.ModelSerializer):
    """A complaint in lists: everything read from the annotated list query, nothing per row."""

    status_display = ChoiceLabelField(ComplaintStatus.choices, source="status")
    kind_display = ChoiceLabelField(ComplaintKind.choices, source="kind")
    enterprise = EnterpriseBriefSerializer(read_only=True)
    court = OrganizationSerializer(read_only=True)
    filing_organization = OrganizationSerializer(read_only=True)
    case_numbers = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    transfer_number = serializers.CharField(source="transfer.number", default=None, read_only=True)
    handler = PersonSerializer(read_only=True, allow_null=True)
    department = DepartmentSerializer(read_only=True, allow_null=True)
    deadline = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id", "serial", "mechanism", "status", "status_display", "enterprise", "court", "filing_organization",
            "kind", "kind_display", "title", "facts", "demands", "case_numbers", "amount_involved", "is_major",
            "major_reason", "transfer", "transfer_number", "registration_number", "court_case_numbers",
            "under_supervision", "handler", "department", "extension_state", "deadline", "created_at",
            "submitted_at", "transferred_at", "registered_at", "answered_at", "closed_at",
        ]
        read_only_fields = fields

    def _calendar(self) -> WorkingCalendar:
        # One calendar (one query) for the whole list, built only when a row has a deadline.
        context = self.context
        if "calendar" not in context:
            context["calendar"] = WorkingCalendar()
        return context["calendar"]

    @extend_schema_field(DeadlineSerializer(allow_null=True))
    def get_deadline(self, complaint: Complaint) -> dict | None:
        due = getattr(complaint, "current_due", None)
        state = getattr(complaint, "current_due_state", None)
        status = due_status_of(due, self._calendar(), state=state) if due is not None else None
        if status is None:
            return None
        return {"kind": complaint.current_due_kind, "due_date": due, "text": str(status.text),
                "working_days": status.working_days}


class CaseReviewSerializer(serializers.ModelSerializer):
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    reviewed_by = PersonSerializer(read_only=True)

    class Meta:
        model = CaseReview
        fields = ["outcome", "outcome_display", "explanation", "reviewed_by", "reviewed_at"]
        read_only_fields = fields


class ComplaintDetailSerializer(ComplaintSerializer):
    """One complaint, with what its page shows: the reason, the answer, the actions open to the user."""

    extension_state_display = serializers.CharField(source="get_extension_state_display", read_only=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text="当前用户现在可以办理的操作（与操作接口对应：start_review → start-review/；"
                  "transfer_batch → /transfers/batch/）")
    case_review = serializers.SerializerMethodField()

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "reason", "answer", "reopen_count", "extension_state_display",
                  "extension_reason", "case_review", "allowed_actions"]
        read_only_fields = fields

    def get_allowed_actions(self, complaint: Complaint) -> list[str]:
        user = _user(self)
        return services.allowed_actions(user, complaint) if user is not None else []

    @extend_schema_field(CaseReviewSerializer(allow_null=True))
    def get_case_review(self, complaint: Complaint) -> dict | None:
        review = selectors.complaint_review(complaint)
        return CaseReviewSerializer(review).data if review is not None else None


class ComplaintWriteSerializer(serializers.Serializer):
    """Input of filing a draft (all fields) and editing it (PATCH: only the fields sent)."""

    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none(),
                                                    help_text="企业；诉求归入企业所属的机制")
    court = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), help_text="拟送法院")
    kind = serializers.ChoiceField(choices=ComplaintKind.choices)
    title = serializers.CharField(max_length=200)
    facts = serializers.CharField()
    demands = serializers.CharField()
    case_numbers = CaseNumbersField(required=False, default=list)
    amount_involved = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False,
                                               allow_null=True, default=None)
    is_major = serializers.BooleanField(required=False, default=False)
    major_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    confirm_duplicate = serializers.BooleanField(
        required=False, default=False, write_only=True,
        help_text="同一企业已有涉及相同案号的未办结诉求时，须确认不是重复填报（仅创建时检查）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["enterprise"].queryset = selectors.enterprise_scope(user)
            self.fields["court"].queryset = scoping.visible_organizations(user).filter(kind="court")

    def validate(self, data: dict) -> dict:
        """Refuse a likely duplicate (an open complaint of the same enterprise about the same case) unless confirmed.

        Checked when filing, and when an edit changes the enterprise or the case numbers; only the
        serials the user may open are named, the others are counted.
        """
        changes_identity = self.instance is None or {"enterprise", "case_numbers"} & data.keys()
        if data.get("confirm_duplicate") or not changes_identity:
            return data
        values = self._over_instance(data)
        found = services.likely_duplicates(enterprise=values["enterprise"], case_numbers=values["case_numbers"],
                                           exclude=self.instance)
        if not found:
            return data
        user = _user(self)
        visible = set(selectors.complaint_scope(user).filter(pk__in=[c.pk for c in found]).values_list("pk", flat=True))
        listing = "、".join(c.serial for c in found if c.pk in visible)
        hidden = sum(1 for c in found if c.pk not in visible)
        if hidden:
            listing = " ".join(filter(None, [listing, _("另有 %(count)d 件其他单位填报的诉求") % {"count": hidden}]))
        raise serializers.ValidationError({"confirm_duplicate": _(
            "该企业已有涉及相同案号的未办结诉求：%(serials)s。如确认不是重复填报，请带 confirm_duplicate: true 重新提交。"
        ) % {"serials": listing}})

    def _over_instance(self, values: dict) -> dict:
        """The input over the current complaint (a PATCH sends only what changes)."""
        values = {k: v for k, v in values.items() if k != "confirm_duplicate"}
        complaint = self.instance
        if complaint is None:
            return values
        current = {
            "enterprise": complaint.enterprise, "court": complaint.court, "kind": complaint.kind,
            "title": complaint.title, "facts": complaint.facts, "demands": complaint.demands,
            "amount_involved": complaint.amount_involved, "is_major": complaint.is_major,
            "major_reason": complaint.major_reason,
            "case_numbers": parse_case_numbers("\n".join(n.number for n in complaint.case_numbers.all())),
        }
        return {**current, **values}

    def as_data(self) -> services.ComplaintData:
        return services.ComplaintData(**self._over_instance(self.validated_data))


# --- the complaint's actions -------------------------------------------------------------------

class ComplaintReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="理由（必填）")


class ComplaintNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                 help_text="补充材料的说明")


class ComplaintRegisterSerializer(serializers.Serializer):
    registration_number = serializers.CharField(max_length=40, allow_blank=True, help_text="登记号（必填）")
    court_case_numbers = CaseNumbersField(required=False, default=list)
    under_supervision = serializers.BooleanField(required=False, default=False, help_text="纳入四类案件监管")


class _CourtScopedField(serializers.PrimaryKeyRelatedField):
    """An id of a department or person of the complaint's court (the complaint comes in the context)."""

    def get_queryset(self) -> QuerySet:
        complaint = self.context.get("complaint")
        queryset = super().get_queryset()
        return queryset.filter(organization_id=complaint.court_id) if complaint else queryset.none()


class _DepartmentField(_CourtScopedField):
    default_error_messages = {"does_not_exist": gettext_lazy("承办部门须是本院的部门。"),
                              "incorrect_type": gettext_lazy("承办部门须是本院的部门。")}


class _HandlerField(_CourtScopedField):
    default_error_messages = {"does_not_exist": gettext_lazy("承办人须是本院的承办人。"),
                              "incorrect_type": gettext_lazy("承办人须是本院的承办人。")}


class ComplaintAssignSerializer(serializers.Serializer):
    department = _DepartmentField(queryset=Department.objects.all(), help_text="本院承办部门")
    handler = _HandlerField(queryset=User.objects.filter(is_active=True), help_text="本院承办人")


class ComplaintAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True, help_text="办理结果（必填）")


class ComplaintRerouteSerializer(serializers.Serializer):
    court = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), help_text="改送的法院")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["court"].queryset = scoping.visible_organizations(user).filter(kind="court")


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 批准，false 不批准")


class CaseReviewWriteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    explanation = serializers.CharField(required=False, allow_blank=True, default="",
                                        help_text="释法析理说明（评查无错误的必填）")


class ComplaintMessageSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    organization = OrganizationSerializer(read_only=True)
    visibility_display = serializers.CharField(source="get_visibility_display", read_only=True)

    class Meta:
        model = ComplaintMessage
        fields = ["id", "author", "organization", "visibility", "visibility_display", "body", "created_at"]
        read_only_fields = fields


class ComplaintMessageWriteSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, help_text="留言内容（必填）")
    internal = serializers.BooleanField(required=False, default=False,
                                        help_text="true：仅本单位可见的内部备注；移送法院之前只能写内部备注")


class ComplaintFilesSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False,
                                  help_text="附件（multipart/form-data，可多个）；仅接受 PDF、图片、Word、Excel")

    def validate_files(self, files: list) -> list:
        try:
            return attachments.validate_files(files)
        except DjangoValidationError as error:
            raise _messages(error) from None


# --- transfers -----------------------------------------------------------------------------------

class TransferComplaintSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    enterprise = EnterpriseBriefSerializer(read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "serial", "title", "status", "status_display", "is_major", "enterprise"]
        read_only_fields = fields


class TransferSerializer(serializers.ModelSerializer):
    court = OrganizationSerializer(read_only=True)
    sender = OrganizationSerializer(read_only=True)
    made_by = PersonSerializer(read_only=True)
    complaints = TransferComplaintSerializer(many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = ["id", "number", "mechanism", "year", "sequence", "court", "sender", "made_by", "made_at",
                  "is_immediate", "meeting_reference", "registration_due", "answer_due", "complaints", "pdf_url"]
        read_only_fields = fields

    def get_pdf_url(self, transfer: Transfer) -> str:
        return reverse("transfer-pdf", args=[transfer.pk])


class TransferBatchSerializer(serializers.Serializer):
    complaints = serializers.PrimaryKeyRelatedField(queryset=Complaint.objects.none(), many=True,
                                                    allow_empty=False, help_text="待联席会议移送的诉求")
    meeting_reference = serializers.CharField(max_length=120, required=False, allow_blank=True, default="",
                                              help_text="联席会议，如：2026年第四季度联席会议")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["complaints"].child_relation.queryset = selectors.complaint_scope(user).select_related(
                "mechanism", "court")


# --- figures -------------------------------------------------------------------------------------

class FiguresQuerySerializer(serializers.Serializer):
    """The range and mechanism of a figures request; the range defaults to the current month."""

    mechanism = serializers.IntegerField(required=False, min_value=1, help_text="机制 ID；不填为可见的全部机制")
    start = serializers.DateField(required=False, help_text="统计期间起（含），默认本月 1 日")
    end = serializers.DateField(required=False, help_text="统计期间止（含），默认本月末")

    def validate(self, attrs: dict) -> dict:
        current = today()
        month_start = current.replace(day=1)
        next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
        attrs.setdefault("start", month_start)
        attrs.setdefault("end", next_month - dt.timedelta(days=1))
        if attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": _("结束日期不能早于开始日期。")})
        return attrs


class ComparisonQuerySerializer(FiguresQuerySerializer):
    """The range of a comparison (every visible mechanism is a row, so no mechanism parameter)."""

    mechanism = None


class FigureCountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class StageAveragesSerializer(serializers.Serializer):
    submission_to_transfer = serializers.FloatField(allow_null=True, help_text="提交→移送平均工作日")
    transfer_to_registration = serializers.FloatField(allow_null=True, help_text="移送→登记平均工作日")
    registration_to_answer = serializers.FloatField(allow_null=True, help_text="登记→反馈平均工作日")


class ComplaintFiguresSerializer(serializers.Serializer):
    """Figures of the complaints submitted in the range (see `cases.figures`)."""

    mechanism = serializers.IntegerField(allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()
    total = serializers.IntegerField(help_text="期间提交的诉求数")
    open_total = serializers.IntegerField(help_text="其中未办结数")
    open_by_state = FigureCountSerializer(many=True)
    due_soon = serializers.IntegerField(help_text="2 个工作日内到期")
    overdue = serializers.IntegerField(help_text="已逾期")
    average_working_days = StageAveragesSerializer()
    answered = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    on_time_share = serializers.FloatField(allow_null=True, help_text="按期反馈率（0–1）")
    reopened = serializers.IntegerField()
    reopen_rate = serializers.FloatField(allow_null=True, help_text="重新办理率（0–1，分母为曾反馈的诉求）")
    by_kind = FigureCountSerializer(many=True)
    by_industry = FigureCountSerializer(many=True)
    by_size = FigureCountSerializer(many=True)


class ComplaintHeadlineSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="期间提交的诉求数")
    open_total = serializers.IntegerField(help_text="其中未办结数")
    due_soon = serializers.IntegerField(help_text="2 个工作日内到期")
    overdue = serializers.IntegerField(help_text="已逾期")
    answered = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    on_time_share = serializers.FloatField(allow_null=True, help_text="按期反馈率（0–1）")
    reopened = serializers.IntegerField()
    reopen_rate = serializers.FloatField(allow_null=True, help_text="重新办理率（0–1）")


class MeetingHeadlineSerializer(serializers.Serializer):
    joint_meetings_held = serializers.IntegerField()
    joint_meetings_required = serializers.IntegerField()
    joint_meetings_share = serializers.FloatField(allow_null=True)
    action_items = ItemFiguresSerializer()
    tasks = ItemFiguresSerializer()


class MediationHeadlineSerializer(serializers.Serializer):
    referred = serializers.IntegerField()
    finished = serializers.IntegerField()
    success_rate = serializers.FloatField(allow_null=True)


class MechanismComparisonSerializer(serializers.Serializer):
    """One mechanism's headline figures in the comparison of a higher-level unit."""

    mechanism = serializers.IntegerField(source="mechanism.pk")
    mechanism_name = serializers.CharField(source="mechanism.name")
    complaints = ComplaintHeadlineSerializer()
    meetings = MeetingHeadlineSerializer()
    mediation = MediationHeadlineSerializer()
