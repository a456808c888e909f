"""The report FilterSet, shared by the HTML list and the API: search box and filters."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from liaison.models import Mechanism

from . import selectors
from .choices import ReportKind, ReportState
from .models import Report, Tag


def _mechanisms(request: HttpRequest | None) -> QuerySet[Mechanism]:
    if request is None:  # schema generation
        return Mechanism.objects.none()
    return selectors.filter_mechanisms(request.user)


class ReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"),
        method="search",
        widget=forms.TextInput(
            attrs={"class": "form-control", "type": "search", "placeholder": _("标题、摘要、正文或标签")}
        ),
    )
    kind = django_filters.ChoiceFilter(
        label=_("类型"),
        choices=ReportKind.choices,
        empty_label=_("全部类型"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    mechanism = django_filters.ModelChoiceFilter(
        label=_("机制"),
        queryset=_mechanisms,
        empty_label=_("全部机制"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("标签"),
        field_name="tags",
        queryset=Tag.objects.order_by("name"),
        to_field_name="name",
        empty_label=_("全部标签"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=ReportState.choices,
        empty_label=_("全部状态"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    published_from = django_filters.DateFilter(
        label=_("发布日期自"),
        field_name="published_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )
    published_to = django_filters.DateFilter(
        label=_("发布日期至"),
        field_name="published_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}),
    )

    class Meta:
        model = Report
        fields = ["q", "kind", "mechanism", "tag", "state", "published_from", "published_to"]

    def search(self, queryset: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        """Every word must occur in the title, summary, body or a tag (a subquery for tags: no duplicates)."""
        for word in value.split()[:10]:
            tagged = Report.tags.through.objects.filter(tag__name__icontains=word).values("report_id")
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word) | Q(pk__in=tagged)
            )
        return queryset
