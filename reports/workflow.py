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

from .choices import GENERATED_KINDS, GENERATOR_ROLES, ReportKind, ReportState
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
