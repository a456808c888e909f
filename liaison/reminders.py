"""The reminder engine: apps register rules for their kinds of deadline; one task sweeps them all.

The sweep is set-based and incremental. One `INSERT … SELECT` in the database writes the
reminders of every rule and stage (due soon, due today, overdue): the stages are a table of rows
(one JSON parameter on PostgreSQL, VALUES elsewhere) joined to the running deadlines whose due
date entered them since the last sweep, or that were saved since then, read through the due-date
and save-time indexes once for all rules; each goes to its owner (and the leaders when overdue).
On PostgreSQL the same statement writes the SMS outbox rows of the new reminders, records the sweep
and returns the dedup keys of those that make events, so the day's first sweep costs the same four
statements whatever the rules, stages and deadlines (the look for nothing new, where the last sweep
got to, the working days and the insert), and a later one with nothing new one. The
notification's unique dedup key makes a second or concurrent sweep insert nothing; nothing is
counted and no row is built in Python.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .channels import events, outbox
from .choices import DeadlineState, EmailState, NotificationKind, Role
from .deadlines import today as local_today
from .models import (
    Channel,
    Deadline,
    MechanismParty,
    Notification,
    NotificationPreference,
    OutboxMessage,
    OutboxState,
    ReminderSweep,
    RoleAssignment,
    User,
)
from .notifications import EMAIL_BY_DEFAULT, queue_email_delivery
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
    """One stage of one rule on the day swept: a row of the sweep's table of stages."""

    rule: ReminderRule
    name: str  # in the dedup key
    kind: str  # the notification kind
    first: dt.date  # the due dates in the stage, inclusive
    last: dt.date
    # The due dates that entered the stage since the last sweep (first after last: none).
    window_first: dt.date
    window_last: dt.date
    leaders: bool


_EARLIEST = dt.date(1, 1, 1)

# The columns of the sweep's table of stages, and their types on PostgreSQL.
_STAGE_TYPES = (
    "rule_key text, stage text, kind text, first_due date, last_due date, window_first date, window_last date,"
    " leaders boolean, escalate boolean, by_email boolean, rule_title text"
)
_STAGE_NAMES = [column.split()[0] for column in _STAGE_TYPES.split(", ")]


def _stages(rule: ReminderRule, on: dt.date, last: dt.date | None, calendar: WorkingCalendar) -> list[_Stage]:
    """The stages of a rule on `on`, each with the window of dates that entered it since `last`
    (None: the first sweep, every date)."""
    day = dt.timedelta(days=1)
    stages = []
    if rule.before_working_days:
        horizon = calendar.add_working_days(on, rule.before_working_days)
        entered = on if last is None else max(on, calendar.add_working_days(last, rule.before_working_days))
        stages.append(
            _Stage(
                rule,
                f"before{rule.before_working_days}",
                NotificationKind.DUE_SOON,
                on + day,
                horizon,
                entered + day,
                horizon,
                False,
            )
        )
    if rule.on_the_day:
        # Later the same day no deadline enters the stage by its date.
        entered = on if last is None or last < on else on + day
        stages.append(_Stage(rule, "today", NotificationKind.DUE_TODAY, on, on, entered, on, False))
    if rule.when_overdue:
        entered = _EARLIEST if last is None else last
        stages.append(
            _Stage(
                rule,
                "overdue",
                NotificationKind.OVERDUE,
                _EARLIEST,
                on - day,
                entered,
                on - day,
                rule.leaders_when_overdue,
            )
        )
    return stages


def _due_text(column: str) -> str:
    return f"to_char({column}, 'YYYY-MM-DD')" if connection.vendor == "postgresql" else column


