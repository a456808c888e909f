"""The complaint's state machine, declared once.

Each step says which states it starts from, where it leads, which side of the complaint may take
it with which roles, and how it is asked for. The services perform the steps
(`COMPLAINT.perform`), the pages and the API generate their buttons, forms and endpoints from
this table, and "may this user take this step?" is always `COMPLAINT.may(...)`.

The sides come from the mechanism's data: the filing organization is a collecting party
(a federation, a chamber, or any party that routes matters), the addressed organization a
handling party (a court, a justice bureau, a government).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from liaison import scoping
from liaison.choices import Role
from liaison.errors import ActionRefused
from liaison.models import MechanismParty, User
from liaison.workflow import PARTY, Transition, Workflow, by

from .choices import ComplaintStatus, ExtensionState, MembershipState, ReopenDecision

S = ComplaintStatus
FILER, HANDLER = "filer", "handler"
# The convenor party of the mechanism: its meeting secretary runs the joint meeting and records
# the batch transfer decided there, whichever side the convenor holds.
CONVENOR = "convenor"
# The enterprise the complaint is about, through a person whose link to it the federation confirmed.
ENTERPRISE = "enterprise"
PORTAL = (Role.ENTERPRISE,)
STAFF = (Role.FEDERATION_STAFF, Role.FEDERATION_REVIEWER)
REVIEWER = (Role.FEDERATION_REVIEWER,)
DESK = (Role.COURT_CLERK, Role.COURT_HANDLER)

FILING_SIDE_FILE_STATES = (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.NEEDS_MATERIAL, S.QUEUED)
COURT_SIDE_FILE_STATES = (S.REGISTERED, S.ASSIGNED)
EDITABLE_STATES = (S.DRAFT, S.NEEDS_MATERIAL, S.SUBMITTED, S.UNDER_REVIEW)

SERVICES = "cases.services"
FORMS = "cases.forms"
SERIALIZERS = "cases.api.serializers"


def complaint_sides(actor: User, complaint: Any) -> set[str]:
    """The sides the actor's organization holds on this complaint (none outside the mechanism).

    An enterprise user belongs to no organization: it holds the enterprise side of its own
    enterprise's complaints only, once the federation has confirmed its link to the enterprise.
    """
    if actor.is_authenticated and actor.has_role(Role.ENTERPRISE):
        own = complaint.filed_online and confirmed_enterprise_id(actor) == complaint.enterprise_id
        return {ENTERPRISE} if own else set()
    if not actor.is_authenticated or not scoping.can_act(actor, complaint.mechanism_id):
        return set()
    held = {PARTY}
    if actor.organization_id == complaint.filing_organization_id:
        held.add(FILER)
    if actor.organization_id == complaint.court_id:
        held.add(HANDLER)
    if actor.has_role(Role.MEETING_SECRETARY) and complaint.mechanism_id in convenor_mechanism_ids(actor):
        held.add(CONVENOR)
    return held


def convenor_mechanism_ids(user: User) -> set[int]:
    """Mechanisms whose convenor party is the user's organization (from the mechanism's party data)."""
    if not user.is_authenticated or not user.organization_id:
        return set()
    cached = getattr(user, "_convenor_mechanism_ids", None)
    if cached is None:
        cached = set(
            MechanismParty.objects.filter(organization_id=user.organization_id, is_convenor=True).values_list(
                "mechanism_id", flat=True
            )
        )
        user._convenor_mechanism_ids = cached
    return cached


def confirmed_enterprise_id(user: User) -> int | None:
    """The enterprise the user acts for, once the federation confirmed the link (read once per user object)."""
    if not user.is_authenticated or not user.has_role(Role.ENTERPRISE):
        return None
    if "_confirmed_enterprise_id" not in user.__dict__:
        from .choices import MembershipState
        from .models import EnterpriseMembership

        user.__dict__["_confirmed_enterprise_id"] = (
            EnterpriseMembership.objects.filter(user=user, state=MembershipState.CONFIRMED)
            .values_list("enterprise_id", flat=True)
            .first()
        )
    return user.__dict__["_confirmed_enterprise_id"]


def side_labels() -> dict[str, Any]:
    return {
        FILER: _("受理的工商联"),
        HANDLER: _("受移送的法院"),
        CONVENOR: _("机制的召集单位"),
        ENTERPRISE: _("提出诉求的企业"),
    }


def _major_only(actor: User, complaint: Any) -> str | None:
    if not complaint.is_major:
        return _("只有重大事项才能立即单独移送；其他诉求在联席会议上批量移送。")
    return None


def _own_handler(actor: User, complaint: Any) -> ActionRefused | None:
    """A handler answers only what was given to them; the clerk may answer any."""
    if actor.has_role(Role.COURT_HANDLER) and not actor.has_role(Role.COURT_CLERK) and complaint.handler_id != actor.pk:
        return ActionRefused(_("只有承办人本人才能反馈办理结果。"), ActionRefused.PERMISSION)
    return None


def _files_for_side(actor: User, complaint: Any) -> str | None:
    """The filing side adds files before the transfer, the court while it handles the complaint."""
    filer = actor.organization_id == complaint.filing_organization_id and complaint.status in FILING_SIDE_FILE_STATES
    court = actor.organization_id == complaint.court_id and complaint.status in COURT_SIDE_FILE_STATES
    return None if filer or court else _("当前状态下您不能上传附件。")


def _decision(data: dict) -> dict:
    return {"approve": data["approve"]}


COMPLAINT = Workflow(
    model=None,  # set below: the model imports nothing from here, and this module imports no view
    app="cases",
    object_name="complaint",
    sides=complaint_sides,
    side_labels=side_labels,
    stale_message=_("该诉求已由 %(who)s（%(org)s）于 %(when)s %(action)s，当前状态为“%(state)s”，不能再“%(what)s”。"),
    transitions=[
        Transition(
            "submit",
            _("提交审核"),
            (S.DRAFT,),
            S.SUBMITTED,
            (by(FILER, *STAFF), by(ENTERPRISE, *PORTAL)),
            service=f"{SERVICES}.complaint_submit",
            done=_("已提交审核。"),
        ),
        Transition(
            "start_review",
            _("开始审核"),
            (S.SUBMITTED,),
            S.UNDER_REVIEW,
            (by(FILER, *REVIEWER),),
            service=f"{SERVICES}.complaint_start_review",
            done=_("已开始审核。"),
        ),
        Transition(
            "request_material",
            _("退回补充材料"),
            (S.UNDER_REVIEW,),
            S.NEEDS_MATERIAL,
            (by(FILER, *REVIEWER),),
            service=f"{SERVICES}.complaint_request_material",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ComplaintReasonSerializer",
            fields={"reason": _("需补充的材料")},
            done=_("已退回补充材料，审核时限暂停计算。"),
            button="btn-warning",
            summary=_("退回补充材料（审核计时暂停）"),
        ),
        Transition(
            "supply_material",
            _("材料已补充"),
            (S.NEEDS_MATERIAL,),
            S.UNDER_REVIEW,
            (by(FILER, *STAFF), by(ENTERPRISE, *PORTAL)),
            service=f"{SERVICES}.complaint_supply_material",
            form=f"{FORMS}.SupplyMaterialForm",
            serializer=f"{SERIALIZERS}.ComplaintNoteSerializer",
            done=_("材料已补充，诉求重新进入审核。"),
            summary=_("材料已补充（审核计时恢复）"),
        ),
        Transition(
            "decline",
            _("不予移送"),
            (S.UNDER_REVIEW,),
            S.DECLINED,
            (by(FILER, *REVIEWER),),
            service=f"{SERVICES}.complaint_decline",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ComplaintReasonSerializer",
            fields={"reason": _("不予移送的理由")},
            confirm=_("不予移送后诉求即告终结，理由将告知填报人。"),
            done=_("已决定不予移送。"),
            button="btn-outline-danger",
        ),
        Transition(
            "queue",
            _("列入联席会议移送"),
            (S.UNDER_REVIEW,),
            S.QUEUED,
            (by(FILER, *REVIEWER),),
            service=f"{SERVICES}.complaint_queue",
            done=_("已列入联席会议移送。"),
        ),
        Transition(
            "transfer_now",
            _("立即移送（重大）"),
            (S.SUBMITTED, S.UNDER_REVIEW, S.QUEUED),
            S.TRANSFERRED,
            (by(FILER, *REVIEWER),),
            guard=_major_only,
            service=f"{SERVICES}.complaint_transfer_now",
            confirm=_("将立即出具编号移送函，单独移送法院，移送后不能撤回。"),
            button="btn-danger",
            summary=_("立即移送（重大事项，单独出具移送函）"),
        ),
        Transition(
            "transfer_batch",
            _("联席会议批量移送"),
            (S.QUEUED,),
            S.TRANSFERRED,
            (by(FILER, Role.FEDERATION_REVIEWER, Role.MEETING_SECRETARY), by(CONVENOR, Role.MEETING_SECRETARY)),
            per_object=False,
            api=False,
            confirm=_("将按法院分别出具编号移送函，移送后不能撤回。"),
        ),
        Transition(
            "register",
            _("登记"),
            (S.TRANSFERRED,),
            S.REGISTERED,
            (by(HANDLER, Role.COURT_CLERK),),
            service=f"{SERVICES}.complaint_register",
            form=f"{FORMS}.RegisterForm",
            serializer=f"{SERIALIZERS}.ComplaintRegisterSerializer",
            done=_("已登记。"),
            summary=_("法院登记（随案登记）"),
        ),
        Transition(
            "court_return",
            _("退回移送"),
            (S.TRANSFERRED,),
            S.RETURNED,
            (by(HANDLER, Role.COURT_CLERK),),
            service=f"{SERVICES}.complaint_court_return",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ComplaintReasonSerializer",
            fields={"reason": _("退回理由")},
            done=_("已退回移送。"),
            button="btn-outline-danger",
            summary=_("法院退回移送"),
        ),
        Transition(
            "assign",
            _("交办"),
            (S.REGISTERED, S.ASSIGNED),
            S.ASSIGNED,
            (by(HANDLER, Role.COURT_CLERK),),
            service=f"{SERVICES}.complaint_assign",
            form=f"{FORMS}.AssignForm",
            serializer=f"{SERIALIZERS}.ComplaintAssignSerializer",
            done=lambda result, data: _("已交办 %(handler)s。") % {"handler": data["handler"].display_name},
            summary=_("交办承办部门和承办人"),
        ),
        Transition(
            "answer",
            _("反馈办理结果"),
            (S.ASSIGNED,),
            S.ANSWERED,
            (by(HANDLER, *DESK),),
            guard=_own_handler,
            service=f"{SERVICES}.complaint_answer",
            form=f"{FORMS}.AnswerForm",
            serializer=f"{SERIALIZERS}.ComplaintAnswerSerializer",
            done=_("办理结果已反馈。"),
        ),
        Transition(
            "close",
            _("办结"),
            (S.ANSWERED, S.RETURNED),
            S.CLOSED,
            (by(FILER, *STAFF),),
            service=f"{SERVICES}.complaint_close",
            confirm=_("办结后诉求不能再要求重新办理。"),
            done=_("诉求已办结。"),
            button="btn-success",
        ),
        Transition(
            "reopen",
            _("要求重新办理"),
            (S.ANSWERED,),
            S.ASSIGNED,
            (by(FILER, *STAFF),),
            service=f"{SERVICES}.complaint_reopen",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ComplaintReasonSerializer",
            fields={"reason": _("重新办理的理由")},
            done=_("已要求法院重新办理。"),
            button="btn-warning",
        ),
        Transition(
            "reroute",
            _("改送其他法院"),
            (S.RETURNED,),
            S.TRANSFERRED,
            (by(FILER, *REVIEWER),),
            service=f"{SERVICES}.complaint_reroute",
            form=f"{FORMS}.RerouteForm",
            serializer=f"{SERIALIZERS}.ComplaintRerouteSerializer",
            confirm=_("将出具新的编号移送函，改送所选法院。"),
        ),
        Transition(
            "withdraw",
            _("撤回"),
            (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.NEEDS_MATERIAL, S.QUEUED),
            S.WITHDRAWN,
            (by(FILER, *STAFF), by(ENTERPRISE, *PORTAL)),
            service=f"{SERVICES}.complaint_withdraw",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ComplaintReasonSerializer",
            fields={"reason": _("撤回理由")},
            done=_("诉求已撤回。"),
            button="btn-outline-secondary",
        ),
        # Steps beside the status: the court's extension and case review, and more files.
        Transition(
            "request_extension",
            _("申请延期"),
            (ExtensionState.NONE,),
            ExtensionState.REQUESTED,
            (by(HANDLER, *DESK),),
            state_field="extension_state",
            require={"status": (S.REGISTERED, S.ASSIGNED)},
            service=f"{SERVICES}.complaint_request_extension",
            form=f"{FORMS}.ExtensionRequestForm",
            serializer=f"{SERIALIZERS}.ComplaintReasonSerializer",
            audit="extension_request",
            stale=_("每件诉求只能申请一次延期，且须在法院办理期间申请。"),
            done=_("延期申请已提交，等待法院领导审批。"),
            summary=_("申请延期（每件一次）"),
        ),
        Transition(
            "decide_extension",
            _("审批延期"),
            (ExtensionState.REQUESTED,),
            ExtensionState.APPROVED,
            (by(HANDLER, Role.LEADER),),
            alternatives=(ExtensionState.REFUSED,),
            state_field="extension_state",
            service=f"{SERVICES}.complaint_decide_extension",
            form=f"{FORMS}.ExtensionDecisionForm",
            serializer=f"{SERIALIZERS}.ExtensionDecisionSerializer",
            kwargs=_decision,
            audit="extension_decide",
            stale=_("没有待审批的延期申请。"),
            done=lambda result, data: _("已批准延期，反馈期限已顺延。") if data["approve"] else _("已不批准延期。"),
            summary=_("审批延期（法院领导）"),
        ),
        Transition(
            "case_review",
            _("登记评查结果"),
            (S.REGISTERED, S.ASSIGNED, S.ANSWERED),
            None,
            (by(HANDLER, *DESK),),
            service=f"{SERVICES}.case_review_record",
            form=f"{FORMS}.CaseReviewForm",
            serializer=f"{SERIALIZERS}.CaseReviewWriteSerializer",
            done=_("评查结果已登记。"),
            summary=_("登记案件评查结果"),
        ),
        Transition(
            "add_files",
            _("上传附件"),
            tuple(S.values),
            None,
            (by(FILER, *STAFF), by(HANDLER, *DESK)),
            guard=_files_for_side,
            service=f"{SERVICES}.complaint_add_files",
            form=f"{FORMS}.FilesForm",
            api=False,
            done=_("附件已上传。"),
        ),
    ],
)


# --- the link between a person and an enterprise ---------------------------------------------------

FEDERATION = "federation"


def membership_sides(actor: User, membership: Any) -> set[str]:
    """The federation side: a collecting party of the enterprise's mechanism (it registered or serves it)."""
    if not actor.is_authenticated or not actor.organization_id:
        return set()
    mechanism_id = membership.enterprise.mechanism_id
    if not scoping.can_act(actor, mechanism_id):
        return set()
    collecting = MechanismParty.objects.filter(
        mechanism_id=mechanism_id, organization_id=actor.organization_id, side__in=("collector", "both")
    ).exists()
    return {FEDERATION} if collecting else set()


