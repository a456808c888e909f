"""The state machines of mediation, declared once: the case (with its judicial confirmation) and
the mediator on a court's roster.

A case has three sides, read from the case itself: the court that referred it (or that a
chamber's case belongs to), acting through its mechanism; the mediation organisation handling it,
through its mediation managers or those of the chamber that runs it; and the one mediator
assigned to it. A roster entry has two: the appointing court and the organisation. The services
perform the steps (`CASE.perform`, `MEDIATOR.perform`), the pages and the API generate their
forms, buttons and endpoints from these tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from liaison import deadlines, scoping
from liaison.choices import Role
from liaison.models import Mechanism, User
from liaison.workflow import PARTY, Transition, Workflow, by

from .choices import (
    OPEN_STATES,
    CaseStatus,
    CheckupStatus,
    Confirmation,
    MediatorStatus,
    PairingStatus,
    RecommendationStatus,
)

S, C, M = CaseStatus, Confirmation, MediatorStatus
COURT, MANAGER, MEDIATOR = "court", "manager", "mediator"
COURT_DESK = (Role.COURT_CLERK, Role.COURT_HANDLER)

SESSION_STATES = (S.ACCEPTED, S.IN_PROGRESS)
EXTENDABLE = (S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS)
ALL_CASE_STATES = tuple(S.values)
ALL_MEDIATOR_STATES = tuple(M.values)

SERVICES = "mediation.services"
FORMS = "mediation.forms"
SERIALIZERS = "mediation.api.serializers"


# --- who stands where ----------------------------------------------------------------------------


def on_court_side(actor: User, court_id: int, mechanism: Mechanism | int) -> bool:
    return bool(actor.organization_id) and actor.organization_id == court_id and scoping.can_act(actor, mechanism)


def on_organisation_side(actor: User, organisation: Any) -> bool:
    """The organisation's own people, or the chamber (federation) that runs it."""
    return bool(actor.organization_id) and actor.organization_id in (
        organisation.organization_id,
        organisation.run_by_id,
    )


def is_assigned_mediator(actor: User, case: Any) -> bool:
    return case.mediator_id is not None and case.mediator.user_id is not None and case.mediator.user_id == actor.pk


def case_sides(actor: User, case: Any) -> set[str]:
    """The sides the actor holds on the case. Every organization's user is told which side a step
    needs ("只有受理法院才能…"); the pages show a case only to its sides (`selectors.case_scope`)."""
    if not actor.is_authenticated or not actor.organization_id:
        return set()
    held = {PARTY}
    if on_court_side(actor, case.court_id, case.mechanism_id):
        held.add(COURT)
    if on_organisation_side(actor, case.organisation):
        held.add(MANAGER)
    if is_assigned_mediator(actor, case):
        held.add(MEDIATOR)
    return held


def roster_sides(actor: User, organisation: Any, court_id: int, mechanism: Mechanism | int) -> set[str]:
    """The sides of a roster entry (or of one about to be made): the appointing court, through its
    mechanism, and the mediation organisation."""
    if not actor.is_authenticated or not actor.organization_id:
        return set()
    held = {PARTY}
    if on_court_side(actor, court_id, mechanism):
        held.add(COURT)
    if on_organisation_side(actor, organisation):
        held.add(MANAGER)
    return held


def mediator_sides(actor: User, mediator: Any) -> set[str]:
    return roster_sides(actor, mediator.organisation, mediator.court_id, mediator.mechanism_id)


def case_side_labels() -> dict[str, Any]:
    return {COURT: _("受理法院"), MANAGER: _("承办调解组织的调解管理员"), MEDIATOR: _("被指派的调解员")}


def mediator_side_labels() -> dict[str, Any]:
    return {COURT: _("聘任法院"), MANAGER: _("调解组织")}


# --- guards --------------------------------------------------------------------------------------


def _agreement_reached(actor: User, case: Any) -> str | None:
    if case.status != S.AGREEMENT:
        return _("只有达成调解协议的案件才能申请或审查司法确认。")
    return None


