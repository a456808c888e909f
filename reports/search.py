"""Shared reports on the search page (`liaison.search`), as the reader may read them."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.models import User
from liaison.search import Hit, Source, register_source

from .models import Report
from .selectors import report_visible


def _reports(user: User, term: str) -> QuerySet[Report]:
    return (
        report_visible(user)
        .filter(
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(body__icontains=term)
            | Q(case_numbers__icontains=term)
        )
        .select_related("author_organization")
        .order_by("-id")
    )


def register_sources() -> None:
    register_source(
        Source(
            key="reports",
            label=_("共享案例与报告"),
            search=_reports,
            hit=lambda r: Hit(
                r.title,
                reverse("reports:detail", args=[r.pk]),
                f"{r.author_organization.name} · {r.get_kind_display()}",
            ),
        )
    )
