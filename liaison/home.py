"""Home-page work queues: each app registers the panels a role sees on its home page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value

from .models import User


@dataclass(frozen=True)
class Panel:
    title: str
    rows: list
    url: str = ""
    empty_text: str = ""


PanelFactory = Callable[[User], Panel]
_PANELS: list[tuple[frozenset[str], PanelFactory]] = []


def register_panel(roles: set[str], factory: PanelFactory) -> None:
    _PANELS.append((frozenset(roles), factory))


def panels_for(user: User) -> list[Panel]:
    roles = user.role_codes
    return [factory(user) for allowed, factory in _PANELS if allowed & roles]


def with_queue_total(rows: QuerySet) -> QuerySet:
    """The rows, each carrying the count of the whole queue, so one query fills a panel."""
    total = rows.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk", distinct=True)).values("n")
    return rows.prefetch_related(None).annotate(queue_total=Subquery(total, output_field=IntegerField()))
