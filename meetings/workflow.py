"""The state machines of meetings, minutes, action items and dual lists, declared once each.

Every step says which states it starts from, where it leads, which side may take it with which
roles, and how it is asked for. The services perform the steps (`MEETING.perform(...)`), the pages
and the API generate their forms and endpoints from these tables, and "may this user take this
step now?" is always `<WORKFLOW>.may(...)`.

The sides come from the mechanism's data: every party organization of the mechanism
(`MechanismParty`) is a party; its meeting secretary plans meetings, writes and issues minutes
and closes action items; its leader approves the minutes for it when its place in the mechanism
carries the approval (`liaison.membership`: convenor and core parties by default, not member units
or observers); the units answering for an action item or task (its lead unit, co-leads and the organizations of its
responsible departments) report its progress and the monthly values of its indicators.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison import deadlines, membership, scoping
from liaison.choices import PlaceRight, Role
from liaison.errors import ActionRefused
from liaison.models import User
from liaison.workflow import PARTY, Transition, Workflow, by

from .choices import (
    ATTENDANCE_STATES,
    EDITABLE_STATES,
    LIVE_ITEM_STATUSES,
    MINUTES_EDITABLE,
    ApprovalDecision,
    DualListStatus,
    ItemStatus,
    MeetingStatus,
    MinutesStatus,
)

M, MS, I, D = MeetingStatus, MinutesStatus, ItemStatus, DualListStatus  # noqa: E741 - I is ItemStatus, beside M and MS
# The parties whose place approves minutes hold this side (`liaison.membership`).
APPROVER = "approver"
# The organization an action item or task is given to.
OWNER = "owner"
SECRETARY = (Role.MEETING_SECRETARY,)
LEADER = (Role.LEADER,)
ANY_ROLE = tuple(Role.values)

SERVICES = "meetings.services"
FORMS = "meetings.forms"
SERIALIZERS = "meetings.api.serializers"


# --- sides ---------------------------------------------------------------------------------------


def _party_sides(actor: User, mechanism_id: int) -> set[str]:
    if not actor.is_authenticated or not scoping.can_act(actor, mechanism_id):
        return set()
    return {PARTY}


def meeting_sides(actor: User, meeting: Any) -> set[str]:
    """Every party of the mechanism plans its meetings and approves their minutes."""
    held = _party_sides(actor, meeting.mechanism_id)
    if held and is_approving_party(actor.organization_id, meeting.mechanism_id):
        held.add(APPROVER)
    return held


def is_approving_party(organization_id: int | None, mechanism_id: int) -> bool:
    """Whether the organization approves the mechanism's minutes: the parties whose place carries
    the approval in this mechanism (convenor and core parties unless the administrator set otherwise)."""
    return organization_id is not None and (
        membership.holding(
            PlaceRight.APPROVES_MINUTES,
            membership.current_parties(mechanism_id).filter(organization_id=organization_id),
        ).exists()
    )


def minutes_sides(actor: User, minutes: Any) -> set[str]:
    held = _party_sides(actor, minutes.mechanism_id)
    if held and is_approving_party(actor.organization_id, minutes.mechanism_id):
        held.add(APPROVER)
    return held


def answers_for(actor: User, item: Any) -> bool:
    """Whether the actor's organization answers for the item: its lead unit, a co-lead, or the
    organization of a responsible department."""
    if actor.organization_id is None:
        return False
    if actor.organization_id == item.owner_organization_id:
        return True
    from .models import TaskOwner

    return TaskOwner.objects.filter(item_id=item.pk, organization_id=actor.organization_id).exists()


def item_sides(actor: User, item: Any) -> set[str]:
    held = _party_sides(actor, item.mechanism_id)
    if held and answers_for(actor, item):
        held.add(OWNER)
    return held


def dual_list_sides(actor: User, dual_list: Any) -> set[str]:
    return _party_sides(actor, dual_list.mechanism_id)


def side_labels() -> dict[str, Any]:
    return {PARTY: _("机制参与单位"), APPROVER: _("审定纪要的参与单位"), OWNER: _("责任单位")}


# --- guards --------------------------------------------------------------------------------------


def _local_day(moment: Any) -> Any:
    return timezone.localtime(moment).date()


def _meeting_day_reached(actor: User, meeting: Any) -> str | None:
    if _local_day(meeting.starts_at) > deadlines.today():
        return _("会议定于 %(day)s 召开，召开当天或之后才能确认已召开。") % {
            "day": _local_day(meeting.starts_at).strftime("%Y-%m-%d")
        }
    return None


def minutes_sent(meeting: Any) -> bool:
    """Whether the meeting's minutes went for approval: the attendance in them is then settled."""
    from .models import Minutes

    return (
        Minutes.objects.filter(meeting_id=meeting.pk, corrects__isnull=True)
        .exclude(status__in=MINUTES_EDITABLE)
        .exists()
    )


