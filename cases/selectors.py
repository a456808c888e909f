"""Reads of enterprises, complaints and transfers, always through the scoping rule."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast

from liaison import scoping
from liaison.choices import COLLECTING_SIDES, DeadlineState, Role
from liaison.models import Deadline, Department, MechanismParty, User

from .choices import ComplaintStatus
from .models import (
    CaseReview,
    Complaint,
    ComplaintCaseNumber,
    ComplaintMessage,
    Enterprise,
    EnterpriseMembership,
    Transfer,
)
from .services import visible_message_filter
from .workflow import confirmed_enterprise_id, convenor_mechanism_ids


def complaint_scope(user: User) -> QuerySet[Complaint]:
    """Complaints the user may see.

    Within a visible mechanism: the filing federation (and its superiors) sees everything it
    filed; the court side sees a complaint once it has been transferred. A court that returned a
    transfer keeps read access after the complaint moved to another court.
    """
    narrower = Q(transferred_at__isnull=False) | scoping.within_organization(user, "filing_organization")
    narrower |= at_the_meeting(user)
    # An enterprise's online draft is its own until it submits it.
    online_drafts = Q(filed_online=True, status=ComplaintStatus.DRAFT)
    return scoping.visible(
        Complaint.objects.exclude(online_drafts), user, narrower=narrower, readers_path="former_courts"
    )


def at_the_meeting(user: User) -> Q:
    """The complaints queued for the joint meeting that the user, the convenor's meeting secretary, runs."""
    if not (user.is_authenticated and user.has_role(Role.MEETING_SECRETARY)):
        return Q(pk__in=[])
    return Q(status=ComplaintStatus.QUEUED, mechanism_id__in=convenor_mechanism_ids(user))


def current_deadline(field: str) -> Subquery:
    """A column of the nearest open deadline, looked up per row (the ledgers' owner of the deadline;
    its date, kind and state are kept on the complaint: `Complaint.current_due`)."""
    open_deadlines = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint),
        object_id=Cast(OuterRef("pk"), CharField()),
        state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED],
    ).order_by("due_date", "pk")
    return Subquery(open_deadlines.values(field)[:1])


def complaint_list(*, user: User) -> QuerySet[Complaint]:
    """The scoped list with what list pages, exports and the API show, in a fixed number of queries."""
    return (
        complaint_scope(user)
        .select_related("enterprise", "court", "filing_organization", "mechanism", "handler", "department", "transfer")
        .prefetch_related(Prefetch("case_numbers", queryset=ComplaintCaseNumber.objects.order_by("id")))
    )


def complaint_get(*, user: User, pk: int) -> Complaint:
    return scoping.get_or_404(complaint_list(user=user), pk=pk)


def complaint_messages(*, user: User, complaint: Complaint) -> QuerySet[ComplaintMessage]:
    return complaint.messages.filter(visible_message_filter(user)).select_related("author", "organization")


def complaint_review(complaint: Complaint) -> CaseReview | None:
    return CaseReview.objects.filter(complaint=complaint).select_related("reviewed_by").first()


def enterprise_scope(user: User) -> QuerySet[Enterprise]:
    return scoping.visible(Enterprise.objects.all(), user)


def enterprise_scope_key(user: User) -> tuple:
    """Every value the SQL of `enterprise_scope(user)` depends on (to keep it compiled)."""
    return ("enterprise_scope", None if user.is_superuser else tuple(scoping.visible_mechanism_ids(user)))


LOOKUP_LIMIT = 20


def enterprise_lookup(*, user: User, term: str) -> list[tuple[int, str, str]]:
    """(id, name, credit code) of the first enterprises in scope whose name or code contains `term`."""
    term = term.strip()[:60]
    if not term:
        return []
    return list(
        enterprise_scope(user)
        .filter(Q(name__icontains=term) | Q(credit_code__startswith=term.upper()))
        .order_by("name", "pk")
        .values_list("pk", "name", "credit_code")[:LOOKUP_LIMIT]
    )


