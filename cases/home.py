"""Home-page panels of the cases app: each role's work queue, counted, with the latest few.

Register with `cases.home.register()` from CasesConfig.ready(). Each panel costs one query on the
complaints: the rows and, in a scalar subquery, how many there are in all (plus the calendar
read that filters.queue_filter() makes for every queue).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.choices import Role
from liaison.home import Panel, register_panel, with_queue_total
from liaison.models import User

from . import selectors
from .filters import queue_filter
from .models import Complaint

ROWS = 5

# (queue, panel title, the roles that see it)
PANELS = [
    ("drafts", gettext_lazy("我的草稿"), {Role.FEDERATION_STAFF}),
    ("to_accept", gettext_lazy("待确认反馈"), {Role.FEDERATION_STAFF}),
    ("to_review", gettext_lazy("待审核诉求"), {Role.FEDERATION_REVIEWER}),
    ("to_register", gettext_lazy("待登记移送"), {Role.COURT_CLERK}),
    ("to_assign", gettext_lazy("待交办"), {Role.COURT_CLERK}),
    ("mine", gettext_lazy("我承办的诉求"), {Role.COURT_HANDLER}),
    ("overdue", gettext_lazy("已逾期诉求"), {Role.LEADER}),
]


def _row(complaint: Complaint, queue: str) -> str:
    url = reverse("cases:complaint_detail", args=[complaint.pk])
    if queue == "overdue" and complaint.current_due:
        return format_html(
            '<a href="{}">{}</a> {} <span class="badge text-bg-danger">{}</span>',
            url,
            complaint.serial,
            complaint.title,
            _("截止 %(date)s") % {"date": complaint.current_due.isoformat()},
        )
    return format_html(
        '<a href="{}">{}</a> {} <span class="small text-muted">{}</span>',
        url,
        complaint.serial,
        complaint.title,
        complaint.enterprise.name,
    )


def queue_panel(queue: str, title: str):
    def build(user: User) -> Panel:
        rows = queue_filter(selectors.complaint_list(user=user), queue, user)
        order = ("current_due", "pk") if queue == "overdue" else ("-created_at", "-pk")
        shown = list(with_queue_total(rows).order_by(*order)[:ROWS])
        total = shown[0].queue_total if shown else 0
        return Panel(
            title=_("%(title)s（%(n)s）") % {"title": title, "n": total},
            rows=[_row(c, queue) for c in shown],
            url=f"{reverse('cases:complaint_list')}?queue={queue}",
            empty_text=_("暂无。"),
        )

    return build


_registered = False


def register() -> None:
    """Add the panels to the home page (once, however often it is called)."""
    global _registered
    if _registered:
        return
    _registered = True
    for queue, title, roles in PANELS:
        register_panel(roles, queue_panel(queue, title))
