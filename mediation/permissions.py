"""Who may do what in mediation, beside the steps of `workflow.py` (registered as permissions too,
e.g. `"mediation.assign"` on a case): registering cases and organisations, admitting an
organisation, keeping a court's roster, and which work-queue tabs a user sees."""

from __future__ import annotations

from typing import Any

import rules

from liaison import scoping
from liaison.choices import OrganizationKind, Role
from liaison.models import User
from liaison.permissions import has_role

from .workflow import COURT_DESK, ROSTER

is_manager = has_role(Role.MEDIATION_MANAGER)
is_mediator = has_role(Role.MEDIATOR)
is_court_desk = has_role(*COURT_DESK)
is_court_clerk = has_role(Role.COURT_CLERK)
may_admit_role = has_role(Role.COURT_CLERK, Role.LEADER)
may_register_role = has_role(Role.MEDIATION_MANAGER, Role.FEDERATION_STAFF, Role.FEDERATION_REVIEWER)


@rules.predicate
def may_refer(user: User) -> bool:
    """The user registers cases somewhere: a court's desk under its admissions, or an organisation's manager."""
    from .selectors import referable

    return bool((is_court_desk | is_manager)(user) and referable(user).exists())


@rules.predicate
def may_register_organisation(user: User) -> bool:
    """A chamber or federation registers the mediation organisation it runs."""
    from .selectors import runner_choices

    return bool(may_register_role(user) and runner_choices(user).exists())


@rules.predicate
def may_admit(user: User, organisation: Any) -> bool:
    """A court of a mechanism the user acts in, which has not admitted the organisation yet.

    Invited mediation organisations are a court's institution (特邀调解组织), so the rule is "a court".
    """
    org = user.organization if user.is_authenticated else None
    if organisation is None or org is None or org.kind != OrganizationKind.COURT or not may_admit_role(user):
        return False
    if not scoping.actionable_mechanisms(user).filter(parties__organization_id=org.pk).exists():
        return False
    return not any(a.court_id == org.pk for a in organisation.admissions.all())


@rules.predicate
def may_keep_roster(user: User, mediator: Any) -> bool:
    """The appointing court's clerks and the organisation's managers correct the entry."""
    return mediator is not None and ROSTER.may(user, mediator, "update")


@rules.predicate
def may_appoint(user: User) -> bool:
    from .services import appointable

    return bool(user.is_authenticated and appointable(user))


@rules.predicate
def may_recommend(user: User) -> bool:
    """A recommending party's staff, in a mechanism their organization is party to."""
    from .services import recommending_mechanisms

    return bool(user.is_authenticated and recommending_mechanisms(user).exists())


def queue_names(user: User) -> list[str]:
    """The case list's work-queue tabs the user's roles make sense of."""
    names = []
    if is_manager(user):
        names += ["to_assign", "to_answer", "in_progress"]
    if is_mediator(user):
        names += ["mine"]
    if is_court_desk(user):
        names += ["confirmation", "to_file"]
    names += ["due_soon", "overdue"]
    return list(dict.fromkeys(names))


PERMS = {
    "add_mediationcase": may_refer,
    "add_mediationorganisation": may_register_organisation,
    "admit_organisation": may_admit,
    "add_mediator": may_appoint,
    "change_mediator": may_keep_roster,
    "add_recommendation": may_recommend,
}
