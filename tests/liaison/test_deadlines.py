"""Stored deadlines: their computation, the page that shows it, and recomputation."""

import datetime as dt

import pytest
import time_machine

from liaison import deadlines
from liaison.models import AuditEvent, Deadline

from ..conftest import login

D = dt.date
START = D(2026, 9, 30)


def start_deadline(world, start=START, days=3, owner=None):
    return deadlines.deadline_start(
        target=world.mechanism,
        kind="test.reply",
        label="答复测试事项",
        mechanism=world.mechanism,
        owner_organization=world.court,
        owner_user=owner,
        start=start,
        working_days=days,
        actor=world.bob,
    )


def test_it_stores_the_due_date_with_its_computation(world):
    deadline = start_deadline(world)
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 10, 10)
    assert [d["date"] for d in deadline.skipped_days] == [f"2026-10-0{n}" for n in range(1, 8)]
    assert AuditEvent.objects.filter(action="deadline_start", object_id=str(deadline.pk)).count() == 1


def test_it_allows_only_one_open_deadline_of_a_kind_per_object(world):
    from django.db import IntegrityError

    start_deadline(world)
    with pytest.raises(IntegrityError):
        start_deadline(world)


@time_machine.travel(dt.datetime(2026, 10, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
def test_it_shows_the_computation_on_the_deadline_page(world, client):
    deadline = start_deadline(world)
    response = login(client, world.bob).get(f"/deadlines/{deadline.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "2026-10-10" in text
    assert "国庆节" in text
    assert "剩余 1 个工作日" in text


def test_it_hides_a_deadline_from_another_mechanism(world, client):
    deadline = start_deadline(world)
    assert login(client, world.charlie).get(f"/deadlines/{deadline.pk}/").status_code == 404


def test_it_recomputes_running_deadlines_when_an_override_changes(world):
    deadline = start_deadline(world, start=D(2026, 11, 20), days=3)  # Fri + 3 → Wed 11-25
    assert deadline.due_date == D(2026, 11, 25)
    deadlines.calendar_override_save(date=D(2026, 11, 24), is_working_day=False, note="临时放假", actor=None)
    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 11, 26)
    assert any(d["reason"] == "临时放假" for d in deadline.skipped_days)
    assert AuditEvent.objects.filter(action="deadline_recompute", object_id=str(deadline.pk)).exists()


def test_it_leaves_closed_and_unaffected_deadlines_alone(world):
    closed = start_deadline(world, start=D(2026, 11, 20), days=3)
    deadlines.deadline_close(deadline=closed, actor=world.bob)
    later = deadlines.deadline_start(
        target=world.court,
        kind="test.other",
        label="其他",
        mechanism=world.mechanism,
        owner_organization=world.court,
        start=D(2026, 12, 1),
        working_days=2,
        actor=None,
    )
    deadlines.calendar_override_save(date=D(2026, 11, 24), is_working_day=False, note="临时放假", actor=None)
    closed.refresh_from_db()
    later.refresh_from_db()
    assert closed.due_date == D(2026, 11, 25)
    assert later.due_date == D(2026, 12, 3)


def test_it_refuses_to_close_a_deadline_twice(world):
    deadline = start_deadline(world)
    assert deadlines.deadline_close(deadline=deadline, actor=world.bob) is True
    assert deadlines.deadline_close(deadline=deadline, actor=world.bob) is False


def test_it_extends_a_running_deadline_by_working_days(world):
    deadline = start_deadline(world)
    extended = deadlines.deadline_extend(deadline=deadline, working_days=2, reason="案情复杂", actor=world.leader)
    assert extended.due_date == D(2026, 10, 13)  # 10-10 Sat (make-up) → Mon 10-12 → Tue 10-13
    assert Deadline.objects.get(pk=deadline.pk).extra_working_days == 2


@pytest.mark.parametrize(
    ("today", "text"),
    [
        (D(2026, 10, 8), "剩余 2 个工作日"),
        (D(2026, 10, 10), "今日到期"),
        (D(2026, 10, 12), "已逾期 1 个工作日"),
        (D(2026, 10, 13), "已逾期 2 个工作日"),
    ],
)
def test_it_words_the_due_status_in_working_days(world, today, text):
    from liaison.workdays import WorkingCalendar

    deadline = start_deadline(world)
    assert deadlines.due_status(deadline, WorkingCalendar(), on=today).text == text
