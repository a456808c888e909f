"""/api/v1/portal/: the enterprise's own matters and its actions on them, and the federation's list
of enterprise users (registrations awaiting confirmation).

An enterprise user reads only its own enterprise's matters, in the enterprise's words (never
internal notes, the court's internal result or files); anything else is 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from liaison.api.common import REFUSALS, ScopedViewSet
from liaison.limits import MESSAGE_TEXT

from .. import selectors, services
from ..choices import ComplaintStatus, MembershipState, Rating
from ..models import Complaint, EnterpriseMembership
from ..portal_words import DUE_WORDS, stage_of

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


@extend_schema_view(
    list=extend_schema(summary="本企业的诉求（企业用户）"),
    retrieve=extend_schema(summary="本企业的一件诉求", responses={200: MatterSerializer, 404: REFUSALS[404]}),
)
class PortalMatterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    serializer_class = MatterSerializer
    subject = "complaint"

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