def _session_state(actor: User, case: Any) -> str | None:
    if case.status not in SESSION_STATES:
        return _("调解员接受指派后、结案前才能安排调解（当前为“%(state)s”）。") % {"state": case.get_status_display()}
    return None


def _extendable(actor: User, case: Any) -> str | None:
    if case.status not in EXTENDABLE:
        return _("当前状态为“%(state)s”，不能延长调解期限。") % {"state": case.get_status_display()}
    return None


def _decision(confirmed: bool) -> Callable[[dict], dict]:
    """The confirmation decision's arguments from the confirm or refuse form."""
    return lambda data: {"confirmed": confirmed, "note": data.get("note", "")}


WORKERS = (by(MANAGER, Role.MEDIATION_MANAGER), by(MEDIATOR, Role.MEDIATOR))
ON_CASE = (by(COURT, *COURT_DESK), by(MANAGER, Role.MEDIATION_MANAGER), by(MEDIATOR, Role.MEDIATOR))

CASE = Workflow(
    app="mediation",
    object_name="case",
    sides=case_sides,
    side_labels=case_side_labels,
    stale_message=_(
        "该调解案件已由 %(who)s（%(org)s）于 %(when)s %(action)s，当前状态为“%(state)s”，不能再“%(what)s”。"
    ),
    separate_histories=True,
    transitions=[
        Transition(
            "assign",
            _("指派调解员"),
            (S.REFERRED,),
            S.ASSIGNED,
            (by(MANAGER, Role.MEDIATION_MANAGER),),
            service=f"{SERVICES}.case_assign",
            form=f"{FORMS}.AssignForm",
            serializer=f"{SERIALIZERS}.AssignSerializer",
            done=_("已指派调解员，等待其接受。"),
            summary=_("指派调解员（调解管理员）"),
        ),
        Transition(
            "accept",
            _("接受指派"),
            (S.ASSIGNED,),
            S.ACCEPTED,
            (by(MEDIATOR, Role.MEDIATOR),),
            service=f"{SERVICES}.case_accept",
            done=_("已接受指派，请安排调解。"),
            button="btn-success",
            summary=_("接受指派（被指派的调解员）"),
        ),
        Transition(
            "decline",
            _("拒绝指派"),
            (S.ASSIGNED,),
            S.REFERRED,
            (by(MEDIATOR, Role.MEDIATOR),),
            service=f"{SERVICES}.case_decline",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ReasonSerializer",
            fields={"reason": _("拒绝理由")},
            done=_("已拒绝指派，案件退回调解组织重新指派。"),
            button="btn-outline-danger",
            summary=_("拒绝指派（须说明理由；案件退回重新指派）"),
        ),
        # Taken by the first session (`session_add`), not by a button of its own.
        Transition("start", _("开始调解"), (S.ACCEPTED,), S.IN_PROGRESS, WORKERS, per_object=False, api=False),
        Transition(
            "agree",
            _("达成调解协议"),
            (S.IN_PROGRESS,),
            S.AGREEMENT,
            WORKERS,
            service=f"{SERVICES}.case_record_agreement",
            form=f"{FORMS}.AgreementForm",
            serializer=f"{SERIALIZERS}.AgreementSerializer",
            done=_("已记录调解协议。"),
            button="btn-success",
        ),
        Transition(
            "fail",
            _("调解不成（转立案）"),
            (S.ACCEPTED, S.IN_PROGRESS),
            S.FAILED,
            WORKERS,
            service=f"{SERVICES}.case_record_failure",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ReasonSerializer",
            fields={"reason": _("调解不成的原因")},
            done=_("已记录调解不成，已通知法院依法转立案。"),
            button="btn-outline-danger",
            summary=_("调解不成（退回法院立案，并通知法院）"),
        ),
        Transition(
            "withdraw",
            _("撤回调解"),
            OPEN_STATES,
            S.WITHDRAWN,
            (by(COURT, *COURT_DESK), by(MANAGER, Role.MEDIATION_MANAGER)),
            service=f"{SERVICES}.case_withdraw",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ReasonSerializer",
            fields={"reason": _("撤回理由")},
            done=_("调解已撤回。"),
            button="btn-outline-secondary",
        ),
        # The judicial confirmation: a second state of an agreed case.
        Transition(
            "request_confirmation",
            _("申请司法确认"),
            (C.NONE,),
            C.REQUESTED,
            WORKERS,
            state_field="confirmation",
            guard=_agreement_reached,
            service=f"{SERVICES}.confirmation_request",
            form=f"{FORMS}.NoteForm",
            serializer=f"{SERIALIZERS}.NoteSerializer",
            done=_("已向法院申请司法确认。"),
        ),
        Transition(
            "confirm",
            _("司法确认"),
            (C.REQUESTED,),
            C.CONFIRMED,
            (by(COURT, *COURT_DESK),),
            state_field="confirmation",
            guard=_agreement_reached,
            service=f"{SERVICES}.confirmation_decide",
            form=f"{FORMS}.NoteForm",
            kwargs=_decision(True),
            api=False,
            done=_("已司法确认。"),
            button="btn-success",
            confirm=_("确认后调解协议具有强制执行力。"),
        ),
        Transition(
            "refuse_confirmation",
            _("不予确认"),
            (C.REQUESTED,),
            C.REFUSED,
            (by(COURT, *COURT_DESK),),
            state_field="confirmation",
            guard=_agreement_reached,
            service=f"{SERVICES}.confirmation_decide",
            form=f"{FORMS}.RequiredNoteForm",
            kwargs=_decision(False),
            api=False,
            done=_("已决定不予确认。"),
            button="btn-outline-danger",
        ),
        # Steps that record without moving the state; the API has them as resources
        # (`sessions/`, `extend/` answer what they created).
        Transition(
            "session",
            _("安排或记录调解"),
            ALL_CASE_STATES,
            None,
            WORKERS,
            guard=_session_state,
            service=f"{SERVICES}.session_add",
            form=f"{FORMS}.SessionForm",
            api=False,
            done=_("调解安排已保存。"),
        ),
        Transition(
            "extend",
            _("延长调解期限"),
            ALL_CASE_STATES,
            None,
            WORKERS,
            guard=_extendable,
            service=f"{SERVICES}.case_extend",
            form=f"{FORMS}.ExtensionForm",
            api=False,
            done=_("调解期限已延长。"),
            button="btn-outline-primary",
        ),
    ],
)

