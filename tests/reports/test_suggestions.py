"""Judicial suggestions and risk reports with replies: consultation, issue to a named recipient
with a reply deadline, the reply recorded, overdue in the ledger and reminded, refusals, scoping,
and the agreement of offer and services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison import attachments, audit, deadlines
from liaison.choices import DeadlineState
from liaison.errors import ActionRefused
from liaison.models import Deadline, Notification
from liaison.workdays import WorkingCalendar
from reports import services, suggestions
from reports.choices import REPLY_DEADLINE_KIND, ReportKind, ReportState, SuggestionState
from reports.ledgers import LedgerKind, overdue_ledger
from reports.models import Report, Suggestion
from reports.workflow import SUGGESTION
from tests.workflow_agreement import disagreements

from ..conftest import login
from ..factories import UserFactory

G = SuggestionState
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def draft(
    world, title: str = "关于规范企业用工合同管理的司法建议", kind: str = ReportKind.JUDICIAL_SUGGESTION
) -> Suggestion:
    report = services.report_create(
        actor=world.bob, mechanism=world.mechanism, kind=kind, title=title, body="审理中发现部分企业劳动合同不规范。"
    )
    return suggestions.suggestion_for(report)


def issued(world, title: str = "关于加强企业合规经营的司法建议", **extra) -> Suggestion:
    values = {"recipient": world.federation, "recipient_name": "", "reply_working_days": 10}
    values.update(extra)
    return suggestions.suggestion_issue(actor=world.bob, suggestion=draft(world, title=title), **values)


def test_consultation_then_issue_then_reply(world):
    suggestion = draft(world)
    assert suggestion.state == G.DRAFT
    due = deadlines.today() + dt.timedelta(days=10)
    suggestions.suggestion_consult(actor=world.bob, suggestion=suggestion, consulted=world.federation, comment_due=due)
    assert suggestion.state == G.CONSULTATION
    # The federation reads the draft and comments.
    assert list(suggestions.suggestion_scope(world.alice)) == [suggestion]
    suggestions.suggestion_comment(actor=world.alice, suggestion=suggestion, text="建议补充劳动合同示范文本。")
    suggestion.refresh_from_db()
    assert suggestion.comment_text == "建议补充劳动合同示范文本。"
    assert Notification.objects.filter(recipient=world.bob, title__contains="反馈意见").exists()
    # Issued to an outside body by name.
    suggestions.suggestion_issue(
        actor=world.bob,
        suggestion=suggestion,
        recipient=None,
        recipient_name="甲市人力资源和社会保障局",
        reply_working_days=20,
        document_number="甲中法建〔2026〕3号",
    )
    suggestion.refresh_from_db()
    assert suggestion.state == G.ISSUED and suggestion.recipient_name == "甲市人力资源和社会保障局"
    assert suggestion.reply_due == WorkingCalendar().add_working_days(deadlines.today(), 20)
    assert Report.objects.get(pk=suggestion.report_id).state == ReportState.PUBLISHED
    deadline = Deadline.objects.get(kind=REPLY_DEADLINE_KIND, object_id=str(suggestion.pk))
    assert deadline.owner_organization == world.court  # an outside recipient: the issuer follows it up
    letter = SimpleUploadedFile("回复函.pdf", PDF, content_type="application/pdf")
    suggestions.suggestion_reply(
        actor=world.bob, suggestion=suggestion, text="已部署专项检查。", replied_on=deadlines.today(), files=[letter]
    )
    suggestion.refresh_from_db()
    assert suggestion.state == G.REPLIED and suggestion.reply_text == "已部署专项检查。"
    assert [a.original_name for a in attachments.attachments_of(suggestion)] == ["回复函.pdf"]
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET
    actions = [a for a in audit.history(suggestion).values_list("action", flat=True) if a.startswith("suggestion_")]
    assert actions == ["suggestion_consult", "suggestion_comment", "suggestion_issue", "suggestion_reply"]


def test_a_recipient_in_the_mechanism_holds_the_clock_and_replies_itself(world):
    suggestion = issued(world)
    deadline = Deadline.objects.get(kind=REPLY_DEADLINE_KIND, object_id=str(suggestion.pk))
    assert deadline.owner_organization == world.federation
    assert Notification.objects.filter(recipient=world.alice, title__contains="请于").exists()
    suggestions.suggestion_reply(actor=world.alice, suggestion=suggestion, text="已转发各商会落实。")
    assert suggestion.state == G.REPLIED


def test_refusals(world):
    suggestion = draft(world)
    with pytest.raises(ActionRefused, match="发出单位"):
        suggestions.suggestion_issue(
            actor=world.alice,
            suggestion=suggestion,
            recipient=world.federation,
            recipient_name="",
            reply_working_days=10,
        )
    with pytest.raises(ActionRefused, match="受文单位"):
        suggestions.suggestion_issue(
            actor=world.bob, suggestion=suggestion, recipient=None, recipient_name=" ", reply_working_days=10
        )
    with pytest.raises(ActionRefused, match="不能是发出单位自己"):
        suggestions.suggestion_issue(
            actor=world.bob, suggestion=suggestion, recipient=world.court, recipient_name="", reply_working_days=10
        )
    with pytest.raises(ActionRefused, match="晚于今天"):
        suggestions.suggestion_consult(
            actor=world.bob, suggestion=suggestion, consulted=world.federation, comment_due=deadlines.today()
        )
    with pytest.raises(ActionRefused, match="其他参与单位"):
        suggestions.suggestion_consult(
            actor=world.bob,
            suggestion=suggestion,
            consulted=world.other_federation,
            comment_due=deadlines.today() + dt.timedelta(days=5),
        )
    with pytest.raises(ActionRefused):
        suggestions.suggestion_reply(actor=world.bob, suggestion=suggestion, text="x")
    with pytest.raises(ActionRefused):
        suggestions.suggestion_comment(actor=world.alice, suggestion=suggestion, text="x")
    suggestion.refresh_from_db()
    assert suggestion.state == G.DRAFT
    other = issued(world)
    with pytest.raises(ActionRefused, match="回复内容"):
        suggestions.suggestion_reply(actor=world.alice, suggestion=other, text=" ")
    with pytest.raises(ActionRefused):
        suggestions.suggestion_reply(actor=world.charlie, suggestion=other, text="x")
    with pytest.raises(ActionRefused, match="只有司法建议"):
        suggestions.suggestion_for(
            services.report_create(actor=world.bob, mechanism=world.mechanism, kind="typical_case", title="t", body="b")
        )


def test_overdue_replies_lapse_once_appear_in_the_ledger_and_are_reminded(world, time_machine):
    suggestion = issued(world)
    after = suggestion.reply_due + dt.timedelta(days=1)
    assert suggestions.suggestions_sweep(on=suggestion.reply_due).lapsed == 0
    time_machine.move_to(dt.datetime.combine(after, dt.time(9)).astimezone(), tick=False)
    assert suggestions.suggestions_sweep().lapsed == 1
    assert suggestions.suggestions_sweep().lapsed == 0
    suggestion.refresh_from_db()
    assert suggestion.state == G.OVERDUE
    ledger = overdue_ledger(user=world.bob)
    rows = [row for row in ledger.rows if row.kind == LedgerKind.SUGGESTION]
    assert [(row.pk, row.owner_organization_id) for row in rows] == [(suggestion.pk, world.federation.pk)]
    assert overdue_ledger(user=world.charlie).rows == []
    from liaison.models import MechanismParty
    from liaison.reminders import sweep

    # The reminder goes to the recipient's liaison officer in the mechanism.
    MechanismParty.objects.filter(mechanism=world.mechanism, organization=world.federation).update(
        liaison_officer=world.alice
    )
    sweep()
    first = Notification.objects.filter(recipient=world.alice, kind="overdue").count()
    sweep()
    assert first >= 1 and Notification.objects.filter(recipient=world.alice, kind="overdue").count() == first
    # A late reply still closes it.
    suggestions.suggestion_reply(actor=world.alice, suggestion=suggestion, text="迟复为歉，已整改。")
    assert suggestion.state == G.REPLIED
    assert [r for r in overdue_ledger(user=world.bob).rows if r.kind == LedgerKind.SUGGESTION] == []


def test_scoping_and_pages(world, client):
    suggestion = draft(world)
    login(client, world.alice)
    # A draft not sent for comment is the author's only.
    assert client.get(f"/reports/{suggestion.report_id}/suggestion/").status_code == 404
    login(client, world.bob)
    page = client.get(f"/reports/{suggestion.report_id}/suggestion/").content.decode()
    assert "征求意见" in page and "发出" in page
    response = client.post(
        f"/reports/{suggestion.report_id}/suggestion/act/issue/",
        {"issue-recipient": world.federation.pk, "issue-reply_working_days": 15},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == G.ISSUED
    listing = client.get("/reports/suggestions/").content.decode()
    assert "已发出待回复" in listing and suggestion.report.title in listing
    login(client, world.charlie)
    assert client.get(f"/reports/{suggestion.report_id}/suggestion/").status_code == 404
    assert suggestion.report.title not in client.get("/reports/suggestions/").content.decode()


def test_offer_and_services_agree(world):
    today = deadlines.today()
    states = {
        "draft": lambda: draft(world, title="一"),
        "consultation": lambda: suggestions.suggestion_consult(
            actor=world.bob,
            suggestion=draft(world, title="二"),
            consulted=world.federation,
            comment_due=today + dt.timedelta(days=5),
        ),
        "issued": lambda: suggestions.suggestion_issue(
            actor=world.bob,
            suggestion=draft(world, title="三", kind=ReportKind.RISK_REPORT),
            recipient=world.federation,
            recipient_name="",
            reply_working_days=10,
        ),
    }
    users = [
        world.alice,
        world.bob,
        world.leader,
        world.charlie,
        UserFactory(username="mediator_x", organization=world.federation, roles=["mediator"]),
    ]
    inputs = {
        "consult": {"consulted": world.federation, "comment_due": today + dt.timedelta(days=5)},
        "comment": {"text": "同意"},
        "issue": {"recipient": world.federation, "recipient_name": "", "reply_working_days": 10},
        "reply": {"text": "已回复"},
    }
    calls = {"lapse": lambda user, obj: (_ for _ in ()).throw(ActionRefused("nobody"))}
    for state, build in states.items():
        pk = build().pk
        found = disagreements(SUGGESTION, lambda pk=pk: Suggestion.objects.get(pk=pk), users, inputs, calls)
        assert found == [], state


def test_the_list_uses_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    issued(world, title="建议一")
    login(client, world.alice)
    client.get("/reports/suggestions/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/reports/suggestions/").status_code == 200
    for n in range(2, 8):
        issued(world, title=f"建议{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/reports/suggestions/")
    assert page.status_code == 200 and page.content.decode().count("已发出待回复") >= 7
