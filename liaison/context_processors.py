"""What every page's layout needs: the navigation for the user's roles and the unread count."""
from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .notifications import unread_count

ALL = None
# (label, url name, roles that see it or ALL)
NAVIGATION = [
    (_("工作台"), "home", ALL),
    (_("诉求"), "cases:complaint_list", ALL),
    (_("企业"), "cases:enterprise_list", ALL),
    (_("移送函"), "cases:transfer_list", ALL),
    (_("联席会议"), "meetings:meeting_list", ALL),
    (_("督办事项"), "meetings:supervision", ALL),
    (_("共享案例"), "reports:list", ALL),
    (_("调解员名册"), "mediation:roster", ALL),
    (_("调解案件"), "mediation:case_list", ALL),
    (_("沟通联系机制"), "mechanism_list", ALL),
    (_("办理时限"), "deadline_list", ALL),
    (_("工作日历"), "calendar", ALL),
    (_("审计日志"), "audit_log", {Role.ADMINISTRATOR, Role.LEADER}),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = set(user.role_codes)
    items = [
        {"label": label, "url": reverse(name), "active": request.resolver_match is not None
         and request.resolver_match.view_name == name}
        for label, name, allowed in NAVIGATION
        if allowed is ALL or roles & allowed or user.is_superuser
    ]
    return {
        "nav_items": items,
        "unread_notifications": unread_count(user),
        "user_roles": [Role(code).label for code in sorted(roles)],
    }
