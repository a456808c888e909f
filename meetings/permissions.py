"""Who may do what in meetings, beside the steps declared in `workflow.py`.

The steps of the four workflows are permissions too, named by object (`meetings.meeting_hold`,
`meetings.minutes_decide`, `meetings.item_close`, `meetings.dual_list_approve`), so a template
asks the declaration the services enforce: `{% has_perm "meetings.minutes_issue" user minutes as may_issue %}`.
"""

from __future__ import annotations

from typing import Any

import rules

from liaison import scoping
from liaison.choices import Role
from liaison.models import User
from liaison.permissions import has_role
from liaison.workflow import Workflow

from .workflow import DUAL_LIST, ITEM, MEETING, MINUTES

is_secretary = has_role(Role.MEETING_SECRETARY)


@rules.predicate
def is_party_somewhere(user: User) -> bool:
    """The user's organization is a party of some mechanism (so it may act in one)."""
    return bool(user and user.is_authenticated and scoping.actionable_mechanisms(user).exists())


# Planning meetings and drafting dual lists: a meeting secretary of a party organization.
may_plan = is_secretary & is_party_somewhere
# The supervision ledger of action items and tasks: every role but the mediator's.
may_see_supervision = has_role(
    Role.FEDERATION_STAFF,
    Role.FEDERATION_REVIEWER,
    Role.COURT_CLERK,
    Role.COURT_HANDLER,
    Role.MEETING_SECRETARY,
    Role.MEDIATION_MANAGER,
    Role.LEADER,
    Role.ADMINISTRATOR,
)


def step_perms(workflow: Workflow, prefix: str) -> dict[str, rules.Predicate]:
    """Each step of a workflow as a permission on its object, `<prefix>_<step>`."""

    def perm(name: str) -> rules.Predicate:
        def check(user: User, obj: Any) -> bool:
            return obj is not None and workflow.may(user, obj, name)

        return rules.Predicate(check, name=f"meetings.{prefix}_{name}")

    return {f"{prefix}_{rule.name}": perm(rule.name) for rule in workflow}


PERMS = {
    "add_meeting": may_plan,
    "add_duallist": may_plan,
    "view_supervision": may_see_supervision,
    **step_perms(MEETING, "meeting"),
    **step_perms(MINUTES, "minutes"),
    **step_perms(ITEM, "item"),
    **step_perms(DUAL_LIST, "dual_list"),
}


# --- activities ------------------------------------------------------------------------------


def _activity_perms() -> dict[str, rules.Predicate]:
    from .activity_workflow import ACTIVITY, ORGANIZING_ROLES

    organizing = has_role(*ORGANIZING_ROLES) & is_party_somewhere
    return {
        "add_activity": organizing,
        **step_perms(ACTIVITY, "activity"),
    }


ACTIVITY_PERMS = _activity_perms()
