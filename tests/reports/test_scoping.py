"""Who sees what: outsiders get 404 everywhere; drafts stay with their author organization."""

from __future__ import annotations

import pytest

from liaison.models import Attachment
from reports import selectors, services

from ..conftest import login
from .conftest import draft, pdf_upload, published


@pytest.fixture
def report(world):
    return published(world, files=[pdf_upload("判决书.pdf")])


def _urls(report) -> list[str]:
    attachment = Attachment.objects.get(object_id=str(report.pk))
    return [
        f"/reports/{report.pk}/",
        f"/reports/{report.pk}/pdf/",
        f"/api/v1/reports/{report.pk}/",
        f"/api/v1/reports/{report.pk}/pdf/",
        f"/attachments/{attachment.pk}/",
    ]


def test_an_outsider_gets_404_on_page_pdf_api_and_attachment(world, report, client):
    login(client, world.charlie)
    for url in _urls(report):
        assert client.get(url).status_code == 404, url
    assert report.title not in client.get("/reports/").content.decode()
    assert client.get("/api/v1/reports/").json()["count"] == 0


def test_the_other_party_reads_a_published_report_and_its_attachment(world, report, client):
    login(client, world.alice)
    detail, _pdf, api, _api_pdf, attachment = _urls(report)
    assert report.title in client.get(detail).content.decode()
    assert client.get(api).json()["title"] == report.title
    response = client.get(attachment)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_other_party_cannot_see_a_draft_nor_its_attachment(world, client):
    report = draft(world, files=[pdf_upload()])
    login(client, world.alice)
    for url in _urls(report):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/reports/").json()["count"] == 0
    # The author organization sees it, the author's colleague included.
    login(client, world.leader)
    for url in _urls(report):
        assert client.get(url).status_code == 200, url


def test_a_withdrawn_report_disappears_for_the_other_party(world, report, client):
    services.report_withdraw(report=report, actor=world.bob)
    login(client, world.alice)
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    login(client, world.bob)
    assert "已撤回" in client.get(f"/reports/{report.pk}/").content.decode()


def test_a_higher_level_reader_sees_published_reports_only_and_no_buttons(world, higher, report, client):
    hidden = draft(world, title="内部草稿")
    assert set(selectors.report_visible(higher)) == {report}
    login(client, higher)
    text = client.get(f"/reports/{report.pk}/").content.decode()
    assert report.title in text and "撤回" not in text and "修改草稿" not in text
    assert client.get(f"/reports/{hidden.pk}/").status_code == 404
    response = client.post(f"/api/v1/reports/{report.pk}/withdraw/", {}, content_type="application/json")
    assert response.status_code == 403 and "只能查看" in response.json()["detail"]
