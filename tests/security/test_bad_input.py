"""Bad input answers a clear 4xx (or the page with a message), never a server error."""

from __future__ import annotations

import json

import pytest

from liaison.models import Attachment

from ..conftest import login

DEEP_JSON = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000

BAD_YEARS = ["0", "-1", "99999999999", "abc", "2026.5"]


@pytest.fixture
def leader_client(client, world):
    return login(client, world.leader)


@pytest.mark.parametrize("year", BAD_YEARS)
@pytest.mark.parametrize(
    "path",
    [
        "/meetings/?year={}",
        "/meetings/minutes/?year={}",
        "/meetings/dual-lists/?year={}",
        "/meetings/cadence/{mechanism}/?year={}",
        "/api/v1/meetings/?year={}",
        "/api/v1/minutes/?year={}",
        "/api/v1/dual-lists/?year={}",
        "/api/v1/monthly-reports/?year={}",
        "/reports/monthly/?year={}",
        "/cases/ledgers/evaluation/?year={}",
        "/api/v1/ledgers/evaluation/?year={}",
    ],
)
def test_it_never_fails_on_an_impossible_year(leader_client, world, path, year):
    response = leader_client.get(path.format(year, mechanism=world.mechanism.pk))
    assert response.status_code in (200, 400), response.status_code


END_OF_TIME = ["9999-12-31", "0001-01-01", "1900-01-01"]


@pytest.mark.parametrize("day", END_OF_TIME)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/figures/complaints/?start=2026-01-01&end={}",
        "/api/v1/figures/meetings/?start=2026-01-01&end={}",
        "/api/v1/figures/mediation/?start=2026-01-01&end={}",
        "/api/v1/figures/mechanisms/?start=2026-01-01&end={}",
        "/api/v1/figures/complaints/?start={}&end=9999-12-31",
        "/cases/dashboard/?period=month&on={}",
        "/cases/dashboard/?period=year&on={}",
        "/cases/dashboard/?period=custom&start=2026-01-01&end={}",
        "/calendar/?start={}&working_days=400",
        "/calendar/?start={}&working_days=0",
    ],
)
def test_it_never_fails_at_the_end_of_time(leader_client, path, day):
    response = leader_client.get(path.format(day))
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400:
        assert response.json()  # says which field is wrong


@pytest.mark.parametrize("body", [DEEP_JSON, DEEP_OBJECT], ids=["array", "object"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/complaints/",
        "/api/v1/enterprises/",
        "/api/v1/meetings/",
        "/api/v1/monthly-reports/generate/",
        "/api/v1/notifications/mark-read/",
        "/api/v1/mediation-cases/",
        "/api/v1/transfers/batch/",
    ],
)
def test_it_refuses_json_nested_too_deep(api_client, world, path, body):
    api_client.force_authenticate(world.alice)
    response = api_client.post(path, data=body, content_type="application/json")
    assert response.status_code == 400, response.status_code
    assert "嵌套" in json.dumps(response.json(), ensure_ascii=False)


def test_it_answers_410_for_an_attachment_whose_file_is_gone(cast, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from liaison import attachments

    complaint = cast.file()
    upload = SimpleUploadedFile("证据.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    attachment = attachments.attachment_add(target=complaint, upload=upload, actor=cast.staff)
    attachment.file.storage.delete(attachment.file.name)
    response = login(client, cast.staff).get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 410
    assert "已不在存储中" in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# --- unbounded bodies ------------------------------------------------------------------------------


def _complaint_body(cast, **overrides) -> dict:
    return {
        "enterprise": cast.enterprise.pk,
        "court": cast.world.court.pk,
        "kind": "case_handling",
        "title": "合同纠纷案件久拖未结",
        "facts": "2021年起诉至今未审结。",
        "demands": "请求依法及时审理。",
        "case_numbers": ["（2021）豫03民初123号"],
        **overrides,
    }


@pytest.mark.parametrize("field", ["facts", "demands"])
def test_it_refuses_a_complaint_text_over_the_limit_with_a_message(cast, api_client, field):
    from cases.models import Complaint
    from liaison.limits import LONG_TEXT

    api_client.force_authenticate(cast.staff)
    response = api_client.post(
        "/api/v1/complaints/", _complaint_body(cast, **{field: "事" * (LONG_TEXT + 1)}), format="json"
    )
    assert response.status_code == 400
    assert str(LONG_TEXT) in " ".join(response.json()[field]) and "字符" in " ".join(response.json()[field])
    assert not Complaint.objects.exists()
    ok = api_client.post("/api/v1/complaints/", _complaint_body(cast, **{field: "事" * LONG_TEXT}), format="json")
    assert ok.status_code == 201


def test_it_refuses_a_json_body_over_the_cap(cast, api_client, settings):
    from cases.models import Complaint

    api_client.force_authenticate(cast.staff)
    body = json.dumps(_complaint_body(cast, facts="x" * (settings.JSON_MAX_BYTES + 10)))
    response = api_client.post("/api/v1/complaints/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "请求内容过大" in response.json()["detail"]
    assert not Complaint.objects.exists()


def test_it_refuses_a_message_over_the_limit(cast, api_client):
    from liaison.limits import MESSAGE_TEXT

    complaint = cast.transferred()
    api_client.force_authenticate(cast.clerk)
    response = api_client.post(
        f"/api/v1/complaints/{complaint.pk}/messages/", {"body": "留" * (MESSAGE_TEXT + 1)}, format="json"
    )
    assert response.status_code == 400 and "body" in response.json()
    assert not complaint.messages.exists()


def test_it_refuses_a_form_body_over_the_cap(cast, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = login(client, cast.staff).post("/cases/complaints/new/", {"facts": "x" * 4096})
    assert response.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_overlong_text_whatever_the_path(cast):
    from django.db import IntegrityError, transaction

    from cases.models import Complaint
    from liaison.limits import LONG_TEXT

    complaint = cast.file()
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(facts="x" * (LONG_TEXT + 1))
