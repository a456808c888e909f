"""The figures page: per mediator, per organisation and per court by month, and its Excel workbook.

The figures are over the cases the user may see, narrowed by the case list's filters.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from liaison import deadlines
from liaison.downloads import download
from liaison.replica import use_replica

from .. import exports, figures, selectors
from ._common import query_without_page
from .cases import filtered_cases


@login_required
@require_GET
@use_replica()
def figures_page(request: HttpRequest) -> HttpResponse:
    filterset = filtered_cases(request)
    for name in ("queue", "status", "ordering", "q", "mediator"):
        filterset.form.fields.pop(name, None)
    result = figures.figures_for(user=request.user, cases=filterset.qs)
    return render(
        request,
        "mediation/figures.html",
        {
            "filter": filterset,
            "figures": result,
            "query": query_without_page(request),
            "recommendations": recommendation_figures(request.user),
            "checkups": figures.checkup_figures(user=request.user),
        },
    )


def recommendation_figures(user: object) -> list[dict]:
    """Recommended people per kind in the user's scope (one query)."""
    from ..choices import RecommendationKind

    counts = selectors.recommendation_counts(user)  # type: ignore[arg-type]
    empty = {"total": 0, "appointed": 0, "serving": 0, "pending": 0, "declined": 0}
    return [{"label": label, **counts.get(code, empty)} for code, label in RecommendationKind.choices]


@login_required
@require_GET
@use_replica()
def figures_export(request: HttpRequest) -> HttpResponse:
    result = figures.figures_for(user=request.user, cases=filtered_cases(request).qs)
    day = deadlines.today().strftime("%Y%m%d")
    return download(exports.figures_workbook(result), _("调解工作统计-%(date)s.xlsx") % {"date": day})
