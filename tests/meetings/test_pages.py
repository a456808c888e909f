"""The meetings pages: planning, the detail and its steps, attendance, minutes with approval and issue,
PDFs, supervision with Excel and PDF, dual-list import, cadence; scoping and query counts."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import services
from meetings.choices import Attendance, MeetingStatus, MinutesStatus
from meetings.models import ActionItem, DualList, Meeting, Minutes

from ..conftest import login
from .conftest import at, queued_complaint
from .test_supervision import GOOD_ROWS, workbook


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def fonts_of(content: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font used on every page."""
    found = []
    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for descendant in font.get("/DescendantFonts", []):
                descriptors.append(descendant.get_object().get("/FontDescriptor"))
            embedded = any(
                d is not None and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors
            )
            found.append((str(font.get("/BaseFont")), embedded))
    return found


def no_inline_script(html: str) -> None:
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, "inline <script>"
    assert re.search(r"\son[a-z]+\s*=", html) is None, "inline event handler"


# --- planning ---------------------------------------------------------------------------------------


def test_the_secretary_plans_a_meeting_through_the_form(cast, client):
    complaint = queued_complaint(cast)
    login(client, cast.secretary)
    page = client.get("/meetings/new/").content.decode()
    no_inline_script(page)
    # The convenor's meeting secretary runs the joint meeting: the queued complaints are listed to choose.
    assert f'value="{complaint.pk}"' in page and "同时列入工商联提请移送的其他" not in page
    response = client.post(
        "/meetings/new/",
        {
            "mechanism": cast.world.mechanism.pk,
            "kind": "joint",
            "title": "2026年第一季度联席会议",
            "starts_at": "2026-03-27T09:00",
            "ends_at": "2026-03-27T11:30",
            "place": "市法院三楼会议室",
            "chair": "陈院长",
            "invitees": [cast.court_leader.pk, cast.fed_leader.pk],
            "outside": "王会长，甲市民营企业商会，会长，wang@chamber.test",
            "complaints": [complaint.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.invitees.count() == 3
    assert list(meeting.agenda_items.get(kind="complaints").complaints.all()) == [complaint]
    detail = client.get(f"/meetings/{meeting.pk}/").content.decode()
    no_inline_script(detail)
    # Queued for the meeting, the complaint is shown to the convenor's secretary who runs it.
    assert complaint.title in detail and "移送前仅工商联可见" not in detail
    assert login(client, cast.reviewer).get(f"/meetings/{meeting.pk}/").content.decode().count(complaint.title) == 1


def test_a_bad_form_keeps_what_was_typed_and_says_why(cast, client):
    login(client, cast.secretary)
    response = client.post(
        "/meetings/new/",
        {
            "mechanism": cast.world.mechanism.pk,
            "kind": "joint",
            "title": "联席会议",
            "starts_at": "2026-03-27T09:00",
            "ends_at": "2026-03-27T08:00",
            "place": "会议室",
            "outside": "，无名单位",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200 and "第 1 行：请填写姓名" in text
    response = client.post(
        "/meetings/new/",
        {
            "mechanism": cast.world.mechanism.pk,
            "kind": "joint",
            "title": "联席会议",
            "starts_at": "2026-03-27T09:00",
            "ends_at": "2026-03-27T08:00",
            "place": "会议室",
        },
    )
    text = response.content.decode()
    assert "结束时间须晚于开始时间" in text and 'value="联席会议"' in text
    assert not Meeting.objects.exists()


def test_steps_on_the_detail_page(cast, client):
    meeting = cast.meeting()
    login(client, cast.secretary)
    text = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "发出会议通知" in text and "action-postpone" in text
    response = client.post(f"/meetings/{meeting.pk}/act/send_notice/")
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.NOTICE_SENT
    response = client.post(f"/meetings/{meeting.pk}/act/send_notice/", follow=True)
    assert "已由 孙丽" in response.content.decode()
    response = client.post(f"/meetings/{meeting.pk}/act/cancel/", {"cancel-reason": ""})
    assert response.status_code == 200 and "请填写理由" in response.content.decode()
    assert login(client, cast.world.alice).post(f"/meetings/{meeting.pk}/act/hold/", follow=True).status_code == 200
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.NOTICE_SENT


def test_invitees_answer_on_the_page(cast, client):
    meeting = cast.noticed()
    login(client, cast.fed_leader)
    assert "我的回复" in client.get(f"/meetings/{meeting.pk}/").content.decode()
    client.post(f"/meetings/{meeting.pk}/rsvp/", {"answer": "accepted"})
    assert meeting.invitees.get(user=cast.fed_leader).rsvp == "accepted"
    assert (
        login(client, cast.secretary).post(f"/meetings/{meeting.pk}/rsvp/", {"answer": "accepted"}).status_code == 404
    )


def test_attendance_page(cast, client):
    meeting = cast.held()
    login(client, cast.secretary)
    invitees = list(meeting.invitees.order_by("order"))
    data = {f"attendance_{i.pk}": Attendance.PRESENT for i in invitees}
    data[f"attendance_{invitees[1].pk}"] = Attendance.REPRESENTED
    response = client.post(f"/meetings/{meeting.pk}/attendance/", data)
    assert "委托出席的，请填写出席人姓名" in response.content.decode()
    data[f"deputy_{invitees[1].pk}"] = "刘建国"
    assert client.post(f"/meetings/{meeting.pk}/attendance/", data).status_code == 302
    assert meeting.invitees.filter(attendance=Attendance.PRESENT).count() == 4


def test_transfer_at_the_meeting_from_the_page(cast, client):
    complaint = queued_complaint(cast)
    meeting = cast.held()
    agenda = meeting.agenda_items.get(kind="complaints")
    login(client, cast.reviewer)
    assert "在本次会议移送" in client.get(f"/meetings/{meeting.pk}/").content.decode()
    response = client.post(
        f"/meetings/agenda/{agenda.pk}/transfer/", {f"transfer-{agenda.pk}-complaints": [complaint.pk]}, follow=True
    )
    assert "已在会上移送" in response.content.decode()
    assert agenda.transfers.count() == 1


# --- minutes --------------------------------------------------------------------------------------------


def minutes_post(meeting: Meeting, cast, **overrides) -> dict:
    agenda = list(meeting.agenda_items.all())
    data = {
        "title": f"{meeting.title}纪要",
        "summary": "会议通报了本季度工作。",
        "decisions": "建立月度通报制度\n加强诉源治理",
        "extra_heading": "其他事项",
        "extra_discussion": "商会介绍了会员企业的诉求。",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
        "items-0-title": "梳理长期未结涉企案件",
        "items-0-owner_organization": cast.world.court.pk,
        "items-0-owner_department": cast.department.pk,
        "items-0-due_date": "2026-04-30",
    }
    for item in agenda:
        data[f"section_{item.pk}"] = "已讨论。"
    data.update(overrides)
    return data


def test_the_minutes_are_written_approved_issued_and_printed_through_the_pages(cast, client):
    meeting = cast.held()
    services.attendance_record(
        actor=cast.secretary,
        meeting=meeting,
        entries=[services.AttendanceEntry(i, Attendance.PRESENT) for i in meeting.invitees.all()],
    )
    login(client, cast.secretary)
    assert "items-0-title" in client.get(f"/meetings/{meeting.pk}/minutes/new/").content.decode()
    response = client.post(f"/meetings/{meeting.pk}/minutes/new/", minutes_post(meeting, cast))
    minutes = Minutes.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/meetings/minutes/{minutes.pk}/"
    assert minutes.decisions.count() == 2 and minutes.action_items.count() == 1 and minutes.sections.count() == 1
    client.post(f"/meetings/minutes/{minutes.pk}/act/submit/")
    for leader in (cast.court_leader, cast.fed_leader):
        login(client, leader)
        assert "action-decide" in client.get(f"/meetings/minutes/{minutes.pk}/").content.decode()
        client.post(f"/meetings/minutes/{minutes.pk}/act/decide/", {"decide-decision": "approve"})
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.APPROVED
    login(client, cast.secretary)
    response = client.post(f"/meetings/minutes/{minutes.pk}/act/issue/", follow=True)
    assert "纪要已印发，编号 〔2026〕第1期" in response.content.decode()
    response = client.get(f"/meetings/minutes/{minutes.pk}/pdf/?download=1")
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("attachment")
    content = response.getvalue()  # a file response: its content can be read once
    text = pdf_text(content)
    compact = "".join(text.split())
    assert "2026年第一季度联席会议纪要" in compact and "〔2026〕第1期" in compact
    for name in ("张志强", cast.court_leader.display_name, "王会长"):
        assert name in compact, name
    assert "甲市中级人民法院" in compact and "梳理长期未结涉企案件" in compact and "—1—" in compact
    fonts = fonts_of(content)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    page = client.get(f"/meetings/minutes/{minutes.pk}/print/").content.decode()
    no_inline_script(page)
    assert "2026年第一季度联席会议纪要" in page and "/static/meetings/minutes.css" in page
    assert "style=" not in page


def test_a_leader_returns_with_comments_on_the_page(cast, client):
    minutes = services.minutes_submit(actor=cast.secretary, minutes=cast.minutes())
    login(client, cast.fed_leader)
    response = client.post(f"/meetings/minutes/{minutes.pk}/act/decide/", {"decide-decision": "return"})
    assert "退回修改的，请填写意见" in response.content.decode()
    client.post(
        f"/meetings/minutes/{minutes.pk}/act/decide/", {"decide-decision": "return", "decide-comment": "请补充商会发言"}
    )
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.RETURNED


def test_issued_minutes_cannot_be_opened_for_editing(cast, client):
    minutes = cast.issued()
    response = login(client, cast.secretary).get(f"/meetings/minutes/{minutes.pk}/edit/", follow=True)
    assert "已印发的纪要不能修改" in response.content.decode()


def test_a_draft_pdf_says_it_is_not_issued(cast, client):
    minutes = cast.minutes()
    text = "".join(
        pdf_text(login(client, cast.world.alice).get(f"/meetings/minutes/{minutes.pk}/pdf/").getvalue()).split()
    )
    assert "未印发" in text and "〔〕第期" in text


def test_the_sign_in_sheet(cast, client):
    meeting = cast.noticed()
    response = login(client, cast.secretary).get(f"/meetings/{meeting.pk}/sign-in-sheet.pdf")
    content = response.getvalue()  # a file response: its content can be read once
    text = "".join(pdf_text(content).split())
    assert "签到表" in text and "王会长" in text and "甲市民营企业商会" in text
    assert all(embedded for _, embedded in fonts_of(content))


# --- supervision and the dual list ---------------------------------------------------------------------


def test_supervision_page_export_and_report(cast, client, time_machine):
    cast.issued()
    time_machine.move_to("2026-05-06 09:00 +08:00", tick=False)
    login(client, cast.world.alice)
    text = client.get("/meetings/supervision/").content.decode()
    assert "梳理长期未结涉企案件" in text and "已逾期" in text and "审务督查局" in text
    assert client.get("/meetings/supervision/?state=open").content.decode().count("梳理长期未结涉企案件") == 0
    response = client.get("/meetings/supervision/export.xlsx?state=overdue")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.values)
    assert rows[0][3] == "事项" and rows[1][3] == "梳理长期未结涉企案件清单" and rows[1][9] == "已逾期"
    text = "".join(pdf_text(client.get("/meetings/supervision/report.pdf").getvalue()).split())
    assert "督办事项落实情况报告" in text and "已逾期1项" in text


def test_progress_and_closing_on_the_item_page(cast, client):
    item = cast.issued().action_items.get()
    login(client, cast.world.bob)
    response = client.post(
        f"/meetings/items/{item.pk}/progress/", {"progress-text": "已梳理 12 件", "progress-completed": "on"}
    )
    assert response.status_code == 302
    assert "action-close" not in client.get(f"/meetings/items/{item.pk}/").content.decode()
    login(client, cast.secretary)
    client.post(f"/meetings/items/{item.pk}/close/", {"close-note": "已核实"})
    assert ActionItem.objects.get(pk=item.pk).status == "done"


def test_dual_list_import_on_the_page_reports_rows_and_saves_nothing(cast, client):
    login(client, cast.secretary)
    client.post("/meetings/dual-lists/new/", {"mechanism": cast.world.mechanism.pk, "year": 2026})
    dual_list = DualList.objects.get()
    bad = workbook(GOOD_ROWS + [[3, "协同完善执行联动机制", "乙区人民法院", None, None, None, "2026-12-31"]])
    response = client.post(f"/meetings/dual-lists/{dual_list.pk}/import/", {"import-file": bad})
    text = response.content.decode()
    assert "第 4 行：牵头单位“乙区人民法院”不是本机制的参与单位" in text and "没有保存任何任务" in text
    assert not dual_list.tasks.exists()
    # The responsible units are not departments yet: the page lists them and waits for the confirmation.
    response = client.post(f"/meetings/dual-lists/{dual_list.pk}/import/", {"import-file": workbook(GOOD_ROWS)})
    assert "以下部门尚未建立" in response.content.decode() and not dual_list.tasks.exists()
    response = client.post(
        f"/meetings/dual-lists/{dual_list.pk}/import/",
        {"import-file": workbook(GOOD_ROWS), "import-create_departments": "on"},
    )
    assert response.status_code == 302 and dual_list.tasks.count() == 2
    export = client.get(f"/meetings/dual-lists/{dual_list.pk}/export.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(export.getvalue())).active.values)
    assert rows[0][:7] == ("序号", "任务", "牵头单位", "牵头部门", "责任单位", "目标要求", "完成时限")
    plenary = cast.held(kind="plenary", title="全体会议")
    client.post(f"/meetings/dual-lists/{dual_list.pk}/approve/", {"approve-meeting": plenary.pk})
    assert DualList.objects.get().status == "approved"


def test_the_cadence_page(cast, client, time_machine):
    cast.held(title="一季度联席会议")
    time_machine.move_to("2026-08-15 09:00 +08:00", tick=False)
    text = login(client, cast.world.alice).get(f"/meetings/cadence/{cast.world.mechanism.pk}/").content.decode()
    assert "一季度联席会议" in text and "缺会" in text and "已召开" in text and "未到期" in text
    assert client.get("/meetings/cadence/").status_code == 302


# --- scoping and query counts ---------------------------------------------------------------------------


def _urls(cast) -> list[str]:
    minutes = cast.issued()
    meeting = minutes.meeting
    item = minutes.action_items.get()
    agenda = cast.meeting(
        title="另一会议", kind="coordination", starts_at=at("2026-03-25"), ends_at=at("2026-03-25", 11)
    )
    services.agenda_item_add(actor=cast.secretary, meeting=agenda, title="议题")
    dual_list = services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2026)
    agenda_item = agenda.agenda_items.get()
    return [
        f"/meetings/{meeting.pk}/",
        f"/meetings/{agenda.pk}/edit/",
        f"/meetings/{meeting.pk}/attendance/",
        f"/meetings/{meeting.pk}/sign-in-sheet.pdf",
        f"/meetings/{meeting.pk}/invite.ics",
        f"/meetings/{meeting.pk}/minutes/new/",
        f"/meetings/minutes/{minutes.pk}/",
        f"/meetings/minutes/{minutes.pk}/edit/",
        f"/meetings/minutes/{minutes.pk}/pdf/",
        f"/meetings/minutes/{minutes.pk}/print/",
        f"/meetings/items/{item.pk}/",
        f"/meetings/dual-lists/{dual_list.pk}/",
        f"/meetings/dual-lists/{dual_list.pk}/export.xlsx",
        f"/meetings/cadence/{cast.world.mechanism.pk}/",
        ("post", f"/meetings/{agenda.pk}/act/send_notice/"),
        ("post", f"/meetings/{agenda.pk}/rsvp/"),
        ("post", f"/meetings/{agenda.pk}/agenda/"),
        ("post", f"/meetings/agenda/{agenda_item.pk}/remove/"),
        ("post", f"/meetings/agenda/{agenda_item.pk}/trim/"),
        ("post", f"/meetings/agenda/{agenda_item.pk}/transfer/"),
        ("post", f"/meetings/minutes/{minutes.pk}/act/correct/"),
        ("post", f"/meetings/items/{item.pk}/progress/"),
        ("post", f"/meetings/items/{item.pk}/close/"),
        ("post", f"/meetings/dual-lists/{dual_list.pk}/import/"),
        ("post", f"/meetings/dual-lists/{dual_list.pk}/approve/"),
    ]


def test_outsiders_get_404_on_every_page(cast, client):
    urls = _urls(cast)
    login(client, cast.world.charlie)
    for url in urls:
        method, url = url if isinstance(url, tuple) else ("get", url)
        assert getattr(client, method)(url).status_code == 404, url
    for url in ("/meetings/", "/meetings/minutes/", "/meetings/supervision/", "/meetings/dual-lists/"):
        text = client.get(url).content.decode()
        assert "2026年第一季度联席会议" not in text and "梳理长期未结涉企案件" not in text, url
    assert Meeting.objects.get(title="另一会议").status == MeetingStatus.PLANNED


def test_pages_need_a_login(cast, client):
    assert client.get("/meetings/").status_code == 302
    assert client.get("/meetings/supervision/").status_code == 302


def _grow(cast, n: int) -> None:
    for index in range(n):
        day = dt.date(2026, 3, 20) - dt.timedelta(days=index + 1)
        minutes = cast.issued(title=f"会议{index}-{n}", starts_at=at(day.isoformat()), ends_at=at(day.isoformat(), 11))
        services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2000 + n * 10 + index)
        assert minutes.number


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/",
        "/meetings/minutes/",
        "/meetings/supervision/",
        "/meetings/dual-lists/",
        "/meetings/supervision/?state=overdue&ordering=due_date",
    ],
)
def test_lists_use_a_fixed_number_of_queries(cast, client, django_assert_max_num_queries, url):
    _grow(cast, 2)
    login(client, cast.world.alice)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(cast, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_pages_have_no_inline_script(cast, client):
    minutes = cast.issued()
    login(client, cast.secretary)
    for url in (
        "/meetings/",
        "/meetings/new/",
        f"/meetings/{minutes.meeting_id}/",
        f"/meetings/minutes/{minutes.pk}/",
        "/meetings/minutes/",
        "/meetings/supervision/",
        "/meetings/dual-lists/",
        "/meetings/calendar/",
        f"/meetings/cadence/{cast.world.mechanism.pk}/",
        f"/meetings/items/{minutes.action_items.get().pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        no_inline_script(response.content.decode())


def test_home_panels(cast, client, time_machine):
    time_machine.move_to("2026-03-10 09:00 +08:00", tick=False)
    cast.noticed()
    minutes = services.minutes_submit(
        actor=cast.secretary,
        minutes=cast.minutes(title="已开的会", starts_at=at("2026-03-09"), ends_at=at("2026-03-09", 11)),
    )
    text = login(client, cast.secretary).get("/").content.decode()
    assert "近期会议" in text and "2026年第一季度联席会议" in text
    text = login(client, cast.fed_leader).get("/").content.decode()
    assert "待审定的会议纪要（1）" in text and minutes.title in text
    text = login(client, cast.world.bob).get("/").content.decode()
    assert "本单位督办事项" in text


def test_the_form_invites_leaders_secretaries_and_liaison_officers_of_every_party(cast, client):
    party = cast.world.mechanism.parties.get(organization=cast.world.federation)
    party.liaison_officer = cast.reviewer
    party.save()
    form = login(client, cast.secretary).get("/meetings/new/").context["form"]
    assert set(form.fields["invitees"].initial) == {
        cast.secretary.pk,
        cast.court_leader.pk,
        cast.fed_leader.pk,
        cast.world.bob.pk,
        cast.reviewer.pk,
    }