KEEPERS = (by(COURT, Role.COURT_CLERK), by(MANAGER, Role.MEDIATION_MANAGER))


def keeps_roster(actor: User, organisation: Any, court_id: int, mechanism: Mechanism | int) -> bool:
    """The actor may keep this court's roster of this organisation's mediators (appoint, correct)."""
    held = roster_sides(actor, organisation, court_id, mechanism)
    return any(who.side in held and actor.has_role(*who.roles) for who in KEEPERS)


def _term_running(actor: User, mediator: Any) -> str | None:
    if mediator.term_end < deadlines.today():
        return _("任期已届满，请续聘。")
    return None


ROSTER = Workflow(
    app="mediation",
    object_name="mediator",
    sides=mediator_sides,
    side_labels=mediator_side_labels,
    audit_prefix="mediator_",
    stale_message=_("该调解员当前为“%(state)s”，不能“%(what)s”。"),
    transitions=[
        Transition(
            "suspend",
            _("暂停"),
            (M.ACTIVE,),
            M.SUSPENDED,
            KEEPERS,
            service=f"{SERVICES}.mediator_suspend",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ReasonSerializer",
            fields={"reason": _("暂停理由")},
            done=_("已暂停该调解员。"),
            button="btn-outline-warning",
        ),
        Transition(
            "reinstate",
            _("恢复"),
            (M.SUSPENDED,),
            M.ACTIVE,
            KEEPERS,
            guard=_term_running,
            service=f"{SERVICES}.mediator_reinstate",
            done=_("已恢复该调解员。"),
            button="btn-outline-success",
            summary=_("恢复（暂停后）"),
        ),
        Transition(
            "remove",
            _("解聘"),
            (M.ACTIVE, M.SUSPENDED, M.EXPIRED),
            M.REMOVED,
            KEEPERS,
            service=f"{SERVICES}.mediator_remove",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ReasonSerializer",
            fields={"reason": _("解聘理由")},
            done=_("已解聘该调解员。"),
            button="btn-outline-danger",
            confirm=_("解聘后该调解员不能再被指派，也不能恢复或续聘。"),
        ),
        Transition(
            "renew",
            _("续聘"),
            (M.ACTIVE, M.EXPIRED),
            M.ACTIVE,
            KEEPERS,
            service=f"{SERVICES}.mediator_renew",
            form=f"{FORMS}.RenewForm",
            serializer=f"{SERIALIZERS}.RenewSerializer",
            done=_("已续聘。"),
            button="btn-outline-primary",
            summary=_("续聘（新任期届满日期）"),
        ),
        # Done by the daily task when the term has ended, never by a person.
        Transition("expire", _("任期届满"), (M.ACTIVE, M.SUSPENDED), M.EXPIRED, (), per_object=False, api=False),
        Transition(
            "link",
            _("登记利害关系"),
            (M.ACTIVE, M.SUSPENDED, M.EXPIRED),
            None,
            KEEPERS,
            service=f"{SERVICES}.mediator_link_add",
            form=f"{FORMS}.LinkForm",
            api=False,
            done=_("利害关系已登记，涉及该当事人的案件将不再推荐该调解员。"),
            button="btn-outline-primary",
        ),
        # Correcting the entry has its own page (and PATCH); the term moves by renewal only.
        Transition("update", _("修改调解员信息"), ALL_MEDIATOR_STATES, None, KEEPERS, per_object=False, api=False),
    ],
)


