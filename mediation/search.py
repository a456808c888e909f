"""Mediation cases on the search page (`liaison.search`), through the mediation scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.models import User
from liaison.search import Hit, Source, register_source

from .models import MediationCase
from .selectors import case_scope


def _cases(user: User, term: str) -> QuerySet[MediationCase]:
    return (
        case_scope(user)
        .filter(
            Q(serial__icontains=term)
            | Q(case_number__icontains=term)
            | Q(title__icontains=term)
            | Q(description__icontains=term)
        )
        .order_by("-id")
    )


def register_sources() -> None:
    register_source(
        Source(
            key="mediation_cases",
            label=_("诉调对接案件"),
            search=_cases,
            hit=lambda c: Hit(
                f"{c.serial} {c.title}", reverse("mediation:case_detail", args=[c.pk]), str(c.get_status_display())
            ),
        )
    )
