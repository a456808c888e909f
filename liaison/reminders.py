"""The reminder engine: apps register rules for their kinds of deadline; one task sweeps them all.

The sweep is set-based and incremental. For each rule and stage (due soon, due today, overdue)
one `INSERT … SELECT` in the database writes the reminders of the deadlines that crossed that
threshold since the last sweep, or were edited since then, to their owners (and the leaders
when overdue). The notification's unique dedup key makes a second or concurrent sweep insert
nothing; nothing is counted and no row is built in Python.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .channels import events
from .choices import DeadlineState, EmailState, NotificationKind, Role
from .deadlines import today as local_today
from .models import (
    Deadline,
    MechanismParty,
    Notification,
    NotificationPreference,
    ReminderSweep,
    RoleAssignment,
    User,
)
from .notifications import EMAIL_BY_DEFAULT, queue_email_delivery, queue_sms
from .workdays import WorkingCalendar

# A deadline saved in a transaction that commits after a sweep has started is missed by that
# sweep although its edit time is earlier: the next sweep looks back this much further.
CHANGE_MARGIN = dt.timedelta(minutes=15)


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


@dataclass(frozen=True)
class _Stage:
    name: str  # in the dedup key
    kind: str  # the notification kind
    condition: str  # SQL over the deadline `d`, with its params
    params: list
    window: str  # the part of the condition crossed since the last sweep
    window_params: list
    leaders: bool


def _stages(rule: ReminderRule, on: dt.date, last: dt.date | None, calendar: WorkingCalendar) -> list[_Stage]:
    """The stages of a rule on `on`, each with the window of dates that entered it since `last`
    (None: the first sweep, every date)."""
    date = connection.ops.adapt_datefield_value
    stages = []
    if rule.before_working_days:
        horizon = calendar.add_working_days(on, rule.before_working_days)
        window, window_params = "1 = 1", []
        if last is not None:
            window, window_params = "d.due_date > %s", [date(calendar.add_working_days(last, rule.before_working_days))]
        stages.append(
            _Stage(
                f"before{rule.before_working_days}",
                NotificationKind.DUE_SOON,
                "d.due_date > %s AND d.due_date <= %s",
                [date(on), date(horizon)],
                window,
                window_params,
                False,
            )
        )
    if rule.on_the_day:
        stages.append(
            _Stage(
                "today",
                NotificationKind.DUE_TODAY,
                "d.due_date = %s",
                [date(on)],
                "1 = 1" if last is None or last < on else "1 = 0",
                [],
                False,
            )
        )
    if rule.when_overdue:
        window, window_params = ("1 = 1", []) if last is None else ("d.due_date >= %s", [date(last)])
        stages.append(
            _Stage(
                "overdue",
                NotificationKind.OVERDUE,
                "d.due_date < %s",
                [date(on)],
                window,
                window_params,
                rule.leaders_when_overdue,
            )
        )
    return stages


def _due_text() -> str:
    return "to_char(d.due_date, 'YYYY-MM-DD')" if connection.vendor == "postgresql" else "d.due_date"


def _title_sql(rule: ReminderRule, stage: _Stage, on: dt.date, calendar: WorkingCalendar) -> tuple[str, list]:
    """The reminder's title as an SQL expression: the translated sentence with the deadline's
    columns in place of its placeholders."""
    if stage.kind == NotificationKind.DUE_SOON:
        template = _("%(rule)s还剩 %(n)s 个工作日（%(due)s 到期）：%(label)s")
    elif stage.kind == NotificationKind.DUE_TODAY:
        template = _("%(rule)s今日到期：%(label)s")
    else:
        template = _("%(rule)s已逾期（%(due)s 到期）：%(label)s")
    left_sql = "''"
    left_params: list[Any] = []
    if stage.kind == NotificationKind.DUE_SOON:
        horizon = calendar.add_working_days(on, rule.before_working_days)
        days = [on + dt.timedelta(days=n) for n in range(1, (horizon - on).days + 1)]
        left_sql = "CAST(CASE d.due_date " + " ".join(["WHEN %s THEN %s"] * len(days)) + " END AS TEXT)"
        for day in days:
            left_params += [connection.ops.adapt_datefield_value(day), calendar.working_days_between(on, day)]
    fields = {
        "rule": ("%s", [str(rule.title)]),
        "n": (left_sql, left_params),
        "due": (_due_text(), []),
        "label": ("d.label", []),
    }
    sql: list[str] = []
    params: list[Any] = []
    for index, part in enumerate(re.split(r"%\((\w+)\)s", template)):
        if index % 2:
            sql.append(fields[part][0])
            params += fields[part][1]
        elif part:
            sql.append("%s")
            params.append(part.replace("%%", "%"))
    return f"SUBSTR({' || '.join(sql)}, 1, 200)", params


def _kind_filter(rule: ReminderRule) -> tuple[str, list]:
    if rule is DEFAULT_RULE:
        kinds = list(_RULES)
        return ("d.kind NOT IN (" + ", ".join(["%s"] * len(kinds)) + ")", kinds) if kinds else ("1 = 1", [])
    return "d.kind = %s", [rule.deadline_kind]


def _insert_reminders(
    rule: ReminderRule, stage: _Stage, on: dt.date, changed_since: dt.datetime | None, calendar: WorkingCalendar
) -> int:
    """One INSERT … SELECT: the stage's reminders for the deadlines that newly entered it."""
    kind_sql, kind_params = _kind_filter(rule)
    title_sql, title_params = _title_sql(rule, stage, on, calendar)
    columns = "d.id, d.label, d.url, d.due_date, d.owner_user_id, d.owner_organization_id, d.mechanism_id"
    base = f"FROM {Deadline._meta.db_table} d WHERE d.state = %s AND {kind_sql} AND {stage.condition}"
    base_params = [DeadlineState.RUNNING, *kind_params, *stage.params]
    changed_sql, changed_params = "1 = 0", []
    if changed_since is not None:
        changed_sql, changed_params = "d.computed_at > %s", [connection.ops.adapt_datetimefield_value(changed_since)]
    leaders_sql, leaders_params = "", []
    if stage.leaders:
        leaders_sql = (
            f" UNION SELECT due.*, ra.user_id FROM due"
            f" JOIN {User._meta.db_table} lu ON lu.organization_id = due.owner_organization_id AND lu.is_active = %s"
            f" JOIN {RoleAssignment._meta.db_table} ra ON ra.user_id = lu.id AND ra.role = %s"
        )
        leaders_params = [True, Role.LEADER]
    key_sql = (
        f"SUBSTR(%s || CAST(r.id AS TEXT) || ':' || {_due_text().replace('d.', 'r.')} || %s"
        f" || CAST(r.user_id AS TEXT), 1, 200)"
    )
    sql = (
        f"WITH due AS (SELECT {columns} {base} AND {stage.window}"
        f" UNION SELECT {columns} {base} AND {changed_sql}),"
        f" rcpt AS (SELECT due.*, COALESCE(due.owner_user_id, p.liaison_officer_id) AS user_id FROM due"
        f" LEFT JOIN {MechanismParty._meta.db_table} p ON due.owner_user_id IS NULL"
        f" AND p.mechanism_id = due.mechanism_id AND p.organization_id = due.owner_organization_id"
        f"{leaders_sql}),"
        f" titled AS (SELECT rcpt.*, {title_sql.replace('d.', 'rcpt.')} AS title FROM rcpt)"
        f" INSERT INTO {Notification._meta.db_table}"
        f" (recipient_id, kind, title, body, url, created_at, dedup_key, email_state, email_attempts)"
        f" SELECT r.user_id, %s, r.title, r.title, r.url, %s, {key_sql},"
        f" CASE WHEN u.email <> '' AND ((COALESCE(pref.by_email, %s) = %s AND COALESCE(pref.digest, %s) = %s)"
        f" OR (%s = %s AND EXISTS (SELECT 1 FROM {RoleAssignment._meta.db_table} esc"
        f" WHERE esc.user_id = r.user_id AND esc.role = %s))) THEN %s ELSE %s END, 0"
        f" FROM titled r JOIN {User._meta.db_table} u ON u.id = r.user_id"
        f" LEFT JOIN {NotificationPreference._meta.db_table} pref ON pref.user_id = r.user_id AND pref.kind = %s"
        f" WHERE r.user_id IS NOT NULL ON CONFLICT DO NOTHING"
    )
    params = [
        *base_params,
        *stage.window_params,
        *base_params,
        *changed_params,
        *leaders_params,
        *title_params,
        stage.kind,
        connection.ops.adapt_datetimefield_value(timezone.now()),
        f"{rule.deadline_kind}:",
        f":{stage.name}:",
        EMAIL_BY_DEFAULT.get(stage.kind, False),
        True,
        False,
        False,
        # Leaders' overdue escalations go by email whatever they chose.
        stage.kind,
        NotificationKind.OVERDUE if stage.leaders else "",
        Role.LEADER,
        EmailState.PENDING,
        EmailState.NOT_NEEDED,
        stage.kind,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount >= 0:
            return cursor.rowcount
        cursor.execute("SELECT changes()")  # SQLite gives no row count for a statement opening with WITH
        return cursor.fetchone()[0]


def _saved_since(moment: dt.datetime | None) -> bool:
    """Whether a running deadline was saved (new, extended, resumed, recomputed) after `moment`."""
    return moment is None or Deadline.objects.filter(state=DeadlineState.RUNNING, computed_at__gt=moment).exists()


def sweep(on: dt.date | None = None) -> int:
    """Create every reminder that became due since the last sweep; returns how many were created.

    The first sweep (or one for a day before the last) looks at every running deadline; later
    ones only at the deadlines whose date crossed a threshold since the last sweep's day, and
    those saved since the last sweep (new, extended, resumed, recomputed).
    """
    on = on or local_today()
    started = timezone.now()
    calendar = WorkingCalendar()
    created = 0
    with transaction.atomic():
        ReminderSweep.objects.bulk_create([ReminderSweep(pk=1, swept_on=on, swept_at=started)], ignore_conflicts=True)
        # Two sweeps at once take turns here; the second sees what the first recorded.
        state = ReminderSweep.objects.select_for_update().get(pk=1)
        first = state.swept_at == started or state.swept_on > on
        last = None if first else state.swept_on
        changed_since = None if first else state.swept_at - CHANGE_MARGIN
        rules = [*registered_rules(), DEFAULT_RULE]
        if last == on and not _saved_since(changed_since):
            # Later the same day no date crosses a threshold: only deadlines saved since the last
            # sweep can be due for a reminder, and there are none (one indexed look, not a
            # statement per rule and stage).
            rules = []
        for rule in rules:
            for stage in _stages(rule, on, last, calendar):
                created += _insert_reminders(rule, stage, on, changed_since, calendar)
        state.swept_on, state.swept_at = on, started
        state.save()
        if created:
            queue_email_delivery()
            queue_sms(started)
            # Docked systems and robots hear of action items due soon or overdue.
            events.reminders_created(started)
    return created
