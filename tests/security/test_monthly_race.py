"""Ten simultaneous "generate" requests for one monthly report, and two beats at once, on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connections

from liaison.models import AuditEvent, Notification, User
from reports import monthly
from reports.models import MonthlyReport, Report
from reports.tasks import generate_monthly_reports

from ..concurrency import run_together
from ..factories import UserFactory

pytestmark = pytest.mark.postgres

YEAR, MONTH = 2026, 10


@pytest.fixture
def readers(postgres, world) -> list[User]:
    return [
        world.leader,
        UserFactory(username="fed_boss", organization=world.federation, roles=["leader"]),
        UserFactory(username="sec", organization=world.court, roles=["meeting_secretary"]),
    ]


def _generate(world, actor_pk: int | None):
    def job():
        actor = User.objects.get(pk=actor_pk) if actor_pk else None
        try:
            return monthly.generate_monthly_report(mechanism=world.mechanism, year=YEAR, month=MONTH, actor=actor)
        finally:
            connections.close_all()

    return job


def test_ten_generate_requests_at_once_make_one_generation(world, readers):
    results = run_together(*[_generate(world, readers[n % 3].pk) for n in range(10)])
    assert not [r for r in results if isinstance(r, Exception)], results
    made = MonthlyReport.objects.get(mechanism=world.mechanism, year=YEAR, month=MONTH)
    assert made.revision == 1 and {r.pk for r in results} == {made.pk}
    assert Report.objects.filter(pk=made.report_id).count() == 1
    assert AuditEvent.objects.filter(action__in=["monthly_generate", "monthly_regenerate"]).count() == 1
    for reader in readers:
        assert Notification.objects.filter(recipient=reader, title__contains="运行情况通报").count() == 1


def test_ten_regenerate_requests_at_once_make_one_revision(world, readers):
    first = monthly.generate_monthly_report(mechanism=world.mechanism, year=YEAR, month=MONTH, actor=readers[0])
    results = run_together(*[_generate(world, readers[n % 3].pk) for n in range(10)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert MonthlyReport.objects.get(pk=first.pk).revision == 2
    for reader in readers:
        assert Notification.objects.filter(recipient=reader, title__contains="已重新生成").count() == 1


def test_a_beat_that_finds_the_month_published_does_nothing(world, readers):
    first = monthly.generate_monthly_report(mechanism=world.mechanism, year=YEAR, month=MONTH, actor=readers[0])
    notices = Notification.objects.count()
    results = run_together(_generate(world, None), _generate(world, None))
    assert [r.pk for r in results] == [first.pk, first.pk]
    assert MonthlyReport.objects.get(pk=first.pk).revision == 1
    assert Notification.objects.count() == notices


def test_two_beats_at_once_publish_once(world, readers, time_machine):
    time_machine.move_to("2026-11-02 09:00 +08:00")  # Monday 2 November: October is due
    results = run_together(generate_monthly_reports, generate_monthly_reports)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert MonthlyReport.objects.filter(mechanism=world.mechanism, year=YEAR, month=MONTH).get().revision == 1
    for reader in readers:
        assert Notification.objects.filter(recipient=reader, title__contains="运行情况通报").count() == 1
