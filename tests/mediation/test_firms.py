"""A law firm of a justice bureau's mechanism and its lawyers: the page lists them, the bureau or
the firm itself adds and deactivates them, others are refused, another mechanism finds nothing (404);
the API lists and creates them the same way."""

from __future__ import annotations

import datetime as dt

import pytest

from liaison import deadlines
from liaison.errors import ActionRefused
from liaison.models import AuditEvent, MechanismParty
from mediation import services
from mediation.models import Lawyer

from ..conftest import login
from . import test_legal_services as legal

bureau = legal.bureau


def _place(bureau) -> MechanismParty:  # noqa: ANN001
    return MechanismParty.objects.get(mechanism=bureau.mechanism, organization=bureau.firm)


def test_the_bureau_lists_and_deactivates_lawyers_on_the_firm_page(bureau, client):
    place = _place(bureau)
    login(client, bureau.clerk)
    page = client.get(f"/mediation/firms/{place.pk}/")
    assert page.status_code == 200 and "lawyer-form" in page.content.decode()
    added = client.post(
        f"/mediation/firms/{place.pk}/", {"name": "王律师", "phone": "13902200002", "specialties": "劳动用工"}
    )
    assert added.status_code == 302
    lawyer = Lawyer.objects.get(firm=bureau.firm, name="王律师")
    assert lawyer.is_active and lawyer.specialties == "劳动用工"
    assert AuditEvent.objects.filter(action="lawyer_add").count() == 1
    again = client.post(f"/mediation/firms/{place.pk}/", {"name": "王律师", "phone": "13902200002"})
    assert again.status_code == 400 and "该律师已在本所名单中" in again.content.decode()
    bad = client.post(f"/mediation/firms/{place.pk}/", {"name": "李律师", "phone": "12"})
    assert bad.status_code == 400 and 'value="李律师"' in bad.content.decode()
    assert client.post(f"/mediation/firms/{place.pk}/lawyers/{lawyer.pk}/deactivate/").status_code == 302
    lawyer.refresh_from_db()
    assert not lawyer.is_active
    page = client.get(f"/mediation/firms/{place.pk}/").content.decode()
    assert "已注销" in page and "王律师" in page
    pairing_page = client.get(f"/mediation/pairings/{bureau.pairing.pk}/").content.decode()
    assert f"/mediation/firms/{place.pk}/" in pairing_page


def test_the_firm_itself_adds_its_lawyers_but_not_another_firms(bureau):
    lawyer = services.lawyer_add(
        actor=bureau.lawyer, mechanism=bureau.mechanism, firm=bureau.firm, name="张律师", phone="13902200005"
    )
    with pytest.raises(ActionRefused, match="司法局"):
        services.lawyer_add(
            actor=bureau.lawyer, mechanism=bureau.mechanism, firm=bureau.other_firm, name="赵律师", phone="13902200006"
        )
    with pytest.raises(ActionRefused, match="司法局"):
        services.lawyer_deactivate(actor=bureau.other_lawyer, mechanism=bureau.mechanism, lawyer=lawyer)
    with pytest.raises(ActionRefused, match="司法局"):
        services.lawyer_deactivate(actor=bureau.staff, mechanism=bureau.mechanism, lawyer=lawyer)
    services.lawyer_deactivate(actor=bureau.lawyer, mechanism=bureau.mechanism, lawyer=lawyer)
    with pytest.raises(ActionRefused, match="已不在册"):
        services.lawyer_deactivate(actor=bureau.clerk, mechanism=bureau.mechanism, lawyer=lawyer)


def test_others_see_the_page_without_the_form_and_cannot_write(bureau, client):
    place = _place(bureau)
    login(client, bureau.staff)
    page = client.get(f"/mediation/firms/{place.pk}/")
    assert page.status_code == 200 and "lawyer-form" not in page.content.decode()
    refused = client.post(f"/mediation/firms/{place.pk}/", {"name": "钱律师", "phone": "13902200007"}, follow=True)
    assert "只有机制中的司法局才能登记律师" in refused.content.decode()
    assert not Lawyer.objects.exists()


