"""Roster and case filters, shared by the HTML lists, the Excel exports, the PDF roster and the API."""

from __future__ import annotations

import datetime as dt

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from liaison import deadlines, scoping
from liaison.filters import OrderingFilter
from liaison.models import Mechanism, Organization

from .choices import (
    CaseSource,
    CaseStatus,
    Confirmation,
    MediatorStatus,
    Profession,
    RecommendationKind,
    RecommendationStatus,
    Specialty,
)
from .models import MediationCase, MediationOrganisation, MediationParty, Mediator, MediatorSpecialty, Recommendation

S = CaseStatus
TERM_ENDING = [("30", _("30 天内届满")), ("60", _("60 天内届满")), ("90", _("90 天内届满"))]


def _organisations(user) -> QuerySet[MediationOrganisation]:
    from .selectors import organisation_scope

    return organisation_scope(user).select_related("organization").order_by("organization__name")


class MediatorFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("姓名"))
    court = filters.ModelChoiceFilter(queryset=Organization.objects.filter(kind="court"), label=_("聘任法院"))
    organisation = filters.ModelChoiceFilter(queryset=MediationOrganisation.objects.all(), label=_("调解组织"))
    specialty = filters.ChoiceFilter(choices=Specialty.choices, method="by_specialty", label=_("专长领域"))
    profession = filters.ChoiceFilter(choices=Profession.choices, label=_("职业"))
    status = filters.MultipleChoiceFilter(choices=MediatorStatus.choices, label=_("状态"))
    term_ending = filters.ChoiceFilter(choices=TERM_ENDING, method="by_term_ending", label=_("任期届满"))
    takes_paid = filters.BooleanFilter(label=_("承接有偿调解"))

    class Meta:
        model = Mediator
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user if user is not None else getattr(self.request, "user", None)
        if self.user is not None:
            from .selectors import roster_courts

            self.filters["court"].queryset = roster_courts(self.user)
            self.filters["organisation"].queryset = _organisations(self.user)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset

    def by_specialty(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(pk__in=MediatorSpecialty.objects.filter(specialty=value).values("mediator"))

    def by_term_ending(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        today = deadlines.today()
        return queryset.filter(
            status=MediatorStatus.ACTIVE, term_end__gte=today, term_end__lte=today + dt.timedelta(days=int(value))
        )


# Work queues of the case list: name → label; the conditions are in queue_filter().
QUEUES = {
    "to_assign": _("待指派"),
    "to_answer": _("待接受"),
    "mine": _("我调解的"),
    "in_progress": _("调解中"),
    "confirmation": _("司法确认审查"),
    "to_file": _("调解不成待立案"),
    "due_soon": _("期限将届满"),
    "overdue": _("已超期"),
}
DUE_SOON_DAYS = 5


def queues_for(user) -> list[tuple[str, object]]:
    """The queue tabs the user's roles make sense of (`permissions.queue_names`), with their labels."""
    from .permissions import queue_names

    return [(name, QUEUES[name]) for name in queue_names(user)]


def queue_filter(queryset: QuerySet, name: str, user) -> QuerySet:
    today = deadlines.today()
    conditions = {
        "to_assign": Q(status=S.REFERRED),
        "to_answer": Q(status=S.ASSIGNED),
        "mine": Q(mediator__user_id=user.pk, status__in=[S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS]),
        "in_progress": Q(status__in=[S.ACCEPTED, S.IN_PROGRESS]),
        "confirmation": Q(status=S.AGREEMENT, confirmation=Confirmation.REQUESTED),
        "to_file": Q(status=S.FAILED),
        "due_soon": Q(
            status__in=[S.REFERRED, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS],
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        ),
        "overdue": Q(status__in=[S.REFERRED, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS], due_date__lt=today),
    }
    condition = conditions.get(name)
    return queryset.filter(condition) if condition is not None else queryset


class CaseFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("搜索"))
    queue = filters.ChoiceFilter(choices=list(QUEUES.items()), method="by_queue", label=_("工作队列"))
    status = filters.MultipleChoiceFilter(choices=CaseStatus.choices, label=_("状态"))
    source = filters.ChoiceFilter(choices=CaseSource.choices, label=_("来源"))
    dispute_type = filters.ChoiceFilter(choices=Specialty.choices, label=_("纠纷类型"))
    confirmation = filters.ChoiceFilter(choices=Confirmation.choices, label=_("司法确认"))
    court = filters.ModelChoiceFilter(queryset=Organization.objects.filter(kind="court"), label=_("法院"))
    organisation = filters.ModelChoiceFilter(queryset=MediationOrganisation.objects.all(), label=_("调解组织"))
    mediator = filters.ModelChoiceFilter(queryset=Mediator.objects.all(), label=_("调解员"))
    mechanism = filters.ModelChoiceFilter(queryset=Mechanism.objects.none(), label=_("机制"))
    referred_from = filters.DateFilter(field_name="referred_at", lookup_expr="date__gte", label=_("委派日期自"))
    referred_to = filters.DateFilter(field_name="referred_at", lookup_expr="date__lte", label=_("委派日期至"))
    ordering = OrderingFilter(
        fields=(("referred_at", "referred_at"), ("due_date", "due"), ("serial", "serial"), ("status", "status")),
        field_labels={"referred_at": _("委派时间"), "due_date": _("届满日"), "serial": _("编号"), "status": _("状态")},
        label=_("排序"),
    )

    class Meta:
        model = MediationCase
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user if user is not None else getattr(self.request, "user", None)
        if self.user is not None:
            from .selectors import mediator_scope, roster_courts

            self.filters["court"].queryset = roster_courts(self.user)
            self.filters["organisation"].queryset = _organisations(self.user)
            self.filters["mediator"].queryset = mediator_scope(self.user).order_by("name")
            self.filters["mechanism"].queryset = scoping.visible_mechanisms(self.user).order_by("name")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(serial__icontains=value)
            | Q(case_number__icontains=value)
            | Q(pk__in=MediationParty.objects.filter(name__icontains=value).values("case"))
        )

    def by_queue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queue_filter(queryset, value, self.user) if self.user is not None else queryset


class RecommendationFilter(filters.FilterSet):
    """The register of recommended people, per kind (the kind is a filter and the list's tabs)."""

    q = filters.CharFilter(method="search", label=_("姓名或工作单位"))
    kind = filters.ChoiceFilter(choices=RecommendationKind.choices, label=_("推荐类别"))
    status = filters.MultipleChoiceFilter(choices=RecommendationStatus.choices, label=_("状态"))
    mechanism = filters.ModelChoiceFilter(queryset=Mechanism.objects.all(), label=_("机制"))
    receiver = filters.ModelChoiceFilter(queryset=Organization.objects.all(), label=_("接收单位"))
    term_ending = filters.ChoiceFilter(choices=TERM_ENDING, method="by_term_ending", label=_("任期届满"))

    class Meta:
        model = Recommendation
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user if user is not None else getattr(self.request, "user", None)
        if self.user is not None:
            mechanisms = scoping.visible_mechanisms(self.user).order_by("name")
            self.filters["mechanism"].queryset = mechanisms
            self.filters["receiver"].queryset = Organization.objects.filter(
                pk__in=Recommendation.objects.filter(mechanism__in=mechanisms.values("pk")).values("receiver")
            ).order_by("name")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(employer__icontains=value)) if value else queryset

    def by_term_ending(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        today = deadlines.today()
        return queryset.filter(
            status=RecommendationStatus.APPOINTED,
            term_end__gte=today,
            term_end__lte=today + dt.timedelta(days=int(value)),
        )
