"""Enumerations of the shared core."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    COURT = "court", _("人民法院")
    FEDERATION = "federation", _("工商业联合会")
    CHAMBER = "chamber", _("商会")
    JUSTICE_BUREAU = "justice_bureau", _("司法局")
    GOVERNMENT = "government", _("政府部门")
    MEDIATION = "mediation", _("调解组织")
    LAW_FIRM = "law_firm", _("律师事务所")


class OrganizationLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")
    STREET = "street", _("街道")


class PartySide(models.TextChoices):
    """A party's place in a mechanism's routing of matters (not guessed from its kind)."""

    COLLECTOR = "collector", _("收集移送方")
    HANDLER = "handler", _("办理方")
    BOTH = "both", _("双向收集和办理")
    MEMBER = "member", _("成员单位")


class PartyPlace(models.TextChoices):
    """A party's standing in a mechanism: what it approves, routes and is told follows from it."""

    CONVENOR = "convenor", _("召集单位")
    CORE = "core", _("核心成员单位")
    MEMBER = "member", _("成员单位")
    OBSERVER = "observer", _("列席单位")


class PlaceRight(models.TextChoices):
    """What a place may carry in a mechanism (set per mechanism in the admin)."""

    APPROVES_MINUTES = "approves_minutes", _("审定会议纪要")
    ROUTES_MATTERS = "routes_matters", _("填报、移送和办理事项")
    IS_TOLD = "is_told", _("接收纪要和通知")


# Without a rule of its own a mechanism gives the places these rights: the convenor and core parties
# approve and route, member units and observers are told but never block an approval.
DEFAULT_PLACE_RIGHTS: dict[str, frozenset[str]] = {
    PlaceRight.APPROVES_MINUTES: frozenset({PartyPlace.CONVENOR, PartyPlace.CORE}),
    PlaceRight.ROUTES_MATTERS: frozenset({PartyPlace.CONVENOR, PartyPlace.CORE}),
    PlaceRight.IS_TOLD: frozenset({PartyPlace.CONVENOR, PartyPlace.CORE, PartyPlace.MEMBER, PartyPlace.OBSERVER}),
}


COLLECTING_SIDES = (PartySide.COLLECTOR, PartySide.BOTH)
HANDLING_SIDES = (PartySide.HANDLER, PartySide.BOTH)
COLLECTING_KINDS = ("federation", "chamber")


def default_side(kind: str, mechanism_has_collector: bool) -> str:
    """The side a party of this kind takes in a new mechanism: the federation and chambers
    collect, courts and governments handle; where no federation takes part, every party does
    both (a government ↔ court linkage routes matters either way)."""
    if not mechanism_has_collector:
        return PartySide.BOTH
    if kind in COLLECTING_KINDS:
        return PartySide.COLLECTOR
    return PartySide.MEMBER if kind in ("mediation", "law_firm") else PartySide.HANDLER


class Role(models.TextChoices):
    FEDERATION_STAFF = "federation_staff", _("工商联工作人员")
    FEDERATION_REVIEWER = "federation_reviewer", _("工商联审核人")
    COURT_CLERK = "court_clerk", _("法院联络员")
    COURT_HANDLER = "court_handler", _("法院承办人")
    MEETING_SECRETARY = "meeting_secretary", _("会议秘书")
    MEDIATION_MANAGER = "mediation_manager", _("调解管理员")
    MEDIATOR = "mediator", _("调解员")
    LEADER = "leader", _("领导")
    ADMINISTRATOR = "administrator", _("系统管理员")
    # A person acting for one enterprise; belongs to no organization (see cases.EnterpriseMembership).
    ENTERPRISE = "enterprise", _("企业用户")
    LAWYER = "lawyer", _("律师")


class DeadlineState(models.TextChoices):
    RUNNING = "running", _("计时中")
    PAUSED = "paused", _("暂停")
    MET = "met", _("已办结")
    CANCELLED = "cancelled", _("已取消")


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期提醒")
    DUE_TODAY = "due_today", _("当日到期提醒")
    OVERDUE = "overdue", _("逾期提醒")
    WORK = "work", _("待办事项")
    MEETING = "meeting", _("会议通知")
    SYSTEM = "system", _("系统通知")


class EmailState(models.TextChoices):
    NOT_NEEDED = "none", _("不发送")
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