def enterprise_list(*, user: User) -> QuerySet[Enterprise]:
    return enterprise_scope(user).select_related("mechanism", "registered_by").prefetch_related("chambers")


def transfer_list(*, user: User) -> QuerySet[Transfer]:
    """Transfers whose complaints the user sees."""
    return (
        Transfer.objects.filter(pk__in=complaint_scope(user).filter(transfer__isnull=False).values("transfer"))
        .select_related("mechanism", "court", "sender", "made_by")
        .prefetch_related(
            Prefetch("complaints", queryset=Complaint.objects.select_related("enterprise").order_by("serial"))
        )
        .order_by("-made_at")
    )


def complaint_deadlines(*, complaint: Complaint) -> QuerySet[Deadline]:
    """All deadlines of a complaint (the caller already holds it in scope), oldest first."""
    return (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Complaint),
            object_id=str(complaint.pk),
        )
        .select_related("owner_user", "owner_organization")
        .order_by("start_date", "pk")
    )


def court_departments(*, complaint: Complaint) -> QuerySet[Department]:
    return Department.objects.filter(organization_id=complaint.court_id).order_by("name")


def court_handlers(*, complaint: Complaint) -> QuerySet[User]:
    return (
        User.objects.filter(
            organization_id=complaint.court_id,
            is_active=True,
            role_assignments__role=Role.COURT_HANDLER,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def can_see_contact(user: User, enterprise: Enterprise) -> bool:
    """Contact phone numbers are shown in full only to the organization that registered the enterprise."""
    return user.organization_id == enterprise.registered_by_id


# --- the enterprise side ------------------------------------------------------------------------


def membership_scope(user: User) -> QuerySet[EnterpriseMembership]:
    """Links person ↔ enterprise the user's federation (or a subordinate one) decides: those of the
    mechanisms where it collects matters."""
    if not user.is_authenticated or not user.organization_id:
        return EnterpriseMembership.objects.none()
    collecting = MechanismParty.objects.filter(
        organization_id__in=scoping.own_unit_ids(user), side__in=COLLECTING_SIDES
    ).values("mechanism_id")
    return EnterpriseMembership.objects.filter(enterprise__mechanism_id__in=collecting)


def membership_list(*, user: User) -> QuerySet[EnterpriseMembership]:
    return membership_scope(user).select_related("user", "enterprise", "enterprise__mechanism", "decided_by")


def membership_get(*, user: User, pk: int) -> EnterpriseMembership:
    return scoping.get_or_404(membership_list(user=user), pk=pk)


def own_membership(user: User) -> EnterpriseMembership | None:
    """The enterprise user's link to its enterprise, whatever its state."""
    if not user.is_authenticated or not user.has_role(Role.ENTERPRISE):
        return None
    return EnterpriseMembership.objects.select_related("enterprise", "enterprise__mechanism").filter(user=user).first()


def own_matters(user: User) -> QuerySet[Complaint]:
    """The complaints of the enterprise the user acts for (once confirmed): those it filed online, and
    those the federation filed for it once submitted. Nothing for anyone else."""
    enterprise_id = confirmed_enterprise_id(user)
    if enterprise_id is None:
        return Complaint.objects.none()
    paper_drafts = Q(filed_online=False, status=ComplaintStatus.DRAFT)
    return Complaint.objects.filter(enterprise_id=enterprise_id).exclude(paper_drafts)


def own_matter_list(*, user: User) -> QuerySet[Complaint]:
    return (
        own_matters(user)
        .select_related("transfer", "mechanism", "filing_organization")
        .prefetch_related(Prefetch("case_numbers", queryset=ComplaintCaseNumber.objects.order_by("id")))
    )


def own_matter_get(*, user: User, pk: int) -> Complaint:
    return scoping.get_or_404(own_matter_list(user=user), pk=pk)
