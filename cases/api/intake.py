"""The intake API for docked systems (网上工商联 ↔ 智慧法院): file complaints, read their status.

A system authenticates with its key (liaison.api.system_auth), acts as its service account, and
may use only the mechanisms it was registered for whose party its organization is; a POST with
an `Idempotency-Key` header answers its retries with the first answer.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from liaison import attachments
from liaison.api.common import REFUSALS
from liaison.api.system_auth import IsDockedSystem, SystemKeyAuthentication, idempotent
from liaison.errors import ActionRefused
from liaison.models import ExternalSystem, Mechanism, MechanismParty, Organization

from .. import services
from ..choices import ComplaintKind, ComplaintStatus, EnterpriseSize, Industry
from ..models import Complaint, Enterprise
from ..validators import parse_case_numbers


class IntakeComplaintSerializer(serializers.Serializer):
    mechanism = serializers.IntegerField(help_text="机制编号（须为本系统获准对接的机制）")
    court = serializers.IntegerField(help_text="拟送法院（机制的办理方单位编号）")
    enterprise_credit_code = serializers.CharField(max_length=18, help_text="企业统一社会信用代码")
    enterprise_name = serializers.CharField(max_length=100, required=False, default="", help_text="企业未登记时必填")
    enterprise_size = serializers.ChoiceField(choices=EnterpriseSize.choices, required=False, allow_blank=True)
    enterprise_industry = serializers.ChoiceField(choices=Industry.choices, required=False, allow_blank=True)
    contact_person = serializers.CharField(max_length=40, required=False, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, default="")
    kind = serializers.ChoiceField(choices=ComplaintKind.choices)
    title = serializers.CharField(max_length=200)
    facts = serializers.CharField(max_length=5000)
    demands = serializers.CharField(max_length=5000)
    case_numbers = serializers.CharField(required=False, default="", help_text="关联案号，多个用顿号或逗号分隔")
    is_major = serializers.BooleanField(required=False, default=False)
    major_reason = serializers.CharField(max_length=300, required=False, default="")
    submit = serializers.BooleanField(required=False, default=True, help_text="true：提交工商联审核；false：保存为草稿")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="附件（multipart/form-data，可多个）"
    )

    def validate_case_numbers(self, value: str) -> list:
        try:
            return parse_case_numbers(value) if value.strip() else []
        except Exception as error:  # noqa: BLE001 - the validator's own words
            raise serializers.ValidationError(getattr(error, "messages", [str(error)])) from None

    def validate_files(self, files: list) -> list:
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            return attachments.validate_files(files) if files else []
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class IntakeStatusSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "serial",
            "mechanism",
            "title",
            "status",
            "status_display",
            "submitted_at",
            "transferred_at",
            "registered_at",
            "registration_number",
            "answered_at",
            "answer",
            "closed_at",
        ]
        read_only_fields = fields


def _mechanism_for(system: ExternalSystem, mechanism_id: int) -> Mechanism:
    """The mechanism, if the system may file in it: registered for it and its organization a party."""
    allowed = system.mechanisms.filter(
        pk=mechanism_id,
        pk__in=MechanismParty.objects.filter(organization_id=system.organization_id).values("mechanism_id"),
    ).first()
    if allowed is None:
        raise ActionRefused(_("本系统未获准对接该机制，不能提交诉求。"), ActionRefused.PERMISSION, field="mechanism")
    return allowed


def _enterprise(actor, mechanism: Mechanism, data: dict) -> Enterprise:
    code = data["enterprise_credit_code"].strip().upper()
    found = Enterprise.objects.filter(mechanism=mechanism, credit_code=code).first()
    if found is not None:
        return found
    if not (data["enterprise_name"] and data.get("enterprise_size") and data.get("enterprise_industry")):
        raise ActionRefused(
            _("该企业尚未在本机制登记，请同时提供企业名称、规模和行业。"),
            ActionRefused.INVALID,
            field="enterprise_name",
        )
    return services.enterprise_register(
        actor=actor,
        mechanism=mechanism,
        data=services.EnterpriseData(
            name=data["enterprise_name"],
            credit_code=code,
            size=data["enterprise_size"],
            industry=data["enterprise_industry"],
            contact_person=data["contact_person"],
            contact_phone=data["contact_phone"],
        ),
    )


IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="同一键的重试返回第一次的结果，不会重复创建诉求；同一键用于内容不同的请求时答 422。"
    "结果保留 24 小时（IDEMPOTENCY_RETENTION_HOURS），之后该键可再次使用",
)

KEY_REUSED = OpenApiResponse(description="Idempotency-Key 已用于另一内容不同的请求，未作处理")


KEY_REFUSALS = {
    401: OpenApiResponse(description="接口密钥缺失、无效或已作废（仅接受对接系统的密钥）"),
    403: OpenApiResponse(description="不是对接系统，或本系统未获准对接该机制"),
}


@extend_schema_view(
    list=extend_schema(
        summary="对接系统：本系统提交的诉求及其状态",
        responses={200: IntakeStatusSerializer(many=True), **KEY_REFUSALS},
    ),
    retrieve=extend_schema(
        summary="对接系统：一件诉求的状态",
        responses={200: IntakeStatusSerializer, 404: REFUSALS[404], **KEY_REFUSALS},
    ),
    create=extend_schema(
        summary="对接系统：提交诉求（可带附件）",
        parameters=[IDEMPOTENCY],
        request={"multipart/form-data": IntakeComplaintSerializer, "application/json": IntakeComplaintSerializer},
        responses={201: IntakeStatusSerializer, **REFUSALS, **KEY_REFUSALS, 422: KEY_REUSED},
    ),
)
class IntakeComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    authentication_classes = [SystemKeyAuthentication]
    permission_classes = [IsDockedSystem]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = IntakeStatusSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Complaint]:
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        system = self.request.auth
        return Complaint.objects.filter(created_by=self.request.user, mechanism__in=system.mechanisms.all()).order_by(
            "-id"
        )

    def create(self, request: Request) -> Response:
        return idempotent(request, lambda: self._file(request))

    def _file(self, request: Request) -> Response:
        payload = IntakeComplaintSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        actor = request.user
        mechanism = _mechanism_for(request.auth, data["mechanism"])
        court = Organization.objects.filter(pk=data["court"]).first()
        if court is None:
            raise ActionRefused(_("拟送法院不存在。"), ActionRefused.INVALID, field="court")
        with transaction.atomic():
            enterprise = _enterprise(actor, mechanism, data)
            complaint = services.complaint_create(
                actor=actor,
                mechanism=mechanism,
                data=services.ComplaintData(
                    enterprise=enterprise,
                    court=court,
                    kind=data["kind"],
                    title=data["title"],
                    facts=data["facts"],
                    demands=data["demands"],
                    case_numbers=data["case_numbers"],
                    is_major=data["is_major"],
                    major_reason=data["major_reason"],
                ),
                files=data["files"],
            )
            if data["submit"]:
                services.complaint_submit(actor=actor, complaint=complaint)
        complaint.refresh_from_db()
        return Response(IntakeStatusSerializer(complaint).data, status=status.HTTP_201_CREATED)


__all__ = ["ComplaintStatus", "IntakeComplaintViewSet"]
