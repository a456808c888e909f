"""The published reports list shows each judicial suggestion's state (in consultation, issued,
replied, overdue); the suggestion list exports to Excel, scoped and in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from liaison import deadlines
from reports import suggestions
from reports.choices import SuggestionState
from reports.models import Suggestion

from ..conftest import login
from .test_suggestions import draft, issued

G = SuggestionState


def _sheet(response) -> list[tuple]:  # noqa: ANN001
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def test_the_reports_list_shows_each_suggestions_state(world, client):
    today = deadlines.today()
    consulted = suggestions.suggestion_consult(
        actor=world.bob,
        suggestion=draft(world, title="征求意见的建议"),
        consulted=world.federation,
        comment_due=today + dt.timedelta(days=5),
    )
    assert consulted.state == G.CONSULTATION
    waiting = issued(world, title="待回复的建议")
    replied = issued(world, title="已回复的建议")
    suggestions.suggestion_reply(actor=world.alice, suggestion=replied, text="已整改。")
    late = issued(world, title="逾期的建议")
    Suggestion.objects.filter(pk=late.pk).update(state=G.OVERDUE)
    late_issued = issued(world, title="过期未清扫的建议")
    Suggestion.objects.filter(pk=late_issued.pk).update(reply_due=today - dt.timedelta(days=1))
    login(client, world.bob)
    page = client.get("/reports/").content.decode()
    for label in ("征求意见中", "已发出待回复", "已回复", "逾期未回复", "已逾期"):
        assert label in page, label
    assert f"/reports/{waiting.report_id}/suggestion/" in page
    login(client, world.charlie)
    assert "suggestion-state" not in client.get("/reports/").content.decode()


def test_the_reports_list_stays_at_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    issued(world, title="建议一")
    login(client, world.bob)
    client.get("/reports/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/reports/").status_code == 200
    for n in range(2, 7):
        issued(world, title=f"建议{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/reports/")
    assert page.content.decode().count("suggestion-state") >= 6


def test_the_suggestion_list_exports_to_excel(world, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = issued(world, title="关于规范用工的司法建议", document_number="甲中法建〔2026〕3号")
    login(client, world.alice)
    assert "/reports/suggestions/export.xlsx" in client.get("/reports/suggestions/").content.decode()
    with CaptureQueriesContext(connection) as few:
        response = client.get("/reports/suggestions/export.xlsx")
    assert response.status_code == 200
    rows = _sheet(response)
    assert rows[0][:5] == ("类型", "标题", "发布单位", "机制", "状态")
    assert rows[1][1] == "关于规范用工的司法建议" and rows[1][4] == "已发出待回复"
    assert rows[1][7] == world.federation.name and rows[1][8] == "甲中法建〔2026〕3号" and rows[1][12] == "否"
    for n in range(2, 8):
        issued(world, title=f"建议{n}")
    suggestions.suggestion_reply(actor=world.alice, suggestion=first, text="已整改。")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/reports/suggestions/export.xlsx")
    assert len(_sheet(response)) == 8
    only_replied = _sheet(client.get("/reports/suggestions/export.xlsx?state=replied"))
    assert [row[1] for row in only_replied[1:]] == ["关于规范用工的司法建议"]
    login(client, world.charlie)
    assert len(_sheet(client.get("/reports/suggestions/export.xlsx"))) == 1
