"""Benchmarks: generate 100,000 complaints with their events, then time the complaint list page,
the list endpoint and the Excel export of 10,000 rows; print median and slowest times and query counts.

    python bench/run.py                     # SQLite file var/bench/bench.sqlite3
    python bench/run.py --database-url postgres://... --complaints 100000   # the database is created if missing

The data is generated with bulk inserts (not through the services) into its own database. The
dashboard figures and the monthly report over 1,000,000 complaints: `bench/figures.py`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import time

from harness import bench_enterprises, demo_world, measure, setup


def generate(total: int) -> None:
    """Bulk-insert `total` complaints spread over the states, with deadlines and audit events."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from cases.choices import ComplaintKind, ComplaintStatus, Industry
    from cases.models import Complaint
    from liaison.models import AuditEvent, Deadline

    world = demo_world()
    mechanism, federation, court, staff = world.mechanism, world.federation, world.court, world.users["fed_staff"]
    have = Complaint.objects.filter(mechanism=mechanism).count()
    if have >= total:
        print(f"data: {have} complaints already there")
        return
    enterprises = bench_enterprises(world, 1000, Industry.values[:10])
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
