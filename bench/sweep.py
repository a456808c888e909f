"""The reminder sweep over 1,000,000 running deadlines, against a bare indexed SELECT of its rows.

Writes the deadlines once with set-based SQL into its own PostgreSQL database (due dates spread
over 400 days around the day swept, half with a named owner, half answered by the liaison
officer), records a sweep of the day before, then times, with medians of repeated runs each
rolled back (the foreign keys checked within the run, not at a commit that never comes):

- the day's first sweep: the reminders of the deadlines that crossed a threshold overnight
  (due in two working days, due today, overdue since yesterday) inserted with INSERT … SELECT;
- a sweep five minutes later, when nothing is new;
- the floor: one plain SELECT, through the same indexes, of the deadline rows that are due for
  a reminder that day (what any sweep must at least read);
- a second floor for the day's first sweep, which also writes: that SELECT plus one plain
  INSERT of as many constant rows into the notification table as the sweep creates (what any
  sweep must at least write, with the table's indexes and unique key).

    .venv/bin/python bench/sweep.py                      # PostgreSQL: BENCH_SWEEP_DATABASE_URL
    make bench-sweep

Before (issue 13's measurement of the sweep that rebuilt every draft in Python): 10.5 s over
1,000,000 deadlines, 42× the bare SELECT, every five minutes whether or not anything was new.

Measured on the 2-core machine under a load average of about 10 from other jobs (2026-12-05),
when the sweep ran one statement per rule and stage: the sweep with nothing new 129–145 ms; the
day's first sweep, writing 12,500 reminders, 1.3–2.0 s, 1.5–1.8× the bare SELECT plus a bare INSERT
of as many rows (0.8–1.1 s). With one statement for every rule and stage, under a load average of
3 to 7 (four runs, 2026-12-05): the day's first sweep 297–470 ms, 0.8–2.0× the SELECT plus
INSERT (189–592 ms) and 12–30× the read-only SELECT (14–26 ms), which writes nothing; the old code
395–701 ms in two of the same runs. The sweep with nothing new now looks once and stops: 1.2–4.4 ms.
With the table of stages sent as one JSON parameter, on the idle machine (2026-12-05 about 18:37
UTC, old and new code in turn): the day's first sweep 127–131 ms in three runs against 130 and
136 ms before in two, 1.4–1.5× the SELECT plus INSERT (about 96 ms) and 13–15× the read-only
SELECT, which writes nothing; the sweep with nothing new 0.5 ms. Every figure so far left out the
checks of the notifications' foreign key, which PostgreSQL defers to a commit that a rolled-back
run never reaches; with them, as the bench times now: 153–156 ms, 1.3× the SELECT plus INSERT
(117–120 ms).
The table printed gives each sweep against both floors, with the goal beside each ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from dataclasses import dataclass
from typing import Any

from harness import setup

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/liaison_bench_sweep"
DAY = dt.date(2026, 11, 25)  # a Wednesday


def generate(total: int) -> None:
    """`total` running deadlines over 20 mechanisms, written once."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from liaison.models import (
        Deadline,
        Mechanism,
        MechanismParty,
        Organization,
        RoleAssignment,
        User,
    )

    court, _ = Organization.objects.get_or_create(name="基准法院", defaults={"kind": "court", "level": "city"})
    federation, _ = Organization.objects.get_or_create(
        name="基准工商联", defaults={"kind": "federation", "level": "city"}
    )
    officer, _ = User.objects.get_or_create(
        username="bench_officer", defaults={"organization": court, "email": "officer@bench.example"}
    )
    for n in range(2):
        leader, _ = User.objects.get_or_create(
            username=f"bench_leader{n}", defaults={"organization": court, "email": f"l{n}@bench.example"}
        )
        RoleAssignment.objects.get_or_create(user=leader, role="leader")
    mechanisms = []
    for n in range(20):
        mechanism, _ = Mechanism.objects.get_or_create(name=f"基准机制{n}", defaults={"short_name": f"基准{n}"})
        MechanismParty.objects.get_or_create(
            mechanism=mechanism, organization=court, defaults={"liaison_officer": officer}
        )
        MechanismParty.objects.get_or_create(mechanism=mechanism, organization=federation)
        mechanisms.append(mechanism.pk)
    have = Deadline.objects.filter(kind="bench.sweep").count()
    if have >= total:
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Deadline._meta.db_table} (kind, label, content_type_id, object_id, url, mechanism_id,
                owner_user_id, owner_organization_id, start_date, working_days, extra_working_days, due_date,
                skipped_days, assumed_years, state, computed_at)
            SELECT 'bench.sweep', '基准时限' || g, %s, g::text, '/bench/' || g, (%s::bigint[])[1 + g %% 20],
                CASE WHEN g %% 2 = 0 THEN %s END, %s, x.due - 21, 15, 0, x.due, '[]', '[]', 'running', %s
            FROM generate_series(%s, %s) g, LATERAL (SELECT %s::date + (g %% 400 - 200) AS due) x
            """,
            [
                ContentType.objects.get_for_model(Mechanism).pk,
                mechanisms,
                officer.pk,
                court.pk,
                timezone.now() - dt.timedelta(days=30),
                have + 1,
                total,
                DAY,
            ],
        )
        cursor.execute(f"ANALYZE {Deadline._meta.db_table}")
    print(f"data: {total - have} deadlines written in {time.perf_counter() - started:.0f} s", flush=True)


def timed(call, repeat: int) -> tuple[float, Any]:
    """Median milliseconds of `call` run `repeat` times, each in a transaction rolled back."""
    from django.db import connection, transaction

    timings, result = [], None
    for _ in range(repeat + 1):  # the first run warms the cache and is left out
        with transaction.atomic():
            with connection.cursor() as cursor:
                # The foreign keys are checked at commit, which a run rolled back never reaches:
                # checked at the end of each statement instead, so that the time includes them.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            start = time.perf_counter()
            result = call()
            timings.append(time.perf_counter() - start)
            transaction.set_rollback(True)
    return statistics.median(timings[1:]) * 1000, result


@dataclass
class SweepFigures:
    """Medians in milliseconds: the floors, the day's first sweep and a sweep with nothing new."""

    day: dt.date  # the day swept
    running: int  # running deadlines in the table
    floor_ms: float  # bare indexed SELECT of the rows due for a reminder
    rows: int
    write_floor_ms: float  # that SELECT plus a bare INSERT of as many rows as the sweep creates
    sweep_ms: float  # the day's first sweep (INSERT … SELECT)
    created: int
    idle_ms: float  # a sweep five minutes later, nothing new

    def lines(self, repeat: int) -> list[str]:
        """The table of the measurement: each sweep against both floors, the read-only SELECT and
        the SELECT plus INSERT, with the goal (issue 13: ≤ 3× the floor) beside each ratio."""

        def ms(value: float) -> str:
            return f"{value:.1f}" if value < 10 else f"{value:,.0f}"

        def ratio(value: float, floor: float) -> str:
            share = value / floor
            return f"{share:>6.1f} ≤ {SWEEP_GOAL:g} {'✓' if share <= SWEEP_GOAL else '✗'}"

        head = f"{'':44} {'ms':>8} {'rows':>8}  {'÷ SELECT, goal':>14}  {'÷ SELECT+INSERT, goal':>21}"
        return [
            f"reminder sweep of {self.day:%a %Y-%m-%d} over {self.running:,} running deadlines, medians of {repeat}"
            " runs (each rolled back):",
            head,
            f"{'bare indexed SELECT of the due rows (floor)':44} {ms(self.floor_ms):>8} {self.rows:>8}  {1:>6.1f}",
            f"{'bare SELECT + bare INSERT of as many rows':44} {ms(self.write_floor_ms):>8} {self.created:>8}  "
            f"{self.write_floor_ms / self.floor_ms:>6.1f}{'':10}  {1:>6.1f}",
            f"{'first sweep of the day (INSERT … SELECT)':44} {ms(self.sweep_ms):>8} {self.created:>8}  "
            f"{ratio(self.sweep_ms, self.floor_ms)}  {ratio(self.sweep_ms, self.write_floor_ms):>21}",
            f"{'sweep five minutes later, nothing new':44} {ms(self.idle_ms):>8} {0:>8}  "
            f"{ratio(self.idle_ms, self.floor_ms)}",
        ]


