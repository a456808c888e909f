"""What the meetings services share: who may act, required input, the people to tell."""
from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from liaison import scoping
from liaison.choices import Role
from liaison.errors import ActionRefused
from liaison.models import Mechanism, MechanismParty, Organization, User

SECRETARY_ROLES = frozenset({Role.MEETING_SECRETARY})


def require_party(actor: User, mechanism: Mechanism | int) -> None:
    if not scoping.can_act(actor, mechanism):
        raise ActionRefused(_("您所在单位不是该机制的参与单位，不能办理。"), ActionRefused.PERMISSION)


def require_role(actor: User, roles: Iterable[str], what: str) -> None:
    if not actor.has_role(*roles):
        raise ActionRefused(_("您没有“%(what)s”的权限。") % {"what": what}, ActionRefused.PERMISSION)


def require_secretary(actor: User, mechanism: Mechanism | int, what: str) -> None:
    """The meeting secretary of a party organization plans meetings, writes minutes and closes items."""
    require_party(actor, mechanism)
    require_role(actor, SECRETARY_ROLES, what)


def required(value: str | None, label: str, field: str | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionRefused(_("请填写%(label)s。") % {"label": label}, ActionRefused.INVALID, field=field)
    return value


def party_organization_ids(mechanism: Mechanism | int) -> list[int]:
    mechanism_id = mechanism if isinstance(mechanism, int) else mechanism.pk
    return list(MechanismParty.objects.filter(mechanism_id=mechanism_id).order_by("-is_convenor", "organization__name")
                .values_list("organization_id", flat=True))


def party_organizations(mechanism: Mechanism) -> list[Organization]:
    return list(Organization.objects.filter(mechanism_parties__mechanism=mechanism)
                .order_by("-mechanism_parties__is_convenor", "name"))


def people_with_roles(organization_ids: Iterable[int], *roles: str) -> list[User]:
    """Active users of these organizations holding one of the roles (any role when none is named)."""
    rows = User.objects.filter(organization_id__in=list(organization_ids), is_active=True)
    rows = rows.filter(role_assignments__role__in=roles) if roles else rows.filter(role_assignments__isnull=False)
    return list(rows.distinct())


def secretaries(mechanism: Mechanism | int) -> list[User]:
    """The meeting secretaries of the parties; where there are none, the parties' liaison officers."""
    found = people_with_roles(party_organization_ids(mechanism), Role.MEETING_SECRETARY)
    if found:
        return found
    mechanism_id = mechanism if isinstance(mechanism, int) else mechanism.pk
    return list(User.objects.filter(
        pk__in=MechanismParty.objects.filter(mechanism_id=mechanism_id, liaison_officer__isnull=False)
        .values("liaison_officer"), is_active=True))


def leaders(organization_ids: Iterable[int]) -> list[User]:
    return people_with_roles(organization_ids, Role.LEADER)


def meeting_url(meeting_id: int) -> str:
    return reverse("meetings:meeting_detail", args=[meeting_id])


def minutes_url(minutes_id: int) -> str:
    return reverse("meetings:minutes_detail", args=[minutes_id])


def item_url(item_id: int) -> str:
    return reverse("meetings:item_detail", args=[item_id])


def dual_list_url(dual_list_id: int) -> str:
    return reverse("meetings:dual_list_detail", args=[dual_list_id])


# Audit states of minutes, items and dual lists are namespaced: their plain codes ("draft",
# "approved", "returned"...) are already labelled by other apps in the shared timeline words.
def minutes_state(code: str) -> str:
    return f"minutes.{code}" if code else ""


def item_state(code: str) -> str:
    return f"item.{code}" if code else ""


def dual_list_state(code: str) -> str:
    return f"dual_list.{code}" if code else ""
