"""Cases API: parse with a serializer, call one selector or service, render.

Refusals of the services (ActionRefused) become 403/409/400 in `liaison.api.exceptions`;
anything outside the user's scope is not found (404), because every object comes from a scoped
selector.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from liaison import attachments, scoping
from liaison.api.common import REFUSALS, ScopedViewSet, UserFilterBackend
from liaison.api.pagination import CappedCountPagination
from liaison.api.renderers import PDFRenderer
from liaison.api.workflow import transition_endpoints
from liaison.downloads import download
from liaison.paging import COUNT_CAP

from .. import documents, selectors, services
from ..filters import ComplaintFilter, EnterpriseFilter
from ..models import Complaint, Enterprise, Transfer
from ..workflow import COMPLAINT
from .serializers import (
    ComplaintAttachmentSerializer,
    ComplaintDetailSerializer,
    ComplaintFilesSerializer,
    ComplaintMessageSerializer,
    ComplaintMessageWriteSerializer,
    ComplaintSerializer,
    ComplaintWriteSerializer,
    EnterpriseSerializer,
    EnterpriseWriteSerializer,
    TransferBatchSerializer,
    TransferSerializer,
)
from .serializers.complaint_rows import ComplaintRows
from .serializers.complaint_shape import detail_of


class ComplaintFilterBackend(UserFilterBackend):
    """ComplaintFilter needs the user for its work queues and its choices of court and enterprise;
    the API renders no filter form, so only the filters the request names are built."""

    def get_filterset_kwargs(self, request: Request, queryset: QuerySet, view: viewsets.GenericViewSet) -> dict:
        return {**super().get_filterset_kwargs(request, queryset, view), "given_only": True}


# --- enterprises ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="企业列表（名称或信用代码检索、规模、行业）"),
    retrieve=extend_schema(summary="企业详情", responses={200: EnterpriseSerializer, 404: REFUSALS[404]}),
    create=extend_schema(
        summary="登记企业", request=EnterpriseWriteSerializer, responses={201: EnterpriseSerializer, **REFUSALS}
    ),
    update=extend_schema(
        summary="修改企业信息（全部字段）",
        request=EnterpriseWriteSerializer,
        responses={200: EnterpriseSerializer, **REFUSALS},
    ),
    partial_update=extend_schema(
        summary="修改企业信息（仅登记单位）",
        request=EnterpriseWriteSerializer,
        responses={200: EnterpriseSerializer, **REFUSALS},
    ),
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
        enterprise = services.enterprise_register(
            actor=request.user, mechanism=payload.validated_data["mechanism"], data=payload.as_data()
        )
        return self._render(enterprise, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str | None = None, partial: bool = False) -> Response:
        enterprise = self.get_object()
        payload = EnterpriseWriteSerializer(
            enterprise, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        services.enterprise_update(actor=request.user, enterprise=enterprise, data=payload.as_data())
        return self._render(enterprise)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk, partial=True)


# --- complaints ----------------------------------------------------------------------------------

DETAIL = {200: ComplaintDetailSerializer, **REFUSALS}


class ComplaintCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="筛选条件下的诉求总数（精确）")


@extend_schema_view(
    list=extend_schema(
        summary="诉求列表（工作队列、筛选、检索、排序）",
        description=f"count 超过 {COUNT_CAP} 时只计到 {COUNT_CAP} 并标明 count_capped；精确总数用 count=exact 或 /complaints/count/。",
    ),
    retrieve=extend_schema(summary="诉求详情（含当前用户可办理的操作）", responses=DETAIL),
    create=extend_schema(
        summary="填报诉求（草稿）",
        request=ComplaintWriteSerializer,
        responses={201: ComplaintDetailSerializer, **REFUSALS},
    ),
    partial_update=extend_schema(
        summary="修改诉求（草稿、待补充材料、审核中）", request=ComplaintWriteSerializer, responses=DETAIL
    ),
)
@transition_endpoints(COMPLAINT, detail=ComplaintDetailSerializer)
class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    subject = "complaint"
    filter_backends = [ComplaintFilterBackend]
    filterset_class = ComplaintFilter
    # The total exact up to 2,000 complaints, `count_capped` above (`?count=exact`, or `count/`).
    pagination_class = CappedCountPagination

    def get_queryset(self) -> QuerySet[Complaint]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Complaint.objects.none()
        return selectors.complaint_list(user=self.request.user)

    def get_object(self) -> Complaint:
        return selectors.complaint_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_serializer_class(self) -> type[serializers.Serializer]:
        # allowed_actions costs queries per complaint, so lists leave it out.
        return ComplaintSerializer if self.action == "list" else ComplaintDetailSerializer

    def list(self, request: Request) -> Response:
        # The rows as columns, shaped as ComplaintSerializer shapes them (see ComplaintRows).
        rows = ComplaintRows()
        searched = bool(request.query_params.get("q", "").strip())
        queryset = rows.read(self.filter_queryset(self.get_queryset()), search=searched)
        page = self.paginate_queryset(queryset)
        if page is None:
            return Response(rows.shape(list(queryset)))
        return self.get_paginated_response(rows.shape(page))

    @extend_schema(
        summary="诉求总数（与列表相同的筛选、检索，精确统计）",
        description=f"列表的 count 超过 {COUNT_CAP} 时只计到 {COUNT_CAP}（count_capped 为 true）；此处返回精确总数。",
        filters=True,
        responses={200: ComplaintCountSerializer},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def count(self, request: Request) -> Response:
        # The exact number the list's filters find, which a list above its counting cap
        # (`count_capped`) leaves out: asked separately, so the page itself stays fast.
        return Response({"count": self.filter_queryset(self.get_queryset()).count()})

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        complaint = selectors.complaint_get(user=self.request.user, pk=pk)
        return Response(ComplaintDetailSerializer(complaint, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request) -> Response:
        payload = self._payload(ComplaintWriteSerializer)
        data = payload.as_data()
        complaint = services.complaint_create(
            actor=request.user,
            mechanism=data.enterprise.mechanism,
            data=data,
            routing_parties=payload.routing.parties,
        )
        # Shown from the complaint in hand: its enterprise, court, filer and mechanism are loaded,
        # its case numbers are those it was filed with, and a new draft, the filer's own, has no
        # handler, department, transfer, deadline or review yet.
        shown = detail_of(
            complaint, user=request.user, case_numbers=services.filed_case_numbers(data.case_numbers), review=None
        )
        return Response(shown, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        payload = ComplaintWriteSerializer(
            complaint, data=request.data, partial=True, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        services.complaint_update(actor=request.user, complaint=complaint, data=payload.as_data())
        return self._detail(complaint.pk)

    @extend_schema(
        methods=["GET"],
        summary="沟通留言（对方可见的留言和本单位内部备注）",
        request=None,
        responses={200: ComplaintMessageSerializer(many=True), 404: REFUSALS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary="留言或写内部备注",
        request=ComplaintMessageWriteSerializer,
        responses={201: ComplaintMessageSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def messages(self, request: Request, pk: str | None = None) -> Response:
        complaint = self.get_object()
        if request.method == "GET":
            rows = selectors.complaint_messages(user=request.user, complaint=complaint)
            return Response(ComplaintMessageSerializer(rows, many=True).data)
        payload = self._payload(ComplaintMessageWriteSerializer, complaint=complaint)
        message = services.message_post(actor=request.user, complaint=complaint, **payload.validated_data)
        return Response(ComplaintMessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="附件列表",
        request=None,
        responses={200: ComplaintAttachmentSerializer(many=True), 404: REFUSALS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary="上传附件（仅 PDF、图片、Word、Excel）",
        request={"multipart/form-data": ComplaintFilesSerializer},
        responses={201: ComplaintAttachmentSerializer(many=True), **REFUSALS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
        filter_backends=[],
    )
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

    @extend_schema(
        summary="联席会议批量移送（每家法院一份移送函）",
        request=TransferBatchSerializer,
        responses={201: TransferSerializer(many=True), **REFUSALS},
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def batch(self, request: Request) -> Response:
        payload = TransferBatchSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        transfers = services.complaints_transfer_batch(actor=request.user, **payload.validated_data)
        rows = self.get_queryset().filter(pk__in=[t.pk for t in transfers]).order_by("sequence")
        return Response(
            TransferSerializer(rows, many=True, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="移送函（PDF）",
        request=None,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: REFUSALS[404]},
    )
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        transfer = self.get_object()
        return download(documents.transfer_letter_file(transfer), f"{transfer.number}.pdf", inline=True)