def _attendance_open(actor: User, meeting: Any) -> str | None:
    if _local_day(meeting.starts_at) > deadlines.today():
        return _("会议召开当天或之后才能登记出席情况。")
    if minutes_sent(meeting):
        return _("纪要已送审，出席情况不能再修改。")
    return None


def _transfer_possible(actor: User, meeting: Any) -> ActionRefused | str | None:
    """On the day of the meeting or after, with queued complaints on its agenda the actor may transfer."""
    from cases.choices import ComplaintStatus
    from cases.models import Complaint
    from cases.workflow import COMPLAINT

    if _local_day(meeting.starts_at) > deadlines.today():
        return _("会议召开时才能在会上移送诉求。")
    queued = Complaint.objects.filter(
        meeting_agenda_items__meeting_id=meeting.pk, status=ComplaintStatus.QUEUED
    ).distinct()
    if not any(COMPLAINT.may(actor, complaint, "transfer_batch") for complaint in queued):
        return ActionRefused(_("本次会议没有您可以移送的诉求。"), ActionRefused.PERMISSION)
    return None


def _invited_or_secretary(actor: User, meeting: Any) -> ActionRefused | None:
    """An invitee answers for themselves; the secretary may record an answer given by phone."""
    if actor.has_role(*SECRETARY) or meeting.invitees.filter(user_id=actor.pk).exists():
        return None
    return ActionRefused(_("您不在本次会议的参会名单中。"), ActionRefused.PERMISSION)


def _original_minutes(meeting: Any) -> Any:
    from .models import Minutes

    return Minutes.objects.filter(meeting_id=meeting.pk, corrects__isnull=True).first()


def awaiting_decision(actor: User, minutes: Any) -> ActionRefused | None:
    """The actor's organization has not decided on this round of the minutes yet."""
    from .models import MinutesApproval

    mine = (
        MinutesApproval.objects.filter(
            minutes_id=minutes.pk, round=minutes.approval_round, organization_id=actor.organization_id
        )
        .select_related("decided_by")
        .first()
    )
    if mine is None:
        return ActionRefused(_("您所在单位不在本纪要的审定单位之列。"), ActionRefused.PERMISSION)
    if mine.decision != ApprovalDecision.PENDING:
        return ActionRefused(
            _("本单位已由 %(who)s 于 %(when)s 审定（%(decision)s）。")
            % {
                "who": mine.decided_by.display_name if mine.decided_by else "—",
                "when": timezone.localtime(mine.decided_at).strftime("%Y-%m-%d %H:%M") if mine.decided_at else "—",
                "decision": mine.get_decision_display(),
            },
            ActionRefused.STATE,
        )
    return None


def _meeting_minutes_await(actor: User, meeting: Any) -> ActionRefused | str | None:
    minutes = _original_minutes(meeting)
    if minutes is None or minutes.status != MS.SUBMITTED:
        return _("纪要尚未送审。")
    return awaiting_decision(actor, minutes)


def _meeting_minutes_approved(actor: User, meeting: Any) -> str | None:
    minutes = _original_minutes(meeting)
    return None if minutes is not None and minutes.status == MS.APPROVED else _("纪要尚未经各方审定。")


def parties_without_leaders(mechanism_id: int) -> list[str]:
    """Names of the approving parties that have no active leader account (they could not approve the
    minutes). Member units and observers do not approve, so they never block."""
    from liaison.models import Organization

    approving = membership.approving_organization_ids(mechanism_id)
    with_leaders = User.objects.filter(
        organization_id__in=approving, is_active=True, role_assignments__role=Role.LEADER
    ).values("organization_id")
    return list(
        Organization.objects.filter(pk__in=approving)
        .exclude(pk__in=with_leaders)
        .order_by("name")
        .values_list("name", flat=True)
    )


def _every_party_has_a_leader(actor: User, minutes: Any) -> str | None:
    missing = parties_without_leaders(minutes.mechanism_id)
    if missing:
        return _("%(orgs)s没有领导账号，无法审定纪要。请先由系统管理员为其设置“领导”角色。") % {
            "orgs": "、".join(missing)
        }
    return None


