"""Every write of the meetings app, one service per action: check, change, audit, notify.

Split by concept: meetings (planning, notices, attendance, agenda), minutes (drafting, approval,
issuing, corrections), supervision (action items, dual-list tasks) and invitations (the .ics mail).
"""
from .meetings import (
    AttendanceEntry,
    MeetingData,
    OutsideAttendee,
    agenda_item_add,
    agenda_item_remove,
    agenda_item_trim,
    agenda_transfer,
    allowed_actions,
    attendance_record,
    invitee_rsvp,
    meeting_cancel,
    meeting_create,
    meeting_hold,
    meeting_postpone,
    meeting_send_notice,
    meeting_update,
    open_action_items,
    queued_complaints,
)
from .minutes import (
    MinutesData,
    SectionData,
    minutes_allowed_actions,
    minutes_correct,
    minutes_create,
    minutes_decide,
    minutes_issue,
    minutes_number,
    minutes_submit,
    minutes_update,
)
from .supervision import (
    ITEM_DEADLINE,
    TASK_DEADLINE,
    ItemData,
    TaskRow,
    dual_list_approve,
    dual_list_create,
    dual_list_replace_tasks,
    item_allowed_actions,
    item_close,
    item_report_progress,
)

__all__ = [
    "ITEM_DEADLINE", "TASK_DEADLINE", "AttendanceEntry", "ItemData", "MeetingData", "MinutesData",
    "OutsideAttendee", "SectionData", "TaskRow", "agenda_item_add", "agenda_item_remove", "agenda_item_trim",
    "agenda_transfer", "allowed_actions", "attendance_record", "dual_list_approve", "dual_list_create",
    "dual_list_replace_tasks", "invitee_rsvp", "item_allowed_actions", "item_close", "item_report_progress",
    "meeting_cancel", "meeting_create", "meeting_hold", "meeting_postpone", "meeting_send_notice", "meeting_update",
    "minutes_allowed_actions", "minutes_correct", "minutes_create", "minutes_decide", "minutes_issue",
    "minutes_number", "minutes_submit", "minutes_update", "open_action_items", "queued_complaints",
]
