"""What the meetings pages share: paging, status colours, responses for files. Presentation only."""
from __future__ import annotations

from django.http import HttpResponse
from django.utils.encoding import escape_uri_path

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


def file_response(content: bytes, content_type: str, ascii_name: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{escape_uri_path(filename)}")
    return response
