"""The cadence page: per mechanism, each quarter and year held, scheduled or missing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from liaison import scoping
from liaison import selectors as core_selectors
from liaison.deadlines import today

from .. import cadence as cadence_rules
from .. import cadence_rows


@login_required
@require_GET
def cadence_index(request: HttpRequest) -> HttpResponse:
    """The user's first mechanism (the page has a switch between them)."""
    mechanism = core_selectors.mechanism_list(user=request.user).first()
    if mechanism is None:
        return render(request, "meetings/cadence.html", {"mechanism": None, "mechanisms": []})
    return redirect("meetings:cadence", pk=mechanism.pk)


@login_required
@require_GET
def cadence(request: HttpRequest, pk: int) -> HttpResponse:
    mechanism = core_selectors.mechanism_get(user=request.user, pk=pk)
    on = today()
    try:
        year = int(request.GET.get("year", on.year))
    except ValueError:
        year = on.year
    year = min(max(year, 2000), on.year + 1)
    shown = (year - 1, year)
    years = [cadence_rules.cadence_year(mechanism, y, on) for y in shown]
    # Rows of the apps above meetings (the research programme's agreed topics), one query each.
    further = cadence_rows.rows(request.user, mechanism, shown)
    for cadence_year in years:
        cadence_year.rows = further[cadence_year.year]
    return render(
        request,
        "meetings/cadence.html",
        {
            "mechanism": mechanism,
            "years": years,
            "year": year,
            "on": on,
            "mechanisms": core_selectors.mechanism_list(user=request.user),
            "may_plan": scoping.can_act(request.user, mechanism),
        },
    )