def _no_open_correction(actor: User, minutes: Any) -> str | None:
    if minutes.corrections.exclude(status=MS.ISSUED).exists():
        return _("该纪要已有一份正在办理的更正纪要。")
    return None


def _owner_or_secretary(actor: User, item: Any) -> ActionRefused | None:
    if actor.has_role(*SECRETARY) or answers_for(actor, item):
        return None
    return ActionRefused(_("只有责任单位可以报告进展。"), ActionRefused.PERMISSION)


def _has_entered_indicators(actor: User, item: Any) -> str | None:
    from .choices import IndicatorSource

    if item.indicators.filter(source=IndicatorSource.ENTERED).exists():
        return None
    return _("该任务没有需要填报的指标。")


def _item_source_ready(actor: User, item: Any) -> str | None:
    """A drafted item goes live when its minutes are issued or its dual list approved."""
    if item.minutes_id is not None:
        return None if item.minutes.status == MS.APPROVED else _("纪要经各方审定后印发时，督办事项才生效。")
    if item.dual_list_id is not None:
        return None if item.dual_list.status == D.DRAFT else _("双清单已审定。")
    return _("督办事项不属于任何纪要或双清单。")


def _has_tasks(actor: User, dual_list: Any) -> str | None:
    return None if dual_list.tasks.exists() else _("双清单还没有任务，请先导入。")


def _decision(data: dict) -> dict:
    return {"approve": data["approve"], "comment": data.get("comment", "")}


def _issued(result: Any, data: dict) -> str:
    return _("纪要已印发，编号 %(number)s，已分送各参与单位。") % {"number": result.number}


# --- the declarations ----------------------------------------------------------------------------


def _meeting_state(code: str) -> str:
    return code


def _workflow(name: str, sides: Any, audit_state: Any, transitions: list[Transition], stale: Any = None) -> Workflow:
    """One of the app's workflows: its object is passed to the services as `name`, its audit codes start with it."""
    return Workflow(
        app="meetings",
        object_name=name,
        sides=sides,
        side_labels=side_labels,
        audit_prefix=f"{name}_",
        audit_state=audit_state,
        stale_message=stale,
        transitions=transitions,
    )


def minutes_state(code: str) -> str:
    """Audit states of minutes, items and dual lists are namespaced: their plain codes ("draft",
    "approved", "returned"...) are already labelled by other apps in the shared timeline words."""
    return f"minutes.{code}" if code else ""


def item_state(code: str) -> str:
    return f"item.{code}" if code else ""


def dual_list_state(code: str) -> str:
    return f"dual_list.{code}" if code else ""


