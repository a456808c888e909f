"""Complaint list, Excel export and scoping of the complaint pages."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.choices import ComplaintStatus as S
from liaison import attachments

from ..conftest import login
from ..factories import UserFactory

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def pdf_upload(name: str = "证据.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def exe_as_pdf(name: str = "判决书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EXE_BYTES, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- the list -----------------------------------------------------------------------------------


def test_it_lists_complaints_with_their_deadline_in_working_days(cast, client, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)  # a Monday: registration due Thursday
    complaint = cast.transferred()
    text = login(client, cast.clerk).get("/cases/complaints/").content.decode()
    assert complaint.serial in text and "洛阳某机械制造有限公司" in text and "案件办理投诉" in text
    assert "已移送法院" in text and "甲市中级人民法院" in text
    assert "剩余 3 个工作日" in text and "2026-11-05" in text
    time_machine.move_to("2026-11-05 09:00 +08:00", tick=False)
    assert "今日到期" in login(client, cast.clerk).get("/cases/complaints/").content.decode()


def test_it_shows_overdue_in_working_days(cast, client, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00", tick=False)  # a Monday
    cast.transferred()
    time_machine.move_to("2026-11-09 09:00 +08:00", tick=False)  # registration was due Thursday 5th
    text = login(client, cast.clerk).get("/cases/complaints/?queue=overdue").content.decode()
    assert "已逾期 2 个工作日" in text


def test_it_shows_the_queues_of_each_side(cast, client):
    federation = login(client, cast.staff).get("/cases/complaints/").content.decode()
    for label in ("草稿", "待审核", "待联席会议移送", "待法院办理", "待确认反馈"):
        assert f">{label}</a>" in federation
    assert "待登记</a>" not in federation
    court = login(client, cast.clerk).get("/cases/complaints/").content.decode()
    assert ">待登记</a>" in court and ">待交办</a>" in court and ">已逾期</a>" in court
    assert ">我承办的</a>" not in court and ">草稿</a>" not in court
    handler = login(client, cast.handler).get("/cases/complaints/").content.decode()
    assert ">我承办的</a>" in handler and ">待登记</a>" not in handler
    leader = login(client, cast.court_leader).get("/cases/complaints/").content.decode()
    assert ">已逾期</a>" in leader and ">待登记</a>" not in leader


def test_a_queue_tab_narrows_the_list(cast, client):
    draft = cast.file(title="仍是草稿的诉求")
    reviewed = cast.to_review(title="审核中的诉求")
    login(client, cast.staff)
    drafts = client.get("/cases/complaints/?queue=drafts").content.decode()
    assert draft.serial in drafts and reviewed.serial not in drafts
    to_review = client.get("/cases/complaints/?queue=to_review").content.decode()
    assert reviewed.serial in to_review and draft.serial not in to_review


def test_the_filter_form_searches_and_filters(cast, client):
    first = cast.file(title="拖欠工程款")
    second = cast.file(title="查封超标", kind="enforcement")
    login(client, cast.staff)
    text = client.get("/cases/complaints/?q=工程款").content.decode()
    assert first.serial in text and second.serial not in text
    text = client.get("/cases/complaints/?kind=enforcement").content.decode()
    assert second.serial in text and first.serial not in text
    text = client.get(f"/cases/complaints/?status={S.DRAFT}&ordering=serial").content.decode()
    assert first.serial in text and second.serial in text
    assert client.get("/cases/complaints/?submitted_from=not-a-date").status_code == 200


def test_pagination_keeps_the_filters(cast, client):
    for n in range(26):
        cast.file(title=f"诉求{n}")
    text = login(client, cast.staff).get("/cases/complaints/?queue=drafts").content.decode()
    assert "queue=drafts&amp;page=2" in text
    assert "共 26 件" in text


def test_deep_pages_show_the_same_rows_in_the_same_order_at_a_fixed_number_of_queries(cast, client):
    """The list reads a page's ids first, then its rows by id: the rows and their order are those of
    the plain OFFSET paging, whatever the ordering, and a page past the end shows the last one."""
    made = [cast.file(title=f"分页诉求{n:02d}") for n in range(27)]
    login(client, cast.staff)
    newest_first = [c.serial for c in sorted(made, key=lambda c: (c.created_at, c.pk), reverse=True)]

    def serials(url: str) -> list[str]:
        text = client.get(url).content.decode()
        return [s for s in sorted(newest_first, key=text.find) if s in text]

    assert serials("/cases/complaints/?queue=drafts&page=2") == newest_first[25:]
    assert serials("/cases/complaints/?queue=drafts&page=99") == newest_first[25:]
    assert "第 2 / 2 页" in client.get("/cases/complaints/?queue=drafts&page=2").content.decode()
    by_serial = sorted(newest_first)
    assert serials("/cases/complaints/?queue=drafts&ordering=serial&page=2") == by_serial[25:]
    assert serials("/cases/complaints/?queue=drafts&ordering=-serial") == list(reversed(by_serial))[:25]
    with CaptureQueriesContext(connection) as first:
        client.get("/cases/complaints/?queue=drafts")
    with CaptureQueriesContext(connection) as second:
        client.get("/cases/complaints/?queue=drafts&page=2")
    assert len(second.captured_queries) == len(first.captured_queries)


def test_a_list_above_the_counting_cap_pages_on_and_gives_its_exact_total_separately(cast, client, monkeypatch):
    monkeypatch.setattr("liaison.paging.COUNT_CAP", 10)
    made = [cast.file(title=f"大名单{n:02d}") for n in range(27)]
    newest_first = [c.serial for c in sorted(made, key=lambda c: (c.created_at, c.pk), reverse=True)]
    login(client, cast.staff)
    first = client.get("/cases/complaints/?queue=drafts").content.decode()
    assert "共 10 件以上" in first and 'data-count-url="/cases/complaints/count.json?queue=drafts"' in first
    assert "第 1 页" in first and "queue=drafts&amp;page=2" in first
    assert all(serial in first for serial in newest_first[:25])
    second = client.get("/cases/complaints/?queue=drafts&page=2").content.decode()
    assert [s for s in newest_first if s in second] == newest_first[25:]
    assert "第 2 页" in second and "page=3" not in second and "queue=drafts&amp;page=1" in second
    # Past the end the list counts exactly and shows its last page.
    past = client.get("/cases/complaints/?queue=drafts&page=9").content.decode()
    assert "共 27 件" in past and "第 2 / 2 页" in past and newest_first[-1] in past
    assert client.get("/cases/complaints/count.json?queue=drafts").json() == {"count": 27, "text": "共 27 件"}
    assert client.get("/cases/complaints/count.json?queue=to_register").json()["count"] == 0
    with CaptureQueriesContext(connection) as on_first:
        client.get("/cases/complaints/?queue=drafts")
    with CaptureQueriesContext(connection) as on_second:
        client.get("/cases/complaints/?queue=drafts&page=2")
    assert len(on_second.captured_queries) == len(on_first.captured_queries)


def test_the_exact_total_is_scoped_like_the_list(cast, client):
    cast.file(title="本会草稿")
    login(client, cast.clerk)
    assert client.get("/cases/complaints/count.json").json()["count"] == 0  # the court sees no draft
    client.logout()
    assert client.get("/cases/complaints/count.json").status_code == 302


def _add_complaints(cast, count: int) -> None:
    for n in range(count):
        complaint = cast.transferred(title=f"批量诉求{n}")
        if n % 2:
            services.complaint_register(actor=cast.clerk, complaint=complaint, registration_number=f"DJ-{n}")


@pytest.mark.parametrize(
    "url",
    [
        "/cases/complaints/",
        "/cases/complaints/?queue=to_register",
        "/cases/complaints/?overdue=false&ordering=-due",
        "/cases/enterprises/",
        "/cases/transfers/",
    ],
)
def test_lists_use_a_fixed_number_of_queries(cast, client, django_assert_max_num_queries, url):
    _add_complaints(cast, 2)
    login(client, cast.clerk)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_complaints(cast, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_federation_list_uses_a_fixed_number_of_queries(cast, client, django_assert_max_num_queries):
    for n in range(2):
        cast.file(title=f"草稿{n}")
    login(client, cast.staff)
    client.get("/cases/complaints/")
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/complaints/")
    for n in range(10):
        cast.to_review(title=f"审核{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/cases/complaints/").status_code == 200


# --- the Excel export ---------------------------------------------------------------------------


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E8%AF%89%E6%B1%82%E5%8F%B0%E8%B4%A6" in disposition  # 诉求台账
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_the_export_is_the_filtered_list_with_chinese_headers_and_deadlines(cast, client):
    kept = cast.transferred(title="保留的诉求")
    cast.transferred(title="筛掉的诉求")
    login(client, cast.clerk)
    page = client.get("/cases/complaints/?q=保留").content.decode()
    assert 'href="/cases/complaints/export.xlsx?q=%E4%BF%9D%E7%95%99"' in page
    rows = _sheet(client.get("/cases/complaints/export.xlsx?q=保留"))
    headers = rows[0]
    for header in ("编号", "企业名称", "联系电话", "状态", "当前时限", "截止日", "时限状态"):
        assert header in headers
    assert len(rows) == 2 and rows[1][headers.index("编号")] == kept.serial
    assert rows[1][headers.index("当前时限")] == "登记"
    assert rows[1][headers.index("时限状态")].startswith(("剩余", "今日到期"))


def test_the_export_masks_the_phone_for_the_court_but_not_for_the_registering_federation(cast, client):
    cast.transferred()
    court_rows = _sheet(login(client, cast.clerk).get("/cases/complaints/export.xlsx"))
    phone = court_rows[0].index("联系电话")
    assert court_rows[1][phone] == "138****5678"
    federation_rows = _sheet(login(client, cast.staff).get("/cases/complaints/export.xlsx"))
    assert federation_rows[1][phone] == "13812345678"


def test_the_export_of_an_outsider_is_empty(cast, client):
    cast.transferred()
    rows = _sheet(login(client, cast.world.charlie).get("/cases/complaints/export.xlsx"))
    assert len(rows) == 1


# --- scoping ------------------------------------------------------------------------------------


def test_an_outsider_gets_404_on_every_complaint_page(cast, client):
    complaint = cast.transferred()
    draft = cast.file()
    attachment = attachments.attachment_add(target=complaint, upload=pdf_upload(), actor=cast.staff)
    login(client, cast.world.charlie)
    pk = complaint.pk
    assert client.get(f"/cases/complaints/{pk}/").status_code == 404
    assert client.get(f"/cases/complaints/{draft.pk}/edit/").status_code == 404
    register = {"register-registration_number": "X"}
    assert client.post(f"/cases/complaints/{pk}/act/register/", register).status_code == 404
    assert client.post(f"/cases/complaints/{pk}/messages/", {"body": "你好"}).status_code == 404
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    assert f">{complaint.serial}</a>" not in client.get("/cases/complaints/").content.decode()
    complaint.refresh_from_db()
    assert complaint.status == S.TRANSFERRED


def test_the_court_gets_404_for_a_federation_draft(cast, client):
    draft = cast.file()
    login(client, cast.clerk)
    assert client.get(f"/cases/complaints/{draft.pk}/").status_code == 404
    assert client.get(f"/cases/complaints/{draft.pk}/edit/").status_code == 404
    assert draft.serial not in client.get("/cases/complaints/").content.decode()


def test_the_court_downloads_attachments_of_a_transferred_complaint(cast, client):
    complaint = cast.transferred()
    attachment = attachments.attachment_add(target=complaint, upload=pdf_upload(), actor=cast.staff)
    response = login(client, cast.clerk).get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200


def test_anonymous_users_are_sent_to_login(cast, client):
    complaint = cast.transferred()
    for url in (
        "/cases/complaints/",
        f"/cases/complaints/{complaint.pk}/",
        "/cases/enterprises/",
        "/cases/transfers/",
        "/cases/complaints/export.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(f"/cases/complaints/{complaint.pk}/act/register/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_second_court_user_of_another_court_sees_nothing(cast, client):
    other_clerk = UserFactory(organization=cast.world.other_court, roles=["court_clerk"])
    complaint = cast.transferred()
    assert login(client, other_clerk).get(f"/cases/complaints/{complaint.pk}/").status_code == 404
