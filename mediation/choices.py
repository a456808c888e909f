"""Enumerations of the roster and of mediation cases, and the two state machines.

A mediator's status moves through MEDIATOR_TRANSITIONS (the term ending moves it to expired by
itself); a mediation case through TRANSITIONS, and its judicial confirmation, once an agreement
is reached, through CONFIRMATION_TRANSITIONS.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.choices import Role


class Profession(models.TextChoices):
    LAWYER = "lawyer", _("律师")
    RETIRED_JUDGE = "retired_judge", _("退休法官")
    ACCOUNTANT = "accountant", _("会计师")
    INDUSTRY_EXPERT = "industry_expert", _("行业专家")
    SCHOLAR = "scholar", _("法学专家学者")
    ARBITRATOR = "arbitrator", _("仲裁员")
    CHAMBER_STAFF = "chamber_staff", _("商会工作人员")
    OTHER = "other", _("其他")


class Specialty(models.TextChoices):
    """What a mediator is good at, and what a dispute is about (the ranking matches the two)."""

    CONTRACTS = "contracts", _("合同纠纷")
    FINANCE = "finance", _("金融借贷")
    CONSTRUCTION = "construction", _("建设工程")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("知识产权")
    CORPORATE = "corporate", _("公司与股东")
    LABOUR = "labour", _("劳动争议")
    INTERNATIONAL = "international", _("涉外及港澳台")
    BANKRUPTCY = "bankruptcy", _("破产")
    OTHER = "other", _("其他")


class MediatorStatus(models.TextChoices):
    ACTIVE = "active", _("在任")
    SUSPENDED = "suspended", _("暂停")
    EXPIRED = "expired", _("任期届满")
    REMOVED = "removed", _("已解聘")


class CaseSource(models.TextChoices):
    DELEGATED = "delegated", _("委派调解（立案前）")
    ENTRUSTED = "entrusted", _("委托调解（立案后）")
    CHAMBER = "chamber", _("商会受理申请")


class CaseStatus(models.TextChoices):
    REFERRED = "referred", _("待指派")
    ASSIGNED = "assigned", _("已指派")
    ACCEPTED = "accepted", _("已接受")
    IN_PROGRESS = "in_progress", _("调解中")
    AGREEMENT = "agreement", _("达成协议")
    FAILED = "failed", _("调解不成")
    WITHDRAWN = "withdrawn", _("已撤回")


class Confirmation(models.TextChoices):
    NONE = "none", _("未申请司法确认")
    REQUESTED = "requested", _("司法确认审查中")
    CONFIRMED = "confirmed", _("已司法确认")
    REFUSED = "refused", _("不予确认")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")


M, S, C = MediatorStatus, CaseStatus, Confirmation

# The sides that act on a case: the court that referred it (or that a chamber's case belongs to),
# the mediation organisation that handles it, and the mediator assigned to it.
COURT, MANAGER, MEDIATOR = "court", "manager", "mediator"
ROSTER_KEEPERS = frozenset({Role.MEDIATION_MANAGER, Role.COURT_CLERK})


@dataclass(frozen=True)
class Transition:
    """Who may move a case (or a mediator, or a confirmation) from which states to which."""

    sources: tuple[str, ...]
    target: str
    sides: frozenset[str]
    roles: frozenset[str]
    label: object


def _t(sources: tuple[str, ...], target: str, sides: set[str], roles: set[str], label: object) -> Transition:
    return Transition(sources, target, frozenset(sides), frozenset(roles), label)


OPEN_STATES = (S.REFERRED, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS)
# A mediator's current workload: the cases given to them and not yet finished.
WORKLOAD_STATES = (S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS)
FINISHED_STATES = (S.AGREEMENT, S.FAILED)
CLOSED_STATES = (S.AGREEMENT, S.FAILED, S.WITHDRAWN)
COURT_ROLES = {Role.COURT_CLERK, Role.COURT_HANDLER}

TRANSITIONS: dict[str, Transition] = {
    "assign": _t((S.REFERRED,), S.ASSIGNED, {MANAGER}, {Role.MEDIATION_MANAGER}, _("指派调解员")),
    "accept": _t((S.ASSIGNED,), S.ACCEPTED, {MEDIATOR}, {Role.MEDIATOR}, _("接受指派")),
    "decline": _t((S.ASSIGNED,), S.REFERRED, {MEDIATOR}, {Role.MEDIATOR}, _("拒绝指派")),
    "start": _t((S.ACCEPTED,), S.IN_PROGRESS, {MEDIATOR, MANAGER}, {Role.MEDIATOR, Role.MEDIATION_MANAGER},
                _("开始调解")),
    "agree": _t((S.IN_PROGRESS,), S.AGREEMENT, {MEDIATOR, MANAGER}, {Role.MEDIATOR, Role.MEDIATION_MANAGER},
                _("达成调解协议")),
    "fail": _t((S.ACCEPTED, S.IN_PROGRESS), S.FAILED, {MEDIATOR, MANAGER}, {Role.MEDIATOR, Role.MEDIATION_MANAGER},
               _("调解不成（转立案）")),
    "withdraw": _t(OPEN_STATES, S.WITHDRAWN, {MANAGER, COURT}, {Role.MEDIATION_MANAGER, *COURT_ROLES},
                   _("撤回调解")),
}

CONFIRMATION_TRANSITIONS: dict[str, Transition] = {
    "request_confirmation": _t((C.NONE,), C.REQUESTED, {MANAGER, MEDIATOR}, {Role.MEDIATION_MANAGER, Role.MEDIATOR},
                               _("申请司法确认")),
    "confirm": _t((C.REQUESTED,), C.CONFIRMED, {COURT}, COURT_ROLES, _("司法确认")),
    "refuse_confirmation": _t((C.REQUESTED,), C.REFUSED, {COURT}, COURT_ROLES, _("不予确认")),
}

MEDIATOR_TRANSITIONS: dict[str, Transition] = {
    "suspend": _t((M.ACTIVE,), M.SUSPENDED, {COURT, MANAGER}, ROSTER_KEEPERS, _("暂停")),
    "reinstate": _t((M.SUSPENDED,), M.ACTIVE, {COURT, MANAGER}, ROSTER_KEEPERS, _("恢复")),
    "remove": _t((M.ACTIVE, M.SUSPENDED, M.EXPIRED), M.REMOVED, {COURT, MANAGER}, ROSTER_KEEPERS, _("解聘")),
    "renew": _t((M.ACTIVE, M.EXPIRED), M.ACTIVE, {COURT, MANAGER}, ROSTER_KEEPERS, _("续聘")),
    # Done by the daily task, not by a person.
    "expire": _t((M.ACTIVE, M.SUSPENDED), M.EXPIRED, frozenset(), frozenset(), _("任期届满")),
}

# How many calendar days a mediator's term-ending reminders come before the end.
TERM_REMINDER_DAYS = (60, 30)
# Deadline kind of the mediation time limit (liaison.Deadline), reminded by the reminder engine.
TIME_LIMIT_KIND = "mediation.time_limit"
MAX_EXTENSION_DAYS = 90
