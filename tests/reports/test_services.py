"""The lifecycle of a report and every refusal: wrong organization, wrong state, wrong time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from liaison import audit
from liaison.choices import DeadlineState, NotificationKind
from liaison.models import Deadline, Notification
from reports import services
from reports.choices import COMMENT_DEADLINE_KIND, ReportKind, ReportState
from reports.models import CommentRequest, Opinion, Report, Tag
from reports.workflow import REPORT

from ..factories import UserFactory
from .conftest import COMMENT_DEADLINE, SHANGHAI, draft, draft_regulation, exe_as_pdf, pdf_upload, published


def test_it_creates_a_draft_in_the_authors_organization(world):
    report = draft(world, files=[pdf_upload()])
    assert report.state == ReportState.DRAFT and report.published_at is None
    assert report.author_organization == world.court and report.author == world.bob
    assert sorted(report.tags.values_list("name", flat=True)) == ["合同纠纷", "民营企业"]
    assert [e.action for e in audit.history(report)] == ["report_create", "attachment_add"]


def test_it_publishes_withdraws_and_reopens(world):
    report = draft(world)
    services.report_publish(report=report, actor=world.bob)
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED and report.published_at is not None
    services.report_withdraw(report=report, actor=world.leader, reason="案号有误")
    assert Report.objects.get(pk=report.pk).state == ReportState.WITHDRAWN
    services.report_reopen(report=report, actor=world.bob)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.published_at is None
    events = [(e.action, e.from_state, e.to_state) for e in audit.history(report)]
    assert events == [
        ("report_create", "", "draft"),
        ("report_publish", "draft", "published"),
        ("report_withdraw", "published", "withdrawn"),
        ("report_reopen", "withdrawn", "draft"),
    ]
    assert audit.history(report)[2].summary == "案号有误"


def test_publishing_notifies_the_other_parties_people(world):
    outsider_without_role = UserFactory(username="norole", organization=world.federation)
    report = published(world)
    work = Notification.objects.filter(kind=NotificationKind.WORK)
    assert list(work.values_list("recipient__username", flat=True)) == ["alice"]
    assert work.get().title == f"甲市中级人民法院发布了典型案例：{report.title}"
    assert work.get().url == f"/reports/{report.pk}/"
    assert not Notification.objects.filter(recipient=outsider_without_role).exists()


def test_the_declared_state_changes_are_what_the_services_follow():
    moves = {rule.name: (set(rule.sources), rule.target) for rule in REPORT if rule.target is not None}
    assert moves == {
        "publish": ({"draft"}, "published"),
        "withdraw": ({"published"}, "withdrawn"),
        "reopen": ({"withdrawn"}, "draft"),
    }


def test_it_edits_a_draft_and_audits_what_changed(world):
    report = draft(world)
    services.report_update(report=report, data={"title": "新标题", "tags": ["执行"]}, actor=world.leader)
    report.refresh_from_db()
    assert report.title == "新标题" and list(report.tags.values_list("name", flat=True)) == ["执行"]
    assert report.body.startswith("基本案情")  # untouched
    event = audit.history(report).last()
    assert event.action == "report_update"
    assert "标题：某机械公司买卖合同纠纷案 → 新标题" in event.summary


# --- refusals ------------------------------------------------------------------------------------


def test_the_other_party_cannot_edit_publish_or_withdraw(world):
    report = draft(world)
    with pytest.raises(services.ReportPermissionDenied, match="只有发布单位"):
        services.report_update(report=report, data={"title": "改"}, actor=world.alice)
    with pytest.raises(services.ReportPermissionDenied, match="只有发布单位"):
        services.report_publish(report=report, actor=world.alice)
    services.report_publish(report=report, actor=world.bob)
    with pytest.raises(services.ReportPermissionDenied, match="只有发布单位"):
        services.report_withdraw(report=report, actor=world.alice)
    assert Report.objects.get(pk=report.pk).state == ReportState.PUBLISHED


def test_an_outsider_cannot_write_in_a_mechanism_of_others(world):
    with pytest.raises(services.ReportPermissionDenied, match="不是该机制的参与单位"):
        draft(world, actor=world.charlie)
    report = draft(world)
    with pytest.raises(services.ReportPermissionDenied):
        services.report_publish(report=report, actor=world.charlie)
    assert not Report.objects.filter(author_organization=world.other_federation).exists()


def test_a_higher_level_reader_cannot_act(world, higher):
    with pytest.raises(services.ReportPermissionDenied, match="只能查看"):
        draft(world, actor=higher)
    report = draft(world)
    with pytest.raises(services.ReportPermissionDenied, match="只能查看"):
        services.report_publish(report=report, actor=higher)
    services.report_publish(report=report, actor=world.bob)
    with pytest.raises(services.ReportPermissionDenied, match="只能查看"):
        services.report_withdraw(report=report, actor=higher)


def test_a_user_without_a_desk_role_cannot_write(world):
    mediator = UserFactory(username="m1", organization=world.court, roles=["mediator"])
    with pytest.raises(services.ReportPermissionDenied, match="角色"):
        draft(world, actor=mediator)


def test_wrong_states_are_refused(world):
    report = draft(world)
    with pytest.raises(services.ReportStateConflict, match="当前为“草稿”，不能“撤回”"):
        services.report_withdraw(report=report, actor=world.bob)
    with pytest.raises(services.ReportStateConflict):
        services.report_reopen(report=report, actor=world.bob)
    services.report_publish(report=report, actor=world.bob)
    with pytest.raises(services.ReportStateConflict, match="发布，当前为“已发布”，不能“发布”"):
        services.report_publish(report=report, actor=world.bob)
    with pytest.raises(services.ReportStateConflict, match="只有草稿可以修改"):
        services.report_update(report=report, data={"title": "改"}, actor=world.bob)
    services.report_withdraw(report=report, actor=world.bob)
    with pytest.raises(services.ReportStateConflict, match="当前为“已撤回”，不能“发布”"):
        services.report_publish(report=report, actor=world.bob)  # withdrawn goes back to draft first


def test_a_stale_copy_publishes_once(world):
    report = draft(world)
    stale = Report.objects.get(pk=report.pk)
    services.report_publish(report=report, actor=world.bob)
    with pytest.raises(services.ReportStateConflict):
        services.report_publish(report=stale, actor=world.leader)
    assert Notification.objects.filter(kind=NotificationKind.WORK).count() == 1


def test_a_refused_file_saves_nothing(world):
    with pytest.raises(services.ReportError, match="仅支持 PDF"):
        draft(world, files=[pdf_upload(), exe_as_pdf()])
    assert not Report.objects.exists()


def test_the_same_title_twice_in_a_mechanism_is_refused(world):
    draft(world)
    with pytest.raises(services.ReportError, match="同名"):
        draft(world, actor=world.leader)
    draft(world, actor=world.charlie, mechanism=world.other_mechanism)  # another mechanism: fine


def test_the_comment_deadline_belongs_to_draft_regulations_only(world):
    with pytest.raises(services.ReportError, match="须填写征求意见截止日期"):
        draft(world, kind=ReportKind.DRAFT_REGULATION)
    with pytest.raises(services.ReportError, match="只有法规规章草案征求意见才填写"):
        draft(world, comment_deadline=dt.date(2026, 12, 1))


def test_the_database_refuses_a_draft_regulation_without_a_deadline(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            mechanism=world.mechanism,
            author_organization=world.court,
            kind=ReportKind.DRAFT_REGULATION,
            title="草案",
            body="正文",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            mechanism=world.mechanism,
            author_organization=world.court,
            kind=ReportKind.WORK_BULLETIN,
            title="简报",
            body="正文",
            comment_deadline=dt.date(2026, 12, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            mechanism=world.mechanism,
            author_organization=world.court,
            kind=ReportKind.WORK_BULLETIN,
            title="简报",
            body="正文",
            state="archived",
        )


def test_tags_are_shared_and_unique(world):
    draft(world, tags=["民营企业", "民营企业", " 执行 "])
    draft(world, title="第二件", tags=["民营企业"])
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["执行", "民营企业"]
    with pytest.raises(services.ReportError, match="最多"):
        draft(world, title="第三件", tags=[f"标签{i}" for i in range(11)])


# --- the comment round of a draft regulation --------------------------------------------------


def test_publishing_a_draft_regulation_opens_one_comment_deadline_per_other_party(world, monday):
    report = draft_regulation(world)
    services.report_publish(report=report, actor=world.bob)
    request = CommentRequest.objects.get(report=report)
    assert request.organization == world.federation
    deadline = Deadline.objects.get(kind=COMMENT_DEADLINE_KIND)
    assert deadline.target == request and deadline.owner_organization == world.federation
    assert deadline.start_date == monday and deadline.due_date == COMMENT_DEADLINE
    assert deadline.url == f"/reports/{report.pk}/"
    assert "请于 2026-11-13 前反馈意见" in Notification.objects.get(recipient=world.alice).body


def test_a_comment_deadline_on_a_sunday_falls_due_the_friday_before(world, monday):
    report = draft_regulation(world, comment_deadline=dt.date(2026, 11, 15))
    services.report_publish(report=report, actor=world.bob)
    assert Deadline.objects.get(kind=COMMENT_DEADLINE_KIND).due_date == dt.date(2026, 11, 13)


def test_a_past_comment_deadline_cannot_be_published(world, monday):
    report = draft_regulation(world, comment_deadline=monday)
    with pytest.raises(services.ReportError, match="须晚于今天"):
        services.report_publish(report=report, actor=world.bob)
    assert Report.objects.get(pk=report.pk).state == ReportState.DRAFT


def test_the_other_party_submits_an_opinion_which_closes_its_deadline(world, monday):
    report = draft_regulation(world)
    services.report_publish(report=report, actor=world.bob)
    opinion = services.opinion_submit(
        report=report, text="建议第三条增加“活封”的适用条件。", files=[pdf_upload("意见.pdf")], actor=world.alice
    )
    assert opinion.organization == world.federation and opinion.author == world.alice
    assert Deadline.objects.get(kind=COMMENT_DEADLINE_KIND).state == DeadlineState.MET
    assert CommentRequest.objects.get().answered_at is not None
    assert Notification.objects.filter(recipient=world.bob, title__contains="提交了反馈意见").exists()
    assert audit.history(report).last().action == "opinion_submit"
    # A supplementary opinion before the deadline is welcome; the deadline is already met.
    services.opinion_submit(report=report, text="补充意见。", actor=world.alice)
    assert Opinion.objects.count() == 2


def test_an_opinion_after_the_deadline_is_refused(world, monday, time_machine):
    report = draft_regulation(world)
    services.report_publish(report=report, actor=world.bob)
    time_machine.move_to(dt.datetime(2026, 11, 13, 22, 0, tzinfo=SHANGHAI), tick=False)
    services.opinion_submit(report=report, text="截止当日仍可提交。", actor=world.alice)
    time_machine.move_to(dt.datetime(2026, 11, 14, 8, 0, tzinfo=SHANGHAI), tick=False)
    with pytest.raises(services.ReportError, match="征求意见已于 2026-11-13 截止，不能再提交意见"):
        services.opinion_submit(report=report, text="迟到的意见", actor=world.alice)
    assert Opinion.objects.count() == 1


def test_opinion_refusals(world, monday, higher):
    report = draft_regulation(world)
    with pytest.raises(services.ReportStateConflict, match="不在发布状态"):
        services.opinion_submit(report=report, text="意见", actor=world.alice)
    services.report_publish(report=report, actor=world.bob)
    with pytest.raises(services.ReportPermissionDenied, match="发布单位不能"):
        services.opinion_submit(report=report, text="意见", actor=world.leader)
    with pytest.raises(services.ReportPermissionDenied, match="不是该机制的参与单位"):
        services.opinion_submit(report=report, text="意见", actor=world.charlie)
    with pytest.raises(services.ReportPermissionDenied, match="只能查看"):
        services.opinion_submit(report=report, text="意见", actor=higher)
    with pytest.raises(services.ReportError, match="请填写意见内容"):
        services.opinion_submit(report=report, text="  ", actor=world.alice)
    other = published(world, title="一件典型案例")
    with pytest.raises(services.ReportError, match="只有法规规章草案"):
        services.opinion_submit(report=other, text="意见", actor=world.alice)
    assert not Opinion.objects.exists()


def test_withdrawing_cancels_the_open_comment_deadlines_and_republishing_restarts_them(world, monday):
    report = draft_regulation(world)
    services.report_publish(report=report, actor=world.bob)
    services.report_withdraw(report=report, actor=world.bob)
    assert Deadline.objects.get(kind=COMMENT_DEADLINE_KIND).state == DeadlineState.CANCELLED
    with pytest.raises(services.ReportStateConflict):
        services.opinion_submit(report=report, text="意见", actor=world.alice)
    services.report_reopen(report=report, actor=world.bob)
    services.report_update(report=report, data={"comment_deadline": dt.date(2026, 11, 20)}, actor=world.bob)
    services.report_publish(report=report, actor=world.bob)
    running = Deadline.objects.get(kind=COMMENT_DEADLINE_KIND, state=DeadlineState.RUNNING)
    assert running.due_date == dt.date(2026, 11, 20)
    assert CommentRequest.objects.count() == 1
