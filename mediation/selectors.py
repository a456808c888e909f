"""Reads of the roster and of mediation cases, always through the scoping rule.

Who sees what:
- the parties of the mechanism through which a court admitted an organisation (the court, the
  federation) and their higher-level units read that court's roster and cases (`scoping.visible`);
- the mediation organisation's people, and the chamber that runs it, read their own organisation,
  its mediators and its cases (`scoping.within_organization`, the organisation being a child unit
  of its chamber);
- a mediator reads the cases assigned to them, and their own roster entries.
Everyone else finds nothing (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Prefetch, Q, QuerySet

from liaison import scoping
from liaison.choices import OrganizationKind
from liaison.models import MechanismParty, Organization, User

from .choices import FINISHED_STATES, WORKLOAD_STATES, CaseStatus
from .models import (
    Admission,
    Checkup,
    Lawyer,
    MediationCase,
    MediationDecline,
    MediationExtension,
    MediationOrganisation,
    MediationParty,
    MediationSession,
    Mediator,
    MediatorLink,
    MediatorSpecialty,
    Pairing,
    Recommendation,
)
from .workflow import on_court_side, on_organisation_side


def _scoped(
    queryset: QuerySet, user: User, *, mechanism_path: str, organisation_path: str, own: Q | None = None
) -> QuerySet:
    """The scoping rule's mechanism reach, or the organisation side's, or the user's own rows."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    in_mechanism = scoping.visible(queryset, user, mechanism_path).values("pk")
    condition = Q(pk__in=in_mechanism) | scoping.within_organization(user, organisation_path)
    if own is not None:
        condition |= own
    return queryset.filter(condition)


# --- organisations ---------------------------------------------------------------------------------


def _admitting_courts(user: User) -> QuerySet[Admission, Any]:
    """The courts that admitted the user's own mediation organisation (or one its chamber runs)."""
    return Admission.objects.filter(
        scoping.within_organization(user, "organisation__organization"), is_active=True
    ).values("court_id")


def organisation_scope(user: User) -> QuerySet[MediationOrganisation]:
    """Organisations admitted in the user's mechanisms, or run by a party of them (or by a chamber
    under a party: so that a court finds an organisation before admitting it); for the organisation
    side, also those admitted by the same courts (they share the courts' rosters)."""
    if not user.is_authenticated:
        return MediationOrganisation.objects.none()
    parties = Organization.objects.filter(
        mechanism_parties__mechanism__in=scoping.visible_mechanisms(user).values("pk")
    ).values("pk")
    peers = (
        Q(
            pk__in=Admission.objects.filter(court_id__in=_admitting_courts(user), is_active=True).values(
                "organisation_id"
            )
        )
        | Q(run_by__in=parties)
        | Q(run_by__parent__in=parties)
    )
    return _scoped(
        MediationOrganisation.objects.all(),
        user,
        mechanism_path="admissions__mechanism",
        organisation_path="organization",
        own=peers,
    )


def organisation_list(*, user: User) -> QuerySet[MediationOrganisation]:
    return (
        organisation_scope(user)
        .select_related("organization", "run_by")
        .prefetch_related(
            Prefetch(
                "admissions", queryset=Admission.objects.select_related("court", "mechanism").order_by("court__name")
            )
        )
        .annotate(mediator_count=Count("mediators", filter=Q(mediators__status="active"), distinct=True))
        .order_by("organization__name")
    )


def organisation_get(*, user: User, pk: int) -> MediationOrganisation:
    return scoping.get_or_404(organisation_list(user=user), pk=pk)


def runner_choices(user: User) -> QuerySet[Organization]:
    """Chambers and federations the user may register a mediation organisation for."""
    if not user.organization_id:
        return Organization.objects.none()
    return Organization.objects.filter(
        Q(pk=user.organization_id) | Q(parent_id=user.organization_id),
        kind__in=["chamber", "federation"],
    ).order_by("name")


# --- the roster ------------------------------------------------------------------------------------


def mediator_scope(user: User) -> QuerySet[Mediator]:
    """The rosters of the user's mechanisms; for the organisation side, the whole roster of each court
    that admitted the organisation (its managers choose among all of them); a mediator's own entries."""
    if not user.is_authenticated:
        return Mediator.objects.none()
    own = Q(user_id=user.pk) | Q(court_id__in=_admitting_courts(user))
    return _scoped(
        Mediator.objects.all(),
        user,
        mechanism_path="mechanism",
        organisation_path="organisation__organization",
        own=own,
    )


