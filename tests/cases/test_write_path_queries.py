"""Fixed costs of the write path: the queries of an API create, and of the transfer letter PDF
whatever the number of complaints it lists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.validators import parse_case_numbers
from liaison import scope_token

from ..conftest import login

# Session and user, the user with the scope's token (2: the user's units, mechanisms and roles, and
# the routing parties of the user's mechanisms, are kept while the token holds, `liaison.scope_token`);
# the enterprise with its mechanism (1); the duplicate check (1); then last, while the number row and
# the chain head are locked: the number (1 upsert), the complaint with its serial and its case
# numbers (2), the audit event with its chain head (3). The answer is shaped from the complaint in
# hand, with the case numbers it was filed with: no query. No session write. It was 34, then 23, 17,
# 15 (a placeholder serial, updated once the number was taken), 14 (the court read by its id), 13
# (the roles read on their own), 12, 10 (the scope kept, its token read with the user). When the
# scope changed since it was last read, 2 more: the units, mechanisms and roles, and the routing
# parties with their organizations, the court among them. On PostgreSQL the locked part is 3
# statements instead of 6: the number, the complaint and the chain head's lock (with the event's
# id) in one, the case numbers, the event with the head's update in one.
API_CREATE_STATEMENTS = 7 if connection.vendor == "postgresql" else 10
# Plus the savepoint of the service (and its release); the audit record sets none of its own.
API_CREATE_QUERIES = API_CREATE_STATEMENTS + 2


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def body(cast, n: int) -> dict:
    return {
        "enterprise": cast.enterprise.pk,
        "court": cast.world.court.pk,
        "kind": "case_handling",
        "title": f"合同纠纷案件久拖未结{n}",
        "facts": "2021年起诉至今未审结。",
        "demands": "请求依法及时审理。",
        "case_numbers": [f"（2021）豫03民初{100 + n}号"],
    }


def test_an_api_create_runs_a_fixed_number_of_queries(cast, api_client):
    login(api_client, cast.staff)
    scope_token.forget_all()  # what the fixtures' services read is not kept: the scope is read
    with CaptureQueriesContext(connection) as first:
        assert api_client.post("/api/v1/complaints/", body(cast, 0), format="json").status_code == 201
    # The scope read: the units, mechanisms and roles, and the routing parties (besides, a first
    # request of a process may read content types, whose cache Django keeps per process).
    assert sum('"liaison_mechanismparty"' in q["sql"] for q in first.captured_queries) == 2
    with CaptureQueriesContext(connection) as ctx:
        response = api_client.post("/api/v1/complaints/", body(cast, 1), format="json")
    assert response.status_code == 201, response.json()
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == API_CREATE_STATEMENTS, "\n".join(s[:120] for s in statements)
    assert len(ctx.captured_queries) == API_CREATE_QUERIES
    assert not any('"liaison_mechanismparty"' in s for s in statements)  # the scope is kept
    assert not any("django_session" in s and s.startswith("UPDATE") for s in statements)


@pytest.mark.parametrize("extra", [{}, {"amount_involved": "1234.5", "is_major": True, "major_reason": " 重大 "}])
def test_the_create_answer_is_the_detail_the_api_shows_afterwards(cast, api_client, extra):
    # The answer is rendered from the complaint in hand, not read again.
    login(api_client, cast.staff)
    created = api_client.post("/api/v1/complaints/", {**body(cast, 7), **extra}, format="json")
    assert created.status_code == 201, created.json()
    shown = api_client.get(f"/api/v1/complaints/{created.json()['id']}/")
    assert created.json() == shown.json()
    assert created.json()["case_numbers"] == ["（2021）豫03民初107号"]


def queued(cast, count: int) -> list:
    rows = []
    for n in range(count):
        complaint = cast.to_review(
            title=f"诉求{n}", case_numbers=parse_case_numbers(f"（2021）豫03民初{200 + n}号，（2022）豫03民终{n + 1}号")
        )
        rows.append(services.complaint_queue(actor=cast.reviewer, complaint=complaint))
    return rows


def pdf_queries(client, transfer) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/cases/transfers/{transfer.pk}/pdf/")
    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")
    return len(ctx.captured_queries)


def test_the_transfer_letter_pdf_runs_a_fixed_number_of_queries(cast, client):
    one = services.complaints_transfer_batch(actor=cast.reviewer, complaints=queued(cast, 1))[0]
    six = services.complaints_transfer_batch(actor=cast.reviewer, complaints=queued(cast, 6))[0]
    assert six.complaints.count() == 6
    login(client, cast.staff)
    pdf_queries(client, one)
    assert pdf_queries(client, six) == pdf_queries(client, one)
