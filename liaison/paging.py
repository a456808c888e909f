"""Paging of the HTML lists, the same in every app: 25 rows a page, `?page=` in the query string."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 25


def page_of(request: HttpRequest, rows: QuerySet[Any] | Sequence[Any], per_page: int = PER_PAGE) -> Page:
    """The page `?page=` asks for (the last one when it is past the end, the first when it is not a number)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


class IdsFirstPaginator(Paginator):
    """Pages of a large table: the page's ids first, then its rows by id (a "deferred join").

    The ids are read in the list's order from `rows` without its joins and selected columns, so
    the database can walk an index (an index-only scan when the index covers the filter's columns)
    and skip the rows before the page without fetching and joining them; the page's 25 rows are
    then read by id with their joins. Same number of queries as a plain page (the ids are a
    subquery of the rows' query), the same rows, the exact count.
    """

    def page(self, number: Any) -> Page:
        rows: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        query = rows.query
        if query.annotations or query.extra or query.distinct or query.combinator:
            return super().page(number)  # ordered by something the ids alone do not carry
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = rows.select_related(None).prefetch_related(None).values("pk")[bottom:top]
        page_rows = rows.model._default_manager.filter(pk__in=ids).order_by(
            *(query.order_by or rows.model._meta.ordering)
        )
        # The rows' joins, columns and prefetches, as the list asked for them.
        page_rows.query.select_related = query.select_related
        page_rows.query.deferred_loading = query.deferred_loading
        page_rows._prefetch_related_lookups = rows._prefetch_related_lookups  # type: ignore[attr-defined]
        return self._get_page(page_rows, number, self)  # type: ignore[attr-defined]


def ids_first_page_of(request: HttpRequest, rows: QuerySet[Any], per_page: int = PER_PAGE) -> Page:
    """`page_of` for a list of many rows: the same page, read ids first (`IdsFirstPaginator`)."""
    return IdsFirstPaginator(rows, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current query string without `page`, for pagination links and the export link."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
