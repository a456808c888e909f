"""The state machine of a research topic, declared once: proposed → agreed (by the leaders of every
party, or at a joint meeting, recorded) → finished (its result published as a research report),
or dropped with a reason. Milestones and uses are recorded beside the status."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from liaison import membership, scoping
from liaison.choices import Role
from liaison.errors import ActionRefused
from liaison.models import User
from liaison.workflow import PARTY, Transition, Workflow, by

from .research_choices import TopicStatus

T = TopicStatus
LEAD = "lead"
LEADER = (Role.LEADER,)
SECRETARY = (Role.MEETING_SECRETARY,)
# Who proposes topics and keeps their milestones: the working roles of a party.
WORKING_ROLES = (Role.LEADER, Role.MEETING_SECRETARY, Role.FEDERATION_STAFF, Role.COURT_CLERK, Role.COURT_HANDLER)

SERVICES = "reports.research"
FORMS = "reports.research_forms"
SERIALIZERS = "reports.api.research"


def topic_sides(actor: User, topic: Any) -> set[str]:
    if not actor.is_authenticated or not scoping.can_act(actor, topic.mechanism_id):
        return set()
    held = {PARTY}
    if actor.organization_id == topic.lead_organization_id:
        held.add(LEAD)
    return held


def side_labels() -> dict[str, Any]:
    return {PARTY: _("机制参与单位"), LEAD: _("牵头单位")}


def topic_state(code: str) -> str:
    return f"research.{code}" if code else ""


def _not_yet_approved(actor: User, topic: Any) -> ActionRefused | None:
    from .models import TopicApproval

    if actor.organization_id not in membership.approving_organization_ids(topic.mechanism_id):
        return ActionRefused(_("本单位在该机制中不参与商定课题。"), ActionRefused.PERMISSION)
    if TopicApproval.objects.filter(topic_id=topic.pk, organization_id=actor.organization_id).exists():
        return ActionRefused(_("本单位已同意该课题，等待其他参与单位。"), ActionRefused.STATE)
    return None


RESEARCH = Workflow(
    app="reports",
    object_name="topic",
    sides=topic_sides,
    side_labels=side_labels,
    audit_prefix="research_",
    audit_state=topic_state,
    stale_message=_("该课题已由 %(who)s 于 %(when)s %(action)s，当前状态为“%(state)s”，不能再“%(what)s”。"),
    transitions=[
        Transition(
            "approve",
            _("同意课题（本单位领导）"),
            (T.PROPOSED,),
            None,
            (by(PARTY, *LEADER),),
            alternatives=(T.AGREED,),
            guard=_not_yet_approved,
            service=f"{SERVICES}.topic_approve",
            done=_("已同意；各参与单位领导都同意后课题即商定。"),
            button="btn-success",
            summary=_("本单位领导同意（各参与单位都同意后课题商定）"),
        ),
        Transition(
            "agree_at_meeting",
            _("登记联席会议商定"),
            (T.PROPOSED,),
            T.AGREED,
            (by(PARTY, *SECRETARY),),
            service=f"{SERVICES}.topic_agree_at_meeting",
            form=f"{FORMS}.AgreeAtMeetingForm",
            serializer=f"{SERIALIZERS}.AgreeAtMeetingSerializer",
            done=_("已登记：课题经联席会议商定。"),
            summary=_("登记经联席会议商定（须选择已召开的会议）"),
        ),
        Transition(
            "finish",
            _("结题（关联调研报告）"),
            (T.AGREED,),
            T.FINISHED,
            (by(LEAD, *WORKING_ROLES),),
            service=f"{SERVICES}.topic_finish",
            form=f"{FORMS}.FinishForm",
            serializer=f"{SERIALIZERS}.FinishSerializer",
            done=_("课题已结题，调研报告已关联。"),
            button="btn-success",
            summary=_("结题：关联本机制已发布的调研报告（牵头单位）"),
        ),
        Transition(
            "drop",
            _("撤销课题"),
            (T.PROPOSED, T.AGREED),
            T.DROPPED,
            (by(PARTY, *LEADER),),
            service=f"{SERVICES}.topic_drop",
            form=f"{FORMS}.DropForm",
            serializer=f"{SERIALIZERS}.DropSerializer",
            confirm=_("撤销后课题不再计入年度调研计划。"),
            done=_("课题已撤销。"),
            button="btn-outline-danger",
            summary=_("撤销（须说明理由）"),
        ),
        Transition(
            "milestone",
            _("登记节点完成"),
            (T.AGREED,),
            None,
            (by(PARTY, *WORKING_ROLES),),
            per_object=False,
            api=False,
        ),
        Transition(
            "record_use",
            _("登记成果转化运用"),
            (T.FINISHED,),
            None,
            (by(PARTY, *WORKING_ROLES),),
            service=f"{SERVICES}.use_record",
            form=f"{FORMS}.UseForm",
            serializer=f"{SERIALIZERS}.UseSerializer",
            done=_("已登记成果转化运用。"),
            summary=_("登记转化运用（司法建议、政策、典型案例、培训；日期和链接）"),
        ),
    ],
)
