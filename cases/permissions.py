"""Who may do what on enterprises and complaints, beside the transitions of `workflow.py`."""

from __future__ import annotations

from typing import Any

import rules

from liaison import membership
from liaison.choices import COLLECTING_SIDES, HANDLING_SIDES, Role
from liaison.models import MechanismParty, User
from liaison.permissions import has_role, is_leader

from .workflow import DESK, FILER, HANDLER, STAFF, complaint_sides, confirmed_enterprise_id

is_collecting_staff = has_role(*STAFF)
is_reviewer = has_role(Role.FEDERATION_REVIEWER)
is_court_clerk = has_role(Role.COURT_CLERK)
is_court_handler = has_role(Role.COURT_HANDLER)
is_court_desk = has_role(*DESK)
is_secretary = has_role(Role.MEETING_SECRETARY)


def _party_on(user: User, sides: tuple[str, ...]) -> bool:
    if not user.is_authenticated or not user.organization_id:
        return False
    # Asked several times a page (the queue tabs, the filing button, the navigation): the sides the
    # organization routes matters on are read once per user object (once per request).
    # `request.user` is a lazy wrapper while the permission backend gets the user itself: keep the
    # answer on the user itself, where both find it.
    memo = user.__dict__.get("_wrapped", user).__dict__
    held = memo.get("_routing_sides")
    if held is None:
        held = set(
            membership.routing_parties(MechanismParty.objects.filter(organization_id=user.organization_id))
            .order_by()
            .values_list("side", flat=True)
            .distinct()
        )
        memo["_routing_sides"] = held
    return not held.isdisjoint(sides)


@rules.predicate
def collects_matters(user: User) -> bool:
    """The user's organization collects and transfers matters in some mechanism."""
    return _party_on(user, COLLECTING_SIDES)


@rules.predicate
def handles_matters(user: User) -> bool:
    """The user's organization receives and handles matters in some mechanism."""
    return _party_on(user, HANDLING_SIDES)


may_register_enterprises = is_collecting_staff
may_file = is_collecting_staff
may_batch_transfer = has_role(Role.FEDERATION_REVIEWER, Role.MEETING_SECRETARY)


@rules.predicate
def may_edit_enterprise(user: User, enterprise: Any) -> bool:
    return bool(
        enterprise is not None and user.organization_id == enterprise.registered_by_id and user.has_role(*STAFF)
    )


@rules.predicate
def may_post_message(user: User, complaint: Any) -> bool:
    """The filing side, and the handling side once the complaint is transferred, write in the thread."""
    if complaint is None or not user.has_role(*STAFF, *DESK, Role.LEADER):
        return False
    sides = complaint_sides(user, complaint)
    return FILER in sides or (HANDLER in sides and complaint.transferred_at is not None)


FILING_QUEUES = ["drafts", "to_review", "queued", "awaiting_court", "to_accept"]


def queue_names(user: User) -> list[str]:
    """The work-queue tabs of the user's sides and roles (which tabs to show, not what they hold)."""
    names: list[str] = []
    if (is_collecting_staff | is_secretary)(user) and collects_matters(user):
        names += FILING_QUEUES
    if handles_matters(user):
        if is_court_clerk(user):
            names += ["to_register", "to_assign"]
        if is_court_handler(user):
            names.append("mine")
        if is_court_desk(user):
            names += ["due_soon", "overdue"]
    if is_leader(user) and "overdue" not in names:
        names.append("overdue")
    return names


@rules.predicate
def files_online(user: User) -> bool:
    """An enterprise user whose link to its enterprise the federation confirmed."""
    return bool(user.is_authenticated and confirmed_enterprise_id(user))


may_confirm_memberships = is_collecting_staff & collects_matters

PERMS = {
    "view_memberships": may_confirm_memberships,
    "file_online": files_online,
    "add_enterprise": may_register_enterprises,
    "change_enterprise": may_edit_enterprise,
    "add_complaint": may_file,
    "transfer_batch_any": may_batch_transfer,
    "post_message": may_post_message,
}
