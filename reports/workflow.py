"""The shared report's state machine, declared once.

A report is written by one party of a mechanism (the author organization) and shared with the
others. The author side writes, publishes, withdraws and reopens; the other parties answer a
published draft regulation until its comment deadline; leaders and meeting secretaries of any
party regenerate a monthly report, which the system writes. Services perform these steps
(`REPORT.perform` / `REPORT.check`), and the detail page and the API offer exactly what
`REPORT.allowed(...)` answers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison import deadlines, scoping
from liaison.choices import Role
from liaison.models import User
from liaison.workflow import PARTY, Transition, Workflow, by

from .choices import GENERATED_KINDS, GENERATOR_ROLES, ReportKind, ReportState, SuggestionState
from .errors import ReportError, ReportPermissionDenied

S = ReportState
AUTHOR, CONSULTED = "author", "consulted"
# Who may write, publish and answer: the desk roles of the two sides (not mediators).
WRITER_ROLES = (
    Role.FEDERATION_STAFF,
    Role.FEDERATION_REVIEWER,
    Role.COURT_CLERK,
    Role.COURT_HANDLER,
    Role.MEETING_SECRETARY,
    Role.LEADER,
    Role.ADMINISTRATOR,
)
GENERATORS = tuple(GENERATOR_ROLES)

GENERATED_BY_SYSTEM = _("月度运行情况通报由系统根据统计数据生成，不能手工撰写、修改或撤回；数据有误时请重新生成。")


def report_sides(actor: User, report: Any) -> set[str]:
    """The author organization is the author side; every other party of the mechanism is consulted."""
    if not actor.is_authenticated or not scoping.can_act(actor, report.mechanism_id):
        return set()
    if actor.organization_id == report.author_organization_id:
        return {PARTY, AUTHOR}
    return {PARTY, CONSULTED}


def side_labels() -> dict[str, Any]:
    return {AUTHOR: _("发布单位"), CONSULTED: _("机制的其他参与单位"), PARTY: _("机制的参与单位")}


def _written(actor: User, report: Any) -> str | None:
    return GENERATED_BY_SYSTEM if report.kind in GENERATED_KINDS else None


def _generated(actor: User, report: Any) -> str | None:
    return None if report.kind in GENERATED_KINDS else _("只有月度运行情况通报可以重新生成。")


def _comment_open(actor: User, report: Any) -> ReportError | None:
    """A published draft regulation, up to and on its comment deadline, asked of the actor's organization."""
    if report.kind != ReportKind.DRAFT_REGULATION:
        return ReportError(gettext("只有法规规章草案征求意见稿可以提交反馈意见。"))
    if deadlines.today() > report.comment_deadline:
        return ReportError(
            gettext("征求意见已于 %(date)s 截止，不能再提交意见。") % {"date": report.comment_deadline.isoformat()}
        )
    if not report.comment_requests.filter(organization_id=actor.organization_id).exists():
        return ReportPermissionDenied(gettext("您所在单位不在本次征求意见的范围内。"))
    return None


def _withdraw_kwargs(data: dict) -> dict:
    return {"reason": data.get("reason", "")}


REPORT = Workflow(
    app="reports",
    object_name="report",
    sides=report_sides,
    side_labels=side_labels,
    state_field="state",
    audit_prefix="report_",
    stale_message=_("该共享案例已由 %(who)s（%(org)s）于 %(when)s %(action)s，当前为“%(state)s”，不能“%(what)s”。"),
    transitions=[
        Transition(
            "edit",
            _("修改草稿"),
            (S.DRAFT,),
            None,
            (by(AUTHOR, *WRITER_ROLES),),
            guard=_written,
            service="reports.services.report_update",
            api=False,
            per_object=False,
            audit="report_update",
            stale=_("只有草稿可以修改；已发布的共享案例须先撤回并退回草稿。"),
        ),
        Transition(
            "publish",
            _("发布"),
            (S.DRAFT,),
            S.PUBLISHED,
            (by(AUTHOR, *WRITER_ROLES),),
            guard=_written,
            service="reports.services.report_publish",
            done=_("已发布，机制的其他参与单位已收到通知。"),
            summary=_("发布草稿"),
        ),
        Transition(
            "withdraw",
            _("撤回"),
            (S.PUBLISHED,),
            S.WITHDRAWN,
            (by(AUTHOR, *WRITER_ROLES),),
            guard=_written,
            service="reports.services.report_withdraw",
            form="reports.forms.WithdrawForm",
            serializer="reports.api.serializers.WithdrawSerializer",
            kwargs=_withdraw_kwargs,
            done=_("已撤回。"),
            button="btn-outline-danger",
            summary=_("撤回已发布的共享案例"),
        ),
        Transition(
            "reopen",
            _("退回草稿"),
            (S.WITHDRAWN,),
            S.DRAFT,
            (by(AUTHOR, *WRITER_ROLES),),
            guard=_written,
            service="reports.services.report_reopen",
            done=_("已退回草稿，可以修改后重新发布。"),
            button="btn-outline-secondary",
            summary=_("退回草稿（已撤回的共享案例）"),
        ),
        Transition(
            "comment",
            _("提交反馈意见"),
            (S.PUBLISHED,),
            None,
            (by(CONSULTED, *WRITER_ROLES),),
            guard=_comment_open,
            service="reports.services.opinion_submit",
            audit="opinion_submit",
            api=False,
            per_object=False,
            stale=_("该征求意见稿已不在发布状态，不能提交意见。"),
        ),
        Transition(
            "regenerate",
            _("重新生成"),
            (S.PUBLISHED,),
            None,
            (by(PARTY, *GENERATORS),),
            guard=_generated,
            service="reports.services.monthly_regenerate",
            audit="monthly_regenerate",
            api=False,
            per_object=False,
            done=_("已重新生成。"),
        ),
    ],
)


