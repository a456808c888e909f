"""Cases API: parse with a serializer, call one selector or service, render.

Refusals of the services (ActionRefused) become 403/409/400 in `liaison.api.exceptions`;
anything outside the user's scope is not found (404), because every object comes from a scoped
selector.
"""
from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, renderers, serializers, status, views, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from liaison import attachments, scoping
from liaison.api.common import REFUSALS, ScopedViewSet, UserFilterBackend
from liaison.api.renderers import PDFRenderer
from liaison.pdf import pdf_response

from .. import documents, figures, selectors, services
from ..filters import ComplaintFilter, EnterpriseFilter
from ..models import Complaint, Enterprise, Transfer
from .serializers import (
    CaseReviewWriteSerializer,
    ComparisonQuerySerializer,
    ComplaintAnswerSerializer,
    ComplaintAssignSerializer,
    ComplaintAttachmentSerializer,
    ComplaintDetailSerializer,
    ComplaintFiguresSerializer,
    ComplaintFilesSerializer,
    ComplaintMessageSerializer,
    ComplaintMessageWriteSerializer,
    ComplaintNoteSerializer,
    ComplaintReasonSerializer,
    ComplaintRegisterSerializer,
    ComplaintRerouteSerializer,
    ComplaintSerializer,
    ComplaintWriteSerializer,
    EnterpriseSerializer,
    EnterpriseWriteSerializer,
    ExtensionDecisionSerializer,
    FiguresQuerySerializer,
    MechanismComparisonSerializer,
    TransferBatchSerializer,
    TransferSerializer,
)


# ComplaintFilter needs the user for its work queues and its choices of court and enterprise.
ComplaintFilterBackend = UserFilterBackend