def _title_sql(on: dt.date, horizon: dt.date, calendar: WorkingCalendar) -> tuple[str, list]:
    """The reminder's title as one SQL expression over a row `r` of a deadline in a stage: the
    translated sentence of the stage's kind, with the rule's title and the deadline's columns in
    place of its placeholders."""
    templates = {
        NotificationKind.DUE_SOON: _("%(rule)s还剩 %(n)s 个工作日（%(due)s 到期）：%(label)s"),
        NotificationKind.DUE_TODAY: _("%(rule)s今日到期：%(label)s"),
        NotificationKind.OVERDUE: _("%(rule)s已逾期（%(due)s 到期）：%(label)s"),
    }
    # The working days left, by due date, up to the farthest horizon of the rules.
    days = [on + dt.timedelta(days=n) for n in range(1, (horizon - on).days + 1)]
    left_sql, left_params = "''", []
    if days:
        left_sql = "CAST(CASE r.due_date " + " ".join(["WHEN %s THEN %s"] * len(days)) + " END AS TEXT)"
        left = 0
        for day in days:
            left += calendar.is_working_day(day)
            left_params += [connection.ops.adapt_datefield_value(day), left]
    fields = {
        "rule": ("r.rule_title", []),
        "n": (left_sql, left_params),
        "due": (_due_text("r.due_date"), []),
        "label": ("r.label", []),
    }
    sql: list[str] = ["CASE r.kind"]
    params: list[Any] = []
    for kind, template in templates.items():
        parts: list[str] = []
        params.append(kind)
        for index, part in enumerate(re.split(r"%\((\w+)\)s", template)):
            if index % 2:
                parts.append(fields[part][0])
                params += fields[part][1]
            elif part:
                parts.append("%s")
                params.append(part.replace("%%", "%"))
        sql.append(f"WHEN %s THEN {' || '.join(parts)}")
    return f"SUBSTR({' '.join(sql)} END, 1, 200)", params


