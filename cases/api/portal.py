"""/api/v1/portal/: the enterprise's own matters and its actions on them, and the federation's list
of enterprise users (registrations awaiting confirmation).

An enterprise user reads only its own enterprise's matters, in the enterprise's words (never
internal notes, the court's internal result or files); anything else is 404.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from liaison import attachments
from liaison.api.common import REFUSALS, ScopedViewSet
from liaison.errors import ActionRefused
from liaison.limits import LONG_TEXT, MESSAGE_TEXT

from .. import selectors, services
from ..choices import ComplaintKind, ComplaintStatus, MembershipState, Rating
from ..models import Complaint, EnterpriseMembership
from ..portal_words import DUE_WORDS, stage_of
from ..services.portal_filing import confirmed_enterprise
from ..validators import parse_case_numbers

S = ComplaintStatus


class MatterSerializer(serializers.ModelSerializer):
    """A matter as the enterprise reads it."""

    tracking_number = serializers.CharField(source="serial", help_text="受理编号")
    stage = serializers.SerializerMethodField(
        help_text="企业看到的进度：已收到、工商联审核中、需补充材料、已移送法院……"
    )
    transfer_number = serializers.SerializerMethodField(help_text="移送函文号（已移送时）")
    deadline = serializers.DateField(source="current_due", allow_null=True, help_text="与企业有关的期限（截止日）")
    deadline_kind = serializers.SerializerMethodField(help_text="期限的名称")
    deadline_paused = serializers.BooleanField(source="current_due_paused", help_text="等待补充材料时暂停计时")
    material_request = serializers.SerializerMethodField(help_text="需补充的材料（需补充材料时）")
    court_answer = serializers.SerializerMethodField(help_text="法院答复企业的内容（答复后）")

    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_number",
            "title",
            "kind",
            "stage",
            "submitted_at",
            "transferred_at",
            "transfer_number",
            "registered_at",
            "answered_at",
            "closed_at",
            "deadline",
            "deadline_kind",
            "deadline_paused",
            "material_request",
            "court_answer",
        ]

    def get_stage(self, obj: Complaint) -> str:
        return stage_of(obj.status)

    def get_transfer_number(self, obj: Complaint) -> str:
        return obj.transfer.number if obj.transfer_id else ""

    def get_deadline_kind(self, obj: Complaint) -> str:
        return str(DUE_WORDS.get(obj.current_due_kind, ""))

    def get_material_request(self, obj: Complaint) -> str:
        return obj.reason if obj.status == S.NEEDS_MATERIAL else ""

    def get_court_answer(self, obj: Complaint) -> str:
        return obj.enterprise_answer if obj.status in (S.ANSWERED, S.CLOSED) else ""


class RatingWriteSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices, help_text="满意 / 基本满意 / 不满意")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=MESSAGE_TEXT, help_text="意见")
    reopen_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=MESSAGE_TEXT, help_text="不满意时申请重新办理的理由"
    )


class MaterialWriteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text="补充说明（文件请在网页上上传）")


class MessageWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MESSAGE_TEXT, help_text="给工商联的留言（法院不可见）")


class FilingWriteSerializer(serializers.Serializer):
    """A matter the enterprise files: saved as a draft, or submitted at once with `submit`."""

    kind = serializers.ChoiceField(choices=ComplaintKind.choices, help_text="诉求类型")
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="标题（可不填）")
    facts = serializers.CharField(max_length=LONG_TEXT, help_text="基本事实")
    demands = serializers.CharField(max_length=LONG_TEXT, help_text="具体诉求")
    case_numbers = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        max_length=50,
        help_text="关联案号，例如（2021）豫03民初123号（全角、半角均可）",
    )
    amount_involved = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        help_text="涉案金额（元）",
    )
    is_major = serializers.BooleanField(required=False, default=False, help_text="重大事项")
    major_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=MESSAGE_TEXT, help_text="重大事项的理由"
    )
    files = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="附件（multipart/form-data 时可上传）"
    )
    submit = serializers.BooleanField(required=False, default=False, help_text="保存后立即提交给工商联")
    confirm_duplicate = serializers.BooleanField(
        required=False, default=False, help_text="已知本企业有涉及相同案号的未办结诉求，仍要提交"
    )

    def validate_case_numbers(self, value: list[str]) -> list:
        try:
            return parse_case_numbers("\n".join(value))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate_files(self, value: list) -> list:
        """Checked by content, as on the page: (upload, kind) pairs for the service."""
        try:
            return attachments.validate_files(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate(self, attrs: dict) -> dict:
        if attrs.get("is_major") and not (attrs.get("major_reason") or "").strip():
            raise serializers.ValidationError({"major_reason": [_("重大事项须说明理由。")]})
        return attrs

    def data_for_service(self) -> services.MatterData:
        d = self.validated_data
        return services.MatterData(
            kind=d["kind"],
            title=d.get("title", ""),
            facts=d["facts"],
            demands=d["demands"],
            case_numbers=d.get("case_numbers", []),
            amount_involved=d.get("amount_involved"),
            is_major=d.get("is_major", False),
            major_reason=d.get("major_reason", ""),
        )


class SubmitWriteSerializer(serializers.Serializer):
    confirm_duplicate = serializers.BooleanField(
        required=False, default=False, help_text="已知本企业有涉及相同案号的未办结诉求，仍要提交"
    )


def _refuse_duplicates(user: object, matter: Complaint | None, case_numbers: list, confirmed: bool) -> None:
    """The duplicate warning of the page: the enterprise's own open matters about the same case numbers."""
    if confirmed or not case_numbers:
        return
    enterprise = confirmed_enterprise(user)  # type: ignore[arg-type]
    found = services.likely_duplicates(enterprise=enterprise, case_numbers=case_numbers, exclude=matter)
    own = selectors.own_matters(user).filter(pk__in=[c.pk for c in found]).order_by("pk")  # type: ignore[arg-type]
    serials = [c.serial for c in own]
    if serials:
        raise ActionRefused(
            _("本企业已有涉及相同案号的未办结诉求：%(serials)s。确需另行提交的，请确认后再提交。")
            % {"serials": "、".join(serials)},
            ActionRefused.STATE,
            field="confirm_duplicate",
        )