def membership_side_labels() -> dict[str, Any]:
    return {FEDERATION: _("服务该企业的工商联")}


M = MembershipState
MEMBERSHIP = Workflow(
    model=None,
    app="cases",
    object_name="membership",
    sides=membership_sides,
    side_labels=membership_side_labels,
    audit_prefix="membership_",
    audit_state=lambda code: f"membership_{code}",
    state_field="state",
    stale_message=_(
        "该企业用户已由 %(who)s（%(org)s）于 %(when)s %(action)s，当前状态为“%(state)s”，不能再“%(what)s”。"
    ),
    transitions=[
        Transition(
            "confirm_membership",
            _("确认企业用户"),
            (M.PENDING,),
            M.CONFIRMED,
            (by(FEDERATION, *REVIEWER),),
            service=f"{SERVICES}.membership_confirm",
            done=_("已确认该企业用户，其可以在线提交诉求。"),
            button="btn-success",
        ),
        Transition(
            "refuse_membership",
            _("不予确认"),
            (M.PENDING,),
            M.REFUSED,
            (by(FEDERATION, *REVIEWER),),
            service=f"{SERVICES}.membership_refuse",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ComplaintReasonSerializer",
            fields={"reason": _("不予确认的理由")},
            done=_("已不予确认，理由将告知申请人。"),
            button="btn-outline-danger",
        ),
    ],
)


