"""Paging of the HTML lists, the same in every app: 25 rows a page, `?page=` in the query string."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

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
        if not self._by_ids(rows):
            return super().page(number)  # ordered by something the ids alone do not carry
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)  # type: ignore[attr-defined]

    @staticmethod
    def _by_ids(rows: QuerySet[Any]) -> bool:
        query = rows.query
        return not (query.annotations or query.extra or query.distinct or query.combinator)

    def _rows(self, bottom: int, top: int) -> QuerySet[Any]:
        """The rows `bottom` to `top` (in the list's order), read by id: one query, the ids a subquery."""
        rows: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        query = rows.query
        ids = rows.select_related(None).prefetch_related(None).values("pk")[bottom:top]
        page_rows = rows.model._default_manager.filter(pk__in=ids).order_by(
            *(query.order_by or rows.model._meta.ordering)
        )
        # The rows' joins, columns and prefetches, as the list asked for them.
        page_rows.query.select_related = query.select_related
        page_rows.query.deferred_loading = query.deferred_loading
        page_rows._prefetch_related_lookups = rows._prefetch_related_lookups  # type: ignore[attr-defined]
        return page_rows


COUNT_CAP = 2000


class OpenPage(Page):
    """A page of a list counted only up to its cap: whether another page follows is known from the
    rows read (one more than the page holds), not from the total."""

    def __init__(self, object_list: Any, number: int, paginator: Paginator, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1


class OpenEnded:
    """What a paginator whose count may stop at a cap shares (mixed in before a `Paginator`): while
    `count_is_exact` is False any page number from 1 on is accepted, and a page reads one row more
    than it holds to know whether another follows; a page past the last row answers `past_end`."""

    count_is_exact = True
    per_page: int

    def validate_number(self, number: Any) -> int:
        try:
            return super().validate_number(number)  # type: ignore[misc]
        except EmptyPage:
            if self.count_is_exact or int(number) < 1:
                raise
            return int(number)  # beyond the counted rows: the page itself tells

    def _slice(self, bottom: int, top: int) -> Any:
        return self.object_list[bottom:top]  # type: ignore[attr-defined]

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if self.count_is_exact:
            return super().page(number)  # type: ignore[misc]
        bottom = (number - 1) * self.per_page
        rows = list(self._slice(bottom, bottom + self.per_page + 1))
        if not rows and number > 1:
            return self.past_end()
        return OpenPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)  # type: ignore[arg-type]

    def past_end(self) -> Page:
        """What a page number past the last row of a list above its cap answers."""
        raise NotImplementedError


class CappedCountPaginator(OpenEnded, IdsFirstPaginator):
    """`IdsFirstPaginator` whose COUNT(*) stops at `cap` rows.

    Up to the cap the count is exact and the pages are numbered "n of N", as everywhere. Above it
    (`count_is_exact` is False) the count reads `cap + 1` rows of the index, not the whole scope, and
    the pages run on while there are rows: "page n", next and previous, any page number the query
    string asks for. Only a page past the end counts exactly (to show the last page instead). The
    exact total of a large list is the page's to ask for separately (`complaint_count`).
    """

    def __init__(self, *args: Any, cap: int = COUNT_CAP, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.count_is_exact = True

    @cached_property
    def count(self) -> int:
        rows: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        if not self._by_ids(rows):
            return rows.count()
        counted = rows.order_by()[: self.cap + 1].count()
        self.count_is_exact = counted <= self.cap
        return counted

    def _slice(self, bottom: int, top: int) -> Any:
        return self._rows(bottom, top)

    def past_end(self) -> Page:
        # Past the end of a large list: count it all once, and show its last page.
        self.__dict__["count"] = self.object_list.count()  # type: ignore[attr-defined]
        self.__dict__.pop("num_pages", None)
        self.count_is_exact = True
        return self.page(self.num_pages)


def ids_first_page_of(request: HttpRequest, rows: QuerySet[Any], per_page: int = PER_PAGE) -> Page:
    """`page_of` for a list of many rows: the same page, read ids first (`IdsFirstPaginator`)."""
    return IdsFirstPaginator(rows, per_page).get_page(request.GET.get("page"))


def capped_page_of(request: HttpRequest, rows: QuerySet[Any], per_page: int = PER_PAGE) -> Page:
    """`ids_first_page_of` counting at most `COUNT_CAP` rows (`CappedCountPaginator`)."""
    return CappedCountPaginator(rows, per_page, cap=COUNT_CAP).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current query string without `page`, for pagination links and the export link."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
