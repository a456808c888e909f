"""The mediation API: the lifecycle over HTTP, refusals as 400/403/409, outsiders find nothing, lists
cost a fixed number of queries, and the schema documents it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison import deadlines
from liaison.models import AuditEvent
from mediation import services
from mediation.models import MediationCase, Mediator

from ..conftest import login


@pytest.fixture
def client(api_client):
    return api_client


def case_body(roster, **overrides) -> dict:
    body = {
        "source": "delegated",
        "organisation": roster.organisation.pk,
        "court": roster.world.court.pk,
        "dispute_type": "contracts",
        "title": "货款纠纷",
        "description": "拖欠货款。",
        "amount": "30000.00",
        "parties": [
            {"role": "applicant", "name": "张三", "phone": "13912345678"},
            {"role": "respondent", "name": "李四"},
        ],
    }
    body.update(overrides)
    return body


# --- the lifecycle -------------------------------------------------------------------------------


def test_the_lifecycle_over_the_api(roster, client):
    login(client, roster.clerk)
    response = client.post("/api/v1/mediation-cases/", case_body(roster), format="json")
    assert response.status_code == 201, response.json()
    case = response.json()
    assert case["status"] == "referred" and case["time_limit_days"] == 30 and case["parties"][0]["name"] == "张三"
    assert case["allowed_actions"] == ["withdraw"]
    url = f"/api/v1/mediation-cases/{case['id']}/"

    login(client, roster.manager)
    ranking = client.get(f"{url}candidates/").json()
    assert ranking["candidates"][0]["mediator"]["name"] == "王调解" and ranking["excluded"] == []
    assert ranking["candidates"][0]["explanation"].startswith("专长匹配")
    mediator_id = ranking["candidates"][0]["mediator"]["id"]
    assert client.post(f"{url}assign/", {"mediator": mediator_id}, format="json").json()["status"] == "assigned"

    login(client, roster.user_for("王调解"))
    assert client.post(f"{url}accept/").json()["status"] == "accepted"
    session = client.post(
        f"{url}sessions/",
        {"scheduled_at": "2026-12-01T09:30:00+08:00", "online_link": "https://tiaojie.court.gov.cn/r/2"},
        format="json",
    )
    assert session.status_code == 201 and session.json()["online_link"] == "https://tiaojie.court.gov.cn/r/2"
    assert [s["id"] for s in client.get(f"{url}sessions/").json()] == [session.json()["id"]]
    extension = client.post(
        f"{url}extend/",
        {
            "days": 10,
            "reason": "核对账目",
            "applicant_consent": True,
            "respondent_consent": True,
            "consent_note": "书面同意书",
        },
        format="json",
    )
    assert extension.status_code == 201 and extension.json()["days"] == 10
    agreed = client.post(
        f"{url}agree/", {"agreement_text": "分期付款", "agreement_amount": "25000.00"}, format="json"
    ).json()
    assert agreed["status"] == "agreement" and agreed["extended_days"] == 10 and agreed["in_time"] is True

    login(client, roster.manager)
    assert client.post(f"{url}request-confirmation/", {}, format="json").json()["confirmation"] == "requested"
    login(client, roster.clerk)
    refused = client.post(f"{url}decide-confirmation/", {"confirmed": False}, format="json")
    assert refused.status_code == 400 and refused.json() == {
        "detail": "请填写不予确认的理由。",
        "code": "invalid",
        "field": "note",
    }
    decided = client.post(f"{url}decide-confirmation/", {"confirmed": True}, format="json").json()
    assert decided["confirmation"] == "confirmed"


def test_decline_and_failure_over_the_api(roster, client):
    case = roster.assigned()
    login(client, roster.user_for("王调解"))
    url = f"/api/v1/mediation-cases/{case.pk}/"
    declined = client.post(f"{url}decline/", {"reason": "出差"}, format="json").json()
    assert declined["status"] == "referred" and declined["declines"][0]["reason"] == "出差"
    other = roster.in_progress(title="另一件")
    response = client.post(f"/api/v1/mediation-cases/{other.pk}/fail/", {"reason": "分歧大"}, format="json")
    assert response.json()["status"] == "failed"


@pytest.mark.parametrize(
    "who, path, body, code, words",
    [
        ("manager", "accept/", None, 403, "只有被指派的调解员才能“接受指派”"),
        ("mediator", "accept/", None, 409, "不能再“接受指派”"),
        ("clerk", "agree/", {"agreement_text": "x"}, 403, "只有承办调解组织的调解管理员或被指派的调解员"),
        (
            "mediator",
            "extend/",
            {"days": 5, "reason": "r", "applicant_consent": True, "respondent_consent": False, "consent_note": "口头"},
            400,
            "须经双方当事人同意",
        ),
        ("mediator", "sessions/", {"scheduled_at": "2026-12-01T09:30:00+08:00"}, 400, "请填写调解地点或在线调解链接"),
        ("manager", "request-confirmation/", {}, 409, "只有达成调解协议的案件"),
    ],
)
def test_refusals_map_to_http(roster, client, who, path, body, code, words):
    case = roster.accepted()
    actor = roster.user_for("王调解") if who == "mediator" else getattr(roster, who)
    login(client, actor)
    response = client.post(f"/api/v1/mediation-cases/{case.pk}/{path}", body or {}, format="json")
    assert response.status_code == code
    assert words in response.json()["detail"]


def test_assigning_an_excluded_mediator_is_refused_with_the_reason(roster, client):
    member = roster.enterprise("甲市某机械有限公司", chambers=(roster.chamber,))
    case = roster.refer(applicant=member)
    login(client, roster.manager)
    ranking = client.get(f"/api/v1/mediation-cases/{case.pk}/candidates/").json()
    assert ranking["candidates"] == [] and ranking["excluded"][0]["mediator"]["name"] == "王调解"
    response = client.post(
        f"/api/v1/mediation-cases/{case.pk}/assign/", {"mediator": roster.mediators["王调解"].pk}, format="json"
    )
    assert response.status_code == 400 and "由当事人“甲市某机械有限公司”所属的商会" in response.json()["detail"]
    other_court = Mediator.objects.exclude(court=roster.world.court)
    assert not other_court.exists()


def test_bad_case_input_gets_field_errors(roster, client):
    login(client, roster.clerk)
    response = client.post("/api/v1/mediation-cases/", case_body(roster, source="entrusted"), format="json")
    assert response.status_code == 400 and response.json()["field"] == "case_number"
    response = client.post(
        "/api/v1/mediation-cases/", case_body(roster, dispute_type="cooking", amount="-1"), format="json"
    )
    assert response.status_code == 400 and set(response.json()) == {"dispute_type", "amount"}
    stranger = roster.enterprise("本机制的企业")
    stranger.mechanism = roster.world.other_mechanism
    stranger.save()
    parties = [{"role": "applicant", "enterprise": stranger.pk}, {"role": "respondent", "name": "李四"}]
    response = client.post("/api/v1/mediation-cases/", case_body(roster, parties=parties), format="json")
    assert response.status_code == 400 and "enterprise" in response.json()["parties"][0]
    assert not MediationCase.objects.exists()


# --- the roster ------------------------------------------------------------------------------------


def test_the_roster_endpoint_filters_and_masks(roster, client):
    roster.appoint("李调解", organisation=roster.other_organisation, specialties=("labour",))
    roster.appoint("钱调解", term_end=deadlines.today() + dt.timedelta(days=20))
    roster.agreed()
    login(client, roster.world.alice)
    rows = client.get("/api/v1/mediators/").json()["results"]
    wang = next(r for r in rows if r["name"] == "王调解")
    assert wang["phone"] == "139****0001" and wang["phone_masked"] is True
    assert wang["specialties"] == ["contracts", "finance"]
    assert wang["figures"] == {
        "cases": 1,
        "open_cases": 0,
        "finished": 1,
        "successes": 1,
        "success_rate": 1.0,
        "average_days": 0.0,
        "in_time_rate": 1.0,
    }
    assert [r["name"] for r in client.get("/api/v1/mediators/?specialty=labour").json()["results"]] == ["李调解"]
    assert [r["name"] for r in client.get("/api/v1/mediators/?term_ending=30").json()["results"]] == ["钱调解"]
    names = [
        r["name"]
        for r in client.get(f"/api/v1/mediators/?organisation={roster.other_organisation.pk}").json()["results"]
    ]
    assert names == ["李调解"]
    login(client, roster.clerk)
    assert client.get(f"/api/v1/mediators/{wang['id']}/").json()["phone"] == "13903790001"


def test_appointing_and_keeping_the_roster_over_the_api(roster, client):
    login(client, roster.manager)
    body = {
        "organisation": roster.organisation.pk,
        "court": roster.world.court.pk,
        "name": "周律师",
        "profession": "lawyer",
        "specialties": ["contracts"],
        "phone": "13903797777",
        "term_start": "2026-01-01",
        "term_end": "2025-01-01",
    }
    response = client.post("/api/v1/mediators/", body, format="json")
    assert response.status_code == 400 and response.json() == {
        "detail": "任期届满日期须晚于开始日期。",
        "code": "invalid",
        "field": "term_end",
    }
    body["term_end"] = "2028-12-31"
    created = client.post("/api/v1/mediators/", body, format="json")
    assert created.status_code == 201 and created.json()["status"] == "active"
    url = f"/api/v1/mediators/{created.json()['id']}/"
    patched = client.patch(url, {"takes_paid": True, "fee_standard": "每件600元"}, format="json").json()
    assert patched["fee_standard"] == "每件600元" and patched["name"] == "周律师"
    assert client.post(f"{url}suspend/", {"reason": "病假"}, format="json").json()["status"] == "suspended"
    assert client.post(f"{url}suspend/", {"reason": "病假"}, format="json").status_code == 409
    assert client.post(f"{url}reinstate/").json()["status"] == "active"
    link = client.post(f"{url}links/", {"party_name": "某公司", "relation": "亲属任高管"}, format="json")
    assert link.status_code == 201 and client.get(f"{url}links/").json()[0]["relation"] == "亲属任高管"
    renewed = client.post(f"{url}renew/", {"term_end": "2030-12-31"}, format="json").json()
    assert renewed["term_end"] == "2030-12-31"
    login(client, roster.world.alice)
    assert client.post(f"{url}remove/", {"reason": "x"}, format="json").status_code == 403


def test_organisations_over_the_api(roster, client, world):
    login(client, roster.manager)
    created = client.post(
        "/api/v1/mediation-organisations/", {"name": "甲市商会第二调解室", "run_by": roster.chamber.pk}, format="json"
    )
    assert created.status_code == 201 and created.json()["admissions"] == []
    url = f"/api/v1/mediation-organisations/{created.json()['id']}/admit/"
    body = {"mechanism": world.mechanism.pk, "document_number": "甲中法〔2026〕9号", "admitted_on": "2026-01-05"}
    assert client.post(url, body, format="json").status_code == 400  # the manager's mechanisms: none
    login(client, roster.clerk)
    admitted = client.post(url, body, format="json").json()
    assert admitted["admissions"][0]["document_number"] == "甲中法〔2026〕9号"
    assert client.post(url, body, format="json").status_code == 409


# --- outsiders -------------------------------------------------------------------------------------

CASE_CALLS = [
    ("get", ""),
    ("get", "candidates/"),
    ("get", "sessions/"),
    ("post", "sessions/"),
    *[
        ("post", f"{name}/")
        for name in [
            "assign",
            "accept",
            "decline",
            "agree",
            "fail",
            "withdraw",
            "extend",
            "request-confirmation",
            "decide-confirmation",
        ]
    ],
]
MEDIATOR_CALLS = [
    ("get", ""),
    ("patch", ""),
    ("get", "links/"),
    ("post", "links/"),
    *[("post", f"{name}/") for name in ["suspend", "reinstate", "remove", "renew"]],
]


@pytest.mark.parametrize("method, path", CASE_CALLS, ids=[f"{m}-{p or 'detail'}" for m, p in CASE_CALLS])
def test_an_outsider_finds_no_case_and_changes_nothing(roster, client, method, path):
    case = roster.in_progress()
    events = AuditEvent.objects.count()
    login(client, roster.world.charlie)
    url = f"/api/v1/mediation-cases/{case.pk}/{path}"
    response = client.get(url) if method == "get" else client.post(url, {"reason": "x"}, format="json")
    assert response.status_code == 404
    assert AuditEvent.objects.count() == events
    login(client, roster.world.alice)  # the federation of the mechanism finds it
    response = client.get(url) if method == "get" else client.post(url, {"reason": "x"}, format="json")
    assert response.status_code != 404


@pytest.mark.parametrize("method, path", MEDIATOR_CALLS, ids=[f"{m}-{p or 'detail'}" for m, p in MEDIATOR_CALLS])
def test_an_outsider_finds_no_mediator(roster, client, method, path):
    mediator = roster.mediators["王调解"]
    login(client, roster.world.charlie)
    url = f"/api/v1/mediators/{mediator.pk}/{path}"
    response = getattr(client, method)(url, {"reason": "x"}, format="json") if method != "get" else client.get(url)
    assert response.status_code == 404
    mediator.refresh_from_db()
    assert mediator.status == "active"


@pytest.mark.parametrize("method, path", [("get", ""), ("post", "admit/")])
def test_an_outsider_finds_no_organisation(roster, client, method, path):
    login(client, roster.world.charlie)
    url = f"/api/v1/mediation-organisations/{roster.organisation.pk}/{path}"
    assert (client.get(url) if method == "get" else client.post(url, {}, format="json")).status_code == 404


def test_an_outsiders_lists_are_empty_and_it_cannot_refer_to_others(roster, client):
    roster.agreed()
    login(client, roster.world.charlie)
    for url in ["/api/v1/mediation-cases/", "/api/v1/mediators/", "/api/v1/mediation-organisations/"]:
        assert client.get(url).json()["count"] == 0, url
    response = client.post("/api/v1/mediation-cases/", case_body(roster), format="json")
    assert response.status_code == 400 and {"organisation", "court"} <= set(response.json())


# --- query counts and schema -------------------------------------------------------------------


def _grow(roster, n: int) -> None:
    for _ in range(n):
        roster.appoint(f"调解员{roster._counter[0]}", specialties=("contracts", "labour"))
        case = roster.refer(title=f"纠纷{roster._counter[0]}")
        services.case_assign(actor=roster.manager, case=case, mediator=roster.mediators["王调解"])


@pytest.mark.parametrize(
    "user, url",
    [
        ("manager", "/api/v1/mediation-cases/"),
        ("alice", "/api/v1/mediation-cases/?status=assigned&ordering=due"),
        ("clerk", "/api/v1/mediators/"),
        ("alice", "/api/v1/mediators/?specialty=contracts"),
        ("manager", "/api/v1/mediation-organisations/"),
    ],
)
def test_lists_use_a_fixed_number_of_queries(roster, client, django_assert_max_num_queries, user, url):
    login(client, roster.world.alice if user == "alice" else getattr(roster, user))
    _grow(roster, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    expected = len(few.captured_queries)  # before the next request resets the log
    _grow(roster, 8)
    client.get(url)  # new organizations changed the scope: read once more (`liaison.scope_token`)
    with django_assert_max_num_queries(expected):
        response = client.get(url)
        assert response.status_code == 200
    assert response.json()["count"] >= 1


def test_the_schema_documents_the_mediation_endpoints(roster, client):
    login(client, roster.manager)
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/mediation-organisations/",
        "/api/v1/mediation-organisations/{id}/admit/",
        "/api/v1/mediators/",
        "/api/v1/mediators/{id}/",
        "/api/v1/mediators/{id}/renew/",
        "/api/v1/mediators/{id}/links/",
        "/api/v1/mediation-cases/",
        "/api/v1/mediation-cases/{id}/",
        "/api/v1/mediation-cases/{id}/candidates/",
        "/api/v1/mediation-cases/{id}/assign/",
        "/api/v1/mediation-cases/{id}/sessions/",
        "/api/v1/mediation-cases/{id}/extend/",
        "/api/v1/mediation-cases/{id}/decide-confirmation/",
    ]:
        assert path in paths, path
    roster_parameters = {p["name"] for p in paths["/api/v1/mediators/"]["get"]["parameters"]}
    assert {"court", "organisation", "specialty", "status", "term_ending", "q", "page"} <= roster_parameters
    case_parameters = {p["name"] for p in paths["/api/v1/mediation-cases/"]["get"]["parameters"]}
    assert {"queue", "status", "source", "dispute_type", "confirmation", "mediator", "ordering"} <= case_parameters
    assign = paths["/api/v1/mediation-cases/{id}/assign/"]["post"]
    assert set(assign["responses"]) == {"200", "400", "403", "404", "409"}
