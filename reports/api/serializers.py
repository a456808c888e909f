"""Serializers of the report API: they shape output and validate input; the views call the services."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework import serializers

from liaison import attachments, scoping
from liaison.limits import MESSAGE_TEXT, REPORT_TEXT
from liaison.models import Attachment, Mechanism, Organization

from .. import services
from ..choices import WRITABLE_KIND_CHOICES, ReportKind
from ..models import MonthlyReport, Opinion, Report


class OrganizationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "short_name"]


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "kind", "size", "sha256", "uploaded_at", "download_url"]

    def get_download_url(self, attachment: Attachment) -> str:
        return reverse("attachment_download", args=[attachment.pk])


class ReportSerializer(serializers.ModelSerializer):
    """List rows and details (output only)."""

    # A plain string here: the kind's enum is documented once, on the write serializer. Two
    # components with the same enum under the name "kind" collide in drf-spectacular's naming
    # (a W001 warning that fails `check --deploy`) unless ENUM_NAME_OVERRIDES names it.
    kind = serializers.CharField(read_only=True, help_text="类型代码（取值见 ReportWriteKindEnum）")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    author_organization = OrganizationBriefSerializer(read_only=True)
    author_name = serializers.SerializerMethodField()
    mechanism_name = serializers.CharField(source="mechanism.name", read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "mechanism",
            "mechanism_name",
            "author_organization",
            "author_name",
            "kind",
            "kind_display",
            "title",
            "summary",
            "body",
            "tags",
            "case_numbers",
            "comment_deadline",
            "state",
            "state_display",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_author_name(self, report: Report) -> str:
        return report.author.display_name if report.author else ""


class ReportDetailSerializer(ReportSerializer):
    attachments = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "attachments"]
        read_only_fields = fields

    def get_attachments(self, report: Report) -> list[dict]:
        return AttachmentSerializer(attachments.attachments_of(report), many=True).data


def _validate_uploads(files: list) -> list:
    try:
        attachments.validate_files(files)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from None
    return files


class ReportWriteSerializer(serializers.Serializer):
    """Input of create (all fields) and update (PATCH: only the fields sent)."""

    mechanism = serializers.PrimaryKeyRelatedField(queryset=Mechanism.objects.all(), help_text="所属机制（仅创建时）")
    kind = serializers.ChoiceField(choices=WRITABLE_KIND_CHOICES)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=MESSAGE_TEXT)
    body = serializers.CharField(max_length=REPORT_TEXT)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=services.TAG_MAX_LENGTH),
        required=False,
        default=list,
        max_length=services.MAX_TAGS,
    )
    case_numbers = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    comment_deadline = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="法规规章草案征求意见必填；其他类型不填"
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        write_only=True,
        help_text="附件（multipart/form-data）；仅接受 PDF、图片、Word、Excel",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and not getattr(self.context.get("view"), "swagger_fake_view", False):
            # Only mechanisms the user's organization is party to; others are "not found".
            self.fields["mechanism"].queryset = scoping.actionable_mechanisms(request.user)
        if self.instance is not None:
            # The mechanism of a report does not change. (A partial update applies no defaults.)
            self.fields.pop("mechanism")

    def validate_files(self, files: list) -> list:
        return _validate_uploads(files)

    def validate_tags(self, tags: list[str]) -> list[str]:
        try:
            return services.clean_tag_names(tags)
        except services.ReportError as error:
            raise serializers.ValidationError(error.message) from None

    def validate(self, data: dict) -> dict:
        kind = data.get("kind", getattr(self.instance, "kind", None))
        deadline = (
            data["comment_deadline"] if "comment_deadline" in data else getattr(self.instance, "comment_deadline", None)
        )
        if kind == ReportKind.DRAFT_REGULATION and deadline is None:
            raise serializers.ValidationError({"comment_deadline": services.COMMENT_DEADLINE_REQUIRED})
        if kind != ReportKind.DRAFT_REGULATION and deadline is not None:
            raise serializers.ValidationError({"comment_deadline": services.COMMENT_DEADLINE_ONLY_FOR_DRAFT_REGULATION})
        return data


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class OpinionSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Opinion
        fields = ["id", "report", "organization", "author_name", "text", "submitted_at"]
        read_only_fields = fields

    def get_author_name(self, opinion: Opinion) -> str:
        return opinion.author.display_name if opinion.author else ""


class OpinionWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, write_only=True)

    def validate_files(self, files: list) -> list:
        return _validate_uploads(files)


class MonthlyFigureRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    section = serializers.CharField()
    section_label = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.ChoiceField(choices=["count", "share", "workdays", "days"])
    month = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True, help_text="较上月增减；比率为百分点")
    year_to_date = serializers.FloatField(allow_null=True)


class MonthlyReportSerializer(serializers.ModelSerializer):
    mechanism_name = serializers.CharField(source="mechanism.name", read_only=True)
    title = serializers.CharField(source="report.title", read_only=True)
    generated_by_name = serializers.SerializerMethodField()
    rows = MonthlyFigureRowSerializer(source="figures.rows", many=True, read_only=True)
    breakdowns = serializers.JSONField(
        source="figures.breakdowns", read_only=True, help_text="按诉求类型、行业、企业规模的本月、上月、本年累计件数"
    )
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "report",
            "title",
            "mechanism",
            "mechanism_name",
            "year",
            "month",
            "revision",
            "generated_at",
            "generated_by_name",
            "rows",
            "breakdowns",
            "pdf_url",
            "xlsx_url",
        ]
        read_only_fields = fields

    def get_generated_by_name(self, monthly: MonthlyReport) -> str:
        return monthly.generated_by.display_name if monthly.generated_by else ""

    def get_pdf_url(self, monthly: MonthlyReport) -> str:
        return reverse("reports:pdf", args=[monthly.report_id])

    def get_xlsx_url(self, monthly: MonthlyReport) -> str:
        return reverse("reports:monthly_export", args=[monthly.report_id])


class MonthlyGenerateSerializer(serializers.Serializer):
    mechanism = serializers.IntegerField(min_value=1, help_text="机制编号（须为本单位参与的机制）")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)


class SuggestionConsultSerializer(serializers.Serializer):
    consulted = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), help_text="征求意见单位")
    comment_due = serializers.DateField(help_text="征求意见截止日期")


class SuggestionCommentSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, allow_blank=True, help_text="意见（必填）")


class SuggestionIssueSerializer(serializers.Serializer):
    recipient = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True, default=None, help_text="机制内的受文单位"
    )
    recipient_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    document_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    reply_working_days = serializers.IntegerField(
        min_value=1, max_value=120, required=False, allow_null=True, default=None
    )


class SuggestionReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, allow_blank=True, help_text="回复内容（必填）")
    replied_on = serializers.DateField(required=False, allow_null=True, default=None)


class SuggestionSerializer(serializers.ModelSerializer):
    """A judicial suggestion or risk report and where it stands."""

    report = serializers.PrimaryKeyRelatedField(read_only=True)
    title = serializers.CharField(source="report.title", read_only=True)
    kind = serializers.CharField(source="report.kind", read_only=True)
    author_organization = serializers.CharField(source="report.author_organization.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        from ..models import Suggestion

        model = Suggestion
        fields = [
            "id",
            "report",
            "title",
            "kind",
            "author_organization",
            "state",
            "state_display",
            "consulted",
            "comment_due",
            "comment_text",
            "commented_at",
            "recipient",
            "recipient_name",
            "document_number",
            "issued_at",
            "reply_due",
            "reply_text",
            "replied_on",
        ]
        read_only_fields = fields
