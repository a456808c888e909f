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


def query_without_page(request: HttpRequest) -> str:
    """The current query string without `page`, for pagination links and the export link."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