MEETING = _workflow(
    "meeting",
    meeting_sides,
    _meeting_state,
    stale=_("该会议已由 %(who)s 于 %(when)s %(action)s，当前状态为“%(state)s”，不能再“%(what)s”。"),
    transitions=[
        Transition(
            "send_notice",
            _("发出会议通知"),
            (M.PLANNED, M.POSTPONED),
            M.NOTICE_SENT,
            (by(PARTY, *SECRETARY),),
            service=f"{SERVICES}.meeting_send_notice",
            done=_("会议通知已发出（站内通知和附日历邀请的邮件）。"),
            summary=_("发出会议通知（站内通知及附 .ics 邀请的邮件）"),
        ),
        Transition(
            "postpone",
            _("延期"),
            (M.PLANNED, M.NOTICE_SENT, M.POSTPONED),
            M.POSTPONED,
            (by(PARTY, *SECRETARY),),
            service=f"{SERVICES}.meeting_postpone",
            form=f"{FORMS}.PostponeForm",
            serializer=f"{SERIALIZERS}.MeetingPostponeSerializer",
            done=_("会议已延期。"),
            button="btn-warning",
            summary=_("延期（须说明理由和新的时间；已通知的发送更新的邀请）"),
        ),
        Transition(
            "cancel",
            _("取消会议"),
            (M.PLANNED, M.NOTICE_SENT, M.POSTPONED),
            M.CANCELLED,
            (by(PARTY, *SECRETARY),),
            service=f"{SERVICES}.meeting_cancel",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.MeetingReasonSerializer",
            fields={"reason": _("取消理由")},
            confirm=_("取消后会议不能恢复，已通知的参会人员将收到取消通知。"),
            done=_("会议已取消。"),
            button="btn-outline-danger",
            summary=_("取消会议（须说明理由；已通知的发送 METHOD:CANCEL）"),
        ),
        Transition(
            "hold",
            _("确认已召开"),
            (M.NOTICE_SENT,),
            M.HELD,
            (by(PARTY, *SECRETARY),),
            guard=_meeting_day_reached,
            service=f"{SERVICES}.meeting_hold",
            done=_("已确认会议召开。请登记出席情况并起草纪要。"),
            button="btn-success",
            summary=_("确认会议已召开（召开当天或之后）"),
        ),
        # Steps on their own pages (the meeting form, the attendance sheet, the minutes form).
        Transition("edit", _("修改会议"), EDITABLE_STATES, None, (by(PARTY, *SECRETARY),), per_object=False, api=False),
        Transition(
            "attendance",
            _("登记出席情况"),
            ATTENDANCE_STATES,
            None,
            (by(PARTY, *SECRETARY),),
            guard=_attendance_open,
            per_object=False,
            api=False,
        ),
        Transition(
            "draft_minutes",
            _("起草纪要"),
            (M.HELD,),
            M.MINUTES_DRAFTED,
            (by(PARTY, *SECRETARY),),
            per_object=False,
            api=False,
        ),
        # The meeting follows its minutes: these are taken on the minutes (the last approval, the issue).
        Transition(
            "approve_minutes",
            _("纪要审定"),
            (M.MINUTES_DRAFTED,),
            M.MINUTES_APPROVED,
            (by(APPROVER, *LEADER),),
            guard=_meeting_minutes_await,
            per_object=False,
            api=False,
        ),
        Transition(
            "issue_minutes",
            _("印发纪要"),
            (M.MINUTES_APPROVED,),
            M.MINUTES_ISSUED,
            (by(PARTY, *SECRETARY),),
            guard=_meeting_minutes_approved,
            per_object=False,
            api=False,
        ),
        # Steps beside the status: the agenda before the meeting, the answers to the notice.
        Transition(
            "agenda", _("调整议题"), EDITABLE_STATES, None, (by(PARTY, *SECRETARY),), per_object=False, api=False
        ),
        Transition(
            "transfer",
            _("会上移送诉求"),
            (M.NOTICE_SENT, M.HELD, M.MINUTES_DRAFTED),
            None,
            (by(PARTY, Role.FEDERATION_REVIEWER, *SECRETARY),),
            guard=_transfer_possible,
            audit="meeting_agenda_transfer",
            per_object=False,
            api=False,
        ),
        Transition(
            "rsvp",
            _("回复参会"),
            (M.NOTICE_SENT, M.POSTPONED),
            None,
            (by(PARTY, *ANY_ROLE),),
            guard=_invited_or_secretary,
            per_object=False,
            api=False,
        ),
    ],
)
# The steps named in a meeting's `allowed_actions` (the others are taken elsewhere).
MEETING_ACTIONS = ("send_notice", "postpone", "cancel", "hold", "edit", "attendance", "draft_minutes")


MINUTES = _workflow(
    "minutes",
    minutes_sides,
    minutes_state,
    stale=_("纪要当前状态为“%(state)s”，不能“%(what)s”。"),
    transitions=[
        Transition(
            "edit", _("修改纪要"), MINUTES_EDITABLE, None, (by(PARTY, *SECRETARY),), per_object=False, api=False
        ),
        Transition(
            "submit",
            _("送各方审定"),
            MINUTES_EDITABLE,
            MS.SUBMITTED,
            (by(PARTY, *SECRETARY),),
            guard=_every_party_has_a_leader,
            service=f"{SERVICES}.minutes_submit",
            done=_("纪要已送各方领导审定。"),
            summary=_("送各方领导审定"),
        ),
        Transition(
            "decide",
            _("审定纪要"),
            (MS.SUBMITTED,),
            None,
            (by(APPROVER, *LEADER),),
            alternatives=(MS.APPROVED, MS.RETURNED),
            guard=awaiting_decision,
            service=f"{SERVICES}.minutes_decide",
            form=f"{FORMS}.DecisionForm",
            serializer=f"{SERIALIZERS}.MinutesDecisionSerializer",
            kwargs=_decision,
            done=lambda result, data: _("已同意。") if data["approve"] else _("已退回修改。"),
            summary=_("审定（本单位领导同意，或退回修改并写明意见）"),
        ),
        # What a decision records: one party's approval, the last one, or the return.
        Transition(
            "approve",
            _("同意纪要"),
            (MS.SUBMITTED,),
            None,
            (by(APPROVER, *LEADER),),
            guard=awaiting_decision,
            per_object=False,
            api=False,
        ),
        Transition(
            "approved",
            _("纪要审定通过"),
            (MS.SUBMITTED,),
            MS.APPROVED,
            (by(APPROVER, *LEADER),),
            guard=awaiting_decision,
            per_object=False,
            api=False,
        ),
        Transition(
            "return",
            _("退回纪要"),
            (MS.SUBMITTED,),
            MS.RETURNED,
            (by(APPROVER, *LEADER),),
            guard=awaiting_decision,
            per_object=False,
            api=False,
        ),
        Transition(
            "issue",
            _("编号并印发"),
            (MS.APPROVED,),
            MS.ISSUED,
            (by(PARTY, *SECRETARY),),
            service=f"{SERVICES}.minutes_issue",
            confirm=_("印发后纪要不能再修改，督办事项开始计时。"),
            done=_issued,
            button="btn-success",
            summary=_("编号并印发（〔年度〕第N期；分送各参与单位，督办事项开始计时）"),
        ),
        Transition(
            "correct",
            _("起草更正纪要"),
            (MS.ISSUED,),
            None,
            (by(PARTY, *SECRETARY),),
            guard=_no_open_correction,
            service=f"{SERVICES}.minutes_correct",
            creates=True,
            done=_("已起草更正纪要，请修改后送审。"),
            button="btn-outline-warning",
            summary=_("起草更正纪要（新的纪要，引用被更正的纪要，印发时另行编号）"),
        ),
    ],
)
MINUTES_ACTIONS = ("edit", "submit", "decide", "issue", "correct")


