"""Enumerations of complaints and enterprises (the state machine is declared in `workflow.py`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class Industry(models.TextChoices):
    """The sections of the national industry classification (GB/T 4754-2017)."""

    A = "A", _("A 农、林、牧、渔业")
    B = "B", _("B 采矿业")
    C = "C", _("C 制造业")
    D = "D", _("D 电力、热力、燃气及水生产和供应业")
    E = "E", _("E 建筑业")
    F = "F", _("F 批发和零售业")
    G = "G", _("G 交通运输、仓储和邮政业")
    H = "H", _("H 住宿和餐饮业")
    I = "I", _("I 信息传输、软件和信息技术服务业")  # noqa: E741
    J = "J", _("J 金融业")
    K = "K", _("K 房地产业")
    L = "L", _("L 租赁和商务服务业")
    M = "M", _("M 科学研究和技术服务业")
    N = "N", _("N 水利、环境和公共设施管理业")
    O = "O", _("O 居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("P 教育")
    Q = "Q", _("Q 卫生和社会工作")
    R = "R", _("R 文化、体育和娱乐业")
    S = "S", _("S 公共管理、社会保障和社会组织")
    T = "T", _("T 国际组织")


class ComplaintKind(models.TextChoices):
    CASE_HANDLING = "case_handling", _("案件办理投诉")
    JUDICIAL_DEMAND = "judicial_demand", _("司法诉求")
    WRONGFUL_CASE_CLUE = "wrongful_case_clue", _("涉产权冤错案件线索")
    CONSULTATION = "consultation", _("法律咨询")
    CREDIT_REPAIR = "credit_repair", _("信用修复")
    ENFORCEMENT = "enforcement", _("执行问题")


class ComplaintStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "under_review", _("审核中")
    NEEDS_MATERIAL = "needs_material", _("待补充材料")
    DECLINED = "declined", _("不予移送")
    QUEUED = "queued", _("待联席会议移送")
    TRANSFERRED = "transferred", _("已移送法院")
    REGISTERED = "registered", _("法院已登记")
    ASSIGNED = "assigned", _("承办中")
    ANSWERED = "answered", _("法院已反馈")
    RETURNED = "returned", _("法院退回")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class ExtensionState(models.TextChoices):
    NONE = "none", _("未申请")
    REQUESTED = "requested", _("延期待审批")
    APPROVED = "approved", _("延期已批准")
    REFUSED = "refused", _("延期未批准")


class ReviewOutcome(models.TextChoices):
    RETRIAL = "retrial", _("启动再审")
    CORRECTED = "corrected", _("已纠正")
    NO_ERROR = "no_error", _("无错误，已释法析理")


class MessageVisibility(models.TextChoices):
    SHARED = "shared", _("双方可见")
    INTERNAL = "internal", _("仅本单位可见")
    # Between the enterprise that filed online and the federation's staff (the court does not read it).
    ENTERPRISE = "enterprise", _("企业与工商联")


# The purpose of an attachment the enterprise may read: the court's answer files marked for it.
FOR_ENTERPRISE = "for_enterprise"
# What the enterprise itself attached (filing and material).
ENTERPRISE_UPLOADS = ("filing", "material")


S = ComplaintStatus

OPEN_STATES = frozenset(set(S.values) - {S.DECLINED, S.CLOSED, S.WITHDRAWN})
COURT_STATES = frozenset({S.TRANSFERRED, S.REGISTERED, S.ASSIGNED, S.ANSWERED, S.RETURNED, S.CLOSED})


# The kinds of a complaint's deadlines (liaison.Deadline.kind).
REVIEW, REGISTRATION, FEEDBACK = "complaint.review", "complaint.registration", "complaint.feedback"


class MembershipState(models.TextChoices):
    """The link between a person and an enterprise, confirmed by the federation before the first filing."""

    PENDING = "pending", _("待工商联确认")
    CONFIRMED = "confirmed", _("已确认")
    REFUSED = "refused", _("未通过确认")


class MembershipSource(models.TextChoices):
    INVITED = "invited", _("工商联邀请")
    REGISTERED = "registered", _("自行注册")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class RatingSource(models.TextChoices):
    ONLINE = "online", _("企业在线评价")
    CALL = "call", _("工商联回访")


class ReopenDecision(models.TextChoices):
    """The federation's decision on a dissatisfied enterprise's request to have the matter handled again."""

    NONE = "none", _("未申请")
    PENDING = "pending", _("待工商联决定")
    REOPENED = "reopened", _("已要求法院重新办理")
    EXPLAINED = "explained", _("已解释说明")


# The working-day deadline of the federation's decision on a request for reopening.
REOPEN_DECISION = "complaint.reopen_decision"
