"""HTML pages of the meetings app: thin, they parse input, call one selector or service, and render."""
from .cadence import cadence, cadence_index
from .calendar import calendar_feed, calendar_feed_page
from .meetings import (
    agenda_add,
    agenda_remove,
    agenda_transfer,
    agenda_trim,
    meeting_act,
    meeting_attendance,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_ics,
    meeting_list,
    meeting_rsvp,
    sign_in_sheet,
)
from .minutes import minutes_act, minutes_create, minutes_detail, minutes_edit, minutes_list, minutes_pdf, minutes_print
from .supervision import (
    dual_list_act,
    dual_list_create,
    dual_list_detail,
    dual_list_export,
    dual_list_import,
    dual_list_list,
    dual_list_template,
    item_act,
    item_detail,
    supervision,
    supervision_export,
    supervision_pdf,
)

__all__ = [
    "agenda_add", "agenda_remove", "agenda_transfer", "agenda_trim", "cadence", "cadence_index", "calendar_feed",
    "calendar_feed_page", "dual_list_act", "dual_list_create", "dual_list_detail", "dual_list_export",
    "dual_list_import", "dual_list_list", "dual_list_template", "item_act", "item_detail",
    "meeting_act", "meeting_attendance", "meeting_create", "meeting_detail", "meeting_edit", "meeting_ics",
    "meeting_list", "meeting_rsvp", "minutes_act", "minutes_create", "minutes_detail", "minutes_edit",
    "minutes_list", "minutes_pdf", "minutes_print", "sign_in_sheet", "supervision", "supervision_export",
    "supervision_pdf",
]
