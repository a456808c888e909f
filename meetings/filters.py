"""Meeting, minutes and action-item filters, shared by the HTML lists, the exports and the API."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from liaison import scoping
from liaison.limits import FIRST_YEAR, LAST_YEAR
from liaison.models import Mechanism, Organization

from .activity_choices import ActivityKind, ActivityStatus
from .choices import ItemSource, ItemState, MeetingKind, MeetingStatus, MinutesStatus
from .models import ActionItem, Activity, Meeting, Minutes
from .selectors import owned_by


class _Scoped(filters.FilterSet):
    """Choices of mechanism (and organization) limited to what the user may see."""

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user if user is not None else getattr(self.request, "user", None)
        if self.user is not None and self.user.is_authenticated:
            mechanisms = scoping.visible_mechanisms(self.user)
            if "mechanism" in self.filters:
                self.filters["mechanism"].queryset = mechanisms.order_by("name")
            if "owner_organization" in self.filters:
                self.filters["owner_organization"].queryset = scoping.visible_organizations(self.user).order_by("name")


class MeetingFilter(_Scoped):
    q = filters.CharFilter(method="search", label=_("搜索"))
    mechanism = filters.ModelChoiceFilter(queryset=Mechanism.objects.none(), label=_("机制"))
    kind = filters.ChoiceFilter(choices=MeetingKind.choices, label=_("会议类型"))
    status = filters.MultipleChoiceFilter(choices=MeetingStatus.choices, label=_("状态"))
    year = filters.NumberFilter(
        field_name="starts_at", lookup_expr="year", label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    starts_from = filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("开始日期自"))
    starts_to = filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("开始日期至"))

    class Meta:
        model = Meeting
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value)) if value else queryset


class MinutesFilter(_Scoped):
    q = filters.CharFilter(method="search", label=_("搜索"))
    mechanism = filters.ModelChoiceFilter(queryset=Mechanism.objects.none(), label=_("机制"))
    status = filters.MultipleChoiceFilter(choices=MinutesStatus.choices, label=_("状态"))
    year = filters.NumberFilter(field_name="year", label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    meeting = filters.NumberFilter(field_name="meeting_id", label=_("会议"))

    class Meta:
        model = Minutes
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(number__icontains=value)) if value else queryset


class ActionItemFilter(_Scoped):
    """Action items and tasks; `state` includes "overdue", derived by the selectors' annotation."""

    q = filters.CharFilter(method="search", label=_("搜索"))
    mechanism = filters.ModelChoiceFilter(queryset=Mechanism.objects.none(), label=_("机制"))
    source = filters.ChoiceFilter(choices=ItemSource.choices, label=_("来源"))
    state = filters.MultipleChoiceFilter(choices=ItemState.choices, label=_("状态"))
    owner_organization = filters.ModelChoiceFilter(queryset=Organization.objects.none(), label=_("责任单位"))
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("完成时限不晚于"))
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("完成时限不早于"))
    minutes = filters.NumberFilter(field_name="minutes_id", label=_("会议纪要"))
    dual_list = filters.NumberFilter(field_name="dual_list_id", label=_("双清单"))
    mine = filters.BooleanFilter(method="answered_by_me", label=_("本单位牵头或负责的"))

    class Meta:
        model = ActionItem
        fields: list[str] = []

    def answered_by_me(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """The items the user's organization leads, co-leads or has a responsible department in (a semi-join: no duplicates)."""
        if value is None or self.user is None or not self.user.is_authenticated:
            return queryset
        owned = owned_by(self.user.organization_id or 0)
        return queryset.filter(owned) if value else queryset.exclude(owned)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(target__icontains=value)
            | Q(responsible_units__icontains=value)
            | Q(owner_department__name__icontains=value)
        )


class ActivityFilter(_Scoped):
    q = filters.CharFilter(method="search", label=_("搜索"))
    mechanism = filters.ModelChoiceFilter(queryset=Mechanism.objects.none(), label=_("机制"))
    kind = filters.ChoiceFilter(choices=ActivityKind.choices, label=_("活动类型"))
    status = filters.MultipleChoiceFilter(choices=ActivityStatus.choices, label=_("状态"))
    year = filters.NumberFilter(
        field_name="starts_at", lookup_expr="year", label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value)) if value else queryset
