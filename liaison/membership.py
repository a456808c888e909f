"""Who is a party of a mechanism on a given day, and what its place lets it do.

A party's place (convenor, core party, member unit, observer) decides whether it approves minutes,
files and routes matters, and is told of what follows; each mechanism may set this per place
(`MechanismPlaceRule`, in the admin), otherwise `DEFAULT_PLACE_RIGHTS` hold. A party that joined
later or left keeps what it had: approvals, distributions and tasks record the organization itself,
so only new steps ask who is a party *now*.

Every notice sent to a mechanism's parties asks `told(mechanism, kind, on)` who is told: the parties
on that day (joined, not left) whose place carries `is_told` in the mechanism (all places by default;
the administrator may turn it off for member units or observers), and within them the people the
kind of notice goes to (`Notice`). A party that has left, or whose place is not told, hears of
nothing new: no minutes distributed, no meeting notice or reminder, no cadence warning, no report,
no event to its docked system.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from .choices import DEFAULT_PLACE_RIGHTS, PartyPlace, PlaceRight, Role
from .models import Mechanism, MechanismParty, MechanismPlaceRule, User


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


def party_organization_ids(mechanism: Mechanism | int, on: dt.date | None = None) -> list[int]:
    """The organizations party to the mechanism on `on` (today): joined and not yet left, convenor first."""
    return list(
        current_parties(mechanism, on)
        .order_by("-is_convenor", "organization__name")
        .values_list("organization_id", flat=True)
    )


def organization_ids_holding(mechanism: Mechanism | int, right: str, on: dt.date | None = None) -> list[int]:
    """The organizations now party to the mechanism whose place carries `right`, convenor first."""
    return list(
        holding(right, current_parties(mechanism, on))
        .order_by("-is_convenor", "organization__name")
        .values_list("organization_id", flat=True)
    )


def approving_organization_ids(mechanism: Mechanism | int, on: dt.date | None = None) -> list[int]:
    return organization_ids_holding(mechanism, PlaceRight.APPROVES_MINUTES, on)


class Notice(StrEnum):
    """The kinds of notice a mechanism sends its parties."""

    MINUTES_ISSUED = "minutes_issued"  # issued minutes: distributed, and their staff told
    MEETING = "meeting"  # a meeting's notice, change, postponement or cancellation (to its invitees)
    MEETING_REMINDER = "meeting_reminder"  # the day before a meeting (to its invitees)
    CADENCE_DUE = "cadence_due"  # a quarter (or year) ends soon with too few meetings scheduled
    CADENCE_MISSED = "cadence_missed"  # a quarter (or year) ended so
    ITEM_COMPLETED = "item_completed"  # an action item or task reported done: the secretaries verify it
    REPORT_PUBLISHED = "report_published"  # a party published a report (to the other parties)
    MONTHLY_REPORT = "monthly_report"  # the mechanism's monthly report was generated
    SYSTEM_EVENT = "system_event"  # events to the parties' docked systems (organizations only)
    ACTIVITY = "activity"  # an activity was published (its organizing staff, officers and audience)


@dataclass(frozen=True)
class Audience:
    """Who, in a told party, a kind of notice goes to: holders of `roles` (any role when None), and
    the party's liaison officer `always` or as a `fallback` when nobody holds the roles."""

    roles: tuple[str, ...] | None = None
    officers: str = ""  # "", "always" or "fallback"
    people: bool = True  # False: organizations only


AUDIENCES: dict[Notice, Audience] = {
    Notice.MINUTES_ISSUED: Audience(),
    # The people a meeting's notice goes to by default (the secretary may untick them); the notice
    # itself goes to the invitees of the told parties.
    Notice.MEETING: Audience((Role.LEADER, Role.MEETING_SECRETARY), officers="always"),
    Notice.MEETING_REMINDER: Audience((Role.LEADER, Role.MEETING_SECRETARY), officers="always"),
    Notice.CADENCE_DUE: Audience((Role.MEETING_SECRETARY,), officers="fallback"),
    Notice.CADENCE_MISSED: Audience((Role.LEADER,)),
    Notice.ITEM_COMPLETED: Audience((Role.MEETING_SECRETARY,), officers="fallback"),
    Notice.REPORT_PUBLISHED: Audience(),
    Notice.MONTHLY_REPORT: Audience((Role.LEADER, Role.MEETING_SECRETARY)),
    Notice.SYSTEM_EVENT: Audience(people=False),
    # Activities pick their people from the told parties themselves (organizers and the audience chosen).
    Notice.ACTIVITY: Audience(people=False),
}


def _mechanism_ids(mechanisms: Mechanism | int | QuerySet[Mechanism] | Iterable[int]) -> Q:
    if isinstance(mechanisms, Mechanism):
        return Q(mechanism_id=mechanisms.pk)
    if isinstance(mechanisms, int):
        return Q(mechanism_id=mechanisms)
    if isinstance(mechanisms, QuerySet):
        return Q(mechanism_id__in=mechanisms.values("pk"))
    return Q(mechanism_id__in=list(mechanisms))


class Told:
    """The answer of `told`: the parties told (a queryset, usable as a subquery), their organizations
    and the people in them. Nothing is read before it is asked for."""

    def __init__(self, parties: QuerySet[MechanismParty], kind: Notice) -> None:
        self.parties, self.kind = parties, kind
        self.audience = AUDIENCES[kind]

    @cached_property
    def organization_ids(self) -> list[int]:
        """The organizations told, convenor first (one query)."""
        return list(
            dict.fromkeys(
                self.parties.order_by("-is_convenor", "organization__name").values_list("organization_id", flat=True)
            )
        )

    def organizations_subquery(self) -> QuerySet[MechanismParty, Any]:
        """The told organizations' ids as a subquery (`organization_id__in=...`): no query of its own."""
        return self.parties.values("organization_id")

    def _users(self, roles: bool, officers: bool) -> list[User]:
        condition = Q(pk__in=[])
        if roles:
            in_party = Q(organization_id__in=self.organizations_subquery())
            wanted = self.audience.roles
            condition |= in_party & (
                Q(role_assignments__role__in=wanted) if wanted is not None else Q(role_assignments__isnull=False)
            )
        if officers:
            condition |= Q(pk__in=self.parties.filter(liaison_officer__isnull=False).values("liaison_officer"))
        return list(User.objects.filter(condition, is_active=True).distinct().order_by("pk"))

    @cached_property
    def users(self) -> list[User]:
        """The active people told in the told parties (none for a kind that goes to organizations only)."""
        audience = self.audience
        if not audience.people:
            return []
        found = self._users(roles=True, officers=audience.officers == "always")
        if not found and audience.officers == "fallback":
            found = self._users(roles=False, officers=True)
        return found

    def includes(self, organization_id: int | None) -> bool:
        """Whether people of this organization are told (people of no organization — outside guests — are)."""
        return organization_id is None or organization_id in set(self.organization_ids)


def told(
    mechanism: Mechanism | int | QuerySet[Mechanism] | Iterable[int], kind: Notice | str, on: dt.date | None = None
) -> Told:
    """Which parties, and which of their people, are told of `kind` in the mechanism (or mechanisms) on
    `on` (today): the parties then current whose place carries `is_told` there."""
    parties = holding(PlaceRight.IS_TOLD, MechanismParty.objects.filter(current_q(on), _mechanism_ids(mechanism)))
    return Told(parties, Notice(kind))


def told_organization_ids(mechanism: Mechanism | int, on: dt.date | None = None) -> list[int]:
    """The organizations told of issued minutes (those they are distributed to)."""
    return told(mechanism, Notice.MINUTES_ISSUED, on).organization_ids


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
