"""Home-page panels of the mediation app: what waits for the manager, the mediator and the court.

Register with `mediation.home.register()` from MediationConfig.ready(). Each panel is one query on
the cases: the first rows and, in a scalar subquery, how many there are in all.
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
from .models import MediationCase

ROWS = 5

# (queue, panel title, the roles that see it)
PANELS = [
    ("to_assign", gettext_lazy("待指派的调解案件"), {Role.MEDIATION_MANAGER}),
    ("mine", gettext_lazy("我调解的案件"), {Role.MEDIATOR}),
    ("confirmation", gettext_lazy("待审查的司法确认申请"), {Role.COURT_CLERK}),
    ("to_file", gettext_lazy("调解不成待立案"), {Role.COURT_CLERK}),
]


def _row(case: MediationCase) -> str:
    url = reverse("mediation:case_detail", args=[case.pk])
    return format_html(
        '<a href="{}">{}</a> {} <span class="small text-muted">{}</span>',
        url,
        case.serial,
        case.title,
        _("%(date)s 届满") % {"date": case.due_date.isoformat()},
    )


def queue_panel(queue: str, title: object):
    def build(user: User) -> Panel:
        rows = queue_filter(selectors.case_list(user=user), queue, user)
        shown = list(with_queue_total(rows).order_by("due_date", "pk")[:ROWS])
        total = shown[0].queue_total if shown else 0
        return Panel(
            title=_("%(title)s（%(n)s）") % {"title": title, "n": total},
            rows=[_row(c) for c in shown],
            url=f"{reverse('mediation:case_list')}?queue={queue}",
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
