"""What the mediation services share: who is on which side, refusals, people to tell.

A case has three sides. The court side is the referring court, acting through its mechanism
(`scoping.can_act`). The organisation side is the mediation organisation handling the case, or
the chamber that runs it (the organisation's parent, as `scoping.within_organization` reads
it): its mediation managers. The mediator side is the one mediator assigned to the case.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from liaison import scoping
from liaison.choices import NotificationKind, Role
from liaison.errors import ActionRefused
from liaison.models import Mechanism, Organization, User
from liaison.notifications import notify

from ..choices import COURT, COURT_ROLES, MANAGER, MEDIATOR, Transition
from ..models import MediationCase, MediationOrganisation, Mediator

# Which roles speak for each side.
SIDE_ROLES = {
    COURT: frozenset(COURT_ROLES | {Role.LEADER}),
    MANAGER: frozenset({Role.MEDIATION_MANAGER}),
    MEDIATOR: frozenset({Role.MEDIATOR}),
}


def side_labels() -> dict[str, str]:
    return {COURT: _("受理法院"), MANAGER: _("承办调解组织的调解管理员"), MEDIATOR: _("被指派的调解员")}


def on_court_side(actor: User, court_id: int, mechanism: Mechanism | int) -> bool:
    return bool(actor.organization_id) and actor.organization_id == court_id and scoping.can_act(actor, mechanism)


def on_organisation_side(actor: User, organisation: MediationOrganisation) -> bool:
    """The organisation's own people, or the chamber (federation) that runs it."""
    return bool(actor.organization_id) and actor.organization_id in (organisation.organization_id,
                                                                     organisation.run_by_id)


def is_assigned_mediator(actor: User, case: MediationCase) -> bool:
    return case.mediator_id is not None and case.mediator.user_id is not None and case.mediator.user_id == actor.pk


def sides_of(actor: User, case: MediationCase) -> set[str]:
    sides = set()
    if on_court_side(actor, case.court_id, case.mechanism_id):
        sides.add(COURT)
    if on_organisation_side(actor, case.organisation):
        sides.add(MANAGER)
    if is_assigned_mediator(actor, case):
        sides.add(MEDIATOR)
    return sides


def authorize(actor: User, sides: set[str], rule: Transition) -> None:
    """The actor must stand on one of the rule's sides and hold that side's role for the rule."""
    wanted = [side for side in rule.sides if side in sides]
    if not wanted:
        labels = side_labels()
        names = _("或").join(str(labels[side]) for side in sorted(rule.sides))
        raise ActionRefused(_("只有%(side)s才能“%(what)s”。") % {"side": names, "what": rule.label},
                            ActionRefused.PERMISSION)
    if not any(actor.has_role(*(rule.roles & SIDE_ROLES[side])) for side in wanted):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": rule.label}, ActionRefused.PERMISSION)


def require_role(actor: User, roles: Iterable[str], what: str) -> None:
    if not actor.has_role(*roles):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": what}, ActionRefused.PERMISSION)


def required(value: str | None, label: str, field: str | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionRefused(_("请填写%(label)s。") % {"label": label}, ActionRefused.INVALID, field=field)
    return value


def users_with_roles(organization_ids: Iterable[int], *roles: str) -> list[User]:
    return list(User.objects.filter(organization_id__in=list(organization_ids), is_active=True,
                                    role_assignments__role__in=roles).distinct().order_by("pk"))


def managers_of(organisation: MediationOrganisation) -> list[User]:
    return users_with_roles([organisation.organization_id, organisation.run_by_id], Role.MEDIATION_MANAGER)


def court_clerks(court: Organization | int) -> list[User]:
    court_id = court if isinstance(court, int) else court.pk
    return users_with_roles([court_id], Role.COURT_CLERK)


def case_url(case: MediationCase) -> str:
    return f"/mediation/cases/{case.pk}/"


def mediator_url(mediator: Mediator) -> str:
    return f"/mediation/mediators/{mediator.pk}/"


def tell(users: Iterable[User | None], case: MediationCase, title: str, body: str = "") -> None:
    notify([u for u in users if u is not None], kind=NotificationKind.WORK, title=f"{title}：{case.serial} {case.title}",
           body=body, url=case_url(case))
