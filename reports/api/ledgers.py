"""/api/v1/ledgers/overdue/ and /api/v1/ledgers/evaluation/: the overdue ledger and the evaluation table.

Read-only and thin: the query is checked by a serializer (400 with a Chinese message), the mechanism
must be one the user sees (404 otherwise, as for the figures), then `reports.ledgers` does the rest.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, views
from rest_framework.request import Request
from rest_framework.response import Response

from liaison import scoping
from liaison.api.common import REFUSALS
from liaison.deadlines import today
from liaison.models import Mechanism, Organization
from liaison.replica import use_replica

from ..ledgers import LedgerKind, evaluation_table, ledger_owners, overdue_ledger

KIND_VALUES = "、".join(LedgerKind.values)


# --- queries -------------------------------------------------------------------------------------


class LedgerQuerySerializer(serializers.Serializer):
    """The filters of the overdue ledger; the user comes in the context (`user`)."""

    mechanism = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="机制 ID；不填为可见的全部机制（不可见的机制答 404）",
        error_messages={"invalid": _("机制须为数字 ID。"), "min_value": _("机制须为数字 ID。")},
    )
    owner = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="责任单位 ID（可见机制的参与单位或可见的调解组织）",
        error_messages={"invalid": _("责任单位须为数字 ID。"), "min_value": _("责任单位须为数字 ID。")},
    )
    kind = serializers.ChoiceField(
        choices=LedgerKind.choices,
        required=False,
        help_text=f"事项类别：{KIND_VALUES}",
        error_messages={
            "invalid_choice": _(
                "事项类别无效，可选：complaint（涉企诉求）、action_item（督办事项）、"
                "task（双清单任务）、mediation（调解案件）、research_milestone（调研课题节点）。"
            )
        },
    )

    def validate_owner(self, value: int) -> Organization:
        owner = ledger_owners(user=self.context["user"]).filter(pk=value).first()
        if owner is None:
            raise serializers.ValidationError(_("所选责任单位不存在或不在可见范围内。"))
        return owner


class EvaluationQuerySerializer(LedgerQuerySerializer):
    """The filters of the evaluation table: the year (this year by default), mechanism and owner."""

    kind = None
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="年度，默认今年",
        error_messages={
            "invalid": _("年度须为四位数字，如 2026。"),
            "min_value": _("年度须在 2000 至 2100 之间。"),
            "max_value": _("年度须在 2000 至 2100 之间。"),
        },
    )

    def validate(self, attrs: dict) -> dict:
        attrs.setdefault("year", today().year)
        return attrs


def _mechanism(request: Request, query: serializers.Serializer) -> Mechanism | None:
    if "mechanism" not in query.validated_data:
        return None
    return scoping.get_or_404(scoping.visible_mechanisms(request.user), pk=query.validated_data["mechanism"])


def _checked(serializer_class: type[serializers.Serializer], request: Request) -> serializers.Serializer:
    query = serializer_class(data=request.query_params, context={"user": request.user})
    query.is_valid(raise_exception=True)
    return query


# --- answers -------------------------------------------------------------------------------------


class LedgerRowSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=f"事项类别：{KIND_VALUES}")
    kind_label = serializers.CharField()
    id = serializers.IntegerField(source="pk", help_text="诉求、督办事项（任务）或调解案件的 ID")
    mechanism = serializers.IntegerField(source="mechanism_id")
    mechanism_name = serializers.CharField()
    reference = serializers.CharField(help_text="编号，或会议纪要编号、双清单名称")
    title = serializers.CharField()
    owner_organization = serializers.IntegerField(source="owner_organization_id", help_text="责任单位 ID")
    owner_organization_name = serializers.CharField()
    owner = serializers.CharField(help_text="责任部门或人员（调解案件：调解员）；可为空")
    court_name = serializers.CharField(help_text="调解案件的委派（委托）法院；其他类别为空")
    stage = serializers.CharField(help_text="诉求：当前时限（审核、登记、反馈）；其他：状态")
    due_date = serializers.DateField()
    days_overdue = serializers.IntegerField(help_text="逾期天数，单位见 day_unit")
    day_unit = serializers.CharField(
        help_text="working（工作日：诉求、督办事项、双清单任务）或 calendar（自然日：调解案件）"
    )
    day_unit_label = serializers.CharField()
    url = serializers.CharField(help_text="详情页路径")


class KindCountSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class OwnerSummarySerializer(serializers.Serializer):
    owner_organization = serializers.IntegerField(source="owner_organization_id")
    owner_organization_name = serializers.CharField()
    counts = KindCountSerializer(many=True, help_text="各类别逾期数（每个类别都列出）")
    total = serializers.IntegerField()
    oldest_due = serializers.DateField(help_text="最早的截止日")


class OverdueLedgerSerializer(serializers.Serializer):
    """Everything open past its deadline today (see `reports.ledgers`)."""

    today = serializers.DateField()
    mechanism = serializers.IntegerField(source="mechanism.pk", allow_null=True, default=None)
    totals = KindCountSerializer(many=True)
    summary = OwnerSummarySerializer(many=True, help_text="按责任单位汇总")
    rows = LedgerRowSerializer(many=True, help_text="按责任单位、责任部门或人员、截止日排序")


class ScoreSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=f"事项类别：{KIND_VALUES}；合计为空")
    label = serializers.CharField()
    owned = serializers.IntegerField(help_text="应办：截止日在年内")
    done = serializers.IntegerField(help_text="已办结")
    done_on_time = serializers.IntegerField(help_text="按期办结")
    on_time_share = serializers.FloatField(allow_null=True, help_text="按期办结率（0–1）= 按期办结 / 应办")
    open_overdue = serializers.IntegerField(help_text="逾期未办结")


class UnitEvaluationSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField()
    scores = ScoreSerializer(many=True, help_text="该单位有事项的类别")
    total = ScoreSerializer()


class UnitSatisfactionSerializer(serializers.Serializer):
    organization_id = serializers.IntegerField()
    organization_name = serializers.CharField()
    sample = serializers.IntegerField(help_text="本年度评价件数（在线评价和回访，样本量）")
    satisfied = serializers.IntegerField(help_text="满意和基本满意")
    rate = serializers.FloatField(allow_null=True, help_text="满意率（0–1；评价少于5件时样本不足，为空）")


class EvaluationSerializer(serializers.Serializer):
    """Each unit's items with a deadline in the year (see `reports.ledgers` for the definitions)."""

    year = serializers.IntegerField()
    today = serializers.DateField()
    mechanism = serializers.IntegerField(source="mechanism.pk", allow_null=True, default=None)
    units = UnitEvaluationSerializer(many=True)
    totals = ScoreSerializer(many=True, help_text="全部单位，按类别")
    total = ScoreSerializer()
    satisfaction = UnitSatisfactionSerializer(many=True, help_text="企业满意度，按作出答复的法院")


