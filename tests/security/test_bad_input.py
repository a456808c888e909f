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
@pytest.mark.parametrize("path", [
    "/meetings/?year={}", "/meetings/minutes/?year={}", "/meetings/dual-lists/?year={}",
    "/meetings/cadence/{mechanism}/?year={}", "/api/v1/meetings/?year={}", "/api/v1/minutes/?year={}",
    "/api/v1/dual-lists/?year={}", "/api/v1/monthly-reports/?year={}", "/reports/monthly/?year={}",
    "/cases/ledgers/evaluation/?year={}", "/api/v1/ledgers/evaluation/?year={}",
])
def test_it_never_fails_on_an_impossible_year(leader_client, world, path, year):
    response = leader_client.get(path.format(year, mechanism=world.mechanism.pk))
    assert response.status_code in (200, 400), response.status_code


END_OF_TIME = ["9999-12-31", "0001-01-01", "1900-01-01"]


@pytest.mark.parametrize("day", END_OF_TIME)
@pytest.mark.parametrize("path", [
    "/api/v1/figures/complaints/?start=2026-01-01&end={}", "/api/v1/figures/meetings/?start=2026-01-01&end={}",
    "/api/v1/figures/mediation/?start=2026-01-01&end={}", "/api/v1/figures/mechanisms/?start=2026-01-01&end={}",
    "/api/v1/figures/complaints/?start={}&end=9999-12-31",
    "/cases/dashboard/?period=month&on={}", "/cases/dashboard/?period=year&on={}",
    "/cases/dashboard/?period=custom&start=2026-01-01&end={}",
    "/calendar/?start={}&working_days=400", "/calendar/?start={}&working_days=0",
])
def test_it_never_fails_at_the_end_of_time(leader_client, path, day):
    response = leader_client.get(path.format(day))
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400:
        assert response.json()  # says which field is wrong


@pytest.mark.parametrize("body", [DEEP_JSON, DEEP_OBJECT], ids=["array", "object"])
@pytest.mark.parametrize("path", [
    "/api/v1/complaints/", "/api/v1/enterprises/", "/api/v1/meetings/", "/api/v1/monthly-reports/generate/",
    "/api/v1/notifications/mark-read/", "/api/v1/mediation-cases/", "/api/v1/transfers/batch/",
])
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
    assert "的文件已不存在，无法下载" in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
