"""The recommendation pages and API: the list per kind with counts in a fixed number of queries,
Excel and PDF, filing with bad input kept, the steps as buttons, and 404 outside the mechanism."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from liaison import deadlines
from mediation.choices import RecommendationStatus
from mediation.models import Mediator, Recommendation

from ..conftest import login
from .test_recommendations import appoint, file

R = RecommendationStatus


def _grow(world, n: int) -> None:
    start = Recommendation.objects.count()
    for i in range(start, start + n):
        rec = file(world, name=f"人选{i}", phone=f"139037{i:05d}", kind=["assessor", "arbitrator"][i % 2])
        if i % 3 == 0:
            appoint(world, rec)


@pytest.mark.parametrize("user", ["alice", "bob"])
def test_the_list_uses_a_fixed_number_of_queries(world, client, django_assert_max_num_queries, user):
    _grow(world, 2)
    login(client, getattr(world, user))
    url = "/mediation/recommendations/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(world, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert "table-cards" in response.content.decode()


def test_the_list_per_kind_shows_counts_and_masks_nothing_for_the_parties(world, client):
    appoint(world, file(world))
    file(world, kind="arbitrator", name="周仲裁", phone="13903790002")
    page = login(client, world.bob).get("/mediation/recommendations/?kind=assessor").content.decode()
    assert "陈立新" in page and "周仲裁" not in page
    assert "13903791234" in page
    assert 'id="recommendation-counts"' in page


def test_excel_and_pdf(world, client):
    appoint(world, file(world))
    login(client, world.alice)
    response = client.get("/mediation/recommendations/export.xlsx?kind=assessor")
    assert response.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "推荐类别" and rows[1][1] == "陈立新" and rows[1][10] == "已任命"
    pdf = client.get("/mediation/recommendations/register.pdf")
    assert pdf.status_code == 200
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert body.startswith(b"%PDF")


def test_filing_on_the_page_keeps_the_input_on_a_refusal(world, client):
    login(client, world.alice)
    assert client.get("/mediation/recommendations/new/").status_code == 200
    data = {
        "mechanism": world.mechanism.pk,
        "kind": "assessor",
        "receiver": world.court.pk,
        "name": "陈立新",
        "phone": "123",
        "employer": "某公司",
        "specialties": "财税",
        "reasons": "热心公益",
    }
    response = client.post("/mediation/recommendations/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "某公司" in page and "热心公益" in page
    assert Recommendation.objects.count() == 0
    data["phone"] = "13903791234"
    response = client.post("/mediation/recommendations/new/", data)
    recommendation = Recommendation.objects.get()
    assert response.status_code == 302 and response.url == f"/mediation/recommendations/{recommendation.pk}/"


def test_a_court_clerk_cannot_open_the_filing_form(world, client):
    response = login(client, world.bob).get("/mediation/recommendations/new/")
    assert response.status_code == 302


def test_the_receiver_appoints_on_the_page(world, client):
    recommendation = file(world)
    login(client, world.bob)
    page = client.get(f"/mediation/recommendations/{recommendation.pk}/").content.decode()
    assert "任命" in page and "不予采纳" in page and "撤回推荐" not in page
    today = deadlines.today()
    response = client.post(
        f"/mediation/recommendations/{recommendation.pk}/act/appoint/",
        {
            "appoint-term_start": today,
            "appoint-term_end": today + dt.timedelta(days=365 * 5),
            "appoint-appointment_number": "文号1",
        },
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == R.APPOINTED


def test_outsiders_get_404(world, client):
    recommendation = file(world)
    login(client, world.charlie)
    assert client.get(f"/mediation/recommendations/{recommendation.pk}/").status_code == 404
    assert (
        client.post(f"/mediation/recommendations/{recommendation.pk}/act/decline/", {"decline-reason": "x"}).status_code
        == 404
    )
    assert "陈立新" not in client.get("/mediation/recommendations/").content.decode()
    assert client.get(f"/api/v1/recommendations/{recommendation.pk}/").status_code == 404
    recommendation.refresh_from_db()
    assert recommendation.status == R.PENDING


def test_api_files_and_decides(world, api_client):
    api_client.force_authenticate(world.alice)
    payload = {
        "mechanism": world.mechanism.pk,
        "kind": "arbitrator",
        "receiver": world.court.pk,
        "name": "周仲裁",
        "phone": "13903790002",
        "employer": "某律师事务所",
        "specialties": "商事仲裁",
        "reasons": "执业二十年。",
    }
    response = api_client.post("/api/v1/recommendations/", payload, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "pending"
    bad = api_client.post("/api/v1/recommendations/", {**payload, "name": "另一人", "reasons": ""}, format="json")
    assert bad.status_code == 400
    api_client.force_authenticate(world.bob)
    refused = api_client.post(f"/api/v1/recommendations/{pk}/decline/", {"reason": ""}, format="json")
    assert refused.status_code == 400
    done = api_client.post(f"/api/v1/recommendations/{pk}/decline/", {"reason": "名额已满"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "declined"
    listing = api_client.get("/api/v1/recommendations/?kind=arbitrator")
    assert listing.status_code == 200


def test_the_mediator_page_links_the_roster(roster, client):
    world = roster.world
    recommendation = appoint(
        world,
        file(
            world,
            kind="mediator",
            name="郑和平",
            phone="13903790001",
            profession="lawyer",
            mediator_specialties=["contracts"],
            mediation_organisation=roster.organisation,
        ),
    )
    page = login(client, world.bob).get(f"/mediation/recommendations/{recommendation.pk}/").content.decode()
    assert f"/mediation/mediators/{recommendation.mediator_id}/" in page
    assert "郑和平" in login(client, world.bob).get("/mediation/roster/").content.decode()
    assert Mediator.objects.filter(name="郑和平").count() == 1


def test_the_mediation_figures_count_recommendations(world, client):
    appoint(world, file(world))
    file(world, kind="arbitrator", name="周仲裁", phone="13903790002")
    page = login(client, world.bob).get("/mediation/figures/").content.decode()
    assert 'id="by-recommendation-kind"' in page
    import re

    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"text-end\">(\d+)</td><td class=\"text-end\">(\d+)</td>", page)
    assert ("人民陪审员", "1", "1") in rows and ("仲裁员", "1", "0") in rows