# --- views ---------------------------------------------------------------------------------------


class OverdueLedgerView(views.APIView):
    """The overdue ledger of what the user sees."""

    @extend_schema(
        summary="逾期台账（涉企诉求、督办事项、双清单任务、调解案件），按责任单位汇总",
        parameters=[LedgerQuerySerializer],
        responses={200: OverdueLedgerSerializer, 400: REFUSALS[400], 404: REFUSALS[404]},
    )
    @use_replica()
    def get(self, request: Request) -> Response:
        query = _checked(LedgerQuerySerializer, request)
        ledger = overdue_ledger(
            user=request.user,
            mechanism=_mechanism(request, query),
            owner=query.validated_data.get("owner"),
            kind=query.validated_data.get("kind"),
        )
        return Response(OverdueLedgerSerializer(ledger).data)


class EvaluationView(views.APIView):
    """The evaluation table of what the user sees."""

    @extend_schema(
        summary="年度履职评价表（各单位应办、已办结、按期办结、逾期未办结）",
        parameters=[EvaluationQuerySerializer],
        responses={200: EvaluationSerializer, 400: REFUSALS[400], 404: REFUSALS[404]},
    )
    @use_replica()
    def get(self, request: Request) -> Response:
        query = _checked(EvaluationQuerySerializer, request)
        evaluation = evaluation_table(
            user=request.user,
            year=query.validated_data["year"],
            mechanism=_mechanism(request, query),
            owner=query.validated_data.get("owner"),
        )
        return Response(EvaluationSerializer(evaluation).data)
