"""Reminders for the comment deadline, and the demo loader."""

from __future__ import annotations

import datetime as dt

from liaison import deadlines, reminders
from liaison.choices import DeadlineState
from liaison.demo.loader import load
from liaison.models import AuditEvent, Deadline, Notification
from reports import services
from reports.choices import COMMENT_DEADLINE_KIND, ReportKind, ReportState
from reports.models import CommentRequest, Report

from ..factories import UserFactory
from .conftest import draft_regulation

D = dt.date


def _titles(user, kind: str) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind=kind).values_list("title", flat=True))


def test_the_comment_deadline_is_reminded_to_the_consulted_partys_liaison_officer(world, monday):
    party = world.mechanism.parties.get(organization=world.federation)
    party.liaison_officer = world.alice
    party.save()
    fed_leader = UserFactory(username="fed_leader", organization=world.federation, roles=["leader"])
    report = draft_regulation(world)
    services.report_publish(report=report, actor=world.bob)
    label = f"对《{report.title}》反馈意见"

    assert reminders.sweep(on=D(2026, 11, 10)) == 0
    reminders.sweep(on=D(2026, 11, 11))  # Wednesday: two working days before Friday the 13th
    assert _titles(world.alice, "due_soon") == [f"征求意见还剩 2 个工作日（2026-11-13 到期）：{label}"]
    reminders.sweep(on=D(2026, 11, 13))
    assert _titles(world.alice, "due_today") == [f"征求意见今日到期：{label}"]
    reminders.sweep(on=D(2026, 11, 16))
    assert _titles(world.alice, "overdue") == [f"征求意见已逾期（2026-11-13 到期）：{label}"]
    assert _titles(fed_leader, "overdue") == [f"征求意见已逾期（2026-11-13 到期）：{label}"]
    assert not Notification.objects.filter(recipient__organization=world.court, kind__in=["due_soon", "overdue"])


def test_no_reminder_once_the_opinion_is_in(world, monday):
    party = world.mechanism.parties.get(organization=world.federation)
    party.liaison_officer = world.alice
    party.save()
    report = draft_regulation(world)
    services.report_publish(report=report, actor=world.bob)
    services.opinion_submit(report=report, text="无意见。", actor=world.alice)
    assert reminders.sweep(on=D(2026, 11, 11)) == 0
    assert reminders.sweep(on=D(2026, 11, 16)) == 0


def test_the_demo_loader_is_idempotent(db):
    load()
    counts = (
        Report.objects.count(),
        CommentRequest.objects.count(),
        Deadline.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )
    load()
    assert (
        Report.objects.count(),
        CommentRequest.objects.count(),
        Deadline.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    ) == counts

    for short in ("洛阳法院·工商联", "天河法院·工商联"):
        kinds = set(
            Report.objects.filter(mechanism__short_name=short, state=ReportState.PUBLISHED).values_list(
                "kind", flat=True
            )
        )
        assert len(kinds) >= 2, short
    luoyang = Report.objects.filter(mechanism__short_name="洛阳法院·工商联")
    assert {ReportKind.TYPICAL_CASE, ReportKind.JUDICIAL_SUGGESTION, ReportKind.WORK_BULLETIN} <= set(
        luoyang.values_list("kind", flat=True)
    )
    consultation = luoyang.get(kind=ReportKind.DRAFT_REGULATION)
    assert consultation.state == ReportState.PUBLISHED and consultation.comment_deadline > deadlines.today()
    running = Deadline.objects.filter(
        kind=COMMENT_DEADLINE_KIND, state=DeadlineState.RUNNING, mechanism=consultation.mechanism
    )
    assert running.get().owner_organization.name == "洛阳市工商业联合会"
