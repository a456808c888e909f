"""Reads of meetings, minutes, action items and dual lists, always through the scoping rule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Case, CharField, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from cases.selectors import complaint_scope
from liaison import deadlines, scoping
from liaison.models import User

from .choices import HELD_STATES, LIVE_ITEM_STATUSES, ItemSource, ItemState, ItemStatus, MeetingKind, MeetingStatus
from .models import (
    ActionItem,
    Activity,
    AgendaItem,
    DualList,
    Invitee,
    Meeting,
    Minutes,
    MinutesApproval,
    ProgressReport,
    Registration,
    TaskOwner,
)

# --- meetings ------------------------------------------------------------------------------------


def meeting_scope(user: User) -> QuerySet[Meeting]:
    return scoping.visible(Meeting.objects.all(), user)


def transfer_meeting_choices(user: User) -> list[tuple[int, str]]:
    """The meetings of the mechanisms the user acts in, newest first, as the batch transfer names them."""
    rows = (
        Meeting.objects.filter(mechanism__in=scoping.actionable_mechanisms(user))
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("mechanism")
        .order_by("-starts_at", "-id")
    )
    return [(m.pk, f"{timezone.localtime(m.starts_at):%Y-%m-%d} {m.title}") for m in rows]


def meeting_list(*, user: User) -> QuerySet[Meeting]:
    """The scoped list with what list pages and the API show, in a fixed number of queries."""
    return (
        meeting_scope(user)
        .select_related("mechanism", "convenor")
        .annotate(invitee_count=Count("invitees", distinct=True))
        .order_by("-starts_at", "-id")
    )


def _invitees() -> QuerySet[Invitee]:
    return Invitee.objects.select_related("user", "user__organization", "organization").order_by("order", "id")


def _agenda() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.prefetch_related(
        Prefetch(
            "action_items",
            queryset=ActionItem.objects.select_related("owner_organization", "owner_department").order_by(
                "due_date", "id"
            ),
        ),
        "complaints",
        "complaints__enterprise",
        "transfers",
    ).order_by("order", "id")


def meeting_get(*, user: User, pk: int) -> Meeting:
    rows = (
        meeting_scope(user)
        .select_related("mechanism", "convenor", "created_by")
        .prefetch_related(Prefetch("invitees", queryset=_invitees()), Prefetch("agenda_items", queryset=_agenda()))
    )
    return scoping.get_or_404(rows, pk=pk)


def visible_complaint_ids(user: User, meeting: Meeting) -> set[int]:
    """Of the complaints on the meeting's agenda, those this user may see (queued ones: only the federation)."""
    ids = AgendaItem.objects.filter(meeting=meeting).values("complaints")
    return set(complaint_scope(user).filter(pk__in=ids).values_list("pk", flat=True))


def my_invitation(user: User, meeting: Meeting) -> Invitee | None:
    return next((i for i in meeting.invitees.all() if i.user_id == user.pk), None)


def meetings_of(user: User) -> QuerySet[Meeting]:
    """The meetings the user is invited to (for their calendar feed), still in scope."""
    return (
        meeting_scope(user)
        .filter(invitees__user=user)
        .select_related("convenor")
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order", "id")))
        .distinct()
        .order_by("starts_at")
    )


# --- minutes -------------------------------------------------------------------------------------


def minutes_scope(user: User) -> QuerySet[Minutes]:
    return scoping.visible(Minutes.objects.all(), user)


def minutes_list(*, user: User) -> QuerySet[Minutes]:
    return (
        minutes_scope(user)
        .select_related("mechanism", "meeting", "corrects", "issued_by")
        .order_by("-created_at", "-id")
    )


def minutes_get(*, user: User, pk: int) -> Minutes:
    rows = (
        minutes_scope(user)
        .select_related(
            "mechanism",
            "meeting",
            "meeting__convenor",
            "corrects",
            "created_by",
            "issued_by",
        )
        .prefetch_related(
            "sections",
            "decisions",
            "corrections",
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner_organization", "owner_department").order_by(
                    "order", "id"
                ),
            ),
            Prefetch(
                "approvals",
                queryset=MinutesApproval.objects.select_related("organization", "decided_by").order_by(
                    "-round", "organization__name"
                ),
            ),
            Prefetch("meeting__invitees", queryset=_invitees()),
            "distribution__organization",
        )
    )
    return scoping.get_or_404(rows, pk=pk)


def issued_minutes_of(meeting: Meeting) -> list[Minutes]:
    return list(Minutes.objects.filter(meeting=meeting).order_by("created_at", "id"))


# --- action items and tasks ----------------------------------------------------------------------


def state_expression() -> Case:
    """The state lists show: open or in-progress items past their date are overdue."""
    today = deadlines.today()
    return Case(
        When(status__in=LIVE_ITEM_STATUSES, due_date__lt=today, then=Value(ItemState.OVERDUE)),
        default="status",
        output_field=CharField(),
    )


def owned_by(organization_id: int) -> Q:
    """Items the organization leads, co-leads or has a responsible department in (a semi-join)."""
    return Q(owner_organization_id=organization_id) | Q(
        pk__in=TaskOwner.objects.filter(organization_id=organization_id).values("item_id")
    )


def item_scope(user: User) -> QuerySet[ActionItem]:
    return scoping.visible(ActionItem.objects.all(), user)


