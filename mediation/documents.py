"""Printed documents of the mediation app: the court's roster of invited mediators (特邀调解员名册), the register
of recommendations and a delivered legal check-up report (法治体检报告)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from liaison import deadlines
from liaison.models import Organization
from liaison.pdf import render_pdf

from .models import Checkup, Mediator, Recommendation


@dataclass
class CourtRoster:
    court: Organization
    mediators: list[Mediator]


def roster_pdf(mediators: Iterable[Mediator]) -> bytes:
    """One section per court, mediators by organisation and name (as selectors.mediator_list orders them).

    Phone numbers are left out of the printed roster: it is handed around.
    """
    sections = [CourtRoster(court, list(rows)) for court, rows in groupby(mediators, key=lambda m: m.court)]
    return render_pdf("mediation/print/roster.html", {"sections": sections, "printed_on": deadlines.today()})


@dataclass
class KindRegister:
    kind: str
    rows: list[Recommendation]


def recommendations_pdf(recommendations: Iterable[Recommendation]) -> bytes:
    """The register printed, one section per kind; phones are left out (it is handed around)."""
    rows = sorted(recommendations, key=lambda r: (r.kind, r.receiver.name, r.name, r.pk))
    sections = [
        KindRegister(str(group[0].get_kind_display()), group)
        for _k, g in groupby(rows, key=lambda r: r.kind)
        if (group := list(g))
    ]
    return render_pdf("mediation/print/recommendations.html", {"sections": sections, "printed_on": deadlines.today()})


def checkup_report_pdf(checkup: Checkup) -> bytes:
    """The delivered check-up report: the request, the firm and lawyer, the visits, findings and advice."""
    return render_pdf(
        "mediation/print/checkup_report.html",
        {
            "checkup": checkup,
            "visits": list(checkup.visits.order_by("visited_on", "pk")),
            "printed_on": deadlines.today(),
        },
    )