# --- enterprises ---------------------------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(summary="企业列表（名称或信用代码检索、规模、行业）"),
    retrieve=extend_schema(summary="企业详情", responses={200: EnterpriseSerializer, 404: REFUSALS[404]}),
    create=extend_schema(summary="登记企业", request=EnterpriseWriteSerializer,
                         responses={201: EnterpriseSerializer, **REFUSALS}),
    update=extend_schema(summary="修改企业信息（全部字段）", request=EnterpriseWriteSerializer,
                         responses={200: EnterpriseSerializer, **REFUSALS}),
    partial_update=extend_schema(summary="修改企业信息（仅登记单位）", request=EnterpriseWriteSerializer,
                                 responses={200: EnterpriseSerializer, **REFUSALS}),
)
class EnterpriseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EnterpriseSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = EnterpriseFilter

    def get_queryset(self) -> QuerySet[Enterprise]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Enterprise.objects.none()
        return selectors.enterprise_list(user=self.request.user)

    def get_object(self) -> Enterprise:
        return scoping.get_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _render(self, enterprise: Enterprise, code: int = status.HTTP_200_OK) -> Response:
        enterprise = scoping.get_or_404(self.get_queryset(), pk=enterprise.pk)
        return Response(EnterpriseSerializer(enterprise, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request) -> Response:
        payload = EnterpriseWriteSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        enterprise = services.enterprise_register(actor=request.user, mechanism=payload.validated_data["mechanism"],
                                                  data=payload.as_data())
        return self._render(enterprise, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str | None = None, partial: bool = False) -> Response:
        enterprise = self.get_object()
        payload = EnterpriseWriteSerializer(enterprise, data=request.data, partial=partial,
                                            context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        services.enterprise_update(actor=request.user, enterprise=enterprise, data=payload.as_data())
        return self._render(enterprise)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk, partial=True)


# --- complaints ----------------------------------------------------------------------------------

DETAIL = {200: ComplaintDetailSerializer, **REFUSALS}


def _transition_schema(text: str, request: type[serializers.Serializer] | None = None) -> Callable:
    """The schema of a transition: its request body and the complaint as it is afterwards."""
    return extend_schema(summary=text, request=request, responses=DETAIL)


@extend_schema_view(
    list=extend_schema(summary="诉求列表（工作队列、筛选、检索、排序）"),
    retrieve=extend_schema(summary="诉求详情（含当前用户可办理的操作）", responses=DETAIL),
    create=extend_schema(summary="填报诉求（草稿）", request=ComplaintWriteSerializer,
                         responses={201: ComplaintDetailSerializer, **REFUSALS}),
    partial_update=extend_schema(summary="修改诉求（草稿、待补充材料、审核中）", request=ComplaintWriteSerializer,
                                 responses=DETAIL),
)
class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    subject = "complaint"
    filter_backends = [ComplaintFilterBackend]
    filterset_class = ComplaintFilter

    def get_queryset(self) -> QuerySet[Complaint]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Complaint.objects.none()
        return selectors.complaint_list(user=self.request.user)

    def get_object(self) -> Complaint:
        return selectors.complaint_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self) -> type[serializers.Serializer]:
        # allowed_actions costs queries per complaint, so lists leave it out.
        return ComplaintSerializer if self.action == "list" else ComplaintDetailSerializer

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        complaint = selectors.complaint_get(user=self.request.user, pk=pk)
        return Response(ComplaintDetailSerializer(complaint, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request) -> Response:
        payload = self._payload(ComplaintWriteSerializer)
        data = payload.as_data()
        complaint = services.complaint_create(actor=request.user, mechanism=data.enterprise.mechanism, data=data)
        return self._detail(complaint.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        payload = ComplaintWriteSerializer(complaint, data=request.data, partial=True,
                                           context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        services.complaint_update(actor=request.user, complaint=complaint, data=payload.as_data())
        return self._detail(complaint.pk)

    @_transition_schema("提交审核")
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_submit)

    @_transition_schema("开始审核")
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_start_review)

    @_transition_schema("退回补充材料（审核计时暂停）", ComplaintReasonSerializer)
    @action(detail=True, methods=["post"], url_path="request-material")
    def request_material(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_request_material, ComplaintReasonSerializer)

    @_transition_schema("材料已补充（审核计时恢复）", ComplaintNoteSerializer)
    @action(detail=True, methods=["post"], url_path="supply-material")
    def supply_material(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_supply_material, ComplaintNoteSerializer)

    @_transition_schema("不予移送", ComplaintReasonSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_decline, ComplaintReasonSerializer)

    @_transition_schema("列入联席会议移送")
    @action(detail=True, methods=["post"])
    def queue(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_queue)

    @_transition_schema("立即移送（重大事项，单独出具移送函）")
    @action(detail=True, methods=["post"], url_path="transfer-now")
    def transfer_now(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_transfer_now)

    @_transition_schema("撤回", ComplaintReasonSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_withdraw, ComplaintReasonSerializer)

    @_transition_schema("法院登记（随案登记）", ComplaintRegisterSerializer)
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_register, ComplaintRegisterSerializer)

    @_transition_schema("法院退回移送", ComplaintReasonSerializer)
    @action(detail=True, methods=["post"], url_path="court-return")
    def court_return(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_court_return, ComplaintReasonSerializer)

    @_transition_schema("交办承办部门和承办人", ComplaintAssignSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_assign, ComplaintAssignSerializer)

    @_transition_schema("反馈办理结果", ComplaintAnswerSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_answer, ComplaintAnswerSerializer)

    @_transition_schema("办结")
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_close)

    @_transition_schema("要求重新办理", ComplaintReasonSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_reopen, ComplaintReasonSerializer)

    @_transition_schema("改送其他法院", ComplaintRerouteSerializer)
    @action(detail=True, methods=["post"])
    def reroute(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_reroute, ComplaintRerouteSerializer)

    @_transition_schema("申请延期（每件一次）", ComplaintReasonSerializer)
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_request_extension, ComplaintReasonSerializer)

    @_transition_schema("审批延期（法院领导）", ExtensionDecisionSerializer)
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.complaint_decide_extension, ExtensionDecisionSerializer)

    @_transition_schema("登记案件评查结果", CaseReviewWriteSerializer)
    @action(detail=True, methods=["post"], url_path="case-review")
    def case_review(self, request: Request, pk: str | None = None) -> Response:
        return self._act(services.case_review_record, CaseReviewWriteSerializer)

    @extend_schema(methods=["GET"], summary="沟通留言（对方可见的留言和本单位内部备注）", request=None,
                   responses={200: ComplaintMessageSerializer(many=True), 404: REFUSALS[404]})
    @extend_schema(methods=["POST"], summary="留言或写内部备注", request=ComplaintMessageWriteSerializer,
                   responses={201: ComplaintMessageSerializer, **REFUSALS})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def messages(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        if request.method == "GET":
            rows = selectors.complaint_messages(user=request.user, complaint=complaint)
            return Response(ComplaintMessageSerializer(rows, many=True).data)
        payload = self._payload(ComplaintMessageWriteSerializer, complaint=complaint)
        message = services.message_post(actor=request.user, complaint=complaint, **payload.validated_data)
        return Response(ComplaintMessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary="附件列表", request=None,
                   responses={200: ComplaintAttachmentSerializer(many=True), 404: REFUSALS[404]})
    @extend_schema(methods=["POST"], summary="上传附件（仅 PDF、图片、Word、Excel）",
                   request={"multipart/form-data": ComplaintFilesSerializer},
                   responses={201: ComplaintAttachmentSerializer(many=True), **REFUSALS})
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser],
            pagination_class=None, filter_backends=[])
    def files(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        if request.method == "POST":
            payload = self._payload(ComplaintFilesSerializer, complaint=complaint)
            services.complaint_add_files(actor=request.user, complaint=complaint, files=payload.validated_data["files"])
        rows = attachments.attachments_of(complaint)
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(ComplaintAttachmentSerializer(rows, many=True).data, status=code)


# --- transfers -----------------------------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(summary="移送函列表"),
    retrieve=extend_schema(summary="移送函详情", responses={200: TransferSerializer, 404: REFUSALS[404]}),
)
class TransferViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TransferSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Transfer]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Transfer.objects.none()
        return selectors.transfer_list(user=self.request.user)

    def get_object(self) -> Transfer:
        return scoping.get_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(summary="联席会议批量移送（每家法院一份移送函）", request=TransferBatchSerializer,
                   responses={201: TransferSerializer(many=True), **REFUSALS})
    @action(detail=False, methods=["post"], pagination_class=None)
    def batch(self, request: Request) -> Response:
        payload = TransferBatchSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        transfers = services.complaints_transfer_batch(actor=request.user, **payload.validated_data)
        rows = self.get_queryset().filter(pk__in=[t.pk for t in transfers]).order_by("sequence")
        return Response(TransferSerializer(rows, many=True, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="移送函（PDF）", request=None,
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: REFUSALS[404]})
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        transfer = self.get_object()
        return pdf_response(documents.transfer_letter_file(transfer), f"{transfer.number}.pdf")


