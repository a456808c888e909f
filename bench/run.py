"""Benchmarks: generate 100,000 complaints with their events, then time the complaint list page,
the list endpoint and the Excel export of 10,000 rows; print median times and query counts.

    python bench/run.py                     # SQLite file var/bench/bench.sqlite3
    DATABASE_URL=postgres://... python bench/run.py --complaints 100000

The data is generated with bulk inserts (not through the services) into its own database.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    os.environ.setdefault("LIAISON_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ["DEBUG"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["SECURE_COOKIES"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(total: int) -> None:
    """Bulk-insert `total` complaints spread over the states, with deadlines and audit events."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from cases.choices import ComplaintKind, ComplaintStatus, Industry
    from cases.models import Complaint, Enterprise
    from cases.validators import credit_code_check_char
    from liaison.demo import loader
    from liaison.models import AuditEvent, Deadline, Mechanism, Organization, User

    loader.load()
    mechanism = Mechanism.objects.get(short_name="洛阳法院·工商联")
    have = Complaint.objects.filter(mechanism=mechanism).count()
    if have >= total:
        print(f"data: {have} complaints already there")
        return
    federation = Organization.objects.get(name="洛阳市工商业联合会")
    court = Organization.objects.get(name="洛阳市中级人民法院")
    staff = User.objects.get(username="fed_staff")
    industries = [i for i in Industry.values][:10]
    enterprises = []
    for n in range(1000):
        first17 = f"91410300MA{n:07d}"
        enterprises.append(Enterprise(
            mechanism=mechanism, registered_by=federation, name=f"基准测试企业{n:04d}有限公司",
            credit_code=first17 + credit_code_check_char(first17), size=["large", "medium", "small", "micro"][n % 4],
            industry=industries[n % 10], contact_phone="13800000000"))
    Enterprise.objects.bulk_create(enterprises, ignore_conflicts=True, batch_size=1000)
    enterprises = list(Enterprise.objects.filter(mechanism=mechanism, name__startswith="基准测试企业").order_by("pk"))
    states = [s for s in ComplaintStatus.values]
    kinds = ComplaintKind.values
    ct = ContentType.objects.get_for_model(Complaint)
    now = timezone.now()
    today = timezone.localdate()
    started = time.perf_counter()
    batch = 5000
    for offset in range(have, total, batch):
        size = min(batch, total - offset)
        with transaction.atomic():
            rows = [
                Complaint(
                    mechanism=mechanism, serial=f"B{offset + i:08d}", filing_organization=federation, court=court,
                    enterprise=enterprises[(offset + i) % len(enterprises)], kind=kinds[(offset + i) % len(kinds)],
                    title=f"基准诉求{offset + i}", facts="事实", demands="诉求", status=states[(offset + i) % len(states)],
                    created_by=staff, submitted_at=now - dt.timedelta(days=(offset + i) % 365),
                    transferred_at=now if states[(offset + i) % len(states)] not in (
                        "draft", "submitted", "under_review", "needs_material", "declined", "queued", "withdrawn")
                    else None,
                )
                for i in range(size)
            ]
            Complaint.objects.bulk_create(rows, batch_size=1000)
            created = list(Complaint.objects.filter(serial__gte=f"B{offset:08d}", serial__lt=f"B{offset + size:08d}")
                           .values_list("pk", "status"))
            Deadline.objects.bulk_create([
                Deadline(kind="complaint.feedback", label="反馈", content_type=ct, object_id=str(pk),
                         mechanism=mechanism, owner_organization=court,
                         start_date=today + dt.timedelta(days=(pk % 40) - 41),
                         working_days=15, due_date=today + dt.timedelta(days=(pk % 40) - 20))
                for pk, status in created if status in ("transferred", "registered", "assigned")
            ], batch_size=1000)
            AuditEvent.objects.bulk_create([
                AuditEvent(created_at=now, actor=staff, actor_name=staff.display_name, content_type=ct,
                           object_id=str(pk), object_repr=f"基准诉求{pk}", action=action, to_state=status,
                           prev_hash="0" * 64, hash=f"{pk:032d}{n:032d}")
                for pk, status in created for n, action in enumerate(("create", "submit"))
            ], batch_size=2000)
        print(f"data: {offset + size}/{total} complaints ({time.perf_counter() - started:.0f} s)", flush=True)


def measure(label: str, call, repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, size = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = call()
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (label, response.status_code)
        queries, size = len(ctx.captured_queries), len(response.content)
    print(f"{label:<44} median {statistics.median(timings) * 1000:8.1f} ms   queries {queries:3d}   "
          f"{size / 1024:8.1f} KB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    setup(args.database_url)
    generate(args.complaints)

    from django.db import connection
    from django.test import Client

    from cases.models import Complaint
    from liaison.models import User

    client = Client()
    client.force_login(User.objects.get(username="fed_staff"))
    total = Complaint.objects.count()
    export_filter = "industry=C"
    export_rows = Complaint.objects.filter(enterprise__industry="C").count()
    print(f"\n{connection.vendor}: {total} complaints; export filter {export_filter} selects {export_rows} rows\n")
    measure("complaint list page /cases/complaints/", lambda: client.get("/cases/complaints/"), args.repeat)
    measure("  … filtered, page 40", lambda: client.get("/cases/complaints/?kind=enforcement&page=40"), args.repeat)
    measure("list endpoint /api/v1/complaints/", lambda: client.get("/api/v1/complaints/"), args.repeat)
    measure("  … overdue filter", lambda: client.get("/api/v1/complaints/?overdue=true"), args.repeat)
    measure(f"Excel export ({export_rows} rows)",
            lambda: client.get(f"/cases/complaints/export.xlsx?{export_filter}"), max(1, args.repeat // 2))


if __name__ == "__main__":
    main()
