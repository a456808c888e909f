"""Meetings and minutes on the search page (`liaison.search`), through the meetings' own scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.models import User
from liaison.search import Hit, Source, register_source

from .models import Meeting, Minutes
from .selectors import meeting_scope, minutes_scope


def _meetings(user: User, term: str) -> QuerySet[Meeting]:
    return (
        meeting_scope(user)
        .filter(
            Q(title__icontains=term)
            | Q(notes__icontains=term)
            | Q(place__icontains=term)
            | Q(agenda_items__title__icontains=term)
        )
        .distinct()
        .order_by("-starts_at", "-id")
    )


def _minutes(user: User, term: str) -> QuerySet[Minutes]:
    return (
        minutes_scope(user)
        .filter(Q(title__icontains=term) | Q(summary__icontains=term) | Q(number__icontains=term))
        .order_by("-created_at", "-id")
    )


def register_sources() -> None:
    register_source(
        Source(
            key="meetings",
            label=_("会议"),
            search=_meetings,
            hit=lambda m: Hit(
                m.title,
                reverse("meetings:meeting_detail", args=[m.pk]),
                f"{m.starts_at:%Y-%m-%d} · {m.get_status_display()}",
            ),
        )
    )
    register_source(
        Source(
            key="minutes",
            label=_("会议纪要"),
            search=_minutes,
            hit=lambda m: Hit(
                m.title,
                reverse("meetings:minutes_detail", args=[m.pk]),
                " · ".join(part for part in (m.number, str(m.get_status_display())) if part),
            ),
        )
    )