def mediator_list(*, user: User) -> QuerySet[Mediator]:
    """The roster rows with their figures, in a fixed number of queries."""
    return (
        mediator_scope(user)
        .select_related("court", "organisation__organization", "organisation__run_by", "user")
        .prefetch_related(Prefetch("specialties", queryset=MediatorSpecialty.objects.order_by("specialty")))
        .annotate(
            case_count=Count("cases", distinct=True),
            open_cases=Count("cases", filter=Q(cases__status__in=WORKLOAD_STATES), distinct=True),
            finished=Count("cases", filter=Q(cases__status__in=FINISHED_STATES), distinct=True),
            successes=Count("cases", filter=Q(cases__status=CaseStatus.AGREEMENT), distinct=True),
            finished_in_time=Count(
                "cases", filter=Q(cases__status__in=FINISHED_STATES, cases__in_time=True), distinct=True
            ),
            average_days=Avg("cases__duration_days", filter=Q(cases__status__in=FINISHED_STATES)),
        )
        .order_by("court__name", "organisation__organization__name", "name", "pk")
    )


def mediator_get(*, user: User, pk: int) -> Mediator:
    return scoping.get_or_404(mediator_list(user=user), pk=pk)


def mediator_links(mediator: Mediator) -> QuerySet[MediatorLink]:
    return mediator.links.select_related("enterprise").order_by("pk")


def roster_courts(user: User) -> QuerySet[Organization]:
    """The courts whose rosters the user may read (for the roster's court filter)."""
    return (
        Organization.objects.filter(pk__in=mediator_scope(user).values("court")).order_by("name")
        if user.is_authenticated
        else Organization.objects.none()
    )


def can_see_phone(user: User, mediator: Mediator) -> bool:
    """A mediator's phone in full: the mediator, the appointing court, the organisation side; masked otherwise."""
    if not user.is_authenticated:
        return False
    return (
        mediator.user_id == user.pk
        or user.organization_id == mediator.court_id
        or on_organisation_side(user, mediator.organisation)
    )


# --- cases -----------------------------------------------------------------------------------------


def case_scope(user: User) -> QuerySet[MediationCase]:
    own = Q(mediator__user_id=user.pk) if user.is_authenticated else None
    return _scoped(
        MediationCase.objects.all(),
        user,
        mechanism_path="mechanism",
        organisation_path="organisation__organization",
        own=own,
    )


def case_list(*, user: User) -> QuerySet[MediationCase]:
    """The scoped list with what list pages, exports and the API show, in a fixed number of queries."""
    return (
        case_scope(user)
        .select_related(
            "mechanism", "court", "organisation__organization", "organisation__run_by", "mediator", "referred_by"
        )
        .prefetch_related(
            Prefetch("parties", queryset=MediationParty.objects.select_related("enterprise").order_by("role", "pk"))
        )
    )


def case_get(*, user: User, pk: int) -> MediationCase:
    return scoping.get_or_404(case_list(user=user), pk=pk)


def case_sessions(case: MediationCase) -> QuerySet[MediationSession]:
    return case.sessions.select_related("created_by").order_by("scheduled_at", "pk")


def case_extensions(case: MediationCase) -> QuerySet[MediationExtension]:
    return case.extensions.select_related("recorded_by").order_by("recorded_at", "pk")


def case_declines(case: MediationCase) -> QuerySet[MediationDecline]:
    return case.declines.select_related("mediator").order_by("declined_at", "pk")


def can_see_party_contacts(user: User, case: MediationCase) -> bool:
    """Parties' phones in full: the court, the organisation side and the assigned mediator."""
    if not user.is_authenticated:
        return False
    return (
        user.organization_id == case.court_id
        or on_organisation_side(user, case.organisation)
        or (case.mediator is not None and case.mediator.user_id == user.pk)
    )


