"""The figures: per mediator, per organisation, and per court by month, as database aggregates.

- cases: every case given to the mediator (for an organisation: to its mediators; for a court's month:
  referred in the month);
- success rate: agreements among the finished cases (agreement or failure; withdrawals do not count);
- average duration: calendar days from referral to the end, over the finished cases;
- in time: the share of finished cases that ended on or before their (possibly extended) limit.
Each table is one query (per court by month: two, referred and finished grouped by month).
`mediation_figures` gives the same figures for a date range (dashboards and the API), in one query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from liaison.models import Mechanism, User

from . import selectors
from .choices import FINISHED_STATES, WORKLOAD_STATES, CaseStatus
from .models import MediationCase

S = CaseStatus
FINISHED = Q(status__in=FINISHED_STATES)


@dataclass
class Row:
    """One line of figures, for a mediator, an organisation or a court's month."""

    label: str
    group: str
    cases: int
    open_cases: int
    finished: int
    successes: int
    in_time: int
    average_days: float | None
    pk: int | None = None

    @property
    def success_rate(self) -> float | None:
        return self.successes / self.finished if self.finished else None

    @property
    def in_time_rate(self) -> float | None:
        return self.in_time / self.finished if self.finished else None


def _aggregates(prefix: str = "") -> dict:
    p = prefix
    return {
        "n_cases": Count(f"{p}pk", distinct=True),
        "n_open": Count(f"{p}pk", filter=Q(**{f"{p}status__in": WORKLOAD_STATES}), distinct=True),
        "n_finished": Count(f"{p}pk", filter=Q(**{f"{p}status__in": FINISHED_STATES}), distinct=True),
        "n_successes": Count(f"{p}pk", filter=Q(**{f"{p}status": S.AGREEMENT}), distinct=True),
        "n_in_time": Count(
            f"{p}pk", filter=Q(**{f"{p}status__in": FINISHED_STATES, f"{p}in_time": True}), distinct=True
        ),
        "avg_days": Avg(f"{p}duration_days", filter=Q(**{f"{p}status__in": FINISHED_STATES})),
    }


def _row(label: str, group: str, values: dict, pk: int | None = None) -> Row:
    average = values["avg_days"]
    return Row(
        label,
        group,
        values["n_cases"],
        values["n_open"],
        values["n_finished"],
        values["n_successes"],
        values["n_in_time"],
        float(average) if average is not None else None,
        pk,
    )


def by_mediator(cases: QuerySet[MediationCase]) -> list[Row]:
    rows = (
        cases.filter(mediator__isnull=False)
        .order_by()
        .values("mediator_id", "mediator__name", "mediator__organisation__organization__name", "court__name")
        .annotate(**_aggregates())
        .order_by("court__name", "mediator__name", "mediator_id")
    )
    return [
        _row(
            r["mediator__name"],
            f"{r['court__name']} · {r['mediator__organisation__organization__name']}",
            r,
            r["mediator_id"],
        )
        for r in rows
    ]


def by_organisation(cases: QuerySet[MediationCase]) -> list[Row]:
    """Per mediation organisation: the cases its mediators took (the sum of its mediators' rows)."""
    rows = (
        cases.filter(mediator__isnull=False)
        .order_by()
        .values("mediator__organisation_id", "mediator__organisation__organization__name")
        .annotate(**_aggregates())
        .order_by("mediator__organisation__organization__name")
    )
    return [_row(r["mediator__organisation__organization__name"], "", r, r["mediator__organisation_id"]) for r in rows]


def by_court_month(cases: QuerySet[MediationCase]) -> list[Row]:
    """Per court and month: cases referred in the month, and the outcomes of those finished in it."""
    referred = {
        (r["court_id"], r["month"]): r
        for r in cases.order_by()
        .annotate(month=TruncMonth("referred_at"))
        .values("court_id", "court__name", "month")
        .annotate(n=Count("pk", distinct=True), n_open=Count("pk", filter=Q(status__in=WORKLOAD_STATES), distinct=True))
    }
    finished = {
        (r["court_id"], r["month"]): r
        for r in cases.filter(FINISHED)
        .order_by()
        .annotate(month=TruncMonth("closed_at"))
        .values("court_id", "court__name", "month")
        .annotate(**_aggregates())
    }
    result = []
    for key in sorted(set(referred) | set(finished), key=lambda k: (_month(k[1]), k[0]), reverse=True):
        got, done = referred.get(key), finished.get(key)
        name = (got or done)["court__name"]
        values = {
            "n_cases": got["n"] if got else 0,
            "n_open": got["n_open"] if got else 0,
            "n_finished": done["n_finished"] if done else 0,
            "n_successes": done["n_successes"] if done else 0,
            "n_in_time": done["n_in_time"] if done else 0,
            "avg_days": done["avg_days"] if done else None,
        }
        result.append(_row(_month(key[1]).strftime("%Y-%m"), name, values, key[0]))
    return result


