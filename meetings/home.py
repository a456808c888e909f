"""Home-page panels of the meetings app: upcoming meetings, minutes awaiting a leader, items to work on.

Register with `meetings.home.register()` from MeetingsConfig.ready(); each panel costs one or two queries.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from liaison.choices import Role
from liaison.home import Panel, register_panel
from liaison.models import User

from . import selectors
from .choices import LIVE_ITEM_STATUSES, SCHEDULED_STATES, ApprovalDecision, ItemState, MinutesStatus

ROWS = 5
DESK_ROLES = {
    Role.FEDERATION_STAFF,
    Role.FEDERATION_REVIEWER,
    Role.COURT_CLERK,
    Role.COURT_HANDLER,
    Role.MEETING_SECRETARY,
    Role.LEADER,
}


def upcoming_meetings(user: User) -> Panel:
    rows = list(
        selectors.meeting_list(user=user)
        .filter(status__in=SCHEDULED_STATES, ends_at__gte=timezone.now())
        .order_by("starts_at")[:ROWS]
    )
    return Panel(
        title=_("近期会议"),
        rows=[
            format_html(
                '<a href="{}">{}</a> <span class="small text-muted">{} · {}</span>',
                reverse("meetings:meeting_detail", args=[m.pk]),
                m.title,
                timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M"),
                m.get_status_display(),
            )
            for m in rows
        ],
        url=reverse("meetings:meeting_list"),
        empty_text=_("近期没有会议。"),
    )


def minutes_to_approve(user: User) -> Panel:
    rows = list(
        selectors.minutes_list(user=user)
        .filter(
            status=MinutesStatus.SUBMITTED,
            approvals__organization_id=user.organization_id,
            approvals__decision=ApprovalDecision.PENDING,
        )
        .distinct()[:ROWS]
    )
    return Panel(
        title=_("待审定的会议纪要（%(n)s）") % {"n": len(rows)},
        rows=[
            format_html('<a href="{}">{}</a>', reverse("meetings:minutes_detail", args=[m.pk]), m.title) for m in rows
        ],
        url=reverse("meetings:minutes_list"),
        empty_text=_("暂无。"),
    )


def my_items(user: User) -> Panel:
    rows = list(
        selectors.item_list(user=user).filter(
            status__in=LIVE_ITEM_STATUSES, owner_organization_id=user.organization_id
        )[:ROWS]
    )
    return Panel(
        title=_("本单位督办事项"),
        rows=[
            format_html(
                '<a href="{}">{}</a> <span class="badge text-bg-{}">{}</span>',
                reverse("meetings:item_detail", args=[i.pk]),
                i.title,
                "danger" if i.state == ItemState.OVERDUE else "secondary",
                _("已逾期，%(due)s 到期") % {"due": i.due_date}
                if i.state == ItemState.OVERDUE
                else _("%(due)s 到期") % {"due": i.due_date},
            )
            for i in rows
        ],
        url=reverse("meetings:supervision"),
        empty_text=_("暂无。"),
    )


_registered = False


def register() -> None:
    """Add the panels to the home page (once, however often it is called)."""
    global _registered
    if _registered:
        return
    _registered = True
    register_panel({Role.MEETING_SECRETARY, Role.LEADER}, upcoming_meetings)
    register_panel({Role.LEADER}, minutes_to_approve)
    register_panel(DESK_ROLES, my_items)