def _insert_sql(
    stages: list[_Stage], on: dt.date, changed_since: dt.datetime | None, calendar: WorkingCalendar, now: dt.datetime
) -> tuple[str, str, list]:
    """One INSERT … SELECT of the reminders of every stage of every rule: the stages are a table
    of rows (JSON on PostgreSQL, VALUES elsewhere) joined to the running deadlines whose due date
    entered them since the last sweep, or that were saved since then. Returns the statement's WITH
    clause (the stages, the deadlines, the recipients) and its INSERT, apart, with their parameters
    in order."""
    date = connection.ops.adapt_datefield_value
    kinds = [kind for kind in _RULES if kind != DEFAULT_RULE.deadline_kind]
    # The rule of a deadline: its kind's, or the default rule's.
    rule_sql, rule_params = "%s", [DEFAULT_RULE.deadline_kind]
    if kinds:
        rule_sql = "CASE WHEN d.kind IN (" + ", ".join(["%s"] * len(kinds)) + ") THEN d.kind ELSE %s END"
        rule_params = [*kinds, DEFAULT_RULE.deadline_kind]
    # The table of stages: a row per stage of every rule, the rule's title translated once.
    titles = {stage.rule.deadline_kind: str(stage.rule.title) for stage in stages}
    table: list[dict[str, Any]] = [
        {
            "rule_key": stage.rule.deadline_kind,
            "stage": stage.name,
            "kind": str(stage.kind),
            "first_due": stage.first,
            "last_due": stage.last,
            "window_first": stage.window_first,
            "window_last": stage.window_last,
            "leaders": stage.leaders,
            # Leaders' overdue escalations go by email whatever they chose.
            "escalate": stage.leaders and stage.kind == NotificationKind.OVERDUE,
            "by_email": EMAIL_BY_DEFAULT.get(stage.kind, False),
            "rule_title": titles[stage.rule.deadline_kind],
        }
        for stage in stages
    ]
    if connection.vendor == "postgresql":
        # One JSON parameter, not hundreds of constants that PostgreSQL would parse one by one.
        stages_sql = f"SELECT * FROM json_to_recordset(%s) AS x({_STAGE_TYPES})"
        params: list[Any] = [json.dumps(table, ensure_ascii=False, default=dt.date.isoformat)]
    else:
        stages_sql = "VALUES " + ", ".join(["(" + ", ".join(["%s"] * len(_STAGE_NAMES)) + ")"] * len(table))
        values = [row[name] for row in table for name in _STAGE_NAMES]
        params = [date(value) if isinstance(value, dt.date) else value for value in values]
    columns = (
        "s.rule_key, s.stage, s.kind, s.leaders, s.escalate, s.by_email, s.rule_title,"
        " d.id, d.label, d.url, d.due_date, d.owner_user_id, d.owner_organization_id, d.mechanism_id"
    )
    # The deadlines whose date entered a stage since the last sweep: the windows of all stages
    # merged into few ranges of due dates, each a range of one index (running, due date)…
    ranges: list[list[dt.date]] = []
    for stage in sorted(stages, key=lambda stage: stage.window_first):
        if stage.window_first > stage.window_last:
            continue
        if ranges and stage.window_first <= ranges[-1][1] + dt.timedelta(days=1):
            ranges[-1][1] = max(ranges[-1][1], stage.window_last)
        else:
            ranges.append([stage.window_first, stage.window_last])
    found = ["d.due_date >= %s AND d.due_date <= %s"] * len(ranges)
    found_params = [date(day) for bounds in ranges for day in bounds]
    entered = "d.due_date >= s.window_first AND d.due_date <= s.window_last"
    changed_params: list[Any] = []
    if changed_since is not None:
        # … and those saved since then (the partial index of running deadlines by save time).
        found.append("d.computed_at > %s")
        changed_params = [connection.ops.adapt_datetimefield_value(changed_since)]
        entered = f"({entered} OR (d.computed_at > %s AND d.due_date >= s.first_due AND d.due_date <= s.last_due))"
    due_sql = (
        f"SELECT {columns} FROM {Deadline._meta.db_table} d JOIN s ON s.rule_key = {rule_sql} AND {entered}"
        f" WHERE d.state = %s AND ({' OR '.join(found) or '1 = 0'})"
    )
    due_params = [*rule_params, *changed_params, DeadlineState.RUNNING, *found_params, *changed_params]
    horizon = max((stage.last for stage in stages if stage.kind == NotificationKind.DUE_SOON), default=on)
    title_sql, title_params = _title_sql(on, horizon, calendar)
    with_sql = (
        f"WITH s ({', '.join(_STAGE_NAMES)}) AS ({stages_sql}),"
        f" due AS ({due_sql}),"
        # The owner, or the owning unit's liaison officer in the mechanism; and when overdue the
        # owning unit's leaders (one reminder each: the dedup key drops a second).
        f" rcpt AS (SELECT due.*, COALESCE(due.owner_user_id, p.liaison_officer_id) AS user_id FROM due"
        f" LEFT JOIN {MechanismParty._meta.db_table} p ON due.owner_user_id IS NULL"
        f" AND p.mechanism_id = due.mechanism_id AND p.organization_id = due.owner_organization_id"
        f" UNION ALL SELECT due.*, ra.user_id FROM due"
        f" JOIN {User._meta.db_table} lu ON lu.organization_id = due.owner_organization_id AND lu.is_active = %s"
        f" JOIN {RoleAssignment._meta.db_table} ra ON ra.user_id = lu.id AND ra.role = %s WHERE due.leaders = %s),"
        f" titled AS (SELECT r.*, {title_sql} AS title FROM rcpt r)"
    )
    params += [*due_params, True, Role.LEADER, True, *title_params]
    key_sql = (
        f"SUBSTR(r.rule_key || ':' || CAST(r.id AS TEXT) || ':' || {_due_text('r.due_date')} || ':' || r.stage"
        f" || ':' || CAST(r.user_id AS TEXT), 1, 200)"
    )
    insert_sql = (
        f"INSERT INTO {Notification._meta.db_table}"
        f" (recipient_id, kind, title, body, url, created_at, dedup_key, email_state, email_attempts)"
        f" SELECT r.user_id, r.kind, r.title, r.title, r.url, %s, {key_sql},"
        f" CASE WHEN u.email <> '' AND ((COALESCE(pref.by_email, r.by_email) = %s AND COALESCE(pref.digest, %s) = %s)"
        f" OR (r.escalate = %s AND EXISTS (SELECT 1 FROM {RoleAssignment._meta.db_table} esc"
        f" WHERE esc.user_id = r.user_id AND esc.role = %s))) THEN %s ELSE %s END, 0"
        f" FROM titled r JOIN {User._meta.db_table} u ON u.id = r.user_id"
        f" LEFT JOIN {NotificationPreference._meta.db_table} pref ON pref.user_id = r.user_id AND pref.kind = r.kind"
        f" WHERE r.user_id IS NOT NULL ON CONFLICT DO NOTHING"
    )
    params += [
        connection.ops.adapt_datetimefield_value(now),
        True,
        False,
        False,
        True,
        Role.LEADER,
        EmailState.PENDING,
        EmailState.NOT_NEEDED,
    ]
    return with_sql, insert_sql, params


