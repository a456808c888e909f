"""Concurrent writers: transitions per second when writers work in one mechanism or in several.

Each writer is a process with its own database connection. A transition is what a service does:
a conditional update of a deadline (pause, then resume), its audit event, and a notification row
for the court's liaison officer, in one transaction. The run prints, side by side, all writers in
one mechanism (they share one audit chain, so their appends take turns) and each writer in its own
mechanism (separate chains: nothing shared to wait on).

    .venv/bin/python bench/writers.py                      # PostgreSQL: BENCH_WRITERS_DATABASE_URL
    make bench-writers

Before the chains were split, every write in the system locked one chain-head row until commit,
and each notification insert counted the whole notifications table twice. The same script run on
that code (main at 0eec58b, copied out with `git archive`; 4 writers, 15 s per run, 20 ms of
further work per transaction; 2-core machine with a load average of 9–11 from other jobs,
2026-12-05) measured 17 transitions/s with all writers in one mechanism and 14 with each in its
own: no gain from spreading, one global chain. The current code measured in the same hour:
19 and 29 (1.5×; the machine's two busy cores, not a lock, bound the several-mechanism figure).
The figures of the current code are printed beside the recorded ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import time

from harness import setup

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/liaison_bench_writers"
BEFORE = {"one": 17.0, "many": 14.0}  # transitions/s on the code before the split (see above)


def prepare(writers: int) -> list[tuple[int, int]]:
    """One deadline per writer in each layout: (deadline id, mechanism id) for 'one' then 'many'."""
    from django.contrib.contenttypes.models import ContentType

    from liaison.models import Deadline, Mechanism, MechanismParty, Organization, User

    court, _ = Organization.objects.get_or_create(name="基准法院", defaults={"kind": "court", "level": "city"})
    federation, _ = Organization.objects.get_or_create(
        name="基准工商联", defaults={"kind": "federation", "level": "city"}
    )
    officer, _ = User.objects.get_or_create(
        username="bench_officer", defaults={"organization": court, "email": "officer@bench.example"}
    )
    mechanisms = []
    for n in range(writers):
        mechanism, _ = Mechanism.objects.get_or_create(name=f"基准机制{n}", defaults={"short_name": f"基准{n}"})
        for organization in (court, federation):
            MechanismParty.objects.get_or_create(
                mechanism=mechanism,
                organization=organization,
                defaults={"liaison_officer": officer if organization == court else None},
            )
        mechanisms.append(mechanism)
    ct = ContentType.objects.get_for_model(Mechanism)
    today = dt.date(2026, 11, 2)
    rows = []
    for layout in ("one", "many"):
        for n in range(writers):
            mechanism = mechanisms[0] if layout == "one" else mechanisms[n]
            deadline, _ = Deadline.objects.get_or_create(
                content_type=ct,
                object_id=str(mechanism.pk),
                kind=f"bench.{layout}.{n}",
                defaults={
                    "label": "基准",
                    "mechanism": mechanism,
                    "owner_organization": court,
                    "start_date": today,
                    "working_days": 15,
                    "due_date": today + dt.timedelta(days=21),
                },
            )
            rows.append((deadline.pk, mechanism.pk))
    return rows


def writer(deadline_id: int, seconds: float, work: float, start_at: float, counter) -> None:
    """Pause and resume one deadline, each step with its audit event and a notification, then
    `work` seconds more in the same transaction (other queries, round trips to the database)."""
    from django.db import connections, transaction

    connections.close_all()  # a connection of its own, not the parent's
    from liaison import deadlines
    from liaison.choices import DeadlineState, NotificationKind
    from liaison.models import Deadline, User
    from liaison.notifications import notify

    officer = User.objects.get(username="bench_officer")
    done = 0
    while time.time() < start_at:
        time.sleep(0.001)
    end = start_at + seconds
    while time.time() < end:
        deadline = Deadline.objects.get(pk=deadline_id)
        with transaction.atomic():
            if deadline.state == DeadlineState.RUNNING:
                deadlines.deadline_pause(deadline=deadline, actor=officer)
            else:
                deadlines.deadline_resume(deadline=deadline, actor=officer)
            notify([officer], kind=NotificationKind.WORK, title=f"基准事项 {deadline_id} 状态变更")
            time.sleep(work)
        done += 1
    with counter.get_lock():
        counter.value += done


def run(deadline_ids: list[int], seconds: float, work: float) -> float:
    from django.db import connections

    connections.close_all()
    counter = multiprocessing.Value("i", 0)
    start_at = time.time() + 1.0
    processes = [
        multiprocessing.Process(target=writer, args=(pk, seconds, work, start_at, counter)) for pk in deadline_ids
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return counter.value / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument(
        "--work-ms",
        type=float,
        default=20.0,
        help="time each transaction spends after its audit event, holding its locks",
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_WRITERS_DATABASE_URL", DEFAULT_DATABASE_URL))
    args = parser.parse_args()
    setup(args.database_url)
    rows = prepare(args.writers)
    one = [pk for pk, _ in rows[: args.writers]]
    many = [pk for pk, _ in rows[args.writers :]]
    work = args.work_ms / 1000
    figures = {"one": run(one, args.seconds, work), "many": run(many, args.seconds, work)}
    print(
        f"{args.writers} writers, {args.seconds:.0f} s each run, {args.work_ms:.0f} ms of further work "
        "per transaction, transitions per second:"
    )
    print(f"{'':28} {'before (main)':>14} {'now':>10}")
    for layout, label in (("one", "all in one mechanism"), ("many", f"in {args.writers} mechanisms")):
        print(f"{label:28} {BEFORE[layout]:>14.0f} {figures[layout]:>10.0f}")
    print(f"several mechanisms ÷ one mechanism now: {figures['many'] / figures['one']:.2f}")


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
