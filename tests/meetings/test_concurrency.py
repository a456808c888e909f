"""Races on PostgreSQL: minutes numbered under concurrency, two leaders approving at once, the freeze triggers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from liaison.errors import ActionRefused
from meetings import services
from meetings.choices import MinutesStatus
from meetings.models import Minutes

from ..concurrency import run_together
from .conftest import at

pytestmark = pytest.mark.postgres


def test_minutes_issued_at_once_get_consecutive_numbers(postgres, cast):
    approved = []
    for index in range(6):
        day = (dt.date(2026, 3, 1) + dt.timedelta(days=index)).isoformat()
        approved.append(cast.approved(title=f"会议{index}", starts_at=at(day), ends_at=at(day, 11)))
    results = run_together(
        *[
            (lambda m=m: services.minutes_issue(actor=cast.secretary, minutes=Minutes.objects.get(pk=m.pk)))
            for m in approved
        ]
    )
    assert all(isinstance(r, Minutes) for r in results), results
    assert sorted(r.sequence for r in results) == [1, 2, 3, 4, 5, 6]
    assert sorted(r.number for r in results) == sorted(f"〔2026〕第{n}期" for n in range(1, 7))


def test_issuing_the_same_minutes_twice_at_once_issues_it_once_and_keeps_no_gap(postgres, cast):
    minutes = cast.approved()
    results = run_together(
        lambda: services.minutes_issue(actor=cast.secretary, minutes=Minutes.objects.get(pk=minutes.pk)),
        lambda: services.minutes_issue(actor=cast.secretary, minutes=Minutes.objects.get(pk=minutes.pk)),
    )
    assert len([r for r in results if isinstance(r, Minutes)]) == 1, results
    assert [r.code for r in results if isinstance(r, ActionRefused)] == [ActionRefused.STATE]
    later = cast.issued(title="下一次会议", starts_at=at("2026-03-19"), ends_at=at("2026-03-19", 11))
    assert later.number == "〔2026〕第2期"


def test_a_failed_issue_gives_its_number_back(postgres, cast):
    minutes = cast.approved()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.minutes_issue(actor=cast.secretary, minutes=minutes)
        raise RuntimeError("the distribution could not be stored")
    assert services.minutes_issue(actor=cast.secretary, minutes=minutes).number == "〔2026〕第1期"


def test_two_leaders_approving_at_once_approve_the_minutes_exactly_once(postgres, cast):
    minutes = services.minutes_submit(actor=cast.secretary, minutes=cast.minutes())
    results = run_together(
        lambda: services.minutes_decide(
            actor=cast.court_leader, minutes=Minutes.objects.get(pk=minutes.pk), approve=True
        ),
        lambda: services.minutes_decide(
            actor=cast.fed_leader, minutes=Minutes.objects.get(pk=minutes.pk), approve=True
        ),
    )
    assert all(isinstance(r, Minutes) for r in results), results
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.meeting.status == "minutes_approved"


def test_postgres_refuses_to_change_issued_minutes(postgres, cast):
    minutes = cast.issued()
    with pytest.raises(IntegrityError), transaction.atomic():
        Minutes.objects.filter(pk=minutes.pk).update(title="改过")
    with pytest.raises(IntegrityError), transaction.atomic():
        minutes.action_items.update(due_date=dt.date(2026, 12, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        minutes.decisions.all().delete()
    minutes.action_items.update(status="in_progress")  # the work on its items goes on