def item_list(*, user: User, source: str | None = None) -> QuerySet[ActionItem]:
    """Action items and tasks with their derived state, overdue first, in a fixed number of queries."""
    rows = item_scope(user)
    if source is not None:
        rows = rows.filter(source=source)
    return (
        rows.select_related("mechanism", "owner_organization", "owner_department", "minutes", "dual_list")
        .annotate(
            state=state_expression(),
            overdue_rank=Case(
                When(status__in=LIVE_ITEM_STATUSES, due_date__lt=deadlines.today(), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            report_count=Count("progress_reports", distinct=True),
        )
        .order_by("overdue_rank", "due_date", "id")
    )


def supervision_list(*, user: User) -> QuerySet[ActionItem]:
    """All live action items and tasks the user sees, overdue first."""
    return item_list(user=user).filter(status__in=LIVE_ITEM_STATUSES)


def item_get(*, user: User, pk: int, source: str | None = None) -> ActionItem:
    return scoping.get_or_404(item_list(user=user, source=source), pk=pk)


def progress_reports(item: ActionItem) -> QuerySet[ProgressReport]:
    return item.progress_reports.select_related("author", "organization").order_by("created_at", "id")


def progress_scope(user: User) -> QuerySet[ProgressReport]:
    """Progress reports (and so their attachments) the user may see."""
    return ProgressReport.objects.filter(item__in=item_scope(user).values("pk"))


def owner_summary(rows: QuerySet[ActionItem]) -> list[Mapping[str, Any]]:
    """How many live items each owner has, and how many of them are overdue (one query)."""
    today = deadlines.today()
    return list(
        rows.order_by()
        .values("owner_organization__name", "owner_department__name")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
        .order_by("-overdue", "owner_organization__name", "owner_department__name")
    )


# --- dual lists ----------------------------------------------------------------------------------


def dual_list_scope(user: User) -> QuerySet[DualList]:
    return scoping.visible(DualList.objects.all(), user)


def dual_list_list(*, user: User) -> QuerySet[DualList]:
    return (
        dual_list_scope(user)
        .select_related("mechanism", "approved_at_meeting")
        .annotate(
            task_count=Count("tasks", distinct=True),
            done_count=Count("tasks", filter=Q(tasks__status=ItemStatus.DONE), distinct=True),
        )
        .order_by("-year", "mechanism__name")
    )


def dual_list_get(*, user: User, pk: int) -> DualList:
    return scoping.get_or_404(dual_list_list(user=user), pk=pk)


def dual_list_tasks(*, user: User, dual_list: DualList) -> QuerySet[ActionItem]:
    return item_list(user=user, source=ItemSource.DUAL_LIST).filter(dual_list=dual_list).order_by("order", "id")


def plenaries_for(dual_list: DualList) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        mechanism_id=dual_list.mechanism_id, kind=MeetingKind.PLENARY, status__in=HELD_STATES
    ).order_by("-starts_at")


# --- activities ----------------------------------------------------------------------------------


def activity_scope(user: User) -> QuerySet[Activity]:
    return scoping.visible(Activity.objects.all(), user)


def activity_list(*, user: User) -> QuerySet[Activity]:
    """The scoped list with the counts list pages and the API show, in a fixed number of queries."""
    return (
        activity_scope(user)
        .select_related("mechanism", "organizer")
        .annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status="confirmed"), distinct=True),
            waitlisted_count=Count("registrations", filter=Q(registrations__status="waitlisted"), distinct=True),
            signed_in_count=Count("registrations", filter=Q(registrations__signed_in_at__isnull=False), distinct=True),
        )
        .order_by("-starts_at", "-id")
    )


def activity_get(*, user: User, pk: int) -> Activity:
    rows = (
        activity_scope(user)
        .select_related("mechanism", "organizer", "created_by")
        .prefetch_related(
            "co_organizers",
            Prefetch(
                "registrations",
                queryset=Registration.objects.exclude(status="cancelled")
                .select_related("user", "user__organization")
                .order_by("registered_at", "id"),
            ),
        )
    )
    return scoping.get_or_404(rows, pk=pk)


def enterprise_activity_scope(user: User) -> QuerySet[Activity]:
    """What a confirmed enterprise user sees of activities: those of its enterprise's mechanism open to
    enterprises, once published. Nothing for anyone else (nor anything else of the mechanism)."""
    from .activity_workflow import enterprise_mechanism_id

    mechanism_id = enterprise_mechanism_id(user) if user.is_authenticated and user.organization_id is None else None
    if mechanism_id is None:
        return Activity.objects.none()
    return Activity.objects.filter(mechanism_id=mechanism_id, for_enterprises=True).exclude(status="draft")


def enterprise_activity_list(*, user: User) -> QuerySet[Activity]:
    return (
        enterprise_activity_scope(user)
        .select_related("organizer")
        .annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status="confirmed"), distinct=True),
        )
        .order_by("-starts_at", "-id")
    )


def enterprise_activity_get(*, user: User, pk: int) -> Activity:
    rows = (
        enterprise_activity_scope(user)
        .select_related("mechanism", "organizer")
        .prefetch_related(
            "co_organizers",
            Prefetch(
                "registrations",
                queryset=Registration.objects.filter(user=user).exclude(status="cancelled"),
                to_attr="own_registrations",
            ),
        )
    )
    return scoping.get_or_404(rows, pk=pk)


def registration_scope(user: User) -> QuerySet[Registration]:
    return scoping.visible(Registration.objects.all(), user, "activity__mechanism")


def my_registration(user: User, activity: Activity) -> Registration | None:
    return next((r for r in activity.registrations.all() if r.user_id == user.pk), None)


def activities_of(user: User) -> QuerySet[Activity]:
    """The activities the user is registered for (their calendar feed), still in scope, cancelled ones kept."""
    return (
        activity_scope(user)
        .filter(registrations__user=user, registrations__status__in=["confirmed", "waitlisted"])
        .select_related("organizer")
        .distinct()
        .order_by("starts_at")
    )
