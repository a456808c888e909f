"""Who is a party of a mechanism on a given day, and what its place lets it do.

A party's place (convenor, core party, member unit, observer) decides whether it approves minutes,
files and routes matters, and is told of what follows; each mechanism may set this per place
(`MechanismPlaceRule`, in the admin), otherwise `DEFAULT_PLACE_RIGHTS` hold. A party that joined
later or left keeps what it had: approvals, distributions and tasks record the organization itself,
so only new steps ask who is a party *now*.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from .choices import DEFAULT_PLACE_RIGHTS, PartyPlace, PlaceRight
from .models import Mechanism, MechanismParty, MechanismPlaceRule


def current_q(on: dt.date | None = None, prefix: str = "") -> Q:
    """Parties that have joined by `on` (today) and not left yet."""
    day = on or timezone.localdate()
    return (Q(**{f"{prefix}joined_on__isnull": True}) | Q(**{f"{prefix}joined_on__lte": day})) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


def with_place(queryset: QuerySet[MechanismParty]) -> QuerySet[MechanismParty]:
    """Annotate `place_held`: the convenor flag wins over the stored place."""
    return queryset.annotate(
        place_held=Case(When(is_convenor=True, then=Value(PartyPlace.CONVENOR)), default=F("place"))
    )


def holding(right: str, queryset: QuerySet[MechanismParty] | None = None) -> QuerySet[MechanismParty]:
    """Parties whose place carries `right` in their mechanism: the mechanism's own rule for the
    place when there is one, the default otherwise."""
    if right not in PlaceRight.values:
        raise ValueError(right)
    parties = with_place(queryset if queryset is not None else MechanismParty.objects.all())
    rule = MechanismPlaceRule.objects.filter(mechanism_id=OuterRef("mechanism_id"), place=OuterRef("place_held"))
    granted = Exists(rule.filter(**{right: True}))
    denied = Exists(rule.filter(**{right: False}))
    return parties.filter(granted | (Q(place_held__in=DEFAULT_PLACE_RIGHTS[right]) & ~denied))


def current_parties(mechanism: Mechanism | int, on: dt.date | None = None) -> QuerySet[MechanismParty]:
    mechanism_id = mechanism if isinstance(mechanism, int) else mechanism.pk
    return MechanismParty.objects.filter(current_q(on), mechanism_id=mechanism_id)


def organization_ids_holding(mechanism: Mechanism | int, right: str, on: dt.date | None = None) -> list[int]:
    """The organizations now party to the mechanism whose place carries `right`, convenor first."""
    return list(
        holding(right, current_parties(mechanism, on))
        .order_by("-is_convenor", "organization__name")
        .values_list("organization_id", flat=True)
    )


def approving_organization_ids(mechanism: Mechanism | int, on: dt.date | None = None) -> list[int]:
    return organization_ids_holding(mechanism, PlaceRight.APPROVES_MINUTES, on)


def told_organization_ids(mechanism: Mechanism | int, on: dt.date | None = None) -> list[int]:
    return organization_ids_holding(mechanism, PlaceRight.IS_TOLD, on)


def routing_parties(queryset: QuerySet[MechanismParty] | None = None) -> QuerySet[MechanismParty]:
    """Current parties whose place lets them file, transfer and handle matters."""
    parties = queryset if queryset is not None else MechanismParty.objects.all()
    return holding(PlaceRight.ROUTES_MATTERS, parties.filter(current_q()))


def rights_of(mechanism: Mechanism | int) -> dict[str, dict[str, bool]]:
    """Place → right → allowed, as the mechanism has them (for the party pages and the admin)."""
    mechanism_id = mechanism if isinstance(mechanism, int) else mechanism.pk
    table = {
        place: {right: place in DEFAULT_PLACE_RIGHTS[right] for right in PlaceRight.values}
        for place in PartyPlace.values
    }
    for rule in MechanismPlaceRule.objects.filter(mechanism_id=mechanism_id):
        table[rule.place] = {right: getattr(rule, right) for right in PlaceRight.values}
    return table


UNIT_PLACES = (PartyPlace.MEMBER, PartyPlace.OBSERVER)


def is_member_unit(user: object) -> bool:
    """Whether the user's organization is now a member unit (or observer) in every mechanism it takes
    part in: such a user's task list and figures default to what concerns it (its own tasks)."""
    organization_id = getattr(user, "organization_id", None)
    if not organization_id:
        return False
    rows = MechanismParty.objects.filter(current_q(), organization_id=organization_id, mechanism__is_active=True)
    places = {
        PartyPlace.CONVENOR if convenor else place for convenor, place in rows.values_list("is_convenor", "place")
    }
    return bool(places) and places <= set(UNIT_PLACES)
