"""/api/v1/figures/…: the figures of complaints, meetings and mediation, and the comparison of mechanisms.

Each app computes its own figures; these endpoints check the range and the mechanism the same way
(400 with a message, 404 for a mechanism outside the user's scope) and serialize the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, views
from rest_framework.request import Request
from rest_framework.response import Response

from cases.figures import complaint_figures
from liaison import scoping
from liaison.api.common import REFUSALS
from liaison.deadlines import today
from liaison.limits import validate_supported_date
from liaison.replica import use_replica
from mediation.api.serializers import MediationFiguresSerializer
from mediation.figures import mediation_figures
from meetings.activity_figures import activity_figures
from meetings.api.serializers import ItemFiguresSerializer, MeetingFiguresSerializer
from meetings.figures import meeting_figures

from ..figures import mechanism_comparison

# --- serializers ---------------------------------------------------------------------------------


class FiguresQuerySerializer(serializers.Serializer):
    """The range and mechanism of a figures request; the range defaults to the current month."""

    mechanism = serializers.IntegerField(required=False, min_value=1, help_text="机制 ID；不填为可见的全部机制")
    start = serializers.DateField(
        required=False, validators=[validate_supported_date], help_text="统计期间起（含），默认本月 1 日"
    )
    end = serializers.DateField(
        required=False, validators=[validate_supported_date], help_text="统计期间止（含），默认本月末"
    )

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


class SatisfactionFiguresSerializer(serializers.Serializer):
    sample = serializers.IntegerField(help_text="评价件数（在线评价和回访，样本量）")
    satisfied = serializers.IntegerField(help_text="满意")
    basically = serializers.IntegerField(help_text="基本满意")
    dissatisfied = serializers.IntegerField(help_text="不满意")
    online = serializers.IntegerField(help_text="其中企业在线评价")
    calls = serializers.IntegerField(help_text="其中工商联回访")
    rated_complaints = serializers.IntegerField(help_text="有评价的诉求数")
    reopen_requests = serializers.IntegerField(help_text="申请重新办理数")
    minimum_sample = serializers.IntegerField(help_text="计算满意率的最低样本量")
    satisfaction_rate = serializers.FloatField(
        allow_null=True, help_text="满意率（0–1，满意和基本满意；样本不足最低样本量时为空）"
    )
    satisfaction_note = serializers.CharField(help_text="样本不足时的说明")
    followup_coverage = serializers.FloatField(allow_null=True, help_text="回访覆盖率（0–1，分母为曾反馈的诉求）")
    answered_for_followup = serializers.IntegerField(help_text="曾反馈的诉求数（回访覆盖率的分母）")


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
    under_supervision = serializers.IntegerField(help_text="纳入四类案件监管的诉求数")
    by_kind = FigureCountSerializer(many=True)
    by_industry = FigureCountSerializer(many=True)
    by_size = FigureCountSerializer(many=True)
    satisfaction = SatisfactionFiguresSerializer(help_text="企业满意度与回访覆盖率")


class ActivityMechanismSerializer(serializers.Serializer):
    mechanism = serializers.IntegerField()
    mechanism_name = serializers.CharField()
    held = serializers.IntegerField(help_text="举办的活动数")
    enterprises_reached = serializers.IntegerField(help_text="覆盖企业数")


class ActivityFiguresSerializer(serializers.Serializer):
    """Figures of the activities held in the range (see `meetings.activity_figures`)."""

    mechanism = serializers.IntegerField(allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()
    held = serializers.IntegerField(help_text="期间举办的活动数（不含取消的）")
    participants = serializers.IntegerField(help_text="签到人次")
    registered = serializers.IntegerField(help_text="报名（非候补）人次")
    enterprises_reached = serializers.IntegerField(help_text="覆盖企业数")
    by_kind = FigureCountSerializer(many=True)
    by_mechanism = ActivityMechanismSerializer(many=True)


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
    under_supervision = serializers.IntegerField(help_text="纳入四类案件监管的诉求数")


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


# --- views ---------------------------------------------------------------------------------------


def figures_response(
    request: Request, compute: Callable[..., dict], serializer_class: type[serializers.Serializer]
) -> Response:
    """Validate the range and mechanism (404 outside the user's scope), compute, serialize: every figures endpoint."""
    query = FiguresQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    mechanism = None
    if "mechanism" in query.validated_data:
        mechanism = scoping.get_or_404(scoping.visible_mechanisms(request.user), pk=query.validated_data["mechanism"])
    data = compute(
        user=request.user, mechanism=mechanism, start=query.validated_data["start"], end=query.validated_data["end"]
    )
    return Response(serializer_class(data).data)


def figures_view(
    name: str,
    compute: Callable[..., dict],
    serializer_class: type[serializers.Serializer],
    *,
    summary: str,
    description: str,
) -> type[views.APIView]:
    """A read-only endpoint for one app's figures: the same query, scope and errors for each app."""

    @extend_schema(
        summary=summary,
        parameters=[FiguresQuerySerializer],
        responses={200: serializer_class, 400: REFUSALS[400], 404: REFUSALS[404]},
    )
    @use_replica()
    def get(self: views.APIView, request: Request) -> Response:
        return figures_response(request, compute, serializer_class)

    return type(name, (views.APIView,), {"__doc__": description, "__module__": __name__, "get": get})


ComplaintFiguresView = figures_view(
    "ComplaintFiguresView",
    complaint_figures,
    ComplaintFiguresSerializer,
    summary="诉求统计（按状态、到期、平均工作日、按期反馈率、重新办理率、类型/行业/规模）",
    description="Dashboard figures of complaints, computed in the database.",
)
MeetingFiguresView = figures_view(
    "MeetingFiguresView",
    meeting_figures,
    MeetingFiguresSerializer,
    summary="会议与督办统计（联席会议召开与应召开、全体会议、督办事项与双清单任务按期办结、逾期）",
    description="Dashboard figures, computed in the database; a mechanism outside the user's scope is not found.",
)
MediationFiguresView = figures_view(
    "MediationFiguresView",
    mediation_figures,
    MediationFiguresSerializer,
    summary="调解统计（委派、办结、达成协议、成功率、平均用时、期限内办结率）",
    description="Dashboard figures, computed in the database; a mechanism outside the user's scope is not found.",
)

ActivityFiguresView = figures_view(
    "ActivityFiguresView",
    activity_figures,
    ActivityFiguresSerializer,
    summary="活动统计（按机制和类型的举办次数、签到人次、覆盖企业数）",
    description="Figures of the activities held in the range, computed in the database.",
)


class MechanismComparisonView(views.APIView):
    """The comparison of a higher-level unit: each mechanism it sees, side by side."""

    @extend_schema(
        summary="各机制运行情况对比（上级单位：本级及下级参与的机制）",
        parameters=[ComparisonQuerySerializer],
        responses={200: MechanismComparisonSerializer(many=True), 400: REFUSALS[400]},
    )
    @use_replica()
    def get(self, request: Request) -> Response:
        query = ComparisonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = mechanism_comparison(
            user=request.user, start=query.validated_data["start"], end=query.validated_data["end"]
        )
        return Response(MechanismComparisonSerializer(rows, many=True).data)
