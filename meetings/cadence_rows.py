"""Further rows of the cadence page, given by the apps above meetings.

A mechanism's cadence is more than its meetings: the research programme, for one, expects one or
two agreed topics a year. Meetings may not import those apps, so they register a provider here
from their AppConfig.ready():

    cadence_rows.register("research", provider)

A provider is called once per page with the reader, the mechanism (one the reader sees) and the
years shown, and answers a `CadenceRow` per year in one query, so the page's query count does not
depend on the rows. Rows are shown in the order the providers were registered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from liaison.models import Mechanism, User


class RowState(StrEnum):
    MISSING = "missing"  # fewer than expected
    MET = "met"  # within what is expected
    ABOVE = "above"  # more than expected


STATE_LABELS = {
    RowState.MISSING: _("未达到要求"),
    RowState.MET: _("符合要求"),
    RowState.ABOVE: _("多于计划"),
}
STATE_CSS = {RowState.MISSING: "warning", RowState.MET: "success", RowState.ABOVE: "info"}


@dataclass(frozen=True)
class CadenceRow:
    """What one provider counted for one mechanism and year, against what is expected."""

    key: str
    label: str
    year: int
    count: int
    expected_min: int
    expected_max: int
    summary: str
    url: str
    link_text: str
    # The words for too few, e.g. "尚未商定课题"; the generic ones otherwise.
    missing_label: str = ""

    @property
    def state(self) -> RowState:
        if self.count < self.expected_min:
            return RowState.MISSING
        return RowState.ABOVE if self.count > self.expected_max else RowState.MET

    @property
    def state_label(self) -> str:
        if self.state == RowState.MISSING and self.missing_label:
            return self.missing_label
        return str(STATE_LABELS[self.state])

    @property
    def css(self) -> str:
        return STATE_CSS[self.state]


Provider = Callable[[User, Mechanism, Sequence[int]], Mapping[int, CadenceRow]]

_providers: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    """Add a provider (a second registration under the same key replaces the first)."""
    _providers[key] = provider


def registered() -> list[str]:
    return list(_providers)


def rows(user: User, mechanism: Mechanism, years: Sequence[int]) -> dict[int, list[CadenceRow]]:
    """Each year's further rows, one call (one query) per provider."""
    found: dict[int, list[CadenceRow]] = {year: [] for year in years}
    for provider in _providers.values():
        answered = provider(user, mechanism, years)
        for year in years:
            row = answered.get(year)
            if row is not None:
                found[year].append(row)
    return found
