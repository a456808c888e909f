"""The enterprise's words for the stages of its matter and the deadline that concerns it (pages and API)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from .choices import FEEDBACK, REGISTRATION, REVIEW, ComplaintStatus

S = ComplaintStatus

# The matter's stage as the enterprise reads it.
STAGE = {
    S.DRAFT: (gettext_lazy("草稿"), "secondary"),
    S.SUBMITTED: (gettext_lazy("已收到"), "info"),
    S.UNDER_REVIEW: (gettext_lazy("工商联审核中"), "info"),
    S.QUEUED: (gettext_lazy("工商联审核中"), "info"),
    S.RETURNED: (gettext_lazy("工商联审核中"), "info"),
    S.NEEDS_MATERIAL: (gettext_lazy("需补充材料"), "warning"),
    S.TRANSFERRED: (gettext_lazy("已移送法院"), "primary"),
    S.REGISTERED: (gettext_lazy("法院已登记"), "primary"),
    S.ASSIGNED: (gettext_lazy("法院办理中"), "primary"),
    S.ANSWERED: (gettext_lazy("已答复"), "success"),
    S.CLOSED: (gettext_lazy("已办结"), "success"),
    S.DECLINED: (gettext_lazy("已办结（不予移送）"), "dark"),
    S.WITHDRAWN: (gettext_lazy("已撤回"), "secondary"),
}
# The deadline that concerns the enterprise, by the kind of the nearest open one.
DUE_WORDS = {
    REVIEW: gettext_lazy("工商联审核期限"),
    REGISTRATION: gettext_lazy("法院登记期限"),
    FEEDBACK: gettext_lazy("法院答复期限"),
}


def stage_of(status: str) -> str:
    return str(STAGE.get(status, (status, ""))[0])
