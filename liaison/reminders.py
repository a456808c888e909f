"""The reminder engine: apps register rules for their kinds of deadline; one task sweeps them all.

For each rule the sweep runs a fixed number of set-based queries over the indexed deadline
table (due soon, due today, overdue) and inserts notifications whose unique dedup key makes a
second or concurrent sweep insert nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import DeadlineState, NotificationKind, Role
from .deadlines import today as local_today
from .models import Deadline, MechanismParty, RoleAssignment
from .notifications import Draft, create_notifications
from .workdays import WorkingCalendar


@dataclass(frozen=True)
class ReminderRule:
    """When to remind about one kind of deadline, and whom."""

    deadline_kind: str
    title: object  # a lazy translation, rendered when the reminder is written
    before_working_days: int = 2
    on_the_day: bool = True
    when_overdue: bool = True
    leaders_when_overdue: bool = True


_RULES: dict[str, ReminderRule] = {}


def register(rule: ReminderRule) -> ReminderRule:
    _RULES[rule.deadline_kind] = rule
    return rule


def registered_rules() -> list[ReminderRule]:
    return list(_RULES.values())


# Deadlines of a kind no app registered a rule for are still reminded, with the defaults.
DEFAULT_RULE = ReminderRule(deadline_kind="*", title=gettext_lazy("办理时限"))


def _deadlines(rule: ReminderRule):
    rows = Deadline.objects.filter(state=DeadlineState.RUNNING)
    if rule is DEFAULT_RULE:
        return rows.exclude(kind__in=list(_RULES))
    return rows.filter(kind=rule.deadline_kind)


FIELDS = ("id", "label", "url", "due_date", "owner_user_id", "owner_organization_id", "mechanism_id")


def _stages(rule: ReminderRule, on: dt.date, calendar: WorkingCalendar) -> list[tuple[str, str, dict]]:
    stages = []
    if rule.before_working_days:
        horizon = calendar.add_working_days(on, rule.before_working_days)
        stages.append((f"before{rule.before_working_days}", NotificationKind.DUE_SOON,
                       {"due_date__gt": on, "due_date__lte": horizon}))
    if rule.on_the_day:
        stages.append(("today", NotificationKind.DUE_TODAY, {"due_date": on}))
    if rule.when_overdue:
        stages.append(("overdue", NotificationKind.OVERDUE, {"due_date__lt": on}))
    return stages


def _title(rule: ReminderRule, kind: str, row: dict, on: dt.date, calendar: WorkingCalendar) -> str:
    if kind == NotificationKind.DUE_SOON:
        left = calendar.working_days_between(on, row["due_date"])
        return _("%(rule)s还剩 %(n)s 个工作日（%(due)s 到期）：%(label)s") % {
            "rule": rule.title, "n": left, "due": row["due_date"], "label": row["label"]}
    if kind == NotificationKind.DUE_TODAY:
        return _("%(rule)s今日到期：%(label)s") % {"rule": rule.title, "label": row["label"]}
    return _("%(rule)s已逾期（%(due)s 到期）：%(label)s") % {
        "rule": rule.title, "due": row["due_date"], "label": row["label"]}


def sweep(on: dt.date | None = None) -> int:
    """Create every reminder that is due and not yet created; returns how many were created."""
    on = on or local_today()
    calendar = WorkingCalendar()
    drafts: list[Draft] = []
    for rule in [*registered_rules(), DEFAULT_RULE]:
        for stage, kind, condition in _stages(rule, on, calendar):
            rows = list(_deadlines(rule).filter(**condition).values(*FIELDS))
            if not rows:
                continue
            officers = _liaison_officers(rows)
            leaders = _leaders(rows) if stage == "overdue" and rule.leaders_when_overdue else {}
            for row in rows:
                recipients = set()
                owner = row["owner_user_id"] or officers.get((row["mechanism_id"], row["owner_organization_id"]))
                if owner:
                    recipients.add(owner)
                recipients.update(leaders.get(row["owner_organization_id"], ()))
                title = _title(rule, kind, row, on, calendar)
                for user_id in recipients:
                    key = f"{rule.deadline_kind}:{row['id']}:{row['due_date']}:{stage}:{user_id}"
                    drafts.append(Draft(user_id, kind, title, title, row["url"], key[:200]))
    with transaction.atomic():
        return create_notifications(drafts)


def _liaison_officers(rows: list[dict]) -> dict[tuple[int, int], int]:
    """Who answers for a deadline without a named owner: the organization's liaison officer."""
    wanted = {(row["mechanism_id"], row["owner_organization_id"]) for row in rows if not row["owner_user_id"]}
    if not wanted:
        return {}
    parties = MechanismParty.objects.filter(
        mechanism_id__in={m for m, _ in wanted}, organization_id__in={o for _, o in wanted},
        liaison_officer__isnull=False,
    ).values_list("mechanism_id", "organization_id", "liaison_officer_id")
    return {(m, o): officer for m, o, officer in parties}


def _leaders(rows: list[dict]) -> dict[int, set[int]]:
    organizations = {row["owner_organization_id"] for row in rows}
    leaders: dict[int, set[int]] = {}
    for user_id, organization_id in RoleAssignment.objects.filter(
        role=Role.LEADER, user__organization_id__in=organizations, user__is_active=True
    ).values_list("user_id", "user__organization_id"):
        leaders.setdefault(organization_id, set()).add(user_id)
    return leaders