def _sms_sql(source: str, source_params: list, stamp: Any) -> tuple[str, list]:
    """The SMS outbox rows of the new reminders in `source` (id, recipient_id, kind): to those who
    chose SMS for the kind, and to leaders when overdue, with an active account and a phone."""
    role = RoleAssignment._meta.db_table
    if connection.vendor == "postgresql":
        payload = "jsonb_build_object('notification', n.id)"
    else:
        payload = "json_object('notification', n.id)"
    sql = (
        f"INSERT INTO {OutboxMessage._meta.db_table} (kind, channel, recipient, payload, status, attempts,"
        f" next_attempt_at, created_at, result, event_id, dedup_key)"
        f" SELECT n.kind, %s, u.phone, {payload}, %s, 0, %s, %s, '', '', 'sms:' || CAST(n.id AS TEXT)"
        f" FROM {source} JOIN {User._meta.db_table} u ON u.id = n.recipient_id AND u.is_active = %s AND u.phone <> ''"
        f" LEFT JOIN {NotificationPreference._meta.db_table} pref ON pref.user_id = n.recipient_id AND pref.kind = n.kind"
        f" WHERE pref.by_sms = %s OR (n.kind = %s AND EXISTS (SELECT 1 FROM {role} esc"
        f" WHERE esc.user_id = n.recipient_id AND esc.role = %s)) ON CONFLICT DO NOTHING"
    )
    params = [Channel.SMS, OutboxState.PENDING, stamp, stamp, *source_params]
    return sql, [*params, True, True, NotificationKind.OVERDUE, Role.LEADER]


def _event_keys_sql(source: str) -> tuple[str, list]:
    """Which of the new reminders in `source` (dedup_key) are of deadline kinds that have events."""
    kinds = events.deadline_event_kinds()
    if not kinds:
        return "1 = 0", []
    return "(" + " OR ".join(["SUBSTR(n.dedup_key, 1, %s) = %s"] * len(kinds)) + ")", [
        value for kind in kinds for value in (len(kind) + 1, f"{kind}:")
    ]


def _record_sql(on: dt.date, started: dt.datetime) -> tuple[str, list]:
    """Record the sweep of `on` that started at `started`: where the next one starts from."""
    table = connection.ops.quote_name(ReminderSweep._meta.db_table)
    return f"UPDATE {table} SET swept_on = %s, swept_at = %s WHERE id = 1", [
        connection.ops.adapt_datefield_value(on),
        connection.ops.adapt_datetimefield_value(started),
    ]


def _write_reminders(
    stages: list[_Stage],
    on: dt.date,
    started: dt.datetime,
    changed_since: dt.datetime | None,
    calendar: WorkingCalendar,
) -> tuple[int, int, list[str]]:
    """Write the reminders of every stage and their SMS outbox rows, read the dedup keys of those
    that make events, and record the sweep: one statement on PostgreSQL, whatever the rules,
    stages and deadlines; a fixed few on SQLite. Returns (reminders, SMS, keys)."""
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    with_sql, insert_sql, params = _insert_sql(stages, on, changed_since, calendar, now)
    record_sql, record_params = _record_sql(on, started)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sms_sql, sms_params = _sms_sql("ins n", [], stamp)
            keys_sql, keys_params = _event_keys_sql("ins n")
            cursor.execute(
                f"{with_sql}, ins AS ({insert_sql} RETURNING id, recipient_id, kind, dedup_key),"
                f" sms AS ({sms_sql} RETURNING 1), recorded AS ({record_sql})"
                f" SELECT (SELECT COUNT(*) FROM ins), (SELECT COUNT(*) FROM sms),"
                f" (SELECT array_agg(n.dedup_key) FROM ins n WHERE {keys_sql})",
                [*params, *sms_params, *record_params, *keys_params],
            )
            created, texts, found = cursor.fetchone()
            return created, texts, found or []
        # SQLite: no INSERT inside WITH. The reminders just written carry this sweep's time.
        cursor.execute(record_sql, record_params)
        cursor.execute(f"{with_sql} {insert_sql}", params)
        cursor.execute("SELECT changes()")  # no row count for a statement opening with WITH
        created = cursor.fetchone()[0]
        if not created:
            return 0, 0, []
        mine = f"(SELECT id, recipient_id, kind FROM {Notification._meta.db_table} WHERE created_at = %s) n"
        sms_sql, sms_params = _sms_sql(mine, [stamp], stamp)
        cursor.execute(sms_sql, sms_params)
        texts = cursor.rowcount
        keys_sql, keys_params = _event_keys_sql("n")
        keys: list[str] = []
        if keys_params:
            cursor.execute(
                f"SELECT n.dedup_key FROM {Notification._meta.db_table} n WHERE n.created_at = %s AND {keys_sql}",
                [stamp, *keys_params],
            )
            keys = [key for (key,) in cursor.fetchall()]
        return created, texts, keys


