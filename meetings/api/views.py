"""Meetings API: parse with a serializer, call one selector or service, render.

Refusals of the services (ActionRefused) become 403/409/400 in `liaison.api.exceptions`; anything
outside the user's scope is not found (404), because every object comes from a scoped selector.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.serializers import TransferSerializer
from liaison.api.common import PDF_RESPONSES, REFUSALS, ScopedViewSet, UserFilterBackend
from liaison.api.parsers import BoundedJSONParser
from liaison.api.renderers import PDFRenderer
from liaison.api.workflow import transition_endpoints
from liaison.downloads import XLSX, download

from .. import documents, exports, ics, imports, selectors, services, workflow
from ..choices import ItemSource
from ..filters import ActionItemFilter, MeetingFilter, MinutesFilter
from ..models import ActionItem, DualList, Meeting, Minutes
from .serializers import (
    ActionItemDetailSerializer,
    ActionItemSerializer,
    AgendaTransferSerializer,
    AttendanceRecordSerializer,
    DualListImportSerializer,
    DualListSerializer,
    DualListWriteSerializer,
    InviteeSerializer,
    MeetingDetailSerializer,
    MeetingRsvpSerializer,
    MeetingSerializer,
    MeetingWriteSerializer,
    MinutesDetailSerializer,
    MinutesSerializer,
    MinutesWriteSerializer,
    ProgressReportSerializer,
    ProgressWriteSerializer,
)

PDF = PDF_RESPONSES
ScopedFilterBackend = UserFilterBackend


# --- meetings ------------------------------------------------------------------------------------------

MEETING = {200: MeetingDetailSerializer, **REFUSALS}


def _meeting_step(summary: str, request: type[serializers.Serializer] | None = None) -> Callable:
    return extend_schema(summary=summary, request=request, responses=MEETING)


@extend_schema_view(
    list=extend_schema(summary="会议列表（按机制、类型、状态、年度筛选）"),
    retrieve=extend_schema(summary="会议详情（参会人员、议题、可办理的操作）", responses=MEETING),
    create=extend_schema(
        summary="安排会议（联席会议的议题默认包括未办结督办事项和待移送诉求）",
        request=MeetingWriteSerializer,
        responses={201: MeetingDetailSerializer, **REFUSALS},
    ),
    partial_update=extend_schema(
        summary="修改会议（已发通知的，参会人员收到更新的日历邀请）", request=MeetingWriteSerializer, responses=MEETING
    ),
)
@transition_endpoints(workflow.MEETING, detail=MeetingDetailSerializer)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    subject = "meeting"
    filter_backends = [ScopedFilterBackend]
    filterset_class = MeetingFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Meeting]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Meeting.objects.none()
        return selectors.meeting_list(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return MeetingSerializer if self.action == "list" else MeetingDetailSerializer

    def get_object(self) -> Meeting:
        return selectors.meeting_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        meeting = selectors.meeting_get(user=self.request.user, pk=pk)
        context = {
            **self.get_serializer_context(),
            "visible_complaints": selectors.visible_complaint_ids(self.request.user, meeting),
        }
        return Response(MeetingDetailSerializer(meeting, context=context).data, status=code)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return self._detail(self.get_object().pk)

    def create(self, request: Request) -> Response:
        payload = self._payload(MeetingWriteSerializer)
        d = payload.validated_data
        meeting = services.meeting_create(
            actor=request.user,
            mechanism=d["mechanism"],
            data=payload.as_data(),
            action_items=d.get("action_items"),
            complaints=d.get("complaints"),
        )
        return self._detail(meeting.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        payload = MeetingWriteSerializer(
            meeting, data=request.data, partial=True, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        services.meeting_update(actor=request.user, meeting=meeting, data=payload.as_data())
        return self._detail(meeting.pk)

    @_meeting_step("回复是否参加（本人；会议秘书可代为回复）", MeetingRsvpSerializer)
    @action(detail=True, methods=["post"])
    def rsvp(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        d = self._payload(MeetingRsvpSerializer).validated_data
        invitees = {i.pk: i for i in meeting.invitees.all()}
        if "invitee" in d:
            invitee = invitees.get(d["invitee"])
        else:
            invitee = selectors.my_invitation(request.user, meeting)
        if invitee is None:
            raise serializers.ValidationError({"invitee": ["您不在本次会议的参会名单中。"]})
        services.invitee_rsvp(actor=request.user, invitee=invitee, answer=d["answer"], note=d["note"])
        return self._detail(meeting.pk)

    @extend_schema(
        methods=["GET"],
        summary="出席情况",
        request=None,
        responses={200: InviteeSerializer(many=True), 404: REFUSALS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary="登记出席情况（出席、缺席、委托出席）",
        request=AttendanceRecordSerializer,
        responses={200: InviteeSerializer(many=True), **REFUSALS},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        invitees = {i.pk: i for i in meeting.invitees.all()}
        if request.method == "POST":
            entries = self._payload(AttendanceRecordSerializer).validated_data["entries"]
            unknown = [e["invitee"] for e in entries if e["invitee"] not in invitees]
            if unknown:
                raise serializers.ValidationError({"entries": [f"参会人员 {unknown[0]} 不属于本次会议。"]})
            services.attendance_record(
                actor=request.user,
                meeting=meeting,
                entries=[
                    services.AttendanceEntry(invitees[e["invitee"]], e["attendance"], e["represented_by"])
                    for e in entries
                ],
            )
            meeting = self.get_object()
        return Response(InviteeSerializer(meeting.invitees.all(), many=True).data)

    @extend_schema(
        summary="在本次会议移送议题中的诉求（工商联；每家法院一份移送函）",
        request=AgendaTransferSerializer,
        responses={201: TransferSerializer(many=True), **REFUSALS},
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def transfer(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        d = self._payload(AgendaTransferSerializer).validated_data
        item = next((a for a in meeting.agenda_items.all() if a.pk == d["agenda_item"]), None)
        if item is None:
            raise serializers.ValidationError({"agenda_item": ["议题不属于本次会议。"]})
        transfers = services.agenda_transfer(actor=request.user, item=item, complaints=d["complaints"])
        return Response(
            TransferSerializer(transfers, many=True, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(summary="签到表（PDF）", request=None, responses=PDF)
    @action(
        detail=True, methods=["get"], url_path="sign-in-sheet", renderer_classes=[renderers.JSONRenderer, PDFRenderer]
    )
    def sign_in_sheet(self, request: Request, pk: str | None = None) -> HttpResponse:
        meeting = self.get_object()
        return download(documents.sign_in_sheet_pdf(meeting), f"签到表-{meeting.title}.pdf", inline=True)

    @extend_schema(
        summary="会议日历（.ics）",
        request=None,
        responses={(200, "text/calendar"): OpenApiTypes.BINARY, 404: REFUSALS[404]},
    )
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer])
    def ics(self, request: Request, pk: str | None = None) -> HttpResponse:
        meeting = self.get_object()
        return HttpResponse(
            ics.invitation(meeting, "PUBLISH", meeting.invitees.all()), content_type="text/calendar; charset=utf-8"
        )


# --- minutes ------------------------------------------------------------------------------------------

MINUTES = {200: MinutesDetailSerializer, **REFUSALS}


@extend_schema_view(
    list=extend_schema(summary="会议纪要列表"),
    retrieve=extend_schema(summary="会议纪要详情（议题、议定事项、督办事项、各方审定、分送）", responses=MINUTES),
    create=extend_schema(
        summary="起草纪要（会议确认召开后）",
        request=MinutesWriteSerializer,
        responses={201: MinutesDetailSerializer, **REFUSALS},
    ),
    partial_update=extend_schema(
        summary="修改纪要（草稿或退回修改；已印发的不能修改）", request=MinutesWriteSerializer, responses=MINUTES
    ),
)
@transition_endpoints(workflow.MINUTES, detail=MinutesDetailSerializer)
class MinutesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    subject = "minutes"
    filter_backends = [ScopedFilterBackend]
    filterset_class = MinutesFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Minutes]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Minutes.objects.none()
        return selectors.minutes_list(user=self.request.user)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return MinutesSerializer if self.action == "list" else MinutesDetailSerializer

    def get_object(self) -> Minutes:
        return selectors.minutes_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        minutes = selectors.minutes_get(user=self.request.user, pk=pk)
        return Response(MinutesDetailSerializer(minutes, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request) -> Response:
        payload = self._payload(MinutesWriteSerializer)
        meeting = selectors.meeting_get(user=request.user, pk=payload.validated_data["meeting"].pk)
        minutes = services.minutes_create(actor=request.user, meeting=meeting, data=payload.as_data(meeting))
        return self._detail(minutes.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        minutes = self.get_object()
        payload = MinutesWriteSerializer(minutes, data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        meeting = selectors.meeting_get(user=request.user, pk=minutes.meeting_id)
        services.minutes_update(actor=request.user, minutes=minutes, data=payload.as_data(meeting))
        return self._detail(minutes.pk)

    @extend_schema(summary="会议纪要（PDF，公文格式）", request=None, responses=PDF)
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        minutes = self.get_object()
        name = f"{minutes.number} {minutes.title}.pdf" if minutes.number else f"{minutes.title}.pdf"
        return download(documents.minutes_file(minutes), name, inline=True)


# --- action items and tasks ---------------------------------------------------------------------------

ITEM = {200: ActionItemDetailSerializer, **REFUSALS}


@transition_endpoints(workflow.ITEM, detail=ActionItemDetailSerializer)
class _ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Action items (source "minutes") or dual-list tasks (source "dual_list"): the same supervision."""

    subject = "item"

    source: str = ItemSource.MINUTES
    filter_backends = [ScopedFilterBackend]
    filterset_class = ActionItemFilter

    def get_queryset(self) -> QuerySet[ActionItem]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ActionItem.objects.none()
        return selectors.item_list(user=self.request.user, source=self.source)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return ActionItemSerializer if self.action == "list" else ActionItemDetailSerializer

    def get_object(self) -> ActionItem:
        return selectors.item_get(user=self.request.user, pk=self.kwargs["pk"], source=self.source)

    def _detail(self, pk: int) -> Response:
        item = selectors.item_get(user=self.request.user, pk=pk, source=self.source)
        return Response(ActionItemDetailSerializer(item, context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["GET"],
        summary="进展报告",
        request=None,
        responses={200: ProgressReportSerializer(many=True), 404: REFUSALS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary="报告进展（责任单位；可附文件，可申请办结销号）",
        request={"multipart/form-data": ProgressWriteSerializer, "application/json": ProgressWriteSerializer},
        responses={201: ProgressReportSerializer, **REFUSALS},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[BoundedJSONParser, MultiPartParser, FormParser],
        pagination_class=None,
        filter_backends=[],
    )
    def progress(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        if request.method == "POST":
            d = self._payload(ProgressWriteSerializer).validated_data
            report = services.item_report_progress(
                actor=request.user, item=item, text=d["text"], completed=d["completed"], files=d["files"]
            )
            return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)
        return Response(ProgressReportSerializer(selectors.progress_reports(item), many=True).data)


@extend_schema_view(
    list=extend_schema(summary="督办事项列表（逾期在前；state=overdue 筛选逾期）"),
    retrieve=extend_schema(summary="督办事项详情", responses=ITEM),
)
class ActionItemViewSet(_ItemViewSet):
    source = ItemSource.MINUTES


@extend_schema_view(
    list=extend_schema(summary="双清单任务列表（逾期在前）"),
    retrieve=extend_schema(summary="双清单任务详情", responses=ITEM),
    progress=extend_schema(summary="双清单任务进展报告"),
    close=extend_schema(summary="双清单任务办结销号（会议秘书一方）"),
)
class TaskViewSet(_ItemViewSet):
    source = ItemSource.DUAL_LIST


# --- dual lists ---------------------------------------------------------------------------------------

DUAL = {200: DualListSerializer, **REFUSALS}


@extend_schema_view(
    list=extend_schema(summary="双清单列表"),
    retrieve=extend_schema(summary="双清单", responses=DUAL),
    create=extend_schema(
        summary="编制双清单（机制、年度）",
        request=DualListWriteSerializer,
        responses={201: DualListSerializer, **REFUSALS},
    ),
)
@transition_endpoints(workflow.DUAL_LIST, detail=DualListSerializer)
class DualListViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    subject = "dual_list"
    serializer_class = DualListSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[DualList]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return DualList.objects.none()
        return selectors.dual_list_list(user=self.request.user)

    def get_object(self) -> DualList:
        return selectors.dual_list_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            DualListSerializer(
                selectors.dual_list_get(user=self.request.user, pk=pk), context=self.get_serializer_context()
            ).data,
            status=code,
        )

    def create(self, request: Request) -> Response:
        d = self._payload(DualListWriteSerializer).validated_data
        dual_list = services.dual_list_create(actor=request.user, **d)
        return self._detail(dual_list.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="从 Excel 导入任务（替换草拟任务；任何一行有误时不保存，并逐行说明）",
        request={"multipart/form-data": DualListImportSerializer},
        responses=DUAL,
    )
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_tasks(self, request: Request, pk: str | None = None) -> Response:
        dual_list = self.get_object()
        payload = self._payload(DualListImportSerializer).validated_data
        upload = payload["file"]
        rows = imports.parse_dual_list(upload, dual_list.mechanism)
        services.dual_list_replace_tasks(
            actor=request.user,
            dual_list=dual_list,
            rows=rows,
            source=upload.name,
            create_departments=payload["create_departments"],
        )
        return self._detail(dual_list.pk)

    @extend_schema(
        summary="导出 Excel（与导入相同的列）",
        request=None,
        responses={(200, XLSX): OpenApiTypes.BINARY, 404: REFUSALS[404]},
    )
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer])
    def export(self, request: Request, pk: str | None = None) -> HttpResponse:
        dual_list = self.get_object()
        content = exports.dual_list_workbook(
            dual_list, selectors.dual_list_tasks(user=request.user, dual_list=dual_list)
        )
        return download(content, f"dual-list-{dual_list.year}.xlsx")