# --- judicial suggestions and risk reports on their way to a reply ---------------------------------

G = SuggestionState
CONSULTED_PARTY, RECIPIENT = "consulted_party", "recipient"


def suggestion_sides(actor: User, suggestion: Any) -> set[str]:
    """The issuing party (the report's author), the party asked for comment, and the recipient when
    it is a party of the mechanism; each acting through the report's mechanism."""
    report = suggestion.report
    if not actor.is_authenticated or not actor.organization_id or not scoping.can_act(actor, report.mechanism_id):
        return set()
    held = {PARTY}
    if actor.organization_id == report.author_organization_id:
        held.add(AUTHOR)
    if suggestion.consulted_id and actor.organization_id == suggestion.consulted_id:
        held.add(CONSULTED_PARTY)
    if suggestion.recipient_id and actor.organization_id == suggestion.recipient_id:
        held.add(RECIPIENT)
    return held


def suggestion_side_labels() -> dict[str, Any]:
    return {AUTHOR: _("发出单位"), CONSULTED_PARTY: _("征求意见单位"), RECIPIENT: _("受文单位")}


def _comment_window(actor: User, suggestion: Any) -> str | None:
    if suggestion.comment_due and deadlines.today() > suggestion.comment_due:
        return gettext("征求意见已于 %(date)s 截止。") % {"date": suggestion.comment_due.isoformat()}
    return None


def _not_withdrawn(actor: User, suggestion: Any) -> str | None:
    if suggestion.report.state == S.WITHDRAWN:
        return gettext("该报告已撤回，请先退回草稿。")
    return None


SUGGESTION = Workflow(
    app="reports",
    object_name="suggestion",
    sides=suggestion_sides,
    side_labels=suggestion_side_labels,
    state_field="state",
    audit_prefix="suggestion_",
    audit_state=lambda code: f"suggestion:{code}",
    stale_message=_("该司法建议已由 %(who)s（%(org)s）于 %(when)s %(action)s，当前为“%(state)s”，不能“%(what)s”。"),
    transitions=[
        Transition(
            "consult",
            _("征求意见"),
            (G.DRAFT,),
            G.CONSULTATION,
            (by(AUTHOR, *WRITER_ROLES),),
            guard=_not_withdrawn,
            service="reports.suggestions.suggestion_consult",
            form="reports.forms.SuggestionConsultForm",
            serializer="reports.api.serializers.SuggestionConsultSerializer",
            done=_("已送征求意见，对方已收到通知。"),
            summary=_("发出前征求机制参与单位意见（截止日期）"),
        ),
        Transition(
            "comment",
            _("反馈意见"),
            (G.CONSULTATION,),
            None,
            (by(CONSULTED_PARTY, *WRITER_ROLES),),
            guard=_comment_window,
            service="reports.suggestions.suggestion_comment",
            form="reports.forms.SuggestionCommentForm",
            serializer="reports.api.serializers.SuggestionCommentSerializer",
            done=_("意见已反馈。"),
        ),
        Transition(
            "issue",
            _("发出"),
            (G.DRAFT, G.CONSULTATION),
            G.ISSUED,
            (by(AUTHOR, *WRITER_ROLES),),
            guard=_not_withdrawn,
            service="reports.suggestions.suggestion_issue",
            form="reports.forms.SuggestionIssueForm",
            serializer="reports.api.serializers.SuggestionIssueSerializer",
            done=_("已发出，回复期限开始计算。"),
            confirm=_("发出后报告即在机制内发布，不能再修改。"),
        ),
        Transition(
            "reply",
            _("登记回复"),
            (G.ISSUED, G.OVERDUE),
            G.REPLIED,
            (by(AUTHOR, *WRITER_ROLES), by(RECIPIENT, *WRITER_ROLES)),
            service="reports.suggestions.suggestion_reply",
            form="reports.forms.SuggestionReplyForm",
            serializer="reports.api.serializers.SuggestionReplySerializer",
            done=_("回复已登记。"),
            button="btn-success",
        ),
        # Done by the daily sweep when the reply deadline has passed, never by a person.
        Transition("lapse", _("逾期未回复"), (G.ISSUED,), G.OVERDUE, (), per_object=False, api=False),
    ],
)
