"""The cases API: outsiders find nothing, lists filter and cost a fixed number of queries, the schema documents it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.choices import ComplaintStatus as S
from cases.models import Complaint, Enterprise
from cases.validators import credit_code_check_char, parse_case_numbers
from liaison import deadlines
from liaison.models import AuditEvent

from ..conftest import login
from .conftest import VALID_CODES


@pytest.fixture
def client(api_client):
    return api_client


# --- outsiders -----------------------------------------------------------------------------------

COMPLAINT_CALLS = [
    ("get", ""),
    ("patch", ""),
    ("get", "messages/"),
    ("post", "messages/"),
    ("get", "files/"),
    ("post", "files/"),
    *[
        ("post", f"{name}/")
        for name in [
            "submit",
            "start-review",
            "request-material",
            "supply-material",
            "decline",
            "queue",
            "transfer-now",
            "withdraw",
            "register",
            "court-return",
            "assign",
            "answer",
            "close",
            "reopen",
            "reroute",
            "request-extension",
            "decide-extension",
            "case-review",
        ]
    ],
]
BODIES = {
    "messages/": {"body": "你好"},
    "register/": {"registration_number": "DJ-9"},
    "": {"title": "改"},
    "request-material/": {"reason": "理由"},
    "decline/": {"reason": "理由"},
    "withdraw/": {"reason": "理由"},
    "court-return/": {"reason": "理由"},
    "reopen/": {"reason": "理由"},
    "answer/": {"answer": "结果"},
    "request-extension/": {"reason": "理由"},
    "decide-extension/": {"approve": True},
    "case-review/": {"outcome": "retrial"},
}


def call(client, method: str, url: str, body: dict | None):
    if method == "get":
        return client.get(url)
    if url.endswith("files/"):
        return client.post(url, {}, format="multipart")
    return getattr(client, method)(url, body or {}, format="json")


@pytest.mark.parametrize("method, path", COMPLAINT_CALLS, ids=[f"{m}-{p or 'detail'}" for m, p in COMPLAINT_CALLS])
def test_an_outsider_finds_no_complaint_and_changes_nothing(cast, client, method, path):
    complaint = cast.transferred()
    url = f"/api/v1/complaints/{complaint.pk}/{path}"
    events = AuditEvent.objects.count()
    login(client, cast.world.charlie)
    assert call(client, method, url, BODIES.get(path)).status_code == 404
    assert AuditEvent.objects.count() == events
    assert Complaint.objects.get(pk=complaint.pk).status == S.TRANSFERRED
    login(client, cast.staff)  # the filing federation finds it (and may or may not be allowed to act)
    assert call(client, method, url, BODIES.get(path)).status_code != 404


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("get", "", None),
        ("put", "", {"name": "改名", "credit_code": VALID_CODES[0], "size": "small", "industry": "C"}),
        ("patch", "", {"name": "改名"}),
    ],
)
def test_an_outsider_finds_no_enterprise(cast, client, method, path, body):
    url = f"/api/v1/enterprises/{cast.enterprise.pk}/{path}"
    login(client, cast.world.charlie)
    assert call(client, method, url, body).status_code == 404
    assert Enterprise.objects.get(pk=cast.enterprise.pk).name == "洛阳某机械制造有限公司"
    login(client, cast.staff)
    assert call(client, method, url, body).status_code == 200


@pytest.mark.parametrize("path", ["", "pdf/"])
def test_an_outsider_finds_no_transfer(cast, client, path):
    transfer = cast.transferred().transfer
    url = f"/api/v1/transfers/{transfer.pk}/{path}"
    login(client, cast.world.charlie)
    assert client.get(url).status_code == 404
    login(client, cast.staff)
    assert client.get(url).status_code == 200


def test_an_outsiders_lists_are_empty_and_it_cannot_batch_others_complaints(cast, client):
    complaint = cast.to_review()
    services.complaint_queue(actor=cast.reviewer, complaint=complaint)
    cast.transferred()
    login(client, cast.world.charlie)
    for url in ["/api/v1/complaints/", "/api/v1/enterprises/", "/api/v1/transfers/"]:
        assert client.get(url).json()["count"] == 0, url
    response = client.post("/api/v1/transfers/batch/", {"complaints": [complaint.pk]}, format="json")
    assert response.status_code == 400 and "complaints" in response.json()
    assert Complaint.objects.get(pk=complaint.pk).status == S.QUEUED
    response = client.post(
        "/api/v1/complaints/",
        {
            "enterprise": cast.enterprise.pk,
            "court": cast.world.court.pk,
            "kind": "consultation",
            "title": "标题",
            "facts": "事实",
            "demands": "诉求",
        },
        format="json",
    )
    assert response.status_code == 400 and set(response.json()) == {"enterprise", "court"}


def test_the_court_sees_a_complaint_only_once_transferred(cast, client):
    draft, transferred = cast.file(), cast.transferred()
    login(client, cast.clerk)
    assert client.get(f"/api/v1/complaints/{draft.pk}/").status_code == 404
    assert [row["id"] for row in client.get("/api/v1/complaints/").json()["results"]] == [transferred.pk]


def test_anonymous_callers_are_refused(cast, client):
    for url in ["/api/v1/complaints/", "/api/v1/enterprises/", "/api/v1/transfers/"]:
        assert client.get(url).status_code in (401, 403)


# --- filters -------------------------------------------------------------------------------------


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_the_complaint_list_takes_every_filter(cast, client, monkeypatch):
    draft = cast.file(title="草稿一件")
    reviewing = cast.to_review(title="审核中的一件", kind="enforcement")
    transferred = cast.transferred()
    login(client, cast.staff)
    assert ids(client.get("/api/v1/complaints/?queue=drafts")) == [draft.pk]
    assert ids(client.get("/api/v1/complaints/?queue=to_review")) == [reviewing.pk]
    assert ids(client.get("/api/v1/complaints/?queue=awaiting_court")) == [transferred.pk]
    assert set(ids(client.get("/api/v1/complaints/?status=draft&status=transferred"))) == {draft.pk, transferred.pk}
    assert ids(client.get("/api/v1/complaints/?kind=enforcement")) == [reviewing.pk]
    assert ids(client.get("/api/v1/complaints/?q=草稿")) == [draft.pk]
    assert len(ids(client.get("/api/v1/complaints/?q=豫03民初123"))) == 3
    assert len(ids(client.get(f"/api/v1/complaints/?enterprise={cast.enterprise.pk}&industry=C&size=small"))) == 3
    assert len(ids(client.get(f"/api/v1/complaints/?court={cast.world.court.pk}"))) == 3
    assert ids(client.get("/api/v1/complaints/?is_major=true")) == [transferred.pk]
    today = dt.date.today().isoformat()
    assert set(ids(client.get(f"/api/v1/complaints/?submitted_from={today}&submitted_to={today}"))) == {
        reviewing.pk,
        transferred.pk,
    }
    serials = [row["serial"] for row in client.get("/api/v1/complaints/?ordering=serial").json()["results"]]
    assert serials == sorted(serials)
    assert ids(client.get("/api/v1/complaints/?overdue=true")) == []
    monkeypatch.setattr(deadlines, "today", lambda: dt.date.today() + dt.timedelta(days=60))
    assert set(ids(client.get("/api/v1/complaints/?overdue=true"))) == {reviewing.pk, transferred.pk}
    row = client.get(f"/api/v1/complaints/{transferred.pk}/").json()
    assert row["deadline"]["text"].startswith("已逾期") and row["deadline"]["working_days"] < 0


def test_bad_filter_values_are_refused(cast, client):
    login(client, cast.staff)
    assert client.get("/api/v1/complaints/?status=nonsense").status_code == 400
    assert client.get(f"/api/v1/complaints/?enterprise={cast.enterprise.pk + 100}").status_code == 400
    assert client.get("/api/v1/complaints/?submitted_from=yesterday").status_code == 400


def test_the_enterprise_list_searches_and_filters(cast, client):
    services.enterprise_register(
        actor=cast.staff,
        mechanism=cast.world.mechanism,
        data=services.EnterpriseData(name="某软件有限公司", credit_code=VALID_CODES[1], size="micro", industry="I"),
    )
    login(client, cast.staff)
    names = lambda url: [row["name"] for row in client.get(url).json()["results"]]  # noqa: E731
    assert names("/api/v1/enterprises/?q=软件") == ["某软件有限公司"]
    assert names(f"/api/v1/enterprises/?q={VALID_CODES[0].lower()}") == ["洛阳某机械制造有限公司"]
    assert names("/api/v1/enterprises/?size=small") == ["洛阳某机械制造有限公司"]
    assert names("/api/v1/enterprises/?industry=I") == ["某软件有限公司"]


# --- query counts --------------------------------------------------------------------------------


def add_complaints(cast, count: int) -> None:
    """Complaints in every kind of state: drafts, under review, transferred, assigned with a handler."""
    for n in range(count):
        numbers = parse_case_numbers(f"（2024）豫03民初{1000 + n}号")
        [cast.file, cast.to_review, cast.transferred][n % 3](title=f"诉求{n}", case_numbers=numbers)
    cast.assigned()


def add_enterprises(cast, count: int) -> None:
    for n in range(count):
        first17 = f"9135010{Enterprise.objects.count():04d}00010Y"
        services.enterprise_register(
            actor=cast.staff,
            mechanism=cast.world.mechanism,
            data=services.EnterpriseData(
                name=f"企业{n}",
                credit_code=first17 + credit_code_check_char(first17),
                size="small",
                industry="C",
                contact_phone="13812345678",
            ),
        )


@pytest.mark.parametrize(
    "user, url",
    [
        ("staff", "/api/v1/complaints/"),
        ("staff", "/api/v1/complaints/?queue=awaiting_court&ordering=due"),
        ("clerk", "/api/v1/complaints/"),
        ("staff", "/api/v1/enterprises/"),
        ("clerk", "/api/v1/enterprises/"),
        ("staff", "/api/v1/transfers/"),
        ("clerk", "/api/v1/transfers/"),
    ],
)
def test_lists_use_a_fixed_number_of_queries(cast, client, django_assert_max_num_queries, user, url):
    login(client, getattr(cast, user))
    add_complaints(cast, 2)
    add_enterprises(cast, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_complaints(cast, 12)
    add_enterprises(cast, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
        assert response.status_code == 200
    assert response.json()["count"] >= 1


# --- the schema ----------------------------------------------------------------------------------


def test_the_schema_documents_the_cases_endpoints(cast, client):
    login(client, cast.staff)
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/enterprises/",
        "/api/v1/enterprises/{id}/",
        "/api/v1/complaints/",
        "/api/v1/complaints/{id}/",
        "/api/v1/complaints/{id}/start-review/",
        "/api/v1/complaints/{id}/decide-extension/",
        "/api/v1/complaints/{id}/messages/",
        "/api/v1/complaints/{id}/files/",
        "/api/v1/transfers/",
        "/api/v1/transfers/{id}/pdf/",
        "/api/v1/transfers/batch/",
    ]:
        assert path in paths, path
    parameters = {p["name"] for p in paths["/api/v1/complaints/"]["get"]["parameters"]}
    assert {
        "queue",
        "status",
        "kind",
        "court",
        "enterprise",
        "industry",
        "size",
        "submitted_from",
        "submitted_to",
        "overdue",
        "q",
        "ordering",
        "page",
    } <= parameters
    assert {"q", "size", "industry"} <= {p["name"] for p in paths["/api/v1/enterprises/"]["get"]["parameters"]}
    register = paths["/api/v1/complaints/{id}/register/"]["post"]
    assert register["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ComplaintRegisterRequest"
    )
    assert set(register["responses"]) == {"200", "400", "403", "404", "409"}
    assert "multipart/form-data" in paths["/api/v1/complaints/{id}/files/"]["post"]["requestBody"]["content"]
    assert "application/pdf" in paths["/api/v1/transfers/{id}/pdf/"]["get"]["responses"]["200"]["content"]
