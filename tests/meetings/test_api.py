"""The meetings API: the whole lifecycle, refusals as 403/409/400 in Chinese, filters, PDFs, outsiders, query counts."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import services
from meetings.choices import Attendance
from meetings.models import Meeting, Minutes

from ..conftest import login
from .conftest import at, queued_complaint
from .test_supervision import GOOD_ROWS, workbook


@pytest.fixture
def client(api_client):
    return api_client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, format="json")


def meeting_body(cast, **overrides) -> dict:
    body = {
        "mechanism": cast.world.mechanism.pk,
        "kind": "joint",
        "title": "2026年第一季度联席会议",
        "starts_at": "2026-03-20T09:00:00+08:00",
        "ends_at": "2026-03-20T11:00:00+08:00",
        "place": "市法院三楼会议室",
        "chair": "陈院长",
        "invitees": [cast.court_leader.pk, cast.fed_leader.pk, cast.world.alice.pk],
        "outside": [{"name": "王会长", "organization_name": "甲市民营企业商会", "title": "会长"}],
    }
    body.update(overrides)
    return body


def test_it_runs_the_whole_lifecycle_through_the_api(cast, client):
    login(client, cast.secretary)
    response = post(client, "/api/v1/meetings/", meeting_body(cast))
    assert response.status_code == 201, response.json()
    data = response.json()
    pk = data["id"]
    assert data["status"] == "planned" and data["status_display"] == "已计划" and data["invitee_count"] == 4
    assert data["allowed_actions"] == ["send_notice", "postpone", "cancel", "edit"]
    assert data["ics_url"] == f"/api/v1/meetings/{pk}/ics/"
    assert post(client, f"/api/v1/meetings/{pk}/send-notice/").json()["status"] == "notice_sent"
    data = post(client, f"/api/v1/meetings/{pk}/hold/").json()
    assert data["status"] == "held" and "attendance" in data["allowed_actions"]
    entries = [{"invitee": i["id"], "attendance": "present"} for i in data["invitees"]]
    entries[0] = {"invitee": entries[0]["invitee"], "attendance": "represented", "represented_by": "刘建国"}
    response = post(client, f"/api/v1/meetings/{pk}/attendance/", {"entries": entries})
    assert response.status_code == 200 and response.json()[0]["represented_by"] == "刘建国"

    response = post(
        client,
        "/api/v1/minutes/",
        {
            "meeting": pk,
            "title": "2026年第一季度联席会议纪要",
            "summary": "会议通报了本季度工作。",
            "sections": [{"heading": "通报工作情况", "discussion": "双方通报了沟通协作情况。"}],
            "decisions": ["建立月度信息通报制度"],
            "action_items": [
                {
                    "title": "梳理长期未结涉企案件",
                    "owner_organization": cast.world.court.pk,
                    "owner_department": cast.department.pk,
                    "due_date": "2026-04-30",
                }
            ],
        },
    )
    assert response.status_code == 201, response.json()
    minutes = response.json()
    assert minutes["status"] == "draft" and minutes["allowed_actions"] == ["edit", "submit"]
    mid = minutes["id"]
    assert post(client, f"/api/v1/minutes/{mid}/submit/").json()["status"] == "submitted"
    for leader in (cast.court_leader, cast.fed_leader):
        login(client, leader)
        response = post(client, f"/api/v1/minutes/{mid}/decide/", {"approve": True})
        assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    login(client, cast.secretary)
    data = post(client, f"/api/v1/minutes/{mid}/issue/").json()
    assert data["status"] == "issued" and data["number"] == "〔2026〕第1期"
    assert data["distribution"] == ["甲市中级人民法院", "甲市工商业联合会"]
    assert data["pdf_url"] == f"/api/v1/minutes/{mid}/pdf/"
    response = client.get(data["pdf_url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join("".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(response.getvalue())).pages)
    assert "2026年第一季度联席会议纪要" in text and "张志强" in text

    [item] = client.get("/api/v1/action-items/").json()["results"]
    assert item["state"] == "open" and item["minutes_number"] == "〔2026〕第1期"
    login(client, cast.world.bob)
    response = post(client, f"/api/v1/action-items/{item['id']}/progress/", {"text": "已梳理 12 件", "completed": True})
    assert response.status_code == 201 and response.json()["reports_completion"] is True
    login(client, cast.secretary)
    data = post(client, f"/api/v1/action-items/{item['id']}/close/", {"note": "已核实"}).json()
    assert data["status"] == "done" and data["closing_note"] == "已核实"


def test_refusals_map_to_403_409_and_400_with_chinese_messages(cast, client):
    meeting = cast.meeting()
    login(client, cast.world.alice)
    response = post(client, f"/api/v1/meetings/{meeting.pk}/send-notice/")
    assert response.status_code == 403 and response.json()["code"] == "permission"
    assert "发出会议通知" in response.json()["detail"]
    login(client, cast.secretary)
    post(client, f"/api/v1/meetings/{meeting.pk}/send-notice/")
    response = post(client, f"/api/v1/meetings/{meeting.pk}/send-notice/")
    assert response.status_code == 409 and "已由 孙丽" in response.json()["detail"]
    response = post(client, "/api/v1/meetings/", meeting_body(cast, ends_at="2026-03-20T08:00:00+08:00"))
    assert response.status_code == 400 and response.json()["detail"] == "结束时间须晚于开始时间。"
    response = post(client, f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": ""})
    assert response.status_code == 400 and "请填写取消理由" in response.json()["detail"]
    assert Meeting.objects.count() == 1


def test_changing_a_meeting_with_patch_keeps_what_is_not_sent(cast, client):
    meeting = cast.noticed()
    login(client, cast.secretary)
    response = client.patch(f"/api/v1/meetings/{meeting.pk}/", {"place": "市工商联会议室"}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["place"] == "市工商联会议室" and data["sequence"] == 1 and data["invitee_count"] == 5


def test_rsvp_and_postpone(cast, client):
    meeting = cast.noticed()
    login(client, cast.fed_leader)
    response = post(client, f"/api/v1/meetings/{meeting.pk}/rsvp/", {"answer": "declined"})
    assert response.status_code == 400 and "不参加的，请说明理由" in response.json()["detail"]
    post(client, f"/api/v1/meetings/{meeting.pk}/rsvp/", {"answer": "accepted"})
    assert meeting.invitees.get(user=cast.fed_leader).rsvp == "accepted"
    login(client, cast.secretary)
    response = post(
        client,
        f"/api/v1/meetings/{meeting.pk}/postpone/",
        {"reason": "院领导另有公务", "starts_at": "2026-03-27T09:00:00+08:00", "ends_at": "2026-03-27T11:00:00+08:00"},
    )
    assert response.status_code == 200 and response.json()["status"] == "postponed"


def test_returning_minutes_needs_a_comment(cast, client):
    minutes = services.minutes_submit(actor=cast.secretary, minutes=cast.minutes())
    login(client, cast.fed_leader)
    response = post(client, f"/api/v1/minutes/{minutes.pk}/decide/", {"approve": False})
    assert response.status_code == 400 and "退回修改的，请填写意见" in response.json()["detail"]
    response = post(client, f"/api/v1/minutes/{minutes.pk}/decide/", {"approve": False, "comment": "请补充"})
    assert response.json()["status"] == "returned"
    login(client, cast.world.bob)
    response = post(client, f"/api/v1/minutes/{minutes.pk}/decide/", {"approve": True})
    assert response.status_code == 403


def test_issued_minutes_refuse_a_patch(cast, client):
    minutes = cast.issued()
    login(client, cast.secretary)
    response = client.patch(f"/api/v1/minutes/{minutes.pk}/", {"title": "新标题", "summary": "x"}, format="json")
    assert response.status_code == 409 and "已印发的纪要不能修改" in response.json()["detail"]
    response = post(client, f"/api/v1/minutes/{minutes.pk}/correct/")
    assert response.status_code == 201 and response.json()["corrects"] == minutes.pk


def test_the_dual_list_through_the_api(cast, client):
    login(client, cast.secretary)
    response = post(client, "/api/v1/dual-lists/", {"mechanism": cast.world.mechanism.pk, "year": 2026})
    assert response.status_code == 201
    pk = response.json()["id"]
    bad = workbook(GOOD_ROWS + [[3, "", "甲市中级人民法院", None, None, None, "2026-12-31"]])
    response = client.post(f"/api/v1/dual-lists/{pk}/import/", {"file": bad}, format="multipart")
    assert response.status_code == 400 and "第 4 行：任务内容为空" in response.json()["detail"]
    response = client.post(f"/api/v1/dual-lists/{pk}/import/", {"file": workbook(GOOD_ROWS)}, format="multipart")
    assert response.status_code == 400 and "以下部门尚未建立" in response.json()["detail"]  # confirm first
    response = client.post(
        f"/api/v1/dual-lists/{pk}/import/",
        {"file": workbook(GOOD_ROWS), "create_departments": True},
        format="multipart",
    )
    assert response.status_code == 200 and response.json()["task_count"] == 2
    plenary = cast.held(kind="plenary", title="全体会议")
    assert post(client, f"/api/v1/dual-lists/{pk}/approve/", {"meeting": plenary.pk}).json()["status"] == "approved"
    tasks = client.get("/api/v1/tasks/").json()["results"]
    assert [t["source"] for t in tasks] == ["dual_list", "dual_list"] and tasks[0]["state"] == "open"
    assert client.get("/api/v1/action-items/").json()["count"] == 0
    assert client.get(f"/api/v1/action-items/{tasks[0]['id']}/").status_code == 404  # a task is not an action item
    response = client.get(f"/api/v1/dual-lists/{pk}/export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_filters(cast, client, time_machine):
    cast.issued()
    cast.meeting(title="协调会", kind="coordination", starts_at=at("2026-03-25"), ends_at=at("2026-03-25", 11))
    login(client, cast.world.alice)
    titles = [m["title"] for m in client.get("/api/v1/meetings/?kind=coordination").json()["results"]]
    assert titles == ["协调会"]
    assert client.get("/api/v1/meetings/?status=minutes_issued").json()["count"] == 1
    assert client.get("/api/v1/minutes/?status=issued&year=2026").json()["count"] == 1
    time_machine.move_to("2026-05-06 09:00 +08:00", tick=False)
    login(client, cast.world.alice)  # the session has idled out meanwhile
    assert client.get("/api/v1/action-items/?state=overdue").json()["count"] == 1
    assert client.get("/api/v1/action-items/?state=open").json()["count"] == 0
    assert client.get(f"/api/v1/action-items/?owner_organization={cast.world.federation.pk}").json()["count"] == 0


def test_transfer_at_the_meeting_through_the_api(cast, client):
    complaint = queued_complaint(cast)
    meeting = cast.held()
    agenda = meeting.agenda_items.get(kind="complaints")
    login(client, cast.reviewer)
    detail = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert detail["agenda"][0]["complaints"] == [complaint.pk]
    response = post(
        client, f"/api/v1/meetings/{meeting.pk}/transfer/", {"agenda_item": agenda.pk, "complaints": [complaint.pk]}
    )
    assert response.status_code == 201 and response.json()[0]["meeting_reference"] == meeting.title
    login(client, cast.world.bob)
    detail = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert detail["agenda"][0]["complaints"] == [complaint.pk]  # transferred: the court sees it now
    assert detail["agenda"][0]["transfers"] == [response.json()[0]["number"]]


def test_outsiders_get_404_on_every_endpoint(cast, client):
    minutes = cast.issued()
    meeting = minutes.meeting
    item = minutes.action_items.get()
    dual_list = services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2026)
    login(client, cast.world.charlie)
    for url in (
        f"/api/v1/meetings/{meeting.pk}/",
        f"/api/v1/meetings/{meeting.pk}/attendance/",
        f"/api/v1/meetings/{meeting.pk}/sign-in-sheet/",
        f"/api/v1/meetings/{meeting.pk}/ics/",
        f"/api/v1/minutes/{minutes.pk}/",
        f"/api/v1/minutes/{minutes.pk}/pdf/",
        f"/api/v1/action-items/{item.pk}/",
        f"/api/v1/action-items/{item.pk}/progress/",
        f"/api/v1/dual-lists/{dual_list.pk}/",
        f"/api/v1/dual-lists/{dual_list.pk}/export/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/api/v1/meetings/{meeting.pk}/send-notice/",
        f"/api/v1/meetings/{meeting.pk}/hold/",
        f"/api/v1/meetings/{meeting.pk}/cancel/",
        f"/api/v1/meetings/{meeting.pk}/rsvp/",
        f"/api/v1/minutes/{minutes.pk}/decide/",
        f"/api/v1/minutes/{minutes.pk}/correct/",
        f"/api/v1/action-items/{item.pk}/close/",
        f"/api/v1/dual-lists/{dual_list.pk}/approve/",
    ):
        assert post(client, url, {"reason": "x", "approve": True, "answer": "accepted"}).status_code == 404, url
    assert client.patch(f"/api/v1/meetings/{meeting.pk}/", {"title": "x"}, format="json").status_code == 404
    for url in (
        "/api/v1/meetings/",
        "/api/v1/minutes/",
        "/api/v1/action-items/",
        "/api/v1/tasks/",
        "/api/v1/dual-lists/",
    ):
        assert client.get(url).json()["count"] == 0, url
    response = post(client, "/api/v1/meetings/", meeting_body(cast))
    assert response.status_code == 400 and "mechanism" in response.json()
    assert Minutes.objects.get(pk=minutes.pk).status == "issued"


def test_the_api_needs_a_login(cast, client):
    assert client.get("/api/v1/meetings/").status_code in (401, 403)


def _grow(cast, n: int) -> None:
    for index in range(n):
        day = f"2026-03-{10 - index % 9:02d}"
        cast.issued(title=f"会议{n}-{index}", starts_at=at(day), ends_at=at(day, 11))
        services.dual_list_create(actor=cast.secretary, mechanism=cast.world.mechanism, year=2000 + n * 10 + index)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/meetings/",
        "/api/v1/minutes/",
        "/api/v1/action-items/",
        "/api/v1/tasks/",
        "/api/v1/dual-lists/",
        "/api/v1/action-items/?state=open",
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


def test_attendance_through_the_api_refuses_unknown_people(cast, client):
    meeting = cast.held()
    other = cast.held(title="另一会议")
    stranger = other.invitees.first()
    login(client, cast.secretary)
    response = post(
        client,
        f"/api/v1/meetings/{meeting.pk}/attendance/",
        {"entries": [{"invitee": stranger.pk, "attendance": Attendance.PRESENT}]},
    )
    assert response.status_code == 400 and "不属于本次会议" in str(response.json())
