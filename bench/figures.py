"""Figures benchmark: 1,000,000 complaints and 100,000 action items on PostgreSQL, then time the figures
API, the dashboard page and the monthly report; print median and slowest times and query counts.

    .venv/bin/python bench/figures.py                 # postgres://postgres@127.0.0.1:5432/liaison_bench_figures
    .venv/bin/python bench/figures.py --database-url postgres://user@host:5432/db --complaints 200000 --repeat 3
    .venv/bin/python bench/figures.py --jit-on        # the same with PostgreSQL's JIT compilation on
    .venv/bin/python bench/figures.py --explain month # also EXPLAIN ANALYZE the slowest figure queries of a range
    make bench-figures                                # the same through the Makefile

The database is created when missing and filled once with set-based SQL (see `figures_data.py`); a
second run finds the data and only times. Requests go through Django's test client logged in as the
demo court leader (`court_leader`, who sees 洛阳法院·工商联 and the subordinate 涧西法院·工商联): the
figures API and the dashboard page of 洛阳法院·工商联, the comparison API and the dashboard of every
mechanism, over the last complete month, quarter and year; then the dashboard as it first opens
(this month) and the monthly report of the last complete month (`reports.monthly`). Then, on the
same data, with the goals of issue 13 beside the ratios:

- the reminder sweep of today (the next working day on a day off) over the 2.5 million deadlines
  against a bare indexed SELECT of the rows due for a reminder (and that SELECT plus a bare INSERT
  of as many rows as the sweep writes), each run rolled back (`sweep.measure_sweep`, as `make
  bench-sweep` times it on its own data);
- complaints created per second by 10 clients through the API against a plain create view
  (`run.measure_create`, as `make bench` times it), the complaints deleted afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

from harness import Timing, demo_world, measure, setup
from run import CREATE_GOAL, measure_create, measure_create_cost, mount_floor
from sweep import measure_sweep, working_day_from

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/liaison_bench_figures"
ENDPOINTS = {  # label: path; the figures of one mechanism
    "complaints API": "/api/v1/figures/complaints/",
    "meetings API": "/api/v1/figures/meetings/",
    "mediation API": "/api/v1/figures/mediation/",
    "dashboard page": "/cases/dashboard/",
}


def periods(today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """The last complete month, quarter and year before `today`."""
    from cases.forms import period_range

    month_start = today.replace(day=1)
    quarter_start = period_range("quarter", today)[0]
    return {
        "month": period_range("month", month_start - dt.timedelta(days=1)),
        "quarter": period_range("quarter", quarter_start - dt.timedelta(days=1)),
        "year": period_range("year", dt.date(today.year - 1, 6, 30)),
    }


def time_requests(client, mechanism, ranges: dict, repeat: int) -> dict[tuple[str, str], Timing]:
    """The figures endpoints and the dashboard page for each range; keyed by (request, period)."""
    results = {}

    def run(label: str, period: str, url: str) -> None:
        results[(label, period)] = measure(f"{label}, {period}", lambda: client.get(url), repeat)

    for period, (start, end) in ranges.items():
        span = f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
        print(f"\n{period}: {start} – {end}", flush=True)
        for label, path in ENDPOINTS.items():
            extra = "&period=custom" if path == ENDPOINTS["dashboard page"] else ""
            run(f"{label} `{path}`", period, f"{path}?mechanism={mechanism.pk}{extra}&{span}")
        run("comparison API `/api/v1/figures/mechanisms/`", period, f"/api/v1/figures/mechanisms/?{span}")
        run("dashboard page, every mechanism (with the comparison)", period, f"/cases/dashboard/?period=custom&{span}")
    print(flush=True)
    run("dashboard page, no parameters (this month, every mechanism)", "this month", "/cases/dashboard/")
    return results


def time_monthly_report(mechanism, month: tuple[dt.date, dt.date], repeat: int) -> Timing | None:
    """The monthly report of the last complete month, when `reports.monthly` exists."""
    try:
        from reports.monthly import generate_monthly_report
    except ImportError as error:
        print(f"\nmonthly report: not available ({error})", flush=True)
        return None
    first = month[0]
    print(flush=True)
    return measure(
        f"monthly report {first:%Y-%m}",
        lambda: generate_monthly_report(mechanism=mechanism, year=first.year, month=first.month),
        repeat,
        response=False,
    )


def print_table(results: dict[tuple[str, str], Timing], ranges: dict, report: Timing | None) -> None:
    """One line per request: median / slowest time and queries for each range (Markdown)."""
    names = list(dict.fromkeys(name for name, _ in results))
    columns = list(dict.fromkeys(period for _, period in results))
    print(
        "\n| request | "
        + " | ".join(f"{p} ({ranges[p][0]:%Y-%m-%d} – {ranges[p][1]:%Y-%m-%d})" if p in ranges else p for p in columns)
        + " |"
    )
    print("|---|" + "---|" * len(columns))
    for name in names:
        cells = []
        for period in columns:
            timing = results.get((name, period))
            cells.append(
                ""
                if timing is None
                else f"{timing.median_ms:,.0f} ms (max {timing.max_ms:,.0f}), {timing.queries} queries"
            )
        print(f"| {name} | " + " | ".join(cells) + " |")
    if report is not None:
        print(
            f"\nmonthly report of {ranges['month'][0]:%Y-%m}: {report.median_ms:,.0f} ms (max {report.max_ms:,.0f}), "
            f"{report.queries} queries"
        )


def explain_heaviest(user, mechanism, start: dt.date, end: dt.date, top: int) -> None:
    """EXPLAIN ANALYZE the `top` slowest queries the three figure functions run over the range."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.figures import complaint_figures
    from mediation.figures import mediation_figures
    from meetings.figures import meeting_figures

    captured = []
    for figures in (complaint_figures, meeting_figures, mediation_figures):
        with CaptureQueriesContext(connection) as ctx:
            figures(user=user, mechanism=mechanism, start=start, end=end)
        captured += [(float(q["time"]), figures.__name__, q["sql"]) for q in ctx.captured_queries]
    for seconds, name, sql in sorted(captured, key=lambda row: row[0], reverse=True)[:top]:
        print(f"\n--- {name}, {start} – {end}: {seconds * 1000:.0f} ms\n{sql}\n", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            print("\n".join(row[0] for row in cursor.fetchall()), flush=True)


def print_sweep_and_create(world, repeat: int, create_seconds: float) -> None:
    """The reminder sweep against its floors and the API create throughput against a plain create
    view, with the goals (sweep ≤ 3× its floor, create ≥ 0.5× the plain view's rate)."""
    from liaison.deadlines import today

    print(flush=True)
    print("\n".join(measure_sweep(working_day_from(today()), repeat).lines(repeat)), flush=True)
    mount_floor()
    ours, floor, queries = measure_create(world, world.users["fed_staff"], create_seconds)
    share = ours / floor if floor else 0.0
    print(
        f"\nAPI create, 10 clients: {ours:.1f}/s against {floor:.1f}/s for a plain create view = {share:.2f}× "
        f"(goal ≥ {CREATE_GOAL} {'✓' if share >= CREATE_GOAL else '✗'}); {queries} queries per API create",
        flush=True,
    )
    print(measure_create_cost(world, world.users["fed_staff"]).line(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--action-items", type=int, default=100_000)
    parser.add_argument("--mediation-cases", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--create-seconds", type=float, default=8.0, help="each of the create throughput runs")
    parser.add_argument(
        "--explain",
        nargs="?",
        const="year",
        choices=["month", "quarter", "year"],
        help="EXPLAIN ANALYZE the slowest figure queries of the range (default: year)",
    )
    parser.add_argument(
        "--jit-on",
        action="store_true",
        help="leave PostgreSQL's JIT compilation on (the portal turns it off: DATABASE_JIT=on)",
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_FIGURES_DATABASE_URL", DEFAULT_DATABASE_URL))
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the figures benchmark writes its data with PostgreSQL's SQL: give a postgres:// URL")
    if args.jit_on:
        os.environ["DATABASE_JIT"] = "on"
    setup(args.database_url)

    from django.db import connection
    from django.test import Client
    from figures_data import generate

    from cases.models import Complaint
    from liaison.deadlines import today
    from mediation.models import MediationCase
    from meetings.models import ActionItem

    started = time.perf_counter()
    world = demo_world()
    generate(world, complaints=args.complaints, items=args.action_items, mediation_cases=args.mediation_cases)
    print(f"data ready in {time.perf_counter() - started:.0f} s", flush=True)

    leader = world.users["court_leader"]
    client = Client()
    client.force_login(leader)
    ranges = periods(today())
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    print(
        f"\n{version} (jit {jit}): {Complaint.objects.count():,} complaints, {ActionItem.objects.count():,} action items "
        f"and tasks, {MediationCase.objects.count():,} mediation cases; as {leader.username}, "
        f"mechanism {world.mechanism.short_name} (id {world.mechanism.pk}); {args.repeat} runs each"
    )
    results = time_requests(client, world.mechanism, ranges, args.repeat)
    report = time_monthly_report(world.mechanism, ranges["month"], args.repeat)
    print_table(results, ranges, report)
    print_sweep_and_create(world, args.repeat, args.create_seconds)
    if args.explain:
        explain_heaviest(leader, world.mechanism, *ranges[args.explain], top=4)


if __name__ == "__main__":
    main()
