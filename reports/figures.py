"""Figures that combine the apps: the comparison of mechanisms for higher-level units.

Each app computes its own figures (`cases.figures`, `meetings.figures`, `mediation.figures`) over
its own data; this module puts them side by side.
"""

from __future__ import annotations

import datetime as dt

from cases.figures import COUNTS, complaint_figures_by_mechanism, headline
from liaison import scoping
from liaison.models import User
from mediation.figures import mediation_figures_by_mechanism
from meetings.figures import meeting_figures_by_mechanism


def mechanism_comparison(*, user: User, start: dt.date, end: dt.date) -> list[dict]:
    """One row per mechanism the user sees (for higher-level units): complaint, meeting and mediation
    headline figures side by side. A fixed number of queries (mechanisms 1, complaints 2,
    meetings 3, mediation 1) whatever the number of mechanisms or rows."""
    mechanisms = list(scoping.visible_mechanisms(user).order_by("name"))
    complaints = complaint_figures_by_mechanism(user=user, start=start, end=end)
    meetings = meeting_figures_by_mechanism(user=user, start=start, end=end)
    mediation = mediation_figures_by_mechanism(user=user, start=start, end=end)
    no_complaints = headline(dict.fromkeys([*COUNTS, "due_soon", "overdue"], 0))
    no_mediation = {"referred": 0, "finished": 0, "success_rate": None}
    return [
        {
            "mechanism": mechanism,
            "complaints": complaints.get(mechanism.pk, no_complaints),
            "meetings": meetings[mechanism.pk],
            "mediation": mediation.get(mechanism.pk, no_mediation),
        }
        for mechanism in mechanisms
    ]