def test_another_mechanism_finds_nothing(bureau, world, client, api_client):
    place = _place(bureau)
    lawyer = services.lawyer_add(
        actor=bureau.clerk, mechanism=bureau.mechanism, firm=bureau.firm, name="王律师", phone="13902200002"
    )
    login(client, world.charlie)
    assert client.get(f"/mediation/firms/{place.pk}/").status_code == 404
    assert client.post(f"/mediation/firms/{place.pk}/", {"name": "钱律师", "phone": "13902200007"}).status_code == 404
    assert client.post(f"/mediation/firms/{place.pk}/lawyers/{lawyer.pk}/deactivate/").status_code == 404
    api_client.force_authenticate(world.charlie)
    assert api_client.get(f"/api/v1/firms/{place.pk}/lawyers/").status_code == 404
    assert (
        api_client.post(f"/api/v1/firms/{place.pk}/lawyers/", {"name": "钱", "phone": "13902200007"}).status_code == 404
    )
    lawyer.refresh_from_db()
    assert lawyer.is_active and Lawyer.objects.count() == 1
    # A lawyer of another firm is not found through this firm's page.
    other_place = MechanismParty.objects.get(mechanism=bureau.mechanism, organization=bureau.other_firm)
    login(client, bureau.clerk)
    assert client.post(f"/mediation/firms/{other_place.pk}/lawyers/{lawyer.pk}/deactivate/").status_code == 404


def test_the_api_lists_and_creates_lawyers(bureau, api_client):
    place = _place(bureau)
    api_client.force_authenticate(bureau.clerk)
    created = api_client.post(
        f"/api/v1/firms/{place.pk}/lawyers/", {"name": "王律师", "phone": "13902200002"}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["firm"] == bureau.firm.pk
    duplicate = api_client.post(
        f"/api/v1/firms/{place.pk}/lawyers/", {"name": "王律师", "phone": "13902200002"}, format="json"
    )
    assert duplicate.status_code == 400
    assert api_client.post(f"/api/v1/firms/{place.pk}/lawyers/", {"name": "", "phone": "1"}).status_code == 400
    api_client.force_authenticate(bureau.staff)
    assert [row["name"] for row in api_client.get(f"/api/v1/firms/{place.pk}/lawyers/").json()] == ["王律师"]
    refused = api_client.post(f"/api/v1/firms/{place.pk}/lawyers/", {"name": "钱", "phone": "13902200007"})
    assert refused.status_code == 403
    assert Lawyer.objects.count() == 1


def test_the_lawyer_list_answers_in_a_fixed_number_of_queries(bureau, client, django_assert_max_num_queries):
    place = _place(bureau)
    login(client, bureau.clerk)
    services.lawyer_add(
        actor=bureau.clerk, mechanism=bureau.mechanism, firm=bureau.firm, name="甲", phone="13902200010"
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/mediation/firms/{place.pk}/")
    for i in range(8):
        services.lawyer_add(
            actor=bureau.clerk, mechanism=bureau.mechanism, firm=bureau.firm, name=f"律师{i}", phone="13902200011"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/mediation/firms/{place.pk}/").status_code == 200


def test_the_pairing_form_takes_the_firm_contact_from_a_listed_lawyer(bureau, client):
    from mediation.models import Pairing

    lawyer = services.lawyer_add(
        actor=bureau.clerk, mechanism=bureau.mechanism, firm=bureau.other_firm, name="刘律师", phone="13902200011"
    )
    mine = services.lawyer_add(
        actor=bureau.clerk, mechanism=bureau.mechanism, firm=bureau.firm, name="王律师", phone="13902200002"
    )
    login(client, bureau.clerk)
    assert "刘律师（" in client.get("/mediation/pairings/new/").content.decode()
    today = deadlines.today()
    data = {
        "mechanism": bureau.mechanism.pk,
        "firm": bureau.other_firm.pk,
        "chamber": bureau.chamber.pk,
        "term_start": today,
        "term_end": today + dt.timedelta(days=365),
        "firm_lawyer": mine.pk,
        "chamber_contact": "赵秘书长",
        "chamber_phone": "13902200003",
        "services": "法律咨询",
    }
    wrong = client.post("/mediation/pairings/new/", data)
    assert wrong.status_code == 400 and "所选律师不属于该律师事务所" in wrong.content.decode()
    missing = client.post("/mediation/pairings/new/", {**data, "firm_lawyer": ""})
    assert missing.status_code == 400 and "赵秘书长" in missing.content.decode()
    assert client.post("/mediation/pairings/new/", {**data, "firm_lawyer": lawyer.pk}).status_code == 302
    pairing = Pairing.objects.get(firm=bureau.other_firm, chamber=bureau.chamber)
    assert (pairing.firm_contact, pairing.firm_phone) == ("刘律师", "13902200011")
