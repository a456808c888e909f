"""The research programme's row on the meetings cadence page: topics agreed per year against the 1–2
expected. Registered with `meetings.cadence_rows` from ReportsConfig.ready()."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.models import Mechanism, User
from meetings.cadence_rows import CadenceRow

from . import selectors
from .research_choices import COUNTED_STATES, EXPECTED_MAX, EXPECTED_MIN

KEY = "research"


def agreed_counts(user: User, mechanism: Mechanism, years: Sequence[int]) -> dict[int, int]:
    """Topics agreed (or agreed and since finished) per year, of those the user sees (one query)."""
    counts = (
        selectors.research_scope(user)
        .filter(mechanism=mechanism, year__in=list(years), status__in=COUNTED_STATES)
        .order_by()
        .values("year")
        .annotate(n=Count("id"))
    )
    found = {year: 0 for year in years}
    found.update({row["year"]: row["n"] for row in counts})
    return found


def cadence_rows(user: User, mechanism: Mechanism, years: Sequence[int]) -> Mapping[int, CadenceRow]:
    counts = agreed_counts(user, mechanism, years)
    url = reverse("reports:research_list")
    return {
        year: CadenceRow(
            key=KEY,
            label=_("调研课题"),
            year=year,
            count=count,
            expected_min=EXPECTED_MIN,
            expected_max=EXPECTED_MAX,
            summary=_("已商定 %(n)s 个（每年应 %(a)s–%(b)s 个）") % {"n": count, "a": EXPECTED_MIN, "b": EXPECTED_MAX},
            url=f"{url}?year={year}",
            link_text=_("查看调研课题"),
            missing_label=_("尚未商定课题"),
        )
        for year, count in counts.items()
    }
