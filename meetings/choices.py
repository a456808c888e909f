"""Enumerations of meetings, minutes, action items and the dual list; their state machines are in `workflow.py`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    JOINT = "joint", _("联席会议")
    PLENARY = "plenary", _("全体会议")
    COORDINATION = "coordination", _("协调会（座谈会、研判会）")
    CONSULTATION = "consultation", _("高层会商")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    NOTICE_SENT = "notice_sent", _("已发通知")
    POSTPONED = "postponed", _("已延期")
    HELD = "held", _("已召开")
    MINUTES_DRAFTED = "minutes_drafted", _("纪要起草中")
    MINUTES_APPROVED = "minutes_approved", _("纪要已审定")
    MINUTES_ISSUED = "minutes_issued", _("纪要已印发")
    CANCELLED = "cancelled", _("已取消")


class Rsvp(models.TextChoices):
    PENDING = "pending", _("未回复")
    ACCEPTED = "accepted", _("参加")
    TENTATIVE = "tentative", _("待定")
    DECLINED = "declined", _("不参加")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("未登记")
    PRESENT = "present", _("出席")
    REPRESENTED = "represented", _("委托出席")
    ABSENT = "absent", _("缺席")


class AgendaKind(models.TextChoices):
    GENERAL = "general", _("一般议题")
    ACTION_ITEMS = "action_items", _("督办事项落实情况")
    COMPLAINTS = "complaints", _("涉企诉求移送")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审定")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已审定")
    ISSUED = "issued", _("已印发")


class ApprovalDecision(models.TextChoices):
    PENDING = "pending", _("待审定")
    APPROVED = "approved", _("同意")
    RETURNED = "returned", _("退回修改")
    WITHDRAWN = "withdrawn", _("已撤销")


class ItemSource(models.TextChoices):
    MINUTES = "minutes", _("会议纪要督办事项")
    DUAL_LIST = "dual_list", _("双清单任务")


class ItemStatus(models.TextChoices):
    """Stored states of an action item or task; "overdue" is derived from the due date."""

    DRAFT = "draft", _("草拟")
    OPEN = "open", _("待办理")
    IN_PROGRESS = "in_progress", _("办理中")
    DONE = "done", _("已办结")


class ItemState(models.TextChoices):
    """What lists and filters show: the stored status, with open items past their date as overdue."""

    DRAFT = "draft", _("草拟")
    OPEN = "open", _("待办理")
    IN_PROGRESS = "in_progress", _("办理中")
    OVERDUE = "overdue", _("已逾期")
    DONE = "done", _("已办结")


class DualListStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    APPROVED = "approved", _("已审定")


class EmailState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class CadenceState(models.TextChoices):
    HELD = "held", _("已召开")
    SCHEDULED = "scheduled", _("已安排")
    MISSING = "missing", _("缺会")
    NOT_DUE = "not_due", _("未到期")
    NOT_APPLICABLE = "n/a", _("机制尚未成立")


M = MeetingStatus

# A meeting that took place, whatever has happened to its minutes since.
HELD_STATES = (M.HELD, M.MINUTES_DRAFTED, M.MINUTES_APPROVED, M.MINUTES_ISSUED)
# A meeting still to come.
SCHEDULED_STATES = (M.PLANNED, M.NOTICE_SENT, M.POSTPONED)
# Before the meeting: its details may change (attendees are told when a notice went out).
EDITABLE_STATES = (M.PLANNED, M.NOTICE_SENT, M.POSTPONED)
# Attendance is recorded on the day and corrected until the minutes go for approval.
ATTENDANCE_STATES = (M.NOTICE_SENT, M.HELD, M.MINUTES_DRAFTED)
# Kinds that count towards the quarterly cadence of joint meetings.
CADENCE_KINDS = (MeetingKind.JOINT, MeetingKind.PLENARY)

MINUTES_EDITABLE = (MinutesStatus.DRAFT, MinutesStatus.RETURNED)
LIVE_ITEM_STATUSES = (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)


class OwnerRole(models.TextChoices):
    """How a unit answers for a task: one lead, co-leads, responsible departments."""

    LEAD = "lead", _("牵头单位")
    CO_LEAD = "co_lead", _("共同牵头单位")
    RESPONSIBLE = "responsible", _("责任部门")


class Direction(models.TextChoices):
    AT_MOST = "at_most", _("不高于")
    AT_LEAST = "at_least", _("不低于")


class IndicatorSource(models.TextChoices):
    ENTERED = "entered", _("责任部门按月填报")
    COMPUTED = "computed", _("系统按月计算")


class ComputedMetric(models.TextChoices):
    """What the portal itself measures, per month, over the complaints of the task's mechanism."""

    FEEDBACK_DAYS = "feedback_days", _("登记至反馈平均用时（工作日）")
    ON_TIME_RATE = "on_time_rate", _("按期反馈率（%）")


class MonthState(models.TextChoices):
    MET = "met", _("达标")
    NOT_MET = "not_met", _("未达标")
    NOT_REPORTED = "not_reported", _("未报送")