# --- figures -------------------------------------------------------------------------------------

def figures_response(request: Request, compute, serializer_class) -> Response:
    """Validate the range and mechanism (404 outside the user's scope), compute, serialize: every figures endpoint."""
    query = FiguresQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    mechanism = None
    if "mechanism" in query.validated_data:
        mechanism = scoping.get_or_404(scoping.visible_mechanisms(request.user), pk=query.validated_data["mechanism"])
    data = compute(user=request.user, mechanism=mechanism, start=query.validated_data["start"],
                   end=query.validated_data["end"])
    return Response(serializer_class(data).data)


class ComplaintFiguresView(views.APIView):
    """Dashboard figures of complaints, computed in the database."""

    @extend_schema(summary="诉求统计（按状态、到期、平均工作日、按期反馈率、重新办理率、类型/行业/规模）",
                   parameters=[FiguresQuerySerializer],
                   responses={200: ComplaintFiguresSerializer, 400: REFUSALS[400], 404: REFUSALS[404]})
    def get(self, request: Request) -> Response:
        return figures_response(request, figures.complaint_figures, ComplaintFiguresSerializer)


class MechanismComparisonView(views.APIView):
    """The comparison of a higher-level unit: each mechanism it sees, side by side."""

    @extend_schema(summary="各机制运行情况对比（上级单位：本级及下级参与的机制）",
                   parameters=[ComparisonQuerySerializer],
                   responses={200: MechanismComparisonSerializer(many=True), 400: REFUSALS[400]})
    def get(self, request: Request) -> Response:
        query = ComparisonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = figures.mechanism_comparison(user=request.user, start=query.validated_data["start"],
                                            end=query.validated_data["end"])
        return Response(MechanismComparisonSerializer(rows, many=True).data)
