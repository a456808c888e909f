"""Permissions as predicates (django-rules): who may do what, asked the same way everywhere.

Services refuse with them, views and the API gate pages with them, templates show buttons and
menu entries with them (`{% load rules %}{% has_perm "cases.add_complaint" user as may_file %}`).
A workflow's transitions are registered as permissions too (`"cases.register"` on a complaint),
so a template asks the same declaration the service enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import rules
from django.core.exceptions import PermissionDenied

from .choices import Role
from .models import User
from .workflow import Workflow


def has_role(*roles: str) -> rules.Predicate:
    """The user holds one of these roles."""
    names = "_".join(roles)

    def check(user: User) -> bool:
        return bool(user and user.is_authenticated and user.has_role(*roles))

    return rules.Predicate(check, name=f"has_role:{names}")


@rules.predicate
def is_authenticated(user: User) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def is_administrator(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_administrator)


@rules.predicate
def belongs_to_organization(user: User) -> bool:
    return bool(user and user.is_authenticated and user.organization_id)


is_leader = has_role(Role.LEADER)

# The audit log is read by leaders and administrators; the working-calendar warnings are for
# administrators, who maintain the calendar.
may_read_audit_log = is_leader | is_administrator
may_maintain_calendar = is_administrator

# Docked systems: administrators see them all; a system's own organization sees its deliveries.
may_view_systems = is_administrator | belongs_to_organization

PERMS = {
    "view_audit_log": may_read_audit_log,
    "maintain_calendar": may_maintain_calendar,
    "view_systems": may_view_systems,
    "manage_systems": is_administrator,
}


def page_requires(permission: str, message: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Gate a page with the permission its menu entry asks: a role that cannot use it reads why (403)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def gated(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not request.user.has_perm(permission):
                raise PermissionDenied(str(message))
            return view(request, *args, **kwargs)

        return gated

    return decorate


def register_workflow(workflow: Workflow) -> None:
    """Each transition becomes the permission `<app>.<name>` on an object of the workflow."""
    for rule in workflow:
        rules.set_perm(f"{workflow.app}.{rule.name}", _step_predicate(workflow, rule.name))


def _step_predicate(workflow: Workflow, name: str) -> rules.Predicate:
    def check(user: User, obj: Any) -> bool:
        return obj is not None and workflow.may(user, obj, name)

    return rules.Predicate(check, name=f"{workflow.app}.{name}")


def add_perms(app: str, perms: dict[str, rules.Predicate]) -> None:
    """Register an app's named permissions (idempotent, so tests may reload apps)."""
    for name, predicate in perms.items():
        rules.set_perm(f"{app}.{name}", predicate)