# --- recommendations of people ---------------------------------------------------------------------

R = RecommendationStatus
RECOMMENDER, RECEIVER = "recommender", "receiver"
RECOMMENDING_ROLES = (Role.FEDERATION_STAFF, Role.FEDERATION_REVIEWER, Role.LEADER)
RECEIVING_ROLES = (Role.COURT_CLERK, Role.LEADER)


def recommendation_sides(actor: User, recommendation: Any) -> set[str]:
    """The recommending and the receiving party, each acting through the recommendation's mechanism."""
    if not actor.is_authenticated or not actor.organization_id:
        return set()
    if not scoping.can_act(actor, recommendation.mechanism_id):
        return (
            {PARTY} if actor.organization_id in (recommendation.recommender_id, recommendation.receiver_id) else set()
        )
    held = {PARTY}
    if actor.organization_id == recommendation.recommender_id:
        held.add(RECOMMENDER)
    if actor.organization_id == recommendation.receiver_id:
        held.add(RECEIVER)
    return held


def recommendation_side_labels() -> dict[str, Any]:
    return {RECOMMENDER: _("推荐单位"), RECEIVER: _("接收单位")}


RECOMMENDATION = Workflow(
    app="mediation",
    object_name="recommendation",
    sides=recommendation_sides,
    side_labels=recommendation_side_labels,
    audit_prefix="recommendation_",
    # Recorded as "recommendation:<state>": "withdrawn" and "expired" mean something else on a case or a mediator.
    audit_state=lambda code: f"recommendation:{code}",
    stale_message=_("该推荐人选已由 %(who)s（%(org)s）于 %(when)s %(action)s，当前为“%(state)s”，不能再“%(what)s”。"),
    transitions=[
        Transition(
            "appoint",
            _("任命"),
            (R.PENDING,),
            R.APPOINTED,
            (by(RECEIVER, *RECEIVING_ROLES),),
            service=f"{SERVICES}.recommendation_appoint",
            form=f"{FORMS}.RecommendationAppointForm",
            serializer=f"{SERIALIZERS}.RecommendationAppointSerializer",
            done=_("已任命，推荐单位已收到通知。"),
            button="btn-success",
            summary=_("任命（任期与任命文号；特邀调解员同时列入名册）"),
        ),
        Transition(
            "decline",
            _("不予采纳"),
            (R.PENDING,),
            R.DECLINED,
            (by(RECEIVER, *RECEIVING_ROLES),),
            service=f"{SERVICES}.recommendation_decline",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ReasonSerializer",
            fields={"reason": _("不予采纳的理由")},
            done=_("已决定不予采纳，推荐单位已收到通知。"),
            button="btn-outline-danger",
        ),
        Transition(
            "recall",
            _("撤回推荐"),
            (R.PENDING,),
            R.RECALLED,
            (by(RECOMMENDER, *RECOMMENDING_ROLES),),
            service=f"{SERVICES}.recommendation_recall",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ReasonSerializer",
            fields={"reason": _("撤回理由")},
            done=_("已撤回推荐。"),
            button="btn-outline-secondary",
        ),
        Transition(
            "withdraw",
            _("免除"),
            (R.APPOINTED,),
            R.WITHDRAWN,
            (by(RECEIVER, *RECEIVING_ROLES), by(RECOMMENDER, *RECOMMENDING_ROLES)),
            service=f"{SERVICES}.recommendation_withdraw",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ReasonSerializer",
            fields={"reason": _("免除理由")},
            done=_("已免除。"),
            button="btn-outline-danger",
            confirm=_("免除后不能恢复；特邀调解员同时从名册中解聘。"),
        ),
        # Done by the daily task when the term has ended, never by a person.
        Transition("expire", _("任期届满"), (R.APPOINTED,), R.EXPIRED, (), per_object=False, api=False),
    ],
)


