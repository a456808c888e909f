"""/api/v1/research-topics/: the research programme in scope, proposing, the declared steps
(agreement by a leader or at a joint meeting, finishing with the research report, dropping,
recording a use) and marking a milestone reached. Thin: parse, call one service, render."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from liaison import scoping
from liaison.api.common import REFUSALS, ScopedViewSet
from liaison.api.workflow import transition_endpoints
from liaison.errors import ActionRefused
from liaison.models import Mechanism, Organization, User
from meetings.models import Meeting

from .. import research, selectors
from ..models import Report, ResearchMilestone, ResearchTopic, ResearchUse
from ..research_choices import UseKind
from ..research_workflow import RESEARCH


class AgreeAtMeetingSerializer(serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all(), help_text="已召开的本机制会议 ID")


class FinishSerializer(serializers.Serializer):
    report = serializers.PrimaryKeyRelatedField(queryset=Report.objects.all(), help_text="本机制已发布的调研报告 ID")


class DropSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=300, help_text="撤销理由（必填）")


class UseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=UseKind.choices)
    title = serializers.CharField(max_length=200)
    used_on = serializers.DateField()
    link = serializers.URLField(max_length=300, required=False, allow_blank=True, default="")


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResearchMilestone
        fields = ["id", "title", "due_date", "done_at"]


class UseReadSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResearchUse
        fields = ["id", "kind", "title", "used_on", "link"]


class TopicSerializer(serializers.ModelSerializer):
    mechanism_name = serializers.CharField(source="mechanism.name", read_only=True)
    lead_organization_name = serializers.CharField(source="lead_organization.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ResearchTopic
        fields = [
            "id",
            "mechanism",
            "mechanism_name",
            "year",
            "title",
            "status",
            "status_display",
            "lead_organization",
            "lead_organization_name",
            "due_date",
            "result",
        ]


class TopicDetailSerializer(TopicSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    uses = UseReadSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(TopicSerializer.Meta):
        fields = [
            *TopicSerializer.Meta.fields,
            "description",
            "participants",
            "agreed_how",
            "agreed_meeting",
            "agreed_at",
            "reason",
            "milestones",
            "uses",
            "allowed_actions",
        ]

    def get_allowed_actions(self, topic: ResearchTopic) -> list[str]:
        return [rule.name for rule in RESEARCH.allowed(self.context["request"].user, topic)]


class MilestoneWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()


class TopicWriteSerializer(serializers.Serializer):
    mechanism = serializers.PrimaryKeyRelatedField(queryset=Mechanism.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    lead_organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    due_date = serializers.DateField()
    participants = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), many=True, required=False, default=list
    )
    milestones = MilestoneWriteSerializer(many=True, required=False, default=list)


DETAIL = {200: TopicDetailSerializer, **REFUSALS}


@transition_endpoints(RESEARCH, detail=TopicDetailSerializer)
@extend_schema_view(
    list=extend_schema(summary="调研课题（可按 year 筛选）"),
    retrieve=extend_schema(summary="调研课题详情（节点、转化运用、可办理的步骤）"),
    create=extend_schema(
        summary="提出调研课题", request=TopicWriteSerializer, responses={201: TopicDetailSerializer, **REFUSALS}
    ),
)
class ResearchTopicViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    subject = "topic"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[ResearchTopic]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ResearchTopic.objects.none()
        raw = (self.request.query_params.get("year") or "").strip()
        return selectors.research_list(user=self.request.user, year=int(raw) if raw.isdigit() else None)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return TopicSerializer if self.action == "list" else TopicDetailSerializer

    def get_object(self) -> ResearchTopic:
        return selectors.research_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        topic = selectors.research_get(user=self.request.user, pk=pk)
        return Response(TopicDetailSerializer(topic, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request) -> Response:
        data = dict(self._payload(TopicWriteSerializer).validated_data)
        mechanism = data.pop("mechanism")
        if not scoping.visible(Mechanism.objects.filter(pk=mechanism.pk), request.user, "").exists():
            raise ActionRefused(_("您所在单位不是该机制的参与单位，不能办理。"), ActionRefused.PERMISSION)
        milestones = [research.MilestoneData(m["title"], m["due_date"]) for m in data.pop("milestones")]
        topic = research.topic_propose(
            actor=request.user, mechanism=mechanism, data=research.TopicData(**data, milestones=milestones)
        )
        return self._detail(topic.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="登记节点完成", request=None, responses=DETAIL)
    @action(detail=True, methods=["post"], url_path=r"milestones/(?P<milestone>\d+)/done")
    def milestone_done(self, request: Request, pk: str | None = None, milestone: str | None = None) -> Response:
        topic = self.get_object()
        found = scoping.get_or_404(ResearchMilestone.objects.filter(topic=topic).select_related("topic"), pk=milestone)
        research.milestone_done(actor=request.user, milestone=found)
        return self._detail(topic.pk)
