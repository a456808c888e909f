"""Reads of the shared core, already scoped to the user."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from . import deadlines, scoping
from .choices import DeadlineState
from .models import AuditEvent, Deadline, Mechanism, MechanismParty, Notification, User


def mechanism_list(*, user: User) -> QuerySet[Mechanism]:
    parties = MechanismParty.objects.select_related(
        "organization", "responsible_department", "liaison_lead", "liaison_officer"
    )
    return scoping.visible_mechanisms(user).prefetch_related(Prefetch("parties", queryset=parties)).order_by("name")


def mechanism_get(*, user: User, pk: int) -> Mechanism:
    return scoping.get_visible_or_404(mechanism_list(user=user), user, "", pk=pk)


def deadline_scope(user: User) -> QuerySet[Deadline]:
    """Deadlines the user may see: exactly those whose object they may see (a court does not see
    the federation's review deadline of a complaint not yet transferred)."""
    if not user.is_authenticated:
        return Deadline.objects.none()
    return Deadline.objects.filter(scoping.visible_targets(user))


def deadline_list(*, user: User, open_only: bool = True, mine: bool = False, unit: bool = False) -> QuerySet[Deadline]:
    """Deadlines in the user's scope; `mine` keeps those the user personally owns, `unit` those of the
    user's organization that nobody in it has been named for (the unit's, shown apart)."""
    rows = deadline_scope(user).select_related("mechanism", "owner_user", "owner_organization")
    if open_only:
        rows = rows.filter(state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED])
    if mine:
        rows = rows.filter(owner_user=user)
    if unit:
        rows = rows.filter(owner_user__isnull=True, owner_organization_id=user.organization_id)
    return rows.order_by("due_date", "pk")


DUE_FILTERS = ("overdue", "week")


def week_end(on: dt.date) -> dt.date:
    """The Sunday that ends the week of `on`."""
    return on + dt.timedelta(days=6 - on.weekday())


def due_filter(rows: QuerySet[Deadline], due: str, on: dt.date) -> QuerySet[Deadline]:
    """Running deadlines past due (`overdue`) or falling due from today to Sunday (`week`)."""
    running = rows.filter(state=DeadlineState.RUNNING)
    if due == "overdue":
        return running.filter(due_date__lt=on)
    return running.filter(due_date__gte=on, due_date__lte=week_end(on))


def my_deadline_figures(*, user: User, unit: bool = False) -> dict[str, int]:
    """The home page's figures: open deadlines, those overdue, those due this week (one query).
    Personal ones (owned by me) by default; with `unit`, my organization's with nobody named."""
    on = deadlines.today()
    return (
        deadline_list(user=user, mine=not unit, unit=unit)
        .order_by()
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(state=DeadlineState.RUNNING, due_date__lt=on)),
            week=Count("pk", filter=Q(state=DeadlineState.RUNNING, due_date__gte=on, due_date__lte=week_end(on))),
        )
    )


def deadline_get(*, user: User, pk: int) -> Deadline:
    return scoping.get_or_404(
        deadline_scope(user).select_related("mechanism", "owner_user", "owner_organization"), pk=pk
    )


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def audit_log(*, user: User) -> QuerySet[AuditEvent]:
    """The whole log for administrators; a leader sees the events of their own organization."""
    events = AuditEvent.objects.select_related("content_type").order_by("-id")
    if user.is_administrator:
        return events
    return events.filter(actor_organization_id=user.organization_id)