# --- law firms paired with chambers, and legal check-ups -------------------------------------------

CU, PS = CheckupStatus, PairingStatus
CHAMBER, BUREAU, FIRM = "chamber", "bureau", "firm"
CHAMBER_ROLES = (Role.FEDERATION_STAFF, Role.FEDERATION_REVIEWER, Role.LEADER)
BUREAU_ROLES = (Role.COURT_CLERK, Role.LEADER)
FIRM_ROLES = (Role.LAWYER,)


def handles(actor: User, mechanism_id: int) -> bool:
    """The actor's organization is on the handling side of the mechanism (the justice bureau)."""
    cache = actor.__dict__.setdefault("_handling_mechanisms", {})
    if mechanism_id not in cache:
        from liaison.choices import HANDLING_SIDES
        from liaison.models import MechanismParty

        cache[mechanism_id] = MechanismParty.objects.filter(
            mechanism_id=mechanism_id, organization_id=actor.organization_id, side__in=HANDLING_SIDES
        ).exists()
    return cache[mechanism_id]


def _legal_sides(actor: User, mechanism_id: int, chamber_id: int, firm_id: int | None) -> set[str]:
    if not actor.is_authenticated or not actor.organization_id or not scoping.can_act(actor, mechanism_id):
        return set()
    held = {PARTY}
    if actor.organization_id == chamber_id:
        held.add(CHAMBER)
    if firm_id is not None and actor.organization_id == firm_id:
        held.add(FIRM)
    if handles(actor, mechanism_id):
        held.add(BUREAU)
    return held


def checkup_sides(actor: User, checkup: Any) -> set[str]:
    firm_id = checkup.pairing.firm_id if checkup.pairing_id else None
    return _legal_sides(actor, checkup.mechanism_id, checkup.chamber_id, firm_id)


def pairing_sides(actor: User, pairing: Any) -> set[str]:
    return _legal_sides(actor, pairing.mechanism_id, pairing.chamber_id, pairing.firm_id)


def legal_side_labels() -> dict[str, Any]:
    return {CHAMBER: _("提出申请的商会"), BUREAU: _("司法局"), FIRM: _("结对律师事务所")}


