"""Report API: parse with a serializer, call one selector or service, render."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from liaison import scoping
from liaison.api.common import REFUSALS as ACTION_REFUSALS
from liaison.api.common import ScopedViewSet
from liaison.api.exceptions import STATUS
from liaison.api.parsers import BoundedJSONParser
from liaison.api.renderers import PDFRenderer
from liaison.api.workflow import transition_endpoints
from liaison.downloads import download
from liaison.errors import ActionRefused

from .. import documents, monthly, selectors, services
from ..filters import ReportFilter
from ..models import MonthlyReport, Report, Suggestion
from ..suggestions import suggestion_list
from ..workflow import REPORT, SUGGESTION
from .serializers import (
    MonthlyGenerateSerializer,
    MonthlyReportSerializer,
    OpinionSerializer,
    OpinionWriteSerializer,
    ReportDetailSerializer,
    ReportSerializer,
    ReportWriteSerializer,
    SuggestionSerializer,
)


def refused(error: ActionRefused) -> Response:
    return Response({"detail": error.message}, status=STATUS.get(error.code, 400))


REFUSALS = {
    400: OpenApiResponse(description="输入有误或已过截止日期"),
    403: OpenApiResponse(description="角色或单位无权办理"),
    404: OpenApiResponse(description="不存在或不在可见范围"),
    409: OpenApiResponse(description="当前状态不允许该操作"),
}


@extend_schema_view(
    list=extend_schema(summary="共享案例列表（检索与筛选）"),
    retrieve=extend_schema(summary="共享案例详情"),
    create=extend_schema(
        summary="撰写草稿", request=ReportWriteSerializer, responses={201: ReportDetailSerializer, **REFUSALS}
    ),
    partial_update=extend_schema(
        summary="修改草稿（仅发布单位、仅草稿）",
        request=ReportWriteSerializer,
        responses={200: ReportDetailSerializer, **REFUSALS},
    ),
    update=extend_schema(
        summary="修改草稿（全部字段）",
        request=ReportWriteSerializer,
        responses={200: ReportDetailSerializer, **REFUSALS},
    ),
)
@transition_endpoints(REPORT, detail=ReportDetailSerializer)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Shared reports; the steps on one report (publish, withdraw, reopen) come from `workflow.REPORT`."""

    subject = "report"
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = ReportFilter
    ordering_fields = ["published_at", "created_at", "title"]
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Report.objects.none()
        return selectors.report_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return ReportSerializer
        return ReportDetailSerializer

    def _write(self, request: Request, instance: Report | None, *, partial: bool) -> Response:
        payload = ReportWriteSerializer(
            instance, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        files = data.pop("files", [])
        try:
            if instance is None:
                report = services.report_create(**data, files=files, actor=request.user)
            else:
                report = services.report_update(report=instance, data=data, files=files, actor=request.user)
        except ActionRefused as error:
            return refused(error)
        report = selectors.report_get(user=request.user, pk=report.pk)
        return Response(
            ReportDetailSerializer(report, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if instance is None else status.HTTP_200_OK,
        )

    def create(self, request: Request) -> Response:
        return self._write(request, None, partial=False)

    def update(self, request: Request, pk: str | None = None) -> Response:
        return self._write(request, self.get_object(), partial=False)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self._write(request, self.get_object(), partial=True)

    def _detail(self, pk: int, code: int = 200) -> Response:
        report = selectors.report_get(user=self.request.user, pk=pk)
        return Response(ReportDetailSerializer(report, context=self.get_serializer_context()).data, status=code)

    @extend_schema(methods=["get"], summary="反馈意见列表", request=None, responses=OpinionSerializer(many=True))
    @extend_schema(
        methods=["post"],
        summary="对法规规章草案提交反馈意见（截止日前）",
        request=OpinionWriteSerializer,
        responses={201: OpinionSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def opinions(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        if request.method == "GET":
            rows = selectors.opinion_list(user=request.user, report=report)
            return Response(OpinionSerializer(rows, many=True).data)
        payload = OpinionWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            opinion = services.opinion_submit(
                report=report,
                text=payload.validated_data["text"],
                files=payload.validated_data["files"],
                actor=request.user,
            )
        except ActionRefused as error:
            return refused(error)
        return Response(OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="打印版（PDF）",
        request=None,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: REFUSALS[404]},
    )
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PDFRenderer], filter_backends=[])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        report = self.get_object()
        return download(documents.report_pdf(report), documents.report_pdf_filename(report), inline=True)


@extend_schema_view(
    list=extend_schema(summary="月度运行情况通报列表（可按机制、年度筛选）"),
    retrieve=extend_schema(summary="月度运行情况通报（本月、上月、较上月、本年累计）"),
)
class MonthlyReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MonthlyReportSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["mechanism", "year", "month"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return MonthlyReport.objects.none()
        return selectors.monthly_list(user=self.request.user)

    @extend_schema(
        summary="生成或重新生成某机制某月的通报（领导、会议秘书）",
        request=MonthlyGenerateSerializer,
        responses={
            200: MonthlyReportSerializer,
            400: ACTION_REFUSALS[400],
            403: ACTION_REFUSALS[403],
            404: ACTION_REFUSALS[404],
        },
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def generate(self, request: Request) -> Response:
        payload = MonthlyGenerateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        mechanism = scoping.get_or_404(scoping.visible_mechanisms(request.user), pk=data["mechanism"])
        made = monthly.generate_monthly_report(
            mechanism=mechanism, year=data["year"], month=data["month"], actor=request.user
        )
        return Response(MonthlyReportSerializer(selectors.monthly_list(user=request.user).get(pk=made.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="司法建议与风险提示（征求意见中、已发出待回复、已回复、逾期未回复）"),
    retrieve=extend_schema(
        summary="司法建议办理详情", responses={200: SuggestionSerializer, 404: ACTION_REFUSALS[404]}
    ),
)
@transition_endpoints(SUGGESTION, detail=SuggestionSerializer)
class SuggestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Judicial suggestions and risk reports by their own id; the steps are generated from the workflow."""

    subject = "suggestion"
    serializer_class = SuggestionSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Suggestion]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Suggestion.objects.none()
        return suggestion_list(user=self.request.user).order_by("-pk")

    def get_object(self) -> Suggestion:
        return scoping.get_or_404(suggestion_list(user=self.request.user), pk=self.kwargs["pk"])

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        suggestion = scoping.get_or_404(suggestion_list(user=self.request.user), pk=pk)
        return Response(SuggestionSerializer(suggestion, context=self.get_serializer_context()).data, status=code)