def _saved_since(moment: dt.datetime | None) -> bool:
    """Whether a running deadline was saved (new, extended, resumed, recomputed) after `moment`."""
    return moment is None or Deadline.objects.filter(state=DeadlineState.RUNNING, computed_at__gt=moment).exists()


def _take_turn(on: dt.date, started: dt.datetime) -> tuple[dt.date, dt.datetime]:
    """Where the last sweep got to (its day and start), the row locked until this sweep commits;
    the first sweep ever records itself. Two sweeps at once take turns here: the second waits
    and sees what the first recorded. One statement (INSERT … ON CONFLICT … RETURNING:
    PostgreSQL, and SQLite from 3.35)."""
    table = connection.ops.quote_name(ReminderSweep._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, swept_on, swept_at) VALUES (1, %s, %s)"
            f" ON CONFLICT (id) DO UPDATE SET id = {table}.id RETURNING swept_on, swept_at",
            [connection.ops.adapt_datefield_value(on), connection.ops.adapt_datetimefield_value(started)],
        )
        swept_on, swept_at = cursor.fetchone()
    # SQLite: the stored text or, parsed by its declared type, the time in UTC without a zone.
    if isinstance(swept_on, str):
        swept_on = dt.date.fromisoformat(swept_on)
    if isinstance(swept_at, str):
        swept_at = dt.datetime.fromisoformat(swept_at)
    if timezone.is_naive(swept_at):
        swept_at = swept_at.replace(tzinfo=dt.UTC)
    return swept_on, swept_at


def _idle_recorded(on: dt.date, started: dt.datetime) -> bool:
    """PostgreSQL: if the last sweep was of `on` and no running deadline was saved since it (less
    the margin), record this sweep and say so, in one statement that commits on its own (or with
    the caller's transaction); otherwise change nothing. Elsewhere False (the sweep then looks
    inside its transaction)."""
    if connection.vendor != "postgresql":
        return False
    table = connection.ops.quote_name(ReminderSweep._meta.db_table)
    deadlines = connection.ops.quote_name(Deadline._meta.db_table)
    with connection.cursor() as cursor:
        # A sweep recording itself meanwhile holds the row: this one waits, then checks the
        # recorded day and time again.
        cursor.execute(
            f"UPDATE {table} SET swept_at = %s WHERE id = 1 AND swept_on = %s AND NOT EXISTS ("
            f"SELECT 1 FROM {deadlines} d WHERE d.state = %s AND d.computed_at > {table}.swept_at - %s * interval '1 second')",
            [started, on, DeadlineState.RUNNING, CHANGE_MARGIN.total_seconds()],
        )
        return cursor.rowcount == 1


def sweep(on: dt.date | None = None) -> int:
    """Create every reminder that became due since the last sweep; returns how many were created.

    The first sweep (or one for a day before the last) looks at every running deadline; later
    ones only at the deadlines whose date crossed a threshold since the last sweep's day, and
    those saved since the last sweep (new, extended, resumed, recomputed). On PostgreSQL a later
    sweep of the same day that finds nothing saved is one statement (`_idle_recorded`).
    """
    on = on or local_today()
    started = timezone.now()
    if _idle_recorded(on, started):
        return 0
    created = texts = 0
    keys: list[str] = []
    with transaction.atomic():
        swept_on, swept_at = _take_turn(on, started)
        first = swept_at == started or swept_on > on
        last = None if first else swept_on
        changed_since = None if first else swept_at - CHANGE_MARGIN
        # Later the same day no date crosses a threshold: only deadlines saved since the last sweep
        # can be due for a reminder, and with none the sweep stops after one indexed look.
        if last != on or _saved_since(changed_since):
            calendar = WorkingCalendar()
            stages = [
                stage for rule in [*registered_rules(), DEFAULT_RULE] for stage in _stages(rule, on, last, calendar)
            ]
            created, texts, keys = _write_reminders(stages, on, started, changed_since, calendar)
        else:
            with connection.cursor() as cursor:
                cursor.execute(*_record_sql(on, started))
        if created:
            queue_email_delivery()
        if texts:
            outbox.queue_sending()
        if keys:
            # Docked systems and robots hear of action items due soon or overdue.
            events.reminders_created(keys)
    return created
