"""What every page's layout needs: the navigation for the user's roles and the unread count."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .notifications import UNREAD_SHOWN, unread_capped, unread_count

ALL = None
# Top-level entries: (label, url name, permission that opens the page or ALL), or (label, [entries])
# for a menu. The same permission gates the view, so an entry is shown exactly when its page opens.
NAVIGATION: list[tuple[Any, ...]] = [
    (_("工作台"), "home", ALL),
    (
        _("诉求移送"),
        [
            (_("诉求"), "cases:complaint_list", ALL),
            (_("移送函"), "cases:transfer_list", ALL),
            (_("企业"), "cases:enterprise_list", ALL),
            (_("企业用户确认"), "portal:membership_list", "cases.view_memberships"),
            (_("统计看板"), "reports:dashboard", "reports.view_dashboard"),
            (_("逾期台账"), "reports:overdue_ledger", "reports.view_overdue_ledger"),
            (_("履职评价"), "reports:evaluation", "reports.view_evaluation"),
        ],
    ),
    (
        _("联席会议"),
        [
            (_("会议"), "meetings:meeting_list", ALL),
            (_("督办事项"), "meetings:supervision", "meetings.view_supervision"),
            (_("活动"), "meetings:activity_list", ALL),
        ],
    ),
    (
        _("调解"),
        [
            (_("调解案件"), "mediation:case_list", ALL),
            (_("调解员名册"), "mediation:roster", ALL),
            (_("推荐人选"), "mediation:recommendation_list", ALL),
            (_("法治体检"), "mediation:checkup_list", ALL),
        ],
    ),
    (
        _("共享案例"),
        [
            (_("共享案例"), "reports:list", "reports.view_report"),
            (_("月度运行情况通报"), "reports:monthly_list", "reports.view_report"),
            (_("调研课题"), "reports:research_list", ALL),
            (_("司法建议与风险提示"), "reports:suggestion_list", "reports.view_report"),
        ],
    ),
    (
        _("机制"),
        [
            (_("沟通联系机制"), "mechanism_list", ALL),
            (_("办理时限"), "deadline_list", ALL),
            (_("工作日历"), "calendar", ALL),
            (_("审计日志"), "audit_log", "liaison.view_audit_log"),
            (_("系统对接"), "system_list", "liaison.view_systems"),
        ],
    ),
]


# An enterprise user (who belongs to no organization) sees only its own pages.
ENTERPRISE_NAVIGATION: list[tuple[Any, ...]] = [
    (_("我的诉求"), "portal:enterprise_home", ALL),
    (_("在线提交"), "portal:matter_create", "cases.file_online"),
    (_("活动报名"), "portal_activities:enterprise_activity_list", "cases.file_online"),
]


# The address of each entry, by URL configuration, script prefix and name: reversed once per
# process rather than some thirty times on every page.
_addresses: dict[tuple[str, str, str], str] = {}


def _address(name: str) -> str:
    key = (str(get_urlconf() or settings.ROOT_URLCONF), get_script_prefix(), name)
    address = _addresses.get(key)
    if address is None:
        address = _addresses[key] = reverse(name)
    return address


def _entry(request: HttpRequest, label: object, name: str) -> dict:
    match = request.resolver_match
    return {"label": label, "url": _address(name), "active": match is not None and match.view_name == name}


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = set(user.role_codes)

    def allowed(permission: str | None) -> bool:
        return permission is ALL or user.has_perm(permission)

    items = []
    navigation = ENTERPRISE_NAVIGATION if Role.ENTERPRISE in roles else NAVIGATION
    for label, target, *rest in navigation:
        if isinstance(target, list):
            children = [_entry(request, text, n) for text, n, who in target if allowed(who)]
            if children:
                items.append(
                    {"label": label, "children": children, "active": any(child["active"] for child in children)}
                )
        elif allowed(rest[0]):
            items.append(_entry(request, label, target))
    unread = unread_count(user)
    return {
        "nav_items": items,
        "unread_notifications": unread,
        # The badge: the count, or "99+" once there are more than it counts.
        "unread_badge": f"{UNREAD_SHOWN}+" if unread_capped(unread) else str(unread),
        "user_roles": [Role(code).label for code in sorted(roles)],
    }