def _month(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def totals(cases: QuerySet[MediationCase]) -> Row:
    return _row("", "", cases.order_by().aggregate(**_aggregates()))


@dataclass
class Figures:
    total: Row
    mediators: list[Row]
    organisations: list[Row]
    months: list[Row]


def figures_for(*, user: User, cases: QuerySet[MediationCase] | None = None) -> Figures:
    """Every table of the figures page, over the cases the user may see (filtered by the caller)."""
    cases = selectors.case_scope(user) if cases is None else cases
    return Figures(totals(cases), by_mediator(cases), by_organisation(cases), by_court_month(cases))


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def mediation_figures(*, user: User | None, mechanism: Mechanism | None = None, start: dt.date, end: dt.date) -> dict:
    """The mediation figures from `start` to `end` (local dates, inclusive), over the cases the user sees.

    As in `by_court_month`: cases referred in the range, and the outcomes of the cases finished (closed
    on a date) in the range; success rate, average duration and the share in time are over the
    finished cases (agreement or failure; withdrawals do not count). One query. The caller has
    checked that the user sees `mechanism`; `user=None` (the monthly report) counts every case of
    `mechanism`.
    """
    if user is None and mechanism is None:
        raise ValueError("figures without a user are those of one mechanism")
    local = ZoneInfo(settings.TIME_ZONE)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=local)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=local)
    referred = Q(referred_at__gte=since, referred_at__lt=until)
    closed = Q(closed_on__gte=start, closed_on__lte=end)
    cases = MediationCase.objects.all() if user is None else selectors.case_scope(user)
    if mechanism is not None:
        cases = cases.filter(mechanism=mechanism)
    done = closed & FINISHED
    values = (
        cases.filter(referred | closed)
        .order_by()
        .aggregate(
            referred=Count("pk", filter=referred),
            finished=Count("pk", filter=done),
            agreements=Count("pk", filter=done & Q(status=S.AGREEMENT)),
            failures=Count("pk", filter=done & Q(status=S.FAILED)),
            withdrawn=Count("pk", filter=closed & Q(status=S.WITHDRAWN)),
            in_time=Count("pk", filter=done & Q(in_time=True)),
            avg_days=Avg("duration_days", filter=done),
        )
    )
    average = values["avg_days"]
    return {
        "mechanism": mechanism.pk if mechanism else None,
        "start": start,
        "end": end,
        "referred": values["referred"],
        "finished": values["finished"],
        "agreements": values["agreements"],
        "failures": values["failures"],
        "withdrawn": values["withdrawn"],
        "success_rate": _share(values["agreements"], values["finished"]),
        "average_days": None if average is None else round(float(average), 2),
        "in_time": values["in_time"],
        "in_time_share": _share(values["in_time"], values["finished"]),
    }


def mediation_figures_by_mechanism(*, user: User, start: dt.date, end: dt.date) -> dict[int, dict]:
    """Per mechanism: cases referred and finished in the range, success rate (one query)."""
    local = ZoneInfo(settings.TIME_ZONE)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=local)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=local)
    referred = Q(referred_at__gte=since, referred_at__lt=until)
    done = Q(closed_on__gte=start, closed_on__lte=end) & FINISHED
    rows = (
        selectors.case_scope(user)
        .filter(referred | done)
        .order_by()
        .values("mechanism_id")
        .annotate(
            referred=Count("pk", filter=referred),
            finished=Count("pk", filter=done),
            agreements=Count("pk", filter=done & Q(status=S.AGREEMENT)),
        )
    )
    return {
        row["mechanism_id"]: {
            "referred": row["referred"],
            "finished": row["finished"],
            "success_rate": _share(row["agreements"], row["finished"]),
        }
        for row in rows
    }


# --- legal check-ups per pairing and per firm --------------------------------------------------------


def _checkup_counts(checkups: QuerySet, by: tuple[str, ...]) -> list[dict]:
    """Requests assigned to a pairing, reports delivered, delivered on time, and enterprises served
    (distinct names of those reported on), grouped by `by`: one query."""
    done = Q(status__in=["reported", "confirmed"])
    return list(
        checkups.exclude(pairing__isnull=True)
        .order_by()
        .values(*by)
        .annotate(
            requests=Count("pk"),
            reported=Count("pk", filter=done),
            on_time=Count("pk", filter=done & Q(in_time=True)),
            enterprises=Count("enterprise_name", filter=done, distinct=True),
        )
        .order_by(*by)
    )


def checkup_figures(*, user: User) -> dict[str, list[dict]]:
    """The check-ups the user may see, per pairing and per firm (two queries)."""
    checkups = selectors.checkup_scope(user)
    per_pairing = _checkup_counts(checkups, ("pairing", "pairing__firm__name", "pairing__chamber__name"))
    per_firm = _checkup_counts(checkups, ("pairing__firm", "pairing__firm__name"))
    return {
        "pairings": [
            {
                "pairing": row["pairing"],
                "firm": row["pairing__firm__name"],
                "chamber": row["pairing__chamber__name"],
                **{k: row[k] for k in ("requests", "reported", "on_time", "enterprises")},
            }
            for row in per_pairing
        ],
        "firms": [
            {
                "firm": row["pairing__firm"],
                "name": row["pairing__firm__name"],
                **{k: row[k] for k in ("requests", "reported", "on_time", "enterprises")},
            }
            for row in per_firm
        ],
    }