def referable(user: User) -> QuerySet[Admission]:
    """Where the user may register cases: their court's admissions, or their organisation side's."""
    if not user.is_authenticated or not user.organization_id:
        return Admission.objects.none()
    rows = Admission.objects.filter(is_active=True).select_related("organisation__organization", "court", "mechanism")
    court_side = [
        a.pk for a in rows.filter(court_id=user.organization_id) if on_court_side(user, a.court_id, a.mechanism_id)
    ]
    organisation_side = rows.filter(
        Q(organisation__organization_id=user.organization_id) | Q(organisation__run_by_id=user.organization_id)
    ).values("pk")
    return rows.filter(Q(pk__in=court_side) | Q(pk__in=organisation_side)).order_by(
        "court__name", "organisation__organization__name"
    )


# --- recommendations -------------------------------------------------------------------------------


def recommendation_scope(user: User) -> QuerySet[Recommendation]:
    """The recommendations of the mechanisms the user's organization is party to (or oversees)."""
    return scoping.visible(Recommendation.objects.all(), user)


def recommendation_list(*, user: User) -> QuerySet[Recommendation]:
    """The scoped register with what the lists, exports and the API show, in a fixed number of queries."""
    return recommendation_scope(user).select_related(
        "mechanism", "recommender", "receiver", "mediation_organisation__organization", "mediator", "filed_by"
    )


def recommendation_get(*, user: User, pk: int) -> Recommendation:
    return scoping.get_or_404(recommendation_list(user=user), pk=pk)


def can_see_candidate_phone(user: User, recommendation: Recommendation) -> bool:
    """The candidate's phone in full for the two parties; masked for readers from above."""
    return user.is_authenticated and user.organization_id in (recommendation.recommender_id, recommendation.receiver_id)


def recommendation_counts(user: User) -> dict[str, dict[str, Any]]:
    """Per kind: recommended, appointed (in office), pending, declined — one query."""
    from django.db.models import Count

    from .choices import RecommendationStatus as RS

    rows = (
        recommendation_scope(user)
        .order_by()
        .values("kind")
        .annotate(
            total=Count("pk"),
            appointed=Count("pk", filter=Q(status__in=[RS.APPOINTED, RS.WITHDRAWN, RS.EXPIRED])),
            serving=Count("pk", filter=Q(status=RS.APPOINTED)),
            pending=Count("pk", filter=Q(status=RS.PENDING)),
            declined=Count("pk", filter=Q(status=RS.DECLINED)),
        )
    )
    return {row["kind"]: dict(row) for row in rows}


# --- pairings and legal check-ups ------------------------------------------------------------------


def checkup_scope(user: User) -> QuerySet[Checkup]:
    """The check-ups of the mechanisms the user's organization is party to (or oversees)."""
    return scoping.visible(Checkup.objects.all(), user)


def checkup_list(*, user: User) -> QuerySet[Checkup]:
    return checkup_scope(user).select_related("mechanism", "chamber", "pairing__firm", "lawyer", "filed_by")


def checkup_get(*, user: User, pk: int) -> Checkup:
    return scoping.get_or_404(checkup_list(user=user), pk=pk)


def pairing_list(*, user: User) -> QuerySet[Pairing]:
    return scoping.visible(Pairing.objects.all(), user).select_related("mechanism", "firm", "chamber")


def pairing_get(*, user: User, pk: int) -> Pairing:
    return scoping.get_or_404(pairing_list(user=user), pk=pk)


def firm_list(*, user: User) -> QuerySet[MechanismParty]:
    """The law firms as parties of the mechanisms the user sees: one row per firm and mechanism."""
    rows = MechanismParty.objects.filter(organization__kind=OrganizationKind.LAW_FIRM)
    return scoping.visible(rows, user).select_related("mechanism", "organization")


def firm_get(*, user: User, pk: int) -> MechanismParty:
    """A law firm in one mechanism (by its place as a party); 404 outside the user's mechanisms."""
    return scoping.get_or_404(firm_list(user=user), pk=pk)


def firm_lawyers(firm: MechanismParty) -> QuerySet[Lawyer]:
    """The firm's lawyers, those on the list first."""
    return Lawyer.objects.filter(firm_id=firm.organization_id).order_by("-is_active", "name", "pk")


def firm_lawyer_get(firm: MechanismParty, pk: int) -> Lawyer:
    return scoping.get_or_404(firm_lawyers(firm).select_related("firm"), pk=pk)


def firm_place(pairing: Pairing) -> MechanismParty | None:
    """The firm of a pairing as a party of the pairing's mechanism (its page), if it still is one."""
    return MechanismParty.objects.filter(mechanism_id=pairing.mechanism_id, organization_id=pairing.firm_id).first()
