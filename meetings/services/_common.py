"""What the meetings services share: the secretary rule, the parties and the people to tell, the URLs.

Checks of declared steps go through `meetings.workflow`; input checks use `liaison.workflow.required`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from liaison import membership, scoping
from liaison.choices import Role
from liaison.errors import ActionRefused
from liaison.models import Mechanism, Organization, User
from liaison.workflow import Transition, Workflow, require_role, users_with_roles

SECRETARY_ROLES = frozenset({Role.MEETING_SECRETARY})


def require_secretary(actor: User, mechanism: Mechanism | int, what: str) -> None:
    """Creating a meeting or a dual list (no object yet to ask a workflow): a secretary of a party."""
    if not scoping.can_act(actor, mechanism):
        raise ActionRefused(_("您所在单位不是该机制的参与单位，不能办理。"), ActionRefused.PERMISSION)
    require_role(actor, SECRETARY_ROLES, what)


def check(
    workflow: Workflow, actor: User, obj: Any, name: str, wrong_state: Callable[[Any], str] | str | None = None
) -> Transition:
    """`workflow.check`, saying the step's own words when the object is in a state the step does not start from."""
    refusal = workflow.refusal(actor, obj, name)
    if refusal is None:
        return workflow[name]
    rule = workflow[name]
    state = getattr(obj, rule.state_field or workflow.state_field)
    if wrong_state and refusal.code == ActionRefused.STATE and state not in rule.sources:
        raise ActionRefused(wrong_state(obj) if callable(wrong_state) else str(wrong_state), ActionRefused.STATE)
    raise refusal


party_organization_ids = membership.party_organization_ids


def party_organizations(mechanism: Mechanism, on: dt.date | None = None) -> list[Organization]:
    """The parties on `on` (the day of a meeting for its minutes: later members were not there)."""
    return list(
        Organization.objects.filter(
            membership.current_q(on, prefix="mechanism_parties__"), mechanism_parties__mechanism=mechanism
        ).order_by("-mechanism_parties__is_convenor", "name")
    )


def secretaries(mechanism: Mechanism | int) -> list[User]:
    """The meeting secretaries of the parties told in the mechanism (`liaison.membership.told`); where
    there are none, those parties' liaison officers."""
    return membership.told(mechanism, membership.Notice.ITEM_COMPLETED).users


def leaders(organization_ids: Iterable[int]) -> list[User]:
    return users_with_roles(organization_ids, Role.LEADER)


def meeting_url(meeting_id: int) -> str:
    return reverse("meetings:meeting_detail", args=[meeting_id])


def minutes_url(minutes_id: int) -> str:
    return reverse("meetings:minutes_detail", args=[minutes_id])


def item_url(item_id: int) -> str:
    return reverse("meetings:item_detail", args=[item_id])


def dual_list_url(dual_list_id: int) -> str:
    return reverse("meetings:dual_list_detail", args=[dual_list_id])
