"""The HTML pages: list with search and filters in fixed queries, forms, buttons, PDF."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.models import Attachment
from reports import services
from reports.choices import ReportKind, ReportState
from reports.models import Opinion, Report

from ..conftest import login
from .conftest import COMMENT_DEADLINE, draft, draft_regulation, exe_as_pdf, pdf_upload, published


def _add_reports(world, start: int, count: int) -> None:
    for n in range(start, start + count):
        published(world, title=f"典型案例{n}", tags=["民营企业", f"标签{n}"])


@pytest.mark.parametrize(
    "url",
    [
        "/reports/",
        "/reports/?q=案例&kind=typical_case&tag=民营企业",
        "/api/v1/reports/",
        "/api/v1/reports/?q=案例&state=published",
    ],
)
def test_the_list_uses_a_fixed_number_of_queries(world, client, django_assert_max_num_queries, url):
    login(client, world.alice)
    _add_reports(world, 0, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_reports(world, 2, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
        assert response.status_code == 200
    if url.startswith("/api/"):
        assert response.json()["count"] == 17


def test_search_and_filters(world, client):
    published(world, title="买卖合同纠纷典型案例", tags=["合同纠纷"])
    published(world, title="工作简报第1期", kind=ReportKind.WORK_BULLETIN, body="商会调解情况", tags=["简报"])
    draft(world, title="未发布的草稿", tags=[], body="内部讨论稿")
    login(client, world.bob)

    def titles(query: str) -> set[str]:
        return {row["title"] for row in client.get(f"/api/v1/reports/?{query}").json()["results"]}

    assert titles("q=商会调解") == {"工作简报第1期"}  # body
    assert titles("q=合同纠纷") == {"买卖合同纠纷典型案例"}  # title and tag, once
    assert titles("q=简报 调解") == {"工作简报第1期"}  # every word
    assert titles("kind=work_bulletin") == {"工作简报第1期"}
    assert titles("tag=合同纠纷") == {"买卖合同纠纷典型案例"}
    assert titles("state=draft") == {"未发布的草稿"}
    today = dt.date.today().isoformat()
    assert titles(f"published_from={today}&published_to={today}") == {"买卖合同纠纷典型案例", "工作简报第1期"}
    assert titles("published_to=2000-01-01") == set()
    assert titles(f"mechanism={world.mechanism.pk}") == {"买卖合同纠纷典型案例", "工作简报第1期", "未发布的草稿"}
    text = client.get("/reports/?q=商会调解").content.decode()
    assert "工作简报第1期" in text and "买卖合同纠纷典型案例" not in text
    assert 'name="q"' in text and 'value="商会调解"' in text


def test_the_list_paginates_and_keeps_the_filters(world, client):
    _add_reports(world, 0, 21)
    text = login(client, world.alice).get("/reports/?tag=民营企业").content.decode()
    assert "第 1 / 2 页" in text and "?tag=%E6%B0%91%E8%90%A5%E4%BC%81%E4%B8%9A&amp;page=2" in text


def _form(world, **extra) -> dict:
    data = {
        "mechanism": world.mechanism.pk,
        "kind": ReportKind.TYPICAL_CASE,
        "title": "某科技公司服务合同纠纷案",
        "summary": "在线调解助力回款",
        "body": "基本案情……",
        "tags_text": "在线调解、司法确认",
        "case_numbers": "（2023）粤0106民特789号",
        "comment_deadline": "",
    }
    data.update(extra)
    return data


def test_creating_a_draft_with_an_attachment(world, client):
    login(client, world.alice)
    response = client.post("/reports/new/", _form(world, files=[pdf_upload("证据.pdf")]), follow=True)
    report = Report.objects.get()
    assert response.redirect_chain[-1][0] == f"/reports/{report.pk}/"
    text = response.content.decode()
    assert "草稿已保存" in text and "证据.pdf" in text and "发布" in text
    assert report.author_organization == world.federation and report.state == ReportState.DRAFT
    assert sorted(report.tags.values_list("name", flat=True)) == ["司法确认", "在线调解"]


def test_a_renamed_executable_is_refused_and_the_input_kept(world, client):
    login(client, world.alice)
    response = client.post("/reports/new/", _form(world, files=[exe_as_pdf("判决书.pdf")]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "仅支持 PDF、图片（PNG/JPEG/GIF/WEBP）、Word 和 Excel 文件；“判决书.pdf”的内容不是这些类型之一" in text
    assert 'value="某科技公司服务合同纠纷案"' in text
    assert "在线调解助力回款</textarea>" in text and "基本案情……</textarea>" in text
    assert 'value="在线调解、司法确认"' in text and 'value="（2023）粤0106民特789号"' in text
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_a_draft_regulation_needs_a_comment_deadline_in_the_form(world, client):
    login(client, world.alice)
    text = client.post("/reports/new/", _form(world, kind=ReportKind.DRAFT_REGULATION)).content.decode()
    assert "法规规章草案征求意见须填写征求意见截止日期" in text
    text = client.post("/reports/new/", _form(world, comment_deadline="2026-12-01")).content.decode()
    assert "只有法规规章草案征求意见才填写征求意见截止日期" in text
    assert not Report.objects.exists()


def test_a_duplicate_title_is_shown_on_the_form(world, client):
    draft(world, actor=world.alice, title="某科技公司服务合同纠纷案")
    text = login(client, world.alice).post("/reports/new/", _form(world)).content.decode()
    assert "本机制已有同名的共享案例" in text and Report.objects.count() == 1


def test_editing_a_draft_and_the_buttons_follow_the_state(world, client):
    report = draft(world, actor=world.alice)
    login(client, world.alice)
    edit = client.get(f"/reports/{report.pk}/edit/").content.decode()
    assert 'value="民营企业、合同纠纷"' in edit or 'value="合同纠纷、民营企业"' in edit
    response = client.post(f"/reports/{report.pk}/edit/", _form(world, title="改后的标题"), follow=True)
    assert "草稿已保存" in response.content.decode()
    assert Report.objects.get().title == "改后的标题"

    text = client.get(f"/reports/{report.pk}/").content.decode()
    assert f'action="/reports/{report.pk}/publish/"' in text and "撤回" not in text
    text = client.post(f"/reports/{report.pk}/publish/", follow=True).content.decode()
    assert "已发布，机制的其他参与单位已收到通知" in text
    assert f'action="/reports/{report.pk}/withdraw/"' in text and f"/reports/{report.pk}/edit/" not in text
    # The timeline names actions and states in words.
    assert "创建草稿" in text and "草稿 → 已发布" in text
    assert client.get(f"/reports/{report.pk}/edit/", follow=True).redirect_chain
    text = client.post(f"/reports/{report.pk}/withdraw/", {"withdraw-reason": "需补充"}, follow=True).content.decode()
    assert "已撤回。" in text and "需补充" in text and f'action="/reports/{report.pk}/reopen/"' in text


def test_the_other_party_sees_no_edit_button_and_is_told_why(world, client):
    report = published(world)
    login(client, world.alice)
    text = client.get(f"/reports/{report.pk}/").content.decode()
    assert "修改草稿" not in text and "withdraw" not in text
    text = client.post(f"/reports/{report.pk}/withdraw/", follow=True).content.decode()
    assert "只有发布单位才能“撤回”" in text
    assert Report.objects.get().state == ReportState.PUBLISHED


def test_the_opinion_form_and_the_refusal_after_the_deadline(world, client, monday, time_machine):
    report = draft_regulation(world)
    services.report_publish(report=report, actor=world.bob)
    login(client, world.alice)
    text = client.get(f"/reports/{report.pk}/").content.decode()
    assert "提交意见（2026-11-13 截止）" in text
    response = client.post(
        f"/reports/{report.pk}/opinions/", {"text": "建议增加一条。", "files": [pdf_upload("意见.pdf")]}, follow=True
    )
    assert "意见已提交" in response.content.decode() and Opinion.objects.count() == 1
    # The author organization sees the opinion and who has answered.
    text = login(client, world.bob).get(f"/reports/{report.pk}/").content.decode()
    assert "建议增加一条。" in text and "意见.pdf" in text and "已于" in text
    time_machine.move_to(dt.datetime.combine(COMMENT_DEADLINE + dt.timedelta(days=1), dt.time(9)), tick=False)
    login(client, world.alice)
    text = client.get(f"/reports/{report.pk}/").content.decode()
    assert "提交意见（" not in text
    text = client.post(f"/reports/{report.pk}/opinions/", {"text": "迟到的意见"}).content.decode()
    assert "征求意见已于 2026-11-13 截止，不能再提交意见。" in text and "迟到的意见</textarea>" in text
    assert Opinion.objects.count() == 1


def test_pages_have_no_inline_script(world, client):
    report = draft_regulation(world)
    login(client, world.bob)
    for url in ["/reports/", "/reports/new/", f"/reports/{report.pk}/", f"/reports/{report.pk}/edit/"]:
        text = client.get(url).content.decode()
        assert "<script>" not in text and " onclick=" not in text and " style=" not in text, url


def test_the_pdf_is_an_official_document_with_the_chinese_title(world, client):
    report = published(world, title="某机械公司与某建设公司买卖合同纠纷案")
    response = login(client, world.alice).get(f"/reports/{report.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(response.getvalue())).pages[0].extract_text()
    compact = "".join(text.split())
    assert "某机械公司与某建设公司买卖合同纠纷案" in compact
    assert "甲市中级人民法院" in compact and "典型案例" in compact