@extend_schema_view(
    list=extend_schema(summary="本企业的诉求（企业用户）"),
    retrieve=extend_schema(summary="本企业的一件诉求", responses={200: MatterSerializer, 404: REFUSALS[404]}),
)
class PortalMatterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = MatterSerializer
    subject = "complaint"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="在线提交诉求：保存草稿，或 submit 为真时保存后立即提交（企业用户，须经工商联确认）",
        request={"application/json": FilingWriteSerializer, "multipart/form-data": FilingWriteSerializer},
        responses={201: MatterSerializer, **REFUSALS},
    )
    def create(self, request: Request) -> Response:
        confirmed_enterprise(request.user)  # type: ignore[arg-type]
        payload = self._payload(FilingWriteSerializer)
        data = payload.validated_data
        if data["submit"]:
            _refuse_duplicates(request.user, None, data.get("case_numbers", []), data["confirm_duplicate"])
        with transaction.atomic():
            matter = services.matter_save_draft(
                actor=request.user,  # type: ignore[arg-type]
                data=payload.data_for_service(),  # type: ignore[attr-defined]
                files=data.get("files", []),
            )
            if data["submit"]:
                services.complaint_submit(actor=request.user, complaint=matter)  # type: ignore[arg-type]
        return self._detail(matter.pk, 201)

    @extend_schema(
        summary="提交草稿给工商联（提交后不能再修改）",
        request=SubmitWriteSerializer,
        responses={200: MatterSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: int) -> Response:
        matter = self.get_object()
        confirmed_enterprise(request.user)  # type: ignore[arg-type]
        confirmed = self._payload(SubmitWriteSerializer).validated_data["confirm_duplicate"]
        numbers = parse_case_numbers("\n".join(matter.case_numbers.values_list("number", flat=True)))
        _refuse_duplicates(request.user, matter, numbers, confirmed)
        services.complaint_submit(actor=request.user, complaint=matter)  # type: ignore[arg-type]
        return self._detail(matter.pk)

    def get_queryset(self) -> QuerySet[Complaint]:
        return selectors.own_matter_list(user=self.request.user)

    def _detail(self, pk: int, code: int = 200) -> Response:
        return Response(MatterSerializer(selectors.own_matter_get(user=self.request.user, pk=pk)).data, status=code)

    @extend_schema(summary="评价法院答复", request=RatingWriteSerializer, responses={200: MatterSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def rating(self, request: Request, pk: int) -> Response:
        return self._act(services.matter_rate, RatingWriteSerializer)

    @extend_schema(
        summary="补充材料（恢复审核计时）",
        request=MaterialWriteSerializer,
        responses={200: MatterSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"])
    def material(self, request: Request, pk: int) -> Response:
        return self._act(services.complaint_supply_material, MaterialWriteSerializer)

    @extend_schema(
        summary="给工商联留言", request=MessageWriteSerializer, responses={200: MatterSerializer, **REFUSALS}
    )
    @action(detail=True, methods=["post"])
    def messages(self, request: Request, pk: int) -> Response:
        return self._act(services.enterprise_message_post, MessageWriteSerializer)


class EnterpriseRegistrationSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="user.display_name", help_text="申请人")
    enterprise_name = serializers.CharField(source="enterprise.name", help_text="登记的企业名称")
    credit_code = serializers.CharField(source="enterprise.credit_code", help_text="统一社会信用代码")

    class Meta:
        model = EnterpriseMembership
        fields = ["id", "person", "claimed_name", "enterprise_name", "credit_code", "source", "state", "created_at"]


@extend_schema_view(
    list=extend_schema(
        summary="企业用户（工商联；默认只列待确认的）",
        parameters=[OpenApiParameter("state", str, enum=MembershipState.values, description="确认状态")],
    ),
    retrieve=extend_schema(
        summary="一名企业用户", responses={200: EnterpriseRegistrationSerializer, 404: REFUSALS[404]}
    ),
)
class PortalRegistrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = EnterpriseRegistrationSerializer

    def get_queryset(self) -> QuerySet[EnterpriseMembership]:
        rows = selectors.membership_list(user=self.request.user)
        if self.action == "list":
            state = self.request.query_params.get("state", MembershipState.PENDING)
            rows = rows.filter(state=state) if state in MembershipState.values else rows.none()
        return rows