SWEEP_GOAL = 3.0  # the sweep ÷ its floor, issue 13


def working_day_from(day: dt.date) -> dt.date:
    """`day`, or the next working day when it is a day off: on a weekend or holiday no deadline
    falls due (due dates are working days), and its first sweep would time next to nothing."""
    from liaison.workdays import add_working_days

    return add_working_days(day - dt.timedelta(days=1), 1)  # the first working day after the day before


def measure_sweep(day: dt.date, repeat: int) -> SweepFigures:
    """Time the sweep of `day` over the deadlines in the database, against its floors; the last
    sweep is recorded as the day before, and every timed run is rolled back."""
    from django.db import connection
    from django.utils import timezone

    from liaison import reminders
    from liaison.models import Deadline, ReminderSweep
    from liaison.workdays import WorkingCalendar

    ReminderSweep.objects.update_or_create(
        pk=1, defaults={"swept_on": day - dt.timedelta(days=1), "swept_at": timezone.now() - dt.timedelta(days=1)}
    )
    with connection.cursor() as cursor:
        # Every timed run below inserts reminders and rolls them back: start from a table without
        # the dead rows of earlier runs, as a database under autovacuum would be.
        cursor.execute("VACUUM (ANALYZE) liaison_notification")
    horizon = WorkingCalendar().add_working_days(day, 2)
    yesterday_horizon = WorkingCalendar().add_working_days(day - dt.timedelta(days=1), 2)

    def bare_select() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, label, url, due_date, owner_user_id, owner_organization_id, mechanism_id"
                " FROM liaison_deadline WHERE state = 'running' AND ("
                " (due_date > %s AND due_date <= %s) OR due_date = %s"
                " OR (due_date >= %s AND due_date < %s))",
                [yesterday_horizon, horizon, day, day - dt.timedelta(days=1), day],
            )
            return len(cursor.fetchall())

    def first_sweep_of_the_day() -> int:
        return reminders.sweep(on=day)

    def sweep_with_nothing_new() -> tuple[int, float]:
        reminders.sweep(on=day)  # the day's first sweep, not timed
        start = time.perf_counter()
        created = reminders.sweep(on=day)
        return created, (time.perf_counter() - start) * 1000

    floor_ms, rows = timed(bare_select, repeat)
    sweep_ms, created = timed(first_sweep_of_the_day, repeat)

    def bare_insert() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO liaison_notification (recipient_id, kind, title, body, url, created_at, dedup_key,"
                " email_state, email_attempts) SELECT (SELECT min(id) FROM liaison_user), 'overdue',"
                " '办理时限已逾期（2026-11-24 到期）：基准时限' || g, '办理时限已逾期（2026-11-24 到期）：基准时限' || g,"
                " '/bench/' || g, now(), 'bench:' || g, 'pending', 0 FROM generate_series(1, %s) g"
                " ON CONFLICT DO NOTHING",
                [created],
            )
            return cursor.rowcount

    insert_ms, _ = timed(bare_insert, repeat)
    idle = [timed(sweep_with_nothing_new, 1)[1][1] for _ in range(repeat)]
    return SweepFigures(
        day=day,
        running=Deadline.objects.filter(state="running").count(),
        floor_ms=floor_ms,
        rows=rows,
        write_floor_ms=floor_ms + insert_ms,
        sweep_ms=sweep_ms,
        created=created,
        idle_ms=statistics.median(idle),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deadlines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SWEEP_DATABASE_URL", DEFAULT_DATABASE_URL))
    args = parser.parse_args()
    setup(args.database_url)
    generate(args.deadlines)
    print("\n".join(measure_sweep(DAY, args.repeat).lines(args.repeat)))


if __name__ == "__main__":
    main()
