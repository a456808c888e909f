"""What the meetings pages share: paging and status colours. Presentation only."""

from __future__ import annotations

from liaison.paging import page_of, query_without_page  # noqa: F401 - the same paging everywhere

from ..choices import ItemState, MeetingStatus, MinutesStatus

MEETING_CSS = {
    MeetingStatus.PLANNED: "secondary",
    MeetingStatus.NOTICE_SENT: "primary",
    MeetingStatus.POSTPONED: "warning",
    MeetingStatus.HELD: "info",
    MeetingStatus.MINUTES_DRAFTED: "info",
    MeetingStatus.MINUTES_APPROVED: "info",
    MeetingStatus.MINUTES_ISSUED: "success",
    MeetingStatus.CANCELLED: "dark",
}
MINUTES_CSS = {
    MinutesStatus.DRAFT: "secondary",
    MinutesStatus.SUBMITTED: "primary",
    MinutesStatus.RETURNED: "warning",
    MinutesStatus.APPROVED: "info",
    MinutesStatus.ISSUED: "success",
}
ITEM_CSS = {
    ItemState.DRAFT: "secondary",
    ItemState.OPEN: "primary",
    ItemState.IN_PROGRESS: "info",
    ItemState.OVERDUE: "danger",
    ItemState.DONE: "success",
}