CHECKUP = Workflow(
    app="mediation",
    object_name="checkup",
    sides=checkup_sides,
    side_labels=legal_side_labels,
    audit_prefix="checkup_",
    audit_state=lambda code: f"checkup:{code}",
    stale_message=_("该法治体检已由 %(who)s（%(org)s）于 %(when)s %(action)s，当前为“%(state)s”，不能再“%(what)s”。"),
    transitions=[
        Transition(
            "assign",
            _("分派律所"),
            (CU.REQUESTED,),
            CU.ASSIGNED,
            (by(CHAMBER, *CHAMBER_ROLES), by(BUREAU, *BUREAU_ROLES)),
            service=f"{SERVICES}.checkup_assign",
            form=f"{FORMS}.CheckupAssignForm",
            serializer=f"{SERIALIZERS}.CheckupAssignSerializer",
            done=_("已分派给结对律所，报告期限开始计算。"),
        ),
        Transition(
            "visit",
            _("记录走访"),
            (CU.ASSIGNED,),
            None,
            (by(FIRM, *FIRM_ROLES),),
            service=f"{SERVICES}.checkup_visit",
            form=f"{FORMS}.CheckupVisitForm",
            api=False,
            done=_("走访已记录。"),
            button="btn-outline-primary",
        ),
        Transition(
            "report",
            _("出具体检报告"),
            (CU.ASSIGNED,),
            CU.REPORTED,
            (by(FIRM, *FIRM_ROLES),),
            service=f"{SERVICES}.checkup_report",
            form=f"{FORMS}.CheckupReportForm",
            serializer=f"{SERIALIZERS}.CheckupReportSerializer",
            done=_("体检报告已出具，商会已收到通知。"),
            button="btn-success",
        ),
        Transition(
            "confirm",
            _("确认报告"),
            (CU.REPORTED,),
            CU.CONFIRMED,
            (by(CHAMBER, *CHAMBER_ROLES),),
            service=f"{SERVICES}.checkup_confirm",
            form=f"{FORMS}.NoteForm",
            serializer=f"{SERIALIZERS}.NoteSerializer",
            done=_("已确认体检报告。"),
            button="btn-success",
        ),
        Transition(
            "cancel",
            _("撤销申请"),
            (CU.REQUESTED, CU.ASSIGNED),
            CU.CANCELLED,
            (by(CHAMBER, *CHAMBER_ROLES),),
            service=f"{SERVICES}.checkup_cancel",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ReasonSerializer",
            fields={"reason": _("撤销原因")},
            done=_("申请已撤销。"),
            button="btn-outline-secondary",
        ),
    ],
)

PAIRING = Workflow(
    app="mediation",
    object_name="pairing",
    sides=pairing_sides,
    side_labels=legal_side_labels,
    audit_prefix="pairing_",
    audit_state=lambda code: f"pairing:{code}",
    stale_message=_("该结对当前为“%(state)s”，不能“%(what)s”。"),
    transitions=[
        Transition(
            "renew",
            _("续签结对"),
            (PS.ACTIVE,),
            PS.ACTIVE,
            (by(BUREAU, *BUREAU_ROLES),),
            service=f"{SERVICES}.pairing_renew",
            form=f"{FORMS}.PairingRenewForm",
            serializer=f"{SERIALIZERS}.PairingRenewSerializer",
            done=_("已续签。"),
            button="btn-outline-primary",
        ),
        Transition(
            "end",
            _("结束结对"),
            (PS.ACTIVE,),
            PS.ENDED,
            (by(BUREAU, *BUREAU_ROLES),),
            service=f"{SERVICES}.pairing_end",
            form=f"{FORMS}.ReasonForm",
            serializer=f"{SERIALIZERS}.ReasonSerializer",
            fields={"reason": _("结束原因")},
            done=_("结对已结束。"),
            button="btn-outline-danger",
        ),
    ],
)
