"""The cadence: quarters and years held, scheduled or missing; reminders across quarter and year boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from liaison.models import Notification
from meetings import cadence, services
from meetings.choices import CadenceState as C

from ..factories import UserFactory
from .conftest import at


def states(year: cadence.CadenceYear) -> list[str]:
    return [q.state for q in year.quarters]


def test_quarter_arithmetic():
    assert cadence.quarter_of(dt.date(2026, 3, 31)) == (2026, 1)
    assert cadence.quarter_of(dt.date(2026, 4, 1)) == (2026, 2)
    assert cadence.quarter_bounds(2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert cadence.quarter_bounds(2024, 1) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert cadence.previous_quarter(2027, 1) == (2026, 4)


def test_each_quarter_is_held_scheduled_missing_or_not_yet_due(cast, time_machine):
    mechanism = cast.world.mechanism
    cast.held(title="一季度")  # 20 March
    time_machine.move_to("2026-08-15 09:00 +08:00", tick=False)
    cast.meeting(title="三季度", starts_at=at("2026-09-18"), ends_at=at("2026-09-18", 11))
    year = cadence.cadence_year(mechanism, 2026)
    assert states(year) == [C.HELD, C.MISSING, C.SCHEDULED, C.NOT_DUE]
    assert [m.title for m in year.quarters[0].held] == ["一季度"]
    assert year.plenary is None


def test_the_current_quarter_without_a_meeting_is_missing_and_a_cancelled_one_does_not_count(cast, time_machine):
    time_machine.move_to("2026-08-15 09:00 +08:00", tick=False)
    meeting = cast.meeting(title="三季度", starts_at=at("2026-09-18"), ends_at=at("2026-09-18", 11))
    services.meeting_cancel(actor=cast.secretary, meeting=meeting, reason="另行安排")
    assert states(cadence.cadence_year(cast.world.mechanism, 2026))[2] == C.MISSING


def test_quarters_before_the_mechanism_was_founded_do_not_count(cast):
    mechanism = cast.world.mechanism
    mechanism.founded_on = dt.date(2026, 2, 1)
    mechanism.save()
    assert states(cadence.cadence_year(mechanism, 2025, on=dt.date(2026, 3, 20)))[3] == C.NOT_APPLICABLE
    assert states(cadence.cadence_year(mechanism, 2026, on=dt.date(2026, 3, 20)))[0] == C.MISSING


def test_the_plenary_rule_counts_plenaries_only(cast, time_machine):
    mechanism = cast.world.mechanism
    mechanism.plenaries_per_year = 1
    mechanism.save()
    cast.held(title="一季度联席会议")
    year = cadence.cadence_year(mechanism, 2026)
    assert year.plenary.state == C.MISSING
    cast.held(kind="plenary", title="全体会议")
    year = cadence.cadence_year(mechanism, 2026)
    assert year.plenary.state == C.HELD and states(year)[0] == C.HELD


def titles(user) -> list[str]:
    """The cadence reminders the user received (not the meeting notices)."""
    return list(
        Notification.objects.filter(recipient=user, kind__in=["due_soon", "overdue"])
        .order_by("id")
        .values_list("title", flat=True)
    )


def test_the_secretary_is_reminded_30_and_10_days_before_a_quarter_ends_without_a_meeting(cast, time_machine):
    time_machine.move_to("2026-08-31 09:00 +08:00", tick=False)  # 30 days before 30 September
    cadence.remind()
    [title] = titles(cast.secretary)
    assert "2026年第三季度还有 30 天结束，尚未安排联席会议" in title
    assert cadence.remind() == 0  # idempotent
    time_machine.move_to("2026-09-15 09:00 +08:00", tick=False)
    assert cadence.remind() == 0  # between the two reminders
    time_machine.move_to("2026-09-20 09:00 +08:00", tick=False)
    assert cadence.remind() == 1
    assert "还有 10 天结束" in titles(cast.secretary)[-1]
    # The leaders heard only of the second quarter, which had ended without a meeting.
    assert titles(cast.court_leader) == [
        f"{cast.world.mechanism.short_name}：2026年第二季度已结束，未召开联席会议（应至少 1 次，实际 0 次）"
    ]


def test_no_reminder_when_a_meeting_is_scheduled(cast, time_machine):
    time_machine.move_to("2026-09-01 09:00 +08:00", tick=False)
    cast.meeting(title="三季度", starts_at=at("2026-09-25"), ends_at=at("2026-09-25", 11))
    cadence.remind()
    assert titles(cast.secretary) == []


def test_leaders_are_told_when_a_quarter_ended_without_a_meeting_across_the_year_boundary(cast, time_machine):
    fed_leader = cast.fed_leader
    time_machine.move_to("2027-01-04 09:00 +08:00", tick=False)
    assert cadence.remind() == 2
    for leader in (cast.court_leader, fed_leader):
        assert titles(leader) == [
            "甲市法院·工商联机制：2026年第四季度已结束，未召开联席会议（应至少 1 次，实际 0 次）".replace(
                "甲市法院·工商联机制", cast.world.mechanism.short_name
            )
        ]
    assert cadence.remind() == 0


def test_leaders_are_not_told_when_the_quarter_had_its_meeting(cast, time_machine):
    time_machine.move_to("2026-12-10 09:00 +08:00", tick=False)
    cast.held(title="四季度", starts_at=at("2026-12-10"), ends_at=at("2026-12-10", 11))
    time_machine.move_to("2027-01-04 09:00 +08:00", tick=False)
    cadence.remind()
    assert titles(cast.court_leader) == []


def test_a_missing_plenary_reaches_the_leaders_after_the_year(cast, time_machine):
    mechanism = cast.world.mechanism
    mechanism.plenaries_per_year = 1
    mechanism.save()
    time_machine.move_to("2026-12-05 09:00 +08:00", tick=False)
    cadence.remind()
    assert any("2026年还有 26 天结束，尚未安排全体会议" in t for t in titles(cast.secretary))
    time_machine.move_to("2027-01-04 09:00 +08:00", tick=False)
    cadence.remind()
    assert any("2026年已结束，未召开全体会议" in t for t in titles(cast.court_leader))


def test_without_a_secretary_the_liaison_officers_are_reminded(world, time_machine):
    time_machine.move_to("2026-09-25 09:00 +08:00", tick=False)
    party = world.mechanism.parties.get(organization=world.court)
    party.liaison_officer = world.bob
    party.save()
    cadence.remind()
    assert Notification.objects.filter(recipient=world.bob, title__contains="尚未安排联席会议").exists()


@pytest.mark.parametrize("day, expected", [("2026-08-30", 0), ("2026-08-31", 1)])
def test_the_first_reminder_starts_exactly_30_days_before(cast, time_machine, day, expected):
    UserFactory(organization=cast.world.federation, roles=["meeting_secretary"], username="fed_secretary")
    time_machine.move_to(f"{day} 09:00 +08:00", tick=False)
    cadence.remind()
    secretaries = Notification.objects.filter(kind="due_soon", recipient__role_assignments__role="meeting_secretary")
    assert secretaries.count() == expected * 2  # both parties' secretaries


def test_the_celery_task_runs_the_reminders(cast, time_machine):
    from meetings.tasks import check_cadence

    time_machine.move_to("2026-09-25 09:00 +08:00", tick=False)
    assert check_cadence.delay().get() >= 1
    assert check_cadence.delay().get() == 0


def test_further_rows_come_from_the_registered_providers_with_their_state(cast, monkeypatch):
    """Meetings knows no app above it: a provider registered into `cadence_rows` gives a row per year."""
    from meetings import cadence_rows

    monkeypatch.setattr(cadence_rows, "_providers", {})
    calls = []

    def provider(user, mechanism, years):
        calls.append((user, mechanism, tuple(years)))
        return {
            year: cadence_rows.CadenceRow("x", "某项工作", year, year - 2024, 1, 2, "", "/x/", "查看")
            for year in years
            if year != 2029
        }

    cadence_rows.register("x", provider)
    found = cadence_rows.rows(cast.secretary, cast.world.mechanism, (2024, 2025, 2026, 2027, 2029))
    assert calls == [(cast.secretary, cast.world.mechanism, (2024, 2025, 2026, 2027, 2029))]  # once for all years
    assert [(year, [(r.count, r.state, r.state_label, r.css) for r in rows]) for year, rows in found.items()] == [
        (2024, [(0, "missing", "未达到要求", "warning")]),
        (2025, [(1, "met", "符合要求", "success")]),
        (2026, [(2, "met", "符合要求", "success")]),
        (2027, [(3, "above", "多于计划", "info")]),
        (2029, []),
    ]
    assert cadence_rows.registered() == ["x"]
