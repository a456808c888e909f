"""The report API: each action by a permitted user and by one who is not."""

from __future__ import annotations

import datetime as dt
import io

import pypdf

from liaison.models import Attachment
from reports import services
from reports.models import Opinion, Report

from ..conftest import login
from .conftest import COMMENT_DEADLINE, draft, draft_regulation, exe_as_pdf, pdf_upload, published

URL = "/api/v1/reports/"


def _payload(world, **extra) -> dict:
    data = {
        "mechanism": world.mechanism.pk,
        "kind": "research_report",
        "title": "涉民营企业执行案件调研报告",
        "summary": "执行难点与对策",
        "body": "一、基本情况……",
        "tags": ["执行", "调研"],
        "case_numbers": "",
    }
    data.update(extra)
    return data


def test_it_creates_a_draft(world, api_client):
    api_client.force_authenticate(world.alice)
    response = api_client.post(URL, _payload(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "draft" and body["author_organization"]["name"] == "甲市工商业联合会"
    assert body["tags"] == ["执行", "调研"] and body["kind_display"] == "调研报告"


def test_an_outsider_cannot_create_in_the_mechanism(world, api_client):
    api_client.force_authenticate(world.charlie)
    response = api_client.post(URL, _payload(world), format="json")
    assert response.status_code == 400 and "mechanism" in response.json()
    assert not Report.objects.exists()


def test_create_with_files_over_multipart_and_a_refused_one(world, api_client):
    api_client.force_authenticate(world.alice)
    response = api_client.post(URL, {**_payload(world), "files": [pdf_upload("报告.pdf")]}, format="multipart")
    assert response.status_code == 201, response.json()
    assert [a["original_name"] for a in response.json()["attachments"]] == ["报告.pdf"]
    response = api_client.post(URL, {**_payload(world, title="另一份"), "files": [exe_as_pdf()]}, format="multipart")
    assert response.status_code == 400 and "仅支持 PDF" in str(response.json()["files"])
    assert Report.objects.count() == 1 and Attachment.objects.count() == 1


def test_the_comment_deadline_rule_in_the_serializer(world, api_client):
    api_client.force_authenticate(world.alice)
    response = api_client.post(URL, _payload(world, kind="draft_regulation"), format="json")
    assert response.status_code == 400
    assert response.json()["comment_deadline"] == ["法规规章草案征求意见须填写征求意见截止日期。"]
    response = api_client.post(URL, _payload(world, comment_deadline="2026-12-01"), format="json")
    assert response.status_code == 400 and "只有法规规章草案" in response.json()["comment_deadline"][0]


def test_update_a_draft_by_the_author_only(world, api_client):
    report = draft(world)
    api_client.force_authenticate(world.bob)
    response = api_client.patch(f"{URL}{report.pk}/", {"title": "新标题"}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "新标题"
    assert response.json()["tags"] == ["合同纠纷", "民营企业"]  # PATCH keeps what was not sent
    response = api_client.post(f"{URL}{report.pk}/publish/")
    assert response.status_code == 200 and response.json()["state"] == "published"
    response = api_client.patch(f"{URL}{report.pk}/", {"title": "再改"}, format="json")
    assert response.status_code == 409 and "只有草稿可以修改" in response.json()["detail"]
    api_client.force_authenticate(world.alice)
    response = api_client.patch(f"{URL}{report.pk}/", {"title": "对方来改"}, format="json")
    assert response.status_code == 403 and "只有发布单位" in response.json()["detail"]


def test_publish_and_withdraw_actions(world, api_client):
    report = draft(world)
    api_client.force_authenticate(world.alice)
    assert api_client.post(f"{URL}{report.pk}/publish/").status_code == 404  # a draft of others is unseen
    api_client.force_authenticate(world.bob)
    assert api_client.post(f"{URL}{report.pk}/publish/").json()["state"] == "published"
    response = api_client.post(f"{URL}{report.pk}/publish/")
    assert response.status_code == 409 and "当前为“已发布”，不能“发布”" in response.json()["detail"]
    api_client.force_authenticate(world.alice)
    response = api_client.post(f"{URL}{report.pk}/withdraw/", {"reason": "x"}, format="json")
    assert response.status_code == 403
    api_client.force_authenticate(world.charlie)
    assert api_client.post(f"{URL}{report.pk}/withdraw/").status_code == 404
    api_client.force_authenticate(world.bob)
    response = api_client.post(f"{URL}{report.pk}/withdraw/", {"reason": "有误"}, format="json")
    assert response.json()["state"] == "withdrawn"
    assert api_client.post(f"{URL}{report.pk}/reopen/").json()["state"] == "draft"


def test_opinions_action(world, api_client, monday):
    report = draft_regulation(world)
    api_client.force_authenticate(world.bob)
    api_client.post(f"{URL}{report.pk}/publish/")
    api_client.force_authenticate(world.alice)
    response = api_client.post(f"{URL}{report.pk}/opinions/", {"text": "建议删除第二条。"}, format="json")
    assert response.status_code == 201 and response.json()["organization"]["name"] == "甲市工商业联合会"
    assert [o["text"] for o in api_client.get(f"{URL}{report.pk}/opinions/").json()] == ["建议删除第二条。"]
    api_client.force_authenticate(world.bob)
    response = api_client.post(f"{URL}{report.pk}/opinions/", {"text": "自己提"}, format="json")
    assert response.status_code == 403 and "发布单位不能" in response.json()["detail"]
    api_client.force_authenticate(world.charlie)
    assert api_client.post(f"{URL}{report.pk}/opinions/", {"text": "外人"}, format="json").status_code == 404
    assert Opinion.objects.count() == 1


def test_an_opinion_after_the_deadline_is_refused_by_the_api(world, api_client, monday, time_machine):
    report = draft_regulation(world)
    services.report_publish(report=report, actor=world.bob)
    time_machine.move_to(dt.datetime.combine(COMMENT_DEADLINE + dt.timedelta(days=3), dt.time(10)), tick=False)
    api_client.force_authenticate(world.alice)
    response = api_client.post(f"{URL}{report.pk}/opinions/", {"text": "晚了"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "征求意见已于 2026-11-13 截止，不能再提交意见。"


def test_pdf_endpoint(world, api_client):
    report = published(world, title="关于民营企业融资担保纠纷的风险提示")
    api_client.force_authenticate(world.alice)
    response = api_client.get(f"{URL}{report.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(pypdf.PdfReader(io.BytesIO(response.getvalue())).pages[0].extract_text().split())
    assert "关于民营企业融资担保纠纷的风险提示" in text
    api_client.force_authenticate(world.charlie)
    assert api_client.get(f"{URL}{report.pk}/pdf/").status_code == 404


def test_anonymous_gets_nothing(world, api_client):
    published(world)
    assert api_client.get(URL).status_code in (401, 403)


def test_the_schema_documents_the_report_endpoints(world, client):
    schema = login(client, world.alice).get("/api/schema/?format=json").json()
    for path in [
        "/api/v1/reports/",
        "/api/v1/reports/{id}/",
        "/api/v1/reports/{id}/publish/",
        "/api/v1/reports/{id}/withdraw/",
        "/api/v1/reports/{id}/opinions/",
        "/api/v1/reports/{id}/pdf/",
    ]:
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/v1/reports/"]["get"]["parameters"]}
    assert {"q", "kind", "mechanism", "tag", "state", "published_from", "published_to", "page"} <= parameters
    assert "application/pdf" in schema["paths"]["/api/v1/reports/{id}/pdf/"]["get"]["responses"]["200"]["content"]
