"""Figures of activities for a period: held activities per mechanism and kind, participants (signed
in), registrations, enterprises reached. Computed in the database, a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, Sum

from liaison.models import Mechanism, User

from .activity_choices import ActivityKind, ActivityStatus
from .models import Activity, Registration
from .selectors import activity_scope


def activity_figures(*, user: User | None, mechanism: Mechanism | None = None, start: dt.date, end: dt.date) -> dict:
    """Activities held from `start` to `end` (their local start date, inclusive), over what the user sees.

    `user=None` (the monthly report) counts everything of `mechanism`. Three queries.

    Enterprises reached: those the reports record as reached offline, plus the distinct enterprises
    that held a place (registered, signed in or not) through the enterprise portal.
    """
    if user is None and mechanism is None:
        raise ValueError("figures without a user are those of one mechanism")
    local = ZoneInfo(settings.TIME_ZONE)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=local)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=local)
    held = (Activity.objects.all() if user is None else activity_scope(user)).filter(
        starts_at__gte=since, starts_at__lt=until, status=ActivityStatus.HELD
    )
    if mechanism is not None:
        held = held.filter(mechanism=mechanism)
    groups = list(
        held.order_by()
        .values("mechanism", "mechanism__name", "kind")
        .annotate(n=Count("pk"), enterprises=Sum("enterprises_reached"))
        .order_by("mechanism__name", "mechanism", "kind")
    )
    by_kind: dict[str, int] = {}
    by_mechanism: dict[int, dict] = {}
    for row in groups:
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]
        entry = by_mechanism.setdefault(
            row["mechanism"],
            {
                "mechanism": row["mechanism"],
                "mechanism_name": row["mechanism__name"],
                "held": 0,
                "enterprises_reached": 0,
            },
        )
        entry["held"] += row["n"]
        entry["enterprises_reached"] += row["enterprises"] or 0
    # Enterprises that took a place through the portal: distinct per mechanism (an enterprise belongs to one).
    portal = Registration.objects.filter(
        activity__in=held.values("pk"), status="confirmed", user__enterprise_membership__isnull=False
    )
    for row in (
        portal.order_by()
        .values("activity__mechanism")
        .annotate(n=Count("user__enterprise_membership__enterprise", distinct=True))
    ):
        if row["activity__mechanism"] in by_mechanism:
            by_mechanism[row["activity__mechanism"]]["enterprises_reached"] += row["n"]
    people = Registration.objects.filter(activity__in=held.values("pk")).aggregate(
        participants=Count("pk", filter=Q(signed_in_at__isnull=False)),
        registered=Count("pk", filter=Q(status="confirmed")),
    )
    return {
        "mechanism": mechanism.pk if mechanism else None,
        "start": start,
        "end": end,
        "held": sum(by_kind.values()),
        "participants": people["participants"],
        "registered": people["registered"],
        "enterprises_reached": sum(entry["enterprises_reached"] for entry in by_mechanism.values()),
        "by_kind": [
            {"key": key, "label": str(label), "count": by_kind.get(key, 0)} for key, label in ActivityKind.choices
        ],
        "by_mechanism": list(by_mechanism.values()),
    }
