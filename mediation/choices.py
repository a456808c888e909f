"""Enumerations of the roster and of mediation cases.

The steps between their states are declared in `mediation.workflow`: a mediator's status (the
term ending moves it to expired by itself), a case's status, and its judicial confirmation once
an agreement is reached.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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


S = CaseStatus

OPEN_STATES = (S.REFERRED, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS)
# A mediator's current workload: the cases given to them and not yet finished.
WORKLOAD_STATES = (S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS)
FINISHED_STATES = (S.AGREEMENT, S.FAILED)
CLOSED_STATES = (S.AGREEMENT, S.FAILED, S.WITHDRAWN)

# How many calendar days a mediator's term-ending reminders come before the end.
TERM_REMINDER_DAYS = (60, 30)
# Deadline kind of the mediation time limit (liaison.Deadline), reminded by the reminder engine.
TIME_LIMIT_KIND = "mediation.time_limit"
MAX_EXTENSION_DAYS = 90


class RecommendationKind(models.TextChoices):
    """What the recommending party (a federation, or a bureau) proposes a person for."""

    ASSESSOR = "assessor", _("人民陪审员")
    SPECIAL_SUPERVISOR = "special_supervisor", _("特约监督员")
    INTEGRITY_SUPERVISOR = "integrity_supervisor", _("廉政监督员")
    ARBITRATOR = "arbitrator", _("仲裁员")
    MEDIATOR = "mediator", _("特邀调解员")


class RecommendationStatus(models.TextChoices):
    PENDING = "pending", _("待决定")
    APPOINTED = "appointed", _("已任命")
    DECLINED = "declined", _("未采纳")
    RECALLED = "recalled", _("已撤回推荐")
    WITHDRAWN = "withdrawn", _("已免除")
    EXPIRED = "expired", _("任期届满")


# Deadline kind of the receiving party's decision on a recommendation (liaison.Deadline).
RECOMMENDATION_DECISION_KIND = "mediation.recommendation_decision"
# Working days the receiving party has to decide, where the mechanism sets nothing else.
DEFAULT_DECISION_WORKING_DAYS = 20


class PairingStatus(models.TextChoices):
    ACTIVE = "active", _("结对中")
    ENDED = "ended", _("已结束")


class CheckupKind(models.TextChoices):
    CHECKUP = "checkup", _("法治体检")
    CONSULTATION = "consultation", _("法律咨询")


class CheckupStatus(models.TextChoices):
    REQUESTED = "requested", _("待分派")
    ASSIGNED = "assigned", _("服务中")
    REPORTED = "reported", _("已出具报告")
    CONFIRMED = "confirmed", _("已确认")
    CANCELLED = "cancelled", _("已撤销")


# Deadline kinds of a legal check-up: assigning it to a paired firm, and the firm's report.
CHECKUP_ASSIGN_KIND = "mediation.checkup_assign"
CHECKUP_REPORT_KIND = "mediation.checkup_report"
DEFAULT_ASSIGN_WORKING_DAYS = 3
DEFAULT_REPORT_WORKING_DAYS = 20
