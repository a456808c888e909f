"""Text search over complaints: their own text, their enterprise, case numbers and the messages the
user may see (never another organization's internal notes).

Each source is its own indexed subquery of complaint ids, and the union of them restricts the list:
on PostgreSQL the trigram GIN indexes of migration `0005_search_trigram_indexes` serve each one for
terms of three characters or more (`bench/SEARCH.md` has the measurements behind the choice);
SQLite scans.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from liaison.models import User

from .models import Complaint, ComplaintCaseNumber, ComplaintMessage, Enterprise
from .services import visible_message_filter

# The complaint's own columns searched (each has a trigram index on PostgreSQL).
TEXT_COLUMNS = ("title", "serial", "facts", "demands", "answer")


def matching_complaint_ids(user: User, term: str) -> QuerySet:
    """The ids of complaints whose text, enterprise, case numbers or visible messages contain `term`
    (a subquery, unscoped: the caller restricts its own scoped queryset with it)."""
    own = Q(*[Q(**{f"{column}__icontains": term}) for column in TEXT_COLUMNS], _connector=Q.OR)
    enterprises = Enterprise.objects.filter(Q(name__icontains=term) | Q(credit_code=term.upper())).values("pk")
    return (
        Complaint.objects.filter(own)
        .order_by()
        .values_list("pk", flat=True)
        .union(Complaint.objects.filter(enterprise__in=enterprises).order_by().values_list("pk", flat=True))
        .union(
            ComplaintCaseNumber.objects.filter(number__icontains=term).order_by().values_list("complaint_id", flat=True)
        )
        .union(
            ComplaintMessage.objects.filter(visible_message_filter(user), body__icontains=term)
            .order_by()
            .values_list("complaint_id", flat=True)
        )
    )


# Up to this many matches the ids are read first (one query) and the list filters on them; more,
# and the list keeps the search as a subquery.
MATERIALIZED_MATCHES = 20_000


def complaint_search(queryset: QuerySet[Complaint], user: User, term: str) -> QuerySet[Complaint]:
    """`queryset` (already scoped) narrowed to the complaints matching `term`; blank terms change nothing.

    The matching ids are read first: given the subquery, PostgreSQL cannot tell how few rows it
    yields and joins the whole scoped table with the list's related tables before filtering.
    """
    term = term.strip()
    if not term:
        return queryset
    matches = matching_complaint_ids(user, term)
    ids = list(matches[: MATERIALIZED_MATCHES + 1])
    return queryset.filter(pk__in=ids if len(ids) <= MATERIALIZED_MATCHES else matches)


def _complaints(user: User, term: str) -> QuerySet[Complaint]:
    from .selectors import complaint_scope

    return (
        complaint_search(complaint_scope(user), user, term).select_related("enterprise").order_by("-created_at", "-id")
    )


def register_sources() -> None:
    """The complaints on the search page (`liaison.search`)."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from liaison.search import Hit, Source, register_source

    register_source(
        Source(
            key="complaints",
            label=_("涉企诉求"),
            search=_complaints,
            hit=lambda c: Hit(
                f"{c.serial} {c.title}",
                reverse("cases:complaint_detail", args=[c.pk]),
                f"{c.enterprise.name} · {c.get_status_display()}",
            ),
        )
    )
