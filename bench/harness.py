"""What the benchmark scripts share: the database set-up, the demo world, the enterprises and the timer.

The scripts run as `python bench/<script>.py`, so this module is imported as `harness`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_ENTERPRISE = "基准测试企业"


def create_postgres_database(database_url: str) -> None:
    """Create the PostgreSQL database named in `database_url` if it does not exist yet."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    settings = dj_database_url.parse(database_url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["NAME"])))
                print(f"created database {settings['NAME']}", flush=True)
    finally:
        connection.close()


def setup(database_url: str | None) -> None:
    """Point Django at the benchmark database (SQLite under var/bench by default) and migrate it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    os.environ.setdefault("LIAISON_VAR_DIR", str(ROOT / "var" / "bench"))
    (Path(os.environ["LIAISON_VAR_DIR"]) / "staticfiles").mkdir(parents=True, exist_ok=True)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-key-Hq4Nw8Rt2Yv6Kc9Ms3Dp7Lx1Gb5Zf0Tj-not-for-production")
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["SECURE_COOKIES"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}")
    if os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        create_postgres_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@dataclass
class World:
    """The demo mechanism the benchmarks fill, with its two parties and the users they act as."""

    mechanism: object
    federation: object
    court: object
    users: dict


def demo_world() -> World:
    """Load the demo data (idempotent) and return the Luoyang mechanism with its parties and users."""
    from liaison.demo import loader
    from liaison.models import Mechanism, Organization, User

    loader.load()
    return World(
        mechanism=Mechanism.objects.get(short_name="洛阳法院·工商联"),
        federation=Organization.objects.get(name="洛阳市工商业联合会"),
        court=Organization.objects.get(name="洛阳市中级人民法院"),
        users={
            user.username: user
            for user in User.objects.filter(
                username__in=["fed_staff", "fed_reviewer", "court_clerk", "court_handler", "court_leader", "secretary"]
            )
        },
    )


def bench_enterprises(world: World, count: int, industries: list[str]) -> list:
    """`count` enterprises of the mechanism (made once), cycling through `industries` and the four sizes."""
    from cases.choices import EnterpriseSize
    from cases.models import Enterprise
    from cases.validators import credit_code_check_char

    sizes = [EnterpriseSize.LARGE, EnterpriseSize.MEDIUM, EnterpriseSize.SMALL, EnterpriseSize.MICRO]
    rows = []
    for n in range(count):
        first17 = f"91410300MA{n:07d}"
        rows.append(
            Enterprise(
                mechanism=world.mechanism,
                registered_by=world.federation,
                name=f"{BENCH_ENTERPRISE}{n:04d}有限公司",
                credit_code=first17 + credit_code_check_char(first17),
                size=sizes[n % len(sizes)],
                industry=industries[n % len(industries)],
                contact_phone="13800000000",
            )
        )
    Enterprise.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return list(Enterprise.objects.filter(mechanism=world.mechanism, name__startswith=BENCH_ENTERPRISE).order_by("pk"))


@dataclass
class Timing:
    label: str
    median_ms: float
    max_ms: float
    queries: str
    size_kb: float | None


def measure(label: str, call, repeat: int, *, response: bool = True) -> Timing:
    """Run `call` `repeat` times; the median and slowest wall time and the SQL queries of each run.

    With `response`, `call` returns an HTTP response that must be 200 (its size is reported).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, counts, size = [], set(), None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = call()
            timings.append(time.perf_counter() - start)
        if response:
            assert result.status_code == 200, (label, result.status_code)
            size = len(result.content) / 1024
        counts.add(len(ctx.captured_queries))
    low, high = min(counts), max(counts)
    timing = Timing(
        label,
        statistics.median(timings) * 1000,
        max(timings) * 1000,
        str(low) if low == high else f"{low}–{high}",
        size,
    )
    print(format_timing(timing), flush=True)
    return timing


def format_timing(timing: Timing) -> str:
    size = "" if timing.size_kb is None else f"{timing.size_kb:8.1f} KB"
    return (
        f"{timing.label:<50} median {timing.median_ms:9.1f} ms   max {timing.max_ms:9.1f} ms   "
        f"queries {timing.queries:>3}   {size}"
    )