ITEM = _workflow(
    "item",
    item_sides,
    item_state,
    transitions=[
        Transition(
            "progress",
            _("报告进展"),
            LIVE_ITEM_STATUSES,
            I.IN_PROGRESS,
            (by(PARTY, *ANY_ROLE),),
            guard=_owner_or_secretary,
            service=f"{SERVICES}.item_report_progress",
            form=f"{FORMS}.ProgressForm",
            done=_("进展已报告。"),
            api=False,
        ),
        Transition(
            "indicator",
            _("报送指标数值"),
            LIVE_ITEM_STATUSES,
            None,
            (by(OWNER, *ANY_ROLE),),
            guard=_has_entered_indicators,
            service=f"{SERVICES}.item_report_indicator",
            form=f"{FORMS}.IndicatorValueForm",
            serializer=f"{SERIALIZERS}.IndicatorValueWriteSerializer",
            done=_("指标数值已报送。"),
            summary=_("牵头、共同牵头单位或责任部门按月报送指标数值"),
        ),
        Transition(
            "close",
            _("办结督办事项"),
            LIVE_ITEM_STATUSES,
            I.DONE,
            (by(PARTY, *SECRETARY),),
            service=f"{SERVICES}.item_close",
            form=f"{FORMS}.CloseForm",
            serializer=f"{SERIALIZERS}.ItemCloseSerializer",
            done=_("已办结销号。"),
            button="btn-success",
            summary=_("办结销号（会议秘书一方）"),
        ),
        # Drafted items go live when their minutes are issued or their dual list approved.
        Transition(
            "open",
            _("督办事项生效"),
            (I.DRAFT,),
            I.OPEN,
            (by(PARTY, *SECRETARY),),
            guard=_item_source_ready,
            per_object=False,
            api=False,
        ),
    ],
)
ITEM_ACTIONS = ("progress", "indicator", "close")


DUAL_LIST = _workflow(
    "dual_list",
    dual_list_sides,
    dual_list_state,
    transitions=[
        Transition("import", _("导入双清单"), (D.DRAFT,), None, (by(PARTY, *SECRETARY),), per_object=False, api=False),
        Transition(
            "approve",
            _("登记双清单审定"),
            (D.DRAFT,),
            D.APPROVED,
            (by(PARTY, *SECRETARY),),
            guard=_has_tasks,
            service=f"{SERVICES}.dual_list_approve",
            form=f"{FORMS}.DualListApproveForm",
            serializer=f"{SERIALIZERS}.DualListApproveSerializer",
            done=_("双清单已审定，各项任务开始计时督办。"),
            button="btn-success",
            summary=_("登记全体会议审定（任务开始计时督办）"),
        ),
    ],
)

WORKFLOWS = (MEETING, MINUTES, ITEM, DUAL_LIST)


def names(workflow: Workflow, actor: User, obj: Any, shown: tuple[str, ...]) -> list[str]:
    """The steps of `shown` the actor may take now, in declaration order (the API's `allowed_actions`)."""
    return [rule.name for rule in workflow.allowed(actor, obj) if rule.name in shown]