# --- the enterprise's request to have an answered matter handled again --------------------------


def satisfaction_sides(actor: User, satisfaction: Any) -> set[str]:
    """The federation that filed the complaint decides on the enterprise's request."""
    complaint = satisfaction.complaint
    if not actor.is_authenticated or not scoping.can_act(actor, complaint.mechanism_id):
        return set()
    return {FEDERATION} if actor.organization_id == complaint.filing_organization_id else set()


R = ReopenDecision
SATISFACTION = Workflow(
    model=None,
    app="cases",
    object_name="satisfaction",
    sides=satisfaction_sides,
    side_labels=lambda: {FEDERATION: _("受理的工商联")},
    state_field="decision",
    audit_prefix="satisfaction_",
    audit_state=lambda code: f"reopen_{code}",
    transitions=[
        Transition(
            "grant_reopen",
            _("同意重新办理"),
            (R.PENDING,),
            R.REOPENED,
            (by(FEDERATION, *REVIEWER),),
            service=f"{SERVICES}.satisfaction_grant_reopen",
            confirm=_("将要求法院重新办理，并重新计算反馈时限。"),
            done=_("已要求法院重新办理。"),
            button="btn-warning",
        ),
        Transition(
            "explain",
            _("解释说明"),
            (R.PENDING,),
            R.EXPLAINED,
            (by(FEDERATION, *REVIEWER),),
            service=f"{SERVICES}.satisfaction_explain",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ComplaintReasonSerializer",
            fields={"reason": _("向企业解释说明")},
            done=_("解释说明已告知企业。"),
        ),
    ],
)
