"""The list, search, detail and create benchmark on PostgreSQL, at 100 and 100,000 complaints in
scope, each request measured against a floor: a plain Django view over the same table.

    .venv/bin/python bench/run.py                       # postgres://postgres@127.0.0.1:5432/liaison_bench_{size}
    .venv/bin/python bench/run.py --database-url postgres://user@host:5432/name   # name_100, name_100000
    .venv/bin/python bench/run.py --sizes 100 20000 --repeat 5
    .venv/bin/python bench/run.py --only search --create-seconds 0   # the search requests, no create
    make bench                                          # the same through the Makefile

Each size has its own database (created, migrated and filled once; a second run only times) and its
own process; the processes time in turns, one pair of requests each, so that a drift of the
machine's speed reaches every size alike (the sweep and the creates run one size after the other).
The database of each size holds the demo mechanism 洛阳法院·工商联 with 1,000 enterprises and `size`
complaints, each with a case number, spread over the states so that half have a running (or
paused) deadline and nine in ten have been transferred (the court sees them). Every request is timed for the federation's staff (`fed_staff`)
and the court's clerk (`court_clerk`), interleaved with its floor (ours, floor, ours, floor, …)
after warm-up runs that are not counted; the figures are medians. Then 10 clients create
complaints through the API, against a plain create view: 10 processes by default, each with its
own interpreter and connection as gunicorn's workers have (`--create-clients threads`: 10 threads
of one process, sharing its interpreter lock). One run prints everything; `--json` also writes the
figures to a file.

The floors (`FloorList`, `FloorJson`, `FloorDetail`, `floor_create`) are defined here, not in the
product: unscoped ListView / JSON / DetailView / create over the same rows, with the same page size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from harness import BENCH_ENTERPRISE, ROOT, bench_enterprises, demo_world, setup
from sweep import measure_sweep, working_day_from

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/liaison_bench"
SIZES = (100, 100_000)
USERS = {"federation": "fed_staff", "court": "court_clerk"}
# One enterprise's name, chosen in each database by its data (`search_enterprise`): "企业" and the
# four digits of the bench enterprise with the most complaints (the first of them on a tie), so
# that the search finds complaints at every size (企业0000: 1 of 100 complaints, 100 of 100,000).
SEARCH_ENTERPRISE = "{enterprise}"
SEARCH_SHORT = "货款"  # a two-character word in one title in four
TITLE_WORDS = ("拖欠货款", "合同纠纷", "执行难", "机械设备", "工程款", "知识产权", "股权转让", "租赁合同")

# Each request: (label, path of ours, path of the floor, the 100k ÷ 100 goal, the ÷ floor goal).
REQUESTS = [
    ("list page 1 (HTML)", "/cases/complaints/", "/bench/floor/list/", 1.3, 3.0),
    ("list page 1 (API)", "/api/v1/complaints/", "/bench/floor/json/", 1.3, 3.0),
    ("overdue filter (API)", "/api/v1/complaints/?overdue=true", "/bench/floor/json/?overdue=1", 1.5, 3.0),
    ("due soon queue (HTML)", "/cases/complaints/?queue=due_soon", "/bench/floor/list/?due_soon=1", 1.5, 3.0),
    (
        f"search q={SEARCH_ENTERPRISE} (API)",
        f"/api/v1/complaints/?q={SEARCH_ENTERPRISE}",
        f"/bench/floor/json/?q={SEARCH_ENTERPRISE}",
        2.0,
        3.0,
    ),
    (
        f"search q={SEARCH_SHORT} (API)",
        f"/api/v1/complaints/?q={SEARCH_SHORT}",
        f"/bench/floor/json/?q={SEARCH_SHORT}",
        2.0,
        3.0,
    ),
    (
        f"search q={SEARCH_SHORT} (HTML)",
        f"/cases/complaints/?q={SEARCH_SHORT}",
        f"/bench/floor/list/?q={SEARCH_SHORT}",
        2.0,
        3.0,
    ),
    ("ordering=due (API)", "/api/v1/complaints/?ordering=due", "/bench/floor/json/?ordering=due", 1.5, 3.0),
    ("page 500 (HTML)", "/cases/complaints/?page=500", "/bench/floor/list/?page=500", 2.0, 3.0),
    ("detail page", "/cases/complaints/{pk}/", "/bench/floor/detail/{pk}/", 1.3, 2.0),
    (
        "search page /search/",
        f"/search/?q={SEARCH_ENTERPRISE}",
        f"/bench/floor/list/?q={SEARCH_ENTERPRISE}",
        2.0,
        3.0,
    ),
]
CREATE_GOAL = 0.5  # API creates per second ÷ the plain create view's


# --- the floor: plain Django views over the same table, defined here ---------------------------


def floor_urls() -> list:
    """The URL patterns of the floor views (the bench's ROOT_URLCONF adds them to the product's)."""
    from django.db.models import Q
    from django.http import JsonResponse
    from django.template import engines
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt
    from django.views.generic import DetailView, ListView

    from cases.models import Complaint
    from liaison.deadlines import today

    template = engines["django"].from_string

    def narrowed(request):
        rows = Complaint.objects.select_related("enterprise", "court")
        if request.GET.get("overdue"):
            rows = rows.filter(current_due__lt=today())
        if request.GET.get("due_soon"):
            rows = rows.filter(current_due__gte=today(), current_due__lte=today() + dt.timedelta(days=4))
        if request.GET.get("q"):
            rows = rows.filter(Q(title__icontains=request.GET["q"]) | Q(enterprise__name__icontains=request.GET["q"]))
        return (
            rows.order_by("current_due", "id") if request.GET.get("ordering") else rows.order_by("-created_at", "-id")
        )

    class FloorList(ListView):
        paginate_by = 25

        def get_queryset(self):
            return narrowed(self.request)

        def paginate_queryset(self, queryset, page_size):
            # Like the product's lists: a page past the end shows the last page.
            paginator = self.get_paginator(queryset, page_size)
            page = paginator.get_page(self.request.GET.get("page"))
            return paginator, page, page.object_list, page.has_other_pages()

        def render_to_response(self, context, **kwargs):
            page = template(
                "<table>{% for c in page_obj %}<tr><td>{{ c.serial }}</td><td>{{ c.title }}</td>"
                "<td>{{ c.enterprise.name }}</td><td>{{ c.court.name }}</td><td>{{ c.get_status_display }}</td>"
                "<td>{{ c.current_due }}</td></tr>{% endfor %}</table>{{ page_obj.paginator.count }}"
            )
            from django.http import HttpResponse

            return HttpResponse(page.render(context, self.request))

    def floor_json(request):
        rows = narrowed(request)
        page = list(rows[:50])
        return JsonResponse(
            {
                "count": rows.count(),
                "results": [
                    {
                        "id": c.pk,
                        "serial": c.serial,
                        "title": c.title,
                        "status": c.status,
                        "kind": c.kind,
                        "enterprise": {"id": c.enterprise_id, "name": c.enterprise.name},
                        "court": {"id": c.court_id, "name": c.court.name},
                        "due": c.current_due,
                        "created_at": c.created_at,
                    }
                    for c in page
                ],
            }
        )

    class FloorDetail(DetailView):
        queryset = Complaint.objects.select_related("enterprise", "court", "filing_organization")

        def render_to_response(self, context, **kwargs):
            from django.http import HttpResponse

            page = template(
                "<h1>{{ object.serial }} {{ object.title }}</h1><p>{{ object.enterprise.name }}</p>"
                "<p>{{ object.facts }}</p><p>{{ object.demands }}</p><p>{{ object.court.name }}</p>"
                "<p>{{ object.get_status_display }} {{ object.current_due }}</p>"
            )
            return HttpResponse(page.render(context, self.request))

    @csrf_exempt
    def floor_create(request):
        body = json.loads(request.body)
        complaint = Complaint.objects.create(
            mechanism_id=body["mechanism"],
            serial=f"P{time.time_ns()}{threading.get_ident() % 10000}",
            filing_organization_id=body["filing_organization"],
            court_id=body["court"],
            enterprise_id=body["enterprise"],
            kind=body["kind"],
            title=body["title"],
            facts=body["facts"],
            demands=body["demands"],
            created_by_id=request.user.pk,
        )
        return JsonResponse({"id": complaint.pk, "serial": complaint.serial}, status=201)

    return [
        path("bench/floor/list/", FloorList.as_view()),
        path("bench/floor/json/", floor_json),
        path("bench/floor/detail/<int:pk>/", FloorDetail.as_view()),
        path("bench/floor/create/", floor_create),
    ]


# --- the data ----------------------------------------------------------------------------------


def generate(total: int) -> None:
    """Bulk-insert `total` complaints with case numbers and, for half of them, an open deadline."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from cases.choices import ComplaintKind, Industry
    from cases.choices import ComplaintStatus as S
    from cases.durations import refresh_running_deadline
    from cases.models import Complaint, ComplaintCaseNumber
    from liaison.models import Deadline

    world = demo_world()
    mechanism, federation, court, staff = world.mechanism, world.federation, world.court, world.users["fed_staff"]
    have = Complaint.objects.filter(serial__startswith="B").count()
    if have >= total:
        print(f"data: {have} complaints already there", flush=True)
        return
    enterprises = bench_enterprises(world, 1000, Industry.values[:10])
    # Ten states in turn: five with an open deadline (four running, one paused), nine transferred.
    cycle = [
        (S.TRANSFERRED, "complaint.registration"),
        (S.REGISTERED, "complaint.feedback"),
        (S.ASSIGNED, "complaint.feedback"),
        (S.UNDER_REVIEW, "complaint.review"),
        (S.NEEDS_MATERIAL, "complaint.review"),
        (S.ANSWERED, None),
        (S.CLOSED, None),
        (S.ANSWERED, None),
        (S.CLOSED, None),
        (S.RETURNED, None),
    ]
    transferred = {S.TRANSFERRED, S.REGISTERED, S.ASSIGNED, S.ANSWERED, S.CLOSED, S.RETURNED}
    kinds = ComplaintKind.values
    content_type = ContentType.objects.get_for_model(Complaint)
    now, today = timezone.now(), timezone.localdate()
    started = time.perf_counter()
    batch = 5000
    for offset in range(have, total, batch):
        size = min(batch, total - offset)
        with transaction.atomic():
            rows = []
            for n in range(offset, offset + size):
                status, _kind = cycle[n % len(cycle)]
                word = TITLE_WORDS[n % len(TITLE_WORDS)]
                rows.append(
                    Complaint(
                        mechanism=mechanism,
                        serial=f"B{n:08d}",
                        filing_organization=federation,
                        court=court,
                        enterprise=enterprises[n % len(enterprises)],
                        kind=kinds[n % len(kinds)],
                        title=f"{word}问题久拖未决（第{n}号）",
                        facts=f"企业反映{word}一事，自{2020 + n % 6}年起多次协商未果。",
                        demands="请求依法及时处理。",
                        status=status,
                        created_by=staff,
                        created_at=now - dt.timedelta(minutes=total - n),
                        submitted_at=now - dt.timedelta(days=n % 365),
                        transferred_at=now - dt.timedelta(days=n % 300) if status in transferred else None,
                    )
                )
            Complaint.objects.bulk_create(rows, batch_size=1000)
            created = list(
                Complaint.objects.filter(serial__gte=f"B{offset:08d}", serial__lt=f"B{offset + size:08d}")
                .order_by()
                .values_list("pk", "serial")
            )
            ComplaintCaseNumber.objects.bulk_create(
                [
                    ComplaintCaseNumber(
                        complaint_id=pk, number=f"（{2020 + int(serial[1:]) % 6}）豫03民初{int(serial[1:])}号"
                    )
                    for pk, serial in created
                ],
                batch_size=2000,
            )
            deadlines = []
            for pk, serial in created:
                n = int(serial[1:])
                status, kind = cycle[n % len(cycle)]
                if kind is None:
                    continue
                due = today + dt.timedelta(days=(n % 41) - 20)
                deadlines.append(
                    Deadline(
                        kind=kind,
                        label="基准期限",
                        content_type=content_type,
                        object_id=str(pk),
                        mechanism=mechanism,
                        owner_organization=court if kind != "complaint.review" else federation,
                        start_date=due - dt.timedelta(days=21),
                        working_days=15,
                        due_date=due,
                        state="paused" if status == S.NEEDS_MATERIAL else "running",
                        paused_on=today if status == S.NEEDS_MATERIAL else None,
                    )
                )
            Deadline.objects.bulk_create(deadlines, batch_size=2000)
            refresh_running_deadline(Complaint.objects.filter(pk__in=[pk for pk, _serial in created]))
        print(f"data: {offset + size}/{total} complaints ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        # The creation times the loop meant (auto_now_add set them all to now).
        cursor.execute(
            "UPDATE cases_complaint SET created_at = %s - (%s - CAST(substr(serial, 2) AS integer)) "
            "* interval '1 minute' WHERE serial LIKE 'B%%'",
            [now, total],
        )
        # Each deadline computed on the morning of its start, as the services would have left it (the
        # reminder sweep reads those computed since its last run as changed; auto_now set them to now),
        # and an hour ago at the latest: a deadline computed within the sweep's margin (15 minutes)
        # would make the "sweep five minutes later" a full one right after the fill.
        cursor.execute(
            "UPDATE liaison_deadline SET computed_at = LEAST(%s, (start_date + time '09:00') AT TIME ZONE %s)",
            [now - dt.timedelta(hours=1), settings.TIME_ZONE],
        )
        for table in ("cases_complaint", "cases_complaintcasenumber", "liaison_deadline", "cases_enterprise"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    print(f"data: generated in {time.perf_counter() - started:.0f} s", flush=True)


# --- the measurement ---------------------------------------------------------------------------


@dataclass
class Pair:
    label: str
    user: str
    ours_ms: float
    floor_ms: float
    ratio: float  # median of the per-pair ratios ours ÷ floor
    queries: int
    floor_queries: int
    size_kb: float
    goal_scale: float
    goal_floor: float


@dataclass
class SizeResult:
    size: int
    in_scope: dict[str, int]
    pairs: list[Pair] = field(default_factory=list)
    creates_per_s: float = 0.0
    floor_creates_per_s: float = 0.0
    create_queries: int = 0
    create_clients: str = ""
    create_cost: str = ""  # CPU per create with one client (`CreateCost.line`)
    sweep: list[str] = field(default_factory=list)  # the reminder sweep's table at this size


def timed(client, url: str) -> tuple[float, int, int, float]:
    """One GET: seconds, status, queries, size in KB."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - start
    return seconds, response.status_code, len(ctx.captured_queries), len(response.content) / 1024


TURN_TIMEOUT = 1800.0  # seconds a size's process waits for its turn (the other may be filling its data)


class Turn:
    """Strict turns between the processes of the sizes (one semaphore each): a process times one
    pair of requests, then hands over to the next size, so that the sizes are timed interleaved and
    a drift of the machine's speed reaches all of them alike. Without semaphores (one size alone):
    no waiting."""

    def __init__(self, semaphores: list | None = None, index: int = 0, barrier=None) -> None:
        self.semaphores, self.index, self.barrier = semaphores or [], index, barrier

    def ready(self) -> None:
        """Wait until every size's process is set up, so that none times while another sets up."""
        if self.barrier is not None:
            self.barrier.wait(timeout=TURN_TIMEOUT)

    def __enter__(self) -> None:
        if self.semaphores and not self.semaphores[self.index].acquire(timeout=TURN_TIMEOUT):
            raise RuntimeError("another size's process did not hand over its turn")

    def __exit__(self, *exc: object) -> None:
        if self.semaphores:
            self.semaphores[(self.index + 1) % len(self.semaphores)].release()


def interleaved(client, ours: str, floor: str, *, warmup: int, repeat: int, turn: Turn | None = None) -> tuple:
    """Ours and the floor in turn; warm-up runs are thrown away. Each pair is one `turn`."""
    turn = turn or Turn()
    for _ in range(warmup):
        with turn:
            timed(client, ours)
            timed(client, floor)
    mine, theirs, ratios = [], [], []
    queries = floor_queries = 0
    size = 0.0
    for _ in range(repeat):
        with turn:
            seconds, status, queries, size = timed(client, ours)
            floor_seconds, floor_status, floor_queries, _size = timed(client, floor)
        assert status == 200, (ours, status)
        assert floor_status == 200, (floor, floor_status)
        mine.append(seconds)
        theirs.append(floor_seconds)
        ratios.append(seconds / floor_seconds)
    return statistics.median(mine), statistics.median(theirs), statistics.median(ratios), queries, floor_queries, size


def _client(url: str, bodies, user, slot: int, start: float, seconds: float) -> tuple[int, float, str]:
    """One client: logs in, waits for the common start, posts for `seconds`; (creates, end, first error)."""
    from django.db import connections
    from django.test import Client

    client = Client()
    client.force_login(user)
    time.sleep(max(0.0, start - time.time()))
    stop, n = time.perf_counter() + seconds, 0
    try:
        while time.perf_counter() < stop:
            response = client.post(url, json.dumps(bodies(slot, n)), content_type="application/json")
            if response.status_code != 201:
                return n, time.time(), f"{response.status_code} {response.content[:200]!r}"
            n += 1
        return n, time.time(), ""
    finally:
        connections.close_all()


def throughput(url: str, bodies, user, *, clients: int, seconds: float, as_processes: bool) -> tuple[float, int]:
    """Creates per second with `clients` clients posting JSON for `seconds`; the queries of one create.

    As processes (the default), each client is its own Python process with its own connection, as
    gunicorn's workers are; as threads, the clients share one process and its interpreter lock, so a
    request holding a database lock also waits for its turn among the other nine between round trips."""
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    start = time.time() + 1.0  # after every client has logged in
    if as_processes:
        context = multiprocessing.get_context("fork")
        results = context.SimpleQueue()
        connections.close_all()  # each child opens its own
        workers = [
            context.Process(target=lambda slot=slot: results.put(_client(url, bodies, user, slot, start, seconds)))
            for slot in range(clients)
        ]
        for worker in workers:
            worker.start()
        outcomes = [results.get() for _ in workers]
        for worker in workers:
            worker.join()
    else:
        outcomes = [(0, 0.0, "")] * clients

        def work(slot: int) -> None:
            outcomes[slot] = _client(url, bodies, user, slot, start, seconds)

        threads = [threading.Thread(target=work, args=(slot,)) for slot in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    errors = [error for _n, _end, error in outcomes if error]
    if errors:
        raise RuntimeError(f"{url}: {errors[0]}")
    rate = sum(n for n, _end, _error in outcomes) / (max(end for _n, end, _error in outcomes) - start)
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        client.post(url, json.dumps(bodies(clients, 0)), content_type="application/json")
    return rate, len(ctx.captured_queries)


def mount_floor() -> None:
    """Serve the floor views beside the product's URLs (the bench's own ROOT_URLCONF)."""
    from django.conf import settings
    from django.urls import clear_url_caches, include, path

    urlconf = type(sys)("bench_urls")
    urlconf.urlpatterns = [*floor_urls(), path("", include("liaison.urls"))]
    sys.modules["bench_urls"] = urlconf
    settings.ROOT_URLCONF = "bench_urls"
    settings.ALLOWED_HOSTS = ["*"]
    clear_url_caches()


def filing(world, enterprise, title: str, *, floor: bool) -> dict:
    """The JSON body of one filing (a unique title): the API's, or the plain create view's, which
    also names the mechanism and the filing organization that the API takes from the scope."""
    body = {
        "enterprise": enterprise.pk,
        "court": world.court.pk,
        "kind": "case_handling",
        "title": f"{title}-{time.time_ns()}",
        "facts": "企业反映合同款项未付。",
        "demands": "请求依法处理。",
        "case_numbers": [],
    }
    if floor:
        body.update(mechanism=world.mechanism.pk, filing_organization=world.federation.pk)
    return body


def measure_create(
    world, staff, seconds: float, clients: int = 10, as_processes: bool = True
) -> tuple[float, float, int]:
    """Complaints created per second by `clients` clients through the API and through the plain
    create view (mount_floor first): interleaved floor, ours, floor, ours, the medians of each, and
    the queries of one API create. The complaints made here are deleted afterwards, so that the
    next run finds the same data."""
    from django.db import connection

    from cases.models import Complaint
    from liaison.models import AuditEvent, Deadline, Notification

    enterprise = world.mechanism.enterprises.order_by("pk").first()

    def api_body(slot: int, n: int) -> dict:
        return filing(world, enterprise, f"吞吐测试诉求{slot}-{n}", floor=False)

    def floor_body(slot: int, n: int) -> dict:
        return filing(world, enterprise, f"吞吐测试诉求{slot}-{n}", floor=True)

    before = Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ours_rates, floor_rates, queries = [], [], 0
    for _ in range(2):
        floor_rates.append(
            throughput(
                "/bench/floor/create/", floor_body, staff, clients=clients, seconds=seconds, as_processes=as_processes
            )[0]
        )
        rate, queries = throughput(
            "/api/v1/complaints/", api_body, staff, clients=clients, seconds=seconds, as_processes=as_processes
        )
        ours_rates.append(rate)
    made = Complaint.objects.filter(pk__gt=before)
    Deadline.objects.filter(
        content_type__model="complaint", object_id__in=[str(pk) for pk in made.values_list("pk", flat=True)]
    ).delete()
    made.delete()
    # The creates and their deletion leave dead rows that autovacuum would otherwise clean up while
    # the next run times its requests: clean them up now.
    with connection.cursor() as cursor:
        for model in (Complaint, Deadline, AuditEvent, Notification):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return statistics.median(ours_rates), statistics.median(floor_rates), queries


@dataclass
class CreateCost:
    """CPU time of one create with a single client: of the client's process (request, view and
    test client) and of its database backend (PostgreSQL's process for its connection, read from
    /proc on the same host; 0 when it cannot be read)."""

    ours_process_ms: float
    ours_database_ms: float
    floor_process_ms: float
    floor_database_ms: float

    def line(self) -> str:
        ours, floor = self.ours_process_ms + self.ours_database_ms, self.floor_process_ms + self.floor_database_ms
        return (
            f"CPU per create, 1 client: API {self.ours_process_ms:.2f} ms in the process + "
            f"{self.ours_database_ms:.2f} ms in the database = {ours:.2f} ms; plain create view "
            f"{self.floor_process_ms:.2f} + {self.floor_database_ms:.2f} = {floor:.2f} ms "
            f"(floor ÷ API {floor / ours if ours else 0:.2f})"
        )


def measure_create_cost(world, staff, creates: int = 300) -> CreateCost:
    """CPU per create through the API and through the plain create view (mount_floor first), one
    client in this process, interleaved in rounds; the complaints made are deleted afterwards. With
    ten clients on a 2-core machine the rates are bound by this CPU (the number row's lock, held
    for a round trip less, changed nothing), so the ratio of these sums predicts the throughput's."""
    from django.db import connection
    from django.test import Client

    from cases.models import Complaint

    enterprise = world.mechanism.enterprises.order_by("pk").first()
    client = Client()
    client.force_login(staff)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    ticks = os.sysconf("SC_CLK_TCK")

    def database_cpu() -> float:
        try:
            fields = backend.read_text().rsplit(")", 1)[1].split()
        except OSError:  # another host
            return 0.0
        return (int(fields[11]) + int(fields[12])) / ticks

    def body(floor: bool, n: int) -> str:
        return json.dumps(filing(world, enterprise, f"耗时测试诉求{n}", floor=floor))

    before = Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    spent = {False: [0.0, 0.0], True: [0.0, 0.0]}
    rounds = 3
    for _ in range(rounds):
        for floor, url in ((True, "/bench/floor/create/"), (False, "/api/v1/complaints/")):
            for n in range(10):  # warm-up
                client.post(url, body(floor, n), content_type="application/json")
            process, database = time.process_time(), database_cpu()
            for n in range(creates // rounds):
                response = client.post(url, body(floor, n), content_type="application/json")
                assert response.status_code == 201, response.content[:200]
            spent[floor][0] += time.process_time() - process
            spent[floor][1] += database_cpu() - database
    Complaint.objects.filter(pk__gt=before).delete()
    each = 1000 / (creates // rounds * rounds)
    return CreateCost(spent[False][0] * each, spent[False][1] * each, spent[True][0] * each, spent[True][1] * each)


def search_enterprise() -> str:
    """The enterprise term of the search requests: "企业" and the four digits of the bench enterprise
    with the most complaints, the first of them on a tie (complaint n goes to enterprise n mod 1,000,
    so at 100 complaints only the first hundred have one). Chosen by the data rather than fixed,
    so that the search finds complaints at every size: a fixed 企业0420 had none at 100 complaints
    and timed an empty list there against 100 rows at 100,000."""
    from django.db.models import Count

    from cases.models import Enterprise

    enterprise = (
        Enterprise.objects.filter(name__startswith=BENCH_ENTERPRISE)
        .annotate(found=Count("complaints"))
        .order_by("-found", "pk")
        .first()
    )
    digits = enterprise.name[len(BENCH_ENTERPRISE) : len(BENCH_ENTERPRISE) + 4]
    return f"企业{digits}"


def measure_size(
    size: int,
    database_url: str,
    repeat: int,
    warmup: int,
    create_seconds: float,
    only: list[str] | None = None,
    create_clients: str = "processes",
    turn: Turn | None = None,
) -> SizeResult:
    """Fill (once) and time one database; runs in its own process. `only`: labels containing one of
    these. `turn`: the requests' pairs, and then the sweep and the creates together, in turns with
    the other sizes' processes."""
    turn = turn or Turn()
    setup(database_url)
    generate(size)

    from django.test import Client

    from cases.models import Complaint
    from cases.selectors import complaint_scope
    from liaison.models import User

    mount_floor()

    users = {side: User.objects.get(username=name) for side, name in USERS.items()}
    result = SizeResult(size, {side: complaint_scope(user).count() for side, user in users.items()})
    print(f"\n== {size} complaints: in scope {result.in_scope} ==", flush=True)
    detail_pk = Complaint.objects.filter(serial__startswith="B", transferred_at__isnull=False).order_by("pk").first().pk
    enterprise = search_enterprise()
    print(f"  the search requests' enterprise: {enterprise}", flush=True)
    turn.ready()
    for side, user in users.items():
        client = Client()
        client.force_login(user)
        for label, ours, floor, goal_scale, goal_floor in REQUESTS:
            if only and not any(word in label for word in only):
                continue
            ours_url = ours.format(pk=detail_pk, enterprise=enterprise)
            floor_url = floor.format(pk=detail_pk, enterprise=enterprise)
            label = label.format(enterprise=enterprise)
            mine, theirs, ratio, queries, floor_queries, kb = interleaved(
                client, ours_url, floor_url, warmup=warmup, repeat=repeat, turn=turn
            )
            pair = Pair(
                label, side, mine * 1000, theirs * 1000, ratio, queries, floor_queries, kb, goal_scale, goal_floor
            )
            result.pairs.append(pair)
            print(
                f"  {side:<10} {label:<34} ours {pair.ours_ms:8.1f} ms  floor {pair.floor_ms:7.1f} ms  "
                f"÷floor {ratio:5.2f} (goal ≤ {goal_floor})  queries {queries}/{floor_queries}",
                flush=True,
            )
    with turn:  # the sweep and the creates load the machine: one size at a time
        sweep_and_create(result, users["federation"], repeat, create_seconds, only, create_clients)
    return result


def sweep_and_create(
    result: SizeResult, staff, repeat: int, create_seconds: float, only: list[str] | None, create_clients: str
) -> None:
    if not only or any(word in "reminder sweep" for word in only):
        # The sweep of today (the next working day on a day off) over this database's running
        # deadlines, against its bare SELECT (and the SELECT plus a bare INSERT of as many rows),
        # each run rolled back: `sweep.measure_sweep`.
        from liaison.deadlines import today

        result.sweep = measure_sweep(working_day_from(today()), repeat).lines(repeat)
        print("\n".join(f"  {line}" for line in result.sweep), flush=True)
    if create_seconds <= 0 or (only and not any(word in "API create" for word in only)):
        return
    result.creates_per_s, result.floor_creates_per_s, result.create_queries = measure_create(
        demo_world(), staff, create_seconds, as_processes=create_clients == "processes"
    )
    result.create_clients = create_clients
    result.create_cost = measure_create_cost(demo_world(), staff).line()
    print(f"  {result.create_cost}", flush=True)
    print(
        f"  create, 10 clients ({create_clients}): ours {result.creates_per_s:.1f}/s, plain create view "
        f"{result.floor_creates_per_s:.1f}/s, {result.create_queries} queries per API create",
        flush=True,
    )


# --- the report --------------------------------------------------------------------------------


def report(results: list[SizeResult]) -> str:
    """The table of the run: per request and user, each size's time, ÷ floor, and the scale ratio."""
    small, large = results[0], results[-1]
    lines = [
        f"\nPostgreSQL, medians of interleaved runs; {small.size} vs {large.size} complaints "
        f"(in scope: {small.in_scope} / {large.in_scope}); ✓ meets the goal, ✗ misses it.\n",
        f"| request | user | {small.size}: ms (÷ floor) | {large.size}: ms (÷ floor, goal) | "
        f"{large.size} ÷ {small.size} (goal) | queries |",
        "|---|---|---|---|---|---|",
    ]
    mark = lambda ok: "✓" if ok else "✗"  # noqa: E731
    for a, b in zip(small.pairs, large.pairs, strict=True):
        scale = b.ours_ms / a.ours_ms
        lines.append(
            f"| {a.label} | {a.user} | {a.ours_ms:.1f} ({a.ratio:.2f}) | {b.ours_ms:.1f} ({b.ratio:.2f}, "
            f"≤ {b.goal_floor} {mark(b.ratio <= b.goal_floor)}) | {scale:.2f} (≤ {a.goal_scale} "
            f"{mark(scale <= a.goal_scale)}) | {a.queries} / {b.queries} |"
        )
    for result in results:
        if not result.floor_creates_per_s:  # not timed (--create-seconds 0)
            continue
        share = result.creates_per_s / result.floor_creates_per_s if result.floor_creates_per_s else 0.0
        lines.append(
            f"\nAPI create at {result.size}, 10 clients as {result.create_clients}: {result.creates_per_s:.1f}/s against "
            f"{result.floor_creates_per_s:.1f}/s for a plain create view = {share:.2f}× "
            f"(goal ≥ {CREATE_GOAL} {mark(share >= CREATE_GOAL)}); {result.create_queries} queries "
            f"per API create. {result.create_cost}."
        )
    for result in results:
        if result.sweep:
            lines.append(f"\nAt {result.size} complaints, " + "\n".join(result.sweep))
    lines.append(
        "\n`make bench-sweep` times the sweep over 1,000,000 deadlines, `make bench-figures` over 2.5 million."
    )
    return "\n".join(lines)


def database_for(base: str, size: int) -> str:
    return f"{base}_{size}"


def run_size(args: argparse.Namespace, size: int, out: Path, semaphores: list, barrier, index: int) -> None:
    """One size's process: time it in turns with the others and write its figures to `out`."""
    result = measure_size(
        size,
        database_for(args.database_url, size),
        args.repeat,
        args.warmup,
        args.create_seconds,
        args.only,
        args.create_clients,
        Turn(semaphores, index, barrier),
    )
    out.write_text(json.dumps(asdict(result), ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="base URL: each size uses the database <name>_<size>",
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--create-seconds", type=float, default=8.0)
    parser.add_argument(
        "--create-clients",
        choices=("processes", "threads"),
        default="processes",
        help="the 10 create clients as processes (as gunicorn's workers; default) or as threads of one process",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--only",
        nargs="+",
        help="time only the requests whose label contains one of these words (e.g. search; 'create': the creates)",
    )
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark runs on PostgreSQL")
    # One process per size, each with its own database connection and settings, all started at
    # once and timing in turns (`Turn`).
    sizes = sorted(args.sizes)
    context = multiprocessing.get_context("spawn")
    semaphores = [context.Semaphore(1 if index == 0 else 0) for index in range(len(sizes))]
    barrier = context.Barrier(len(sizes))
    outs = [ROOT / "var" / "bench" / f"run-{size}.json" for size in sizes]
    outs[0].parent.mkdir(parents=True, exist_ok=True)
    workers = [
        context.Process(target=run_size, args=(args, size, out, semaphores, barrier, index))
        for index, (size, out) in enumerate(zip(sizes, outs, strict=True))
    ]
    for worker in workers:
        worker.start()
    while any(worker.is_alive() for worker in workers):
        if any(worker.exitcode not in (None, 0) for worker in workers):
            for worker in workers:
                worker.terminate()
            raise SystemExit("a size's process failed")
        time.sleep(0.5)
    if any(worker.exitcode != 0 for worker in workers):
        raise SystemExit("a size's process failed")
    results = []
    for out in outs:
        data = json.loads(out.read_text())
        data["pairs"] = [Pair(**pair) for pair in data["pairs"]]
        results.append(SizeResult(**data))
    text = report(results)
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
