"""Complaint and enterprise filters, shared by the HTML lists, the Excel export and the API."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison import deadlines, scoping
from liaison.filters import OrderingFilter
from liaison.models import Mechanism, Organization
from liaison.workdays import WorkingCalendar

from .choices import OPEN_STATES, ComplaintKind, ComplaintStatus, EnterpriseSize, Industry
from .models import Complaint, Enterprise
from .search import complaint_search
from .selectors import at_the_meeting

S = ComplaintStatus

# Work queues: name → label; the conditions are in queue_filter().
QUEUES = {
    "drafts": _("草稿"),
    "to_review": _("待审核"),
    "queued": _("待联席会议移送"),
    "awaiting_court": _("待法院办理"),
    "to_accept": _("待确认反馈"),
    "to_register": _("待登记"),
    "to_assign": _("待交办"),
    "mine": _("我承办的"),
    "due_soon": _("即将到期"),
    "overdue": _("已逾期"),
}
ACTIVE = [S.SUBMITTED, S.UNDER_REVIEW, S.QUEUED, S.TRANSFERRED, S.REGISTERED, S.ASSIGNED]


def overdue_q(today) -> Q:
    """Open past its deadline: an active complaint whose running deadline fell due before today
    (the same rule as the dashboard's figure, `cases.figures`, and the overdue ledger); a paused
    clock is not overdue."""
    return Q(status__in=ACTIVE, current_due__lt=today, current_due_paused=False)


def queue_filter(queryset: QuerySet, name: str, user, calendar: WorkingCalendar | None = None) -> QuerySet:
    """One work queue of the user's side; unknown names leave the list as it is. The due-soon queue
    counts working days with `calendar` (the page's own, when it has one already)."""
    org = user.organization_id
    today = deadlines.today()
    conditions = {
        "drafts": Q(status=S.DRAFT, filing_organization_id=org),
        "to_review": Q(status__in=[S.SUBMITTED, S.UNDER_REVIEW, S.NEEDS_MATERIAL], filing_organization_id=org),
        "queued": Q(status=S.QUEUED, filing_organization_id=org) | at_the_meeting(user),
        "awaiting_court": Q(status__in=[S.TRANSFERRED, S.REGISTERED, S.ASSIGNED], filing_organization_id=org),
        "to_accept": Q(status__in=[S.ANSWERED, S.RETURNED], filing_organization_id=org),
        "to_register": Q(status=S.TRANSFERRED, court_id=org),
        "to_assign": Q(status=S.REGISTERED, court_id=org),
        "mine": Q(status=S.ASSIGNED, handler_id=user.pk),
        "due_soon": None,  # needs the calendar: built below only when asked for
        "overdue": overdue_q(today),
    }
    if name == "due_soon":
        horizon = (calendar or WorkingCalendar()).add_working_days(today, 2)
        return queryset.filter(
            status__in=ACTIVE, current_due__gte=today, current_due__lte=horizon, current_due_paused=False
        )
    condition = conditions.get(name)
    return queryset.filter(condition) if condition is not None else queryset


class EnterpriseLookupField(forms.CharField):
    """The enterprise of the complaint filter: a text box, not a `<select>` of every enterprise in
    scope. An id (what the lookup endpoint and links give) must be an enterprise the user sees;
    any other text matches enterprise names. `static/js/enterprise-lookup.js` suggests names as the
    user types; without JavaScript it stays a plain text input."""

    def __init__(self, *args, scope: QuerySet | None = None, lookup_url: str = "", **kwargs) -> None:
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "class": "js-enterprise-lookup",
                    "data-lookup-url": lookup_url,
                    "placeholder": _("企业名称"),
                }
            ),
        )
        super().__init__(*args, **kwargs)
        self.scope = scope

    def clean(self, value: str | None) -> tuple[str, int | str] | None:
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        if value.isdigit():
            if self.scope is None or not self.scope.filter(pk=int(value)).exists():
                raise forms.ValidationError(_("请选择可查看的企业。"), code="invalid_choice")
            return ("pk", int(value))
        return ("name", value)


class EnterpriseLookupFilter(filters.Filter):
    field_class = EnterpriseLookupField

    def filter(self, queryset: QuerySet, value: tuple[str, int | str] | None) -> QuerySet:
        if not value:
            return queryset
        kind, wanted = value
        if kind == "pk":
            return queryset.filter(enterprise_id=wanted)
        # The complaints are already scoped: the name only narrows them (a trigram index on PostgreSQL).
        return queryset.filter(enterprise__in=Enterprise.objects.filter(name__icontains=wanted).values("pk"))


class ComplaintFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("搜索"))
    queue = filters.ChoiceFilter(choices=list(QUEUES.items()), method="by_queue", label=_("工作队列"))
    status = filters.MultipleChoiceFilter(choices=ComplaintStatus.choices, label=_("状态"))
    kind = filters.ChoiceFilter(choices=ComplaintKind.choices, label=_("诉求类型"))
    court = filters.ModelChoiceFilter(queryset=Organization.objects.none(), label=_("法院"))
    enterprise = EnterpriseLookupFilter(label=_("企业"))
    industry = filters.ChoiceFilter(field_name="enterprise__industry", choices=Industry.choices, label=_("行业"))
    size = filters.ChoiceFilter(field_name="enterprise__size", choices=EnterpriseSize.choices, label=_("企业规模"))
    submitted_from = filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte", label=_("提交日期自"))
    submitted_to = filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte", label=_("提交日期至"))
    overdue = filters.BooleanFilter(method="by_overdue", label=_("已逾期"))
    mechanism = filters.ModelChoiceFilter(queryset=Mechanism.objects.all(), label=_("机制"))
    open = filters.BooleanFilter(method="by_condition", label=_("未办结"))
    answered = filters.BooleanFilter(method="by_condition", label=_("已反馈"))
    reopened = filters.BooleanFilter(method="by_condition", label=_("重新办理过"))
    is_major = filters.BooleanFilter(label=_("重大事项"))
    under_supervision = filters.BooleanFilter(label=_("四类案件监管"))
    filed_online = filters.BooleanFilter(label=_("企业在线提交"))
    ordering = OrderingFilter(
        fields=(
            ("created_at", "created_at"),
            ("submitted_at", "submitted_at"),
            ("current_due", "due"),
            ("serial", "serial"),
            ("status", "status"),
        ),
        field_labels={
            "created_at": _("填报时间"),
            "submitted_at": _("提交时间"),
            "current_due": _("截止日"),
            "serial": _("编号"),
            "status": _("状态"),
        },
        label=_("排序"),
    )

    class Meta:
        model = Complaint
        fields: list[str] = []

    def __init__(
        self, data=None, *args, user=None, given_only: bool = False, calendar: WorkingCalendar | None = None, **kwargs
    ) -> None:
        if given_only and data is not None:
            # Only the filters the request names (the API renders no form): an absent filter
            # filters nothing, and building all of them cost more than the rest of a list request.
            self.base_filters = {
                name: f for name, f in type(self).base_filters.items() if any(k.startswith(name) for k in data)
            }
        super().__init__(data, *args, **kwargs)
        self.user = user if user is not None else getattr(self.request, "user", None)
        self.calendar = calendar
        if self.user is not None:
            from .selectors import enterprise_scope

            if "enterprise" in self.filters:
                self.filters["enterprise"].extra.update(
                    scope=enterprise_scope(self.user), lookup_url=reverse("cases:enterprise_lookup")
                )
            if "mechanism" in self.filters or "court" in self.filters:
                # The mechanism ids the scope already read (no second walk of the organization tree).
                mechanisms = Mechanism.objects.filter(pk__in=scoping.visible_mechanism_ids(self.user))
                if "mechanism" in self.filters:
                    self.filters["mechanism"].queryset = mechanisms.order_by("name")
                if "court" in self.filters:
                    self.filters["court"].queryset = scoping.handling_organizations(mechanisms)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self.user is None:
            return queryset.none() if value.strip() else queryset
        return complaint_search(queryset, self.user, value)

    def by_queue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queue_filter(queryset, value, self.user, self.calendar) if self.user is not None else queryset

    def by_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = overdue_q(deadlines.today())
        return queryset.filter(late) if value else queryset.exclude(late)

    def by_condition(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """The yes/no filters behind the dashboard's figures (open, answered, reopened)."""
        if value is None:
            return queryset
        condition = {
            "open": Q(status__in=[s for s in ComplaintStatus.values if s in OPEN_STATES and s != S.DRAFT]),
            "answered": Q(answered_at__isnull=False),
            "reopened": Q(reopen_count__gt=0),
        }[name]
        return queryset.filter(condition) if value else queryset.exclude(condition)


class EnterpriseFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("名称或信用代码"))
    size = filters.ChoiceFilter(choices=EnterpriseSize.choices, label=_("企业规模"))
    industry = filters.ChoiceFilter(choices=Industry.choices, label=_("行业"))

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value.upper()))
