"""Page-number pagination for API lists of many rows: the total counted exactly up to a cap.

An exact COUNT(*) visits every row the user may see (80,000–100,000 complaints of a large
mechanism: as much time as the rest of the page). `CappedCountPagination` counts at most
`cap + 1` rows. Up to the cap the answer is the same as DRF's `PageNumberPagination`; above it
`count` is the cap and `count_capped` is true ("more than `count`"), `next` and `previous` still
lead through every page, and any page number is accepted until a page finds no rows (404, as a
page past the end always was). `?count=exact` (or `?page=last`) counts everything, as before.
The same cap as the HTML lists (`liaison.paging.COUNT_CAP`).
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from liaison.paging import COUNT_CAP, OpenEnded

EXACT = "exact"


def count_up_to(rows: Any, limit: int) -> int:
    """How many of `rows` there are, reading at most `limit` of them (`COUNT(*)` over a `LIMIT`).
    A list that is not a queryset counts itself up to the limit with `count_up_to(limit)`."""
    own = getattr(rows, "count_up_to", None)
    if own is not None:
        return own(limit)
    return rows.order_by()[:limit].count()


class CappedPaginator(OpenEnded, Paginator):
    """A Django paginator whose count stops at `cap` (None: exact, as Django's)."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int | None) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap
        self.count_is_exact = True

    @cached_property
    def count(self) -> int:
        if self.cap is None:
            return super().count
        counted = count_up_to(self.object_list, self.cap + 1)
        if counted <= self.cap:
            return counted
        self.count_is_exact = False
        return self.cap

    def past_end(self) -> Page:
        raise EmptyPage(self.error_messages["no_results"])  # 404, as a page past the end always was


class CappedCountPagination(PageNumberPagination):
    """`PageNumberPagination` whose `count` is exact up to `cap` rows, with `count_capped` above it
    (see the module). Same pages, links and query count as before; `?count=exact` for the total."""

    cap = COUNT_CAP
    count_query_param = "count"

    def _exact(self, request: Request) -> bool:
        asked = request.query_params.get(self.count_query_param)
        if asked in (None, ""):
            return False
        if asked != EXACT:
            raise ValidationError({self.count_query_param: [_("count 只能为 exact（精确总数）。")]})
        return True

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list | None:
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        page_number = request.query_params.get(self.page_query_param) or 1
        exact = self._exact(request) or page_number in self.last_page_strings
        paginator = CappedPaginator(queryset, page_size, cap=None if exact else self.cap)
        # A list may say how its count and page are read (`reading`: a search's planner settings).
        reading = getattr(queryset, "reading", None)
        with reading(capped=not exact) if reading is not None else nullcontext():
            if page_number in self.last_page_strings:
                page_number = paginator.num_pages
            try:
                self.page = paginator.page(page_number)
            except InvalidPage as exc:  # not a number, or past the end: DRF's answer
                raise NotFound(self.invalid_page_message.format(page_number=page_number, message=str(exc))) from exc
            rows = list(self.page)
        if self.template is not None and (self.page.has_next() or self.page.has_previous()):
            self.display_page_controls = True
        return rows

    def _paginator(self) -> CappedPaginator:
        assert self.page is not None
        paginator = self.page.paginator
        assert isinstance(paginator, CappedPaginator)
        return paginator

    def get_paginated_response(self, data: list) -> Response:
        paginator = self._paginator()
        return Response(
            {
                "count": paginator.count,
                "count_capped": not paginator.count_is_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_html_context(self) -> Any:
        if self._paginator().count_is_exact:
            return super().get_html_context()
        # Above the cap the browsable API links only to the previous and next pages.
        return {"previous_url": self.get_previous_link(), "next_url": self.get_next_link(), "page_links": []}

    def get_paginated_response_schema(self, schema: dict) -> dict:
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        properties["count"] = {
            "type": "integer",
            "example": 123,
            "description": f"筛选结果总数：不超过 {self.cap} 时为精确值；超过时为 {self.cap}，"
            "且 count_capped 为 true（精确总数请加 count=exact）",
        }
        response["properties"] = {
            "count": properties.pop("count"),
            "count_capped": {
                "type": "boolean",
                "example": False,
                "description": f"true：结果超过 {self.cap} 条，count 只是下限；next/previous 照常翻页",
            },
            **properties,
        }
        response["required"] = ["count", "count_capped", "results"]
        return response

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.count_query_param,
                "required": False,
                "in": "query",
                "description": f"exact：精确统计总数（默认超过 {self.cap} 条时只计到 {self.cap}，较快）",
                "schema": {"type": "string", "enum": [EXACT]},
            },
        ]
