"""The reminder engine: stages, recipients, idempotency, and email after commit."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison import deadlines, reminders
from liaison.models import Notification, NotificationPreference, ReminderSweep

from ..concurrency import run_together

D = dt.date


@pytest.fixture
def deadline(world):
    party = world.mechanism.parties.get(organization=world.court)
    party.liaison_officer = world.bob
    party.save()
    # Due Wed 2026-11-25 (Fri 11-20 + 3 working days), owned by the court with no named person.
    return deadlines.deadline_start(
        target=world.mechanism,
        kind="t.reply",
        label="答复甲企业诉求",
        mechanism=world.mechanism,
        owner_organization=world.court,
        start=D(2026, 11, 20),
        working_days=3,
        actor=None,
        url="/x/",
    )


def titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_it_reminds_the_liaison_officer_two_working_days_before(world, deadline, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = reminders.sweep(on=D(2026, 11, 23))  # Monday: due in 2 working days
    assert created == 1
    assert titles(world.bob) == ["办理时限还剩 2 个工作日（2026-11-25 到期）：答复甲企业诉求"]
    assert titles(world.leader) == []
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.bob.email]


def test_it_does_not_remind_early(world, deadline):
    assert reminders.sweep(on=D(2026, 11, 20)) == 0


def test_two_sweeps_create_one_reminder(world, deadline, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep(on=D(2026, 11, 23))
        reminders.sweep(on=D(2026, 11, 23))
        reminders.sweep(on=D(2026, 11, 24))  # still within the "2 days before" window
    assert Notification.objects.filter(recipient=world.bob).count() == 1
    assert len(mail.outbox) == 1


def test_it_reminds_on_the_day_and_when_overdue_also_the_leaders(world, deadline):
    reminders.sweep(on=D(2026, 11, 25))
    assert titles(world.bob) == ["办理时限今日到期：答复甲企业诉求"]
    reminders.sweep(on=D(2026, 11, 26))
    assert "办理时限已逾期（2026-11-25 到期）：答复甲企业诉求" in titles(world.bob)
    assert titles(world.leader) == ["办理时限已逾期（2026-11-25 到期）：答复甲企业诉求"]
    reminders.sweep(on=D(2026, 11, 27))
    assert Notification.objects.filter(kind="overdue").count() == 2


def test_it_reminds_again_when_the_deadline_moves(world, deadline):
    reminders.sweep(on=D(2026, 11, 26))
    deadlines.deadline_extend(deadline=deadline, working_days=5, reason="延期", actor=world.leader)
    assert deadline.__class__.objects.get(pk=deadline.pk).due_date == D(2026, 12, 2)
    reminders.sweep(on=D(2026, 12, 2))
    assert Notification.objects.filter(recipient=world.bob, kind="due_today").count() == 1


@pytest.mark.postgres
def test_two_sweeps_at_once_write_each_reminder_once(postgres, world, deadline):
    day = D(2026, 11, 26)  # overdue: the liaison officer and the leader
    results = run_together(lambda: reminders.sweep(on=day), lambda: reminders.sweep(on=day))
    assert sorted(results) == [0, 2], results
    assert Notification.objects.count() == 2
    assert ReminderSweep.objects.get().swept_on == day


def test_it_ignores_closed_deadlines(world, deadline):
    deadlines.deadline_close(deadline=deadline, actor=world.bob)
    assert reminders.sweep(on=D(2026, 11, 26)) == 0


def test_it_respects_the_users_email_choice(world, deadline, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=world.bob, kind="due_soon", by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep(on=D(2026, 11, 23))
    assert titles(world.bob) and mail.outbox == []


def test_it_queues_email_only_after_commit(world, deadline, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminders.sweep(on=D(2026, 11, 23))
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_the_sweep_uses_a_fixed_number_of_queries(world, deadline):
    def count_queries(on):
        with CaptureQueriesContext(connection) as ctx:
            reminders.sweep(on=on)
        return len(ctx.captured_queries)

    few = count_queries(D(2026, 11, 26))
    for n in range(20):
        deadlines.deadline_start(
            target=world.federation,
            kind=f"t.bulk{n % 2}",
            label=f"批量{n}",
            mechanism=world.mechanism,
            owner_organization=world.court,
            owner_user=world.bob if n % 3 else None,
            start=D(2026, 11, 10 + n % 5),
            working_days=1,
            actor=None,
        ) if n < 2 else deadlines.deadline_start(
            target=world.other_court,
            kind=f"t.bulk{n}",
            label=f"批量{n}",
            mechanism=world.mechanism,
            owner_organization=world.court,
            start=D(2026, 11, 10),
            working_days=1,
            actor=None,
        )
    many = count_queries(D(2026, 11, 27))
    assert many <= few + 2


def test_the_days_first_sweep_runs_the_same_statements_whatever_the_rules_and_deadlines(world, deadline):
    """One INSERT … SELECT writes every rule's and stage's reminders (with their SMS rows and event
    keys on PostgreSQL): more rules, stages and deadlines add no statement."""

    def first_sweep(on):
        Notification.objects.all().delete()
        ReminderSweep.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            created = reminders.sweep(on=on)
        return created, [q["sql"] for q in ctx.captured_queries]

    created, few = first_sweep(D(2026, 11, 26))
    assert created == 2  # overdue: the liaison officer and the leader
    rules = [
        reminders.register(
            reminders.ReminderRule(deadline_kind=f"t.rule{n}", title=f"规则{n}", before_working_days=1 + n % 5)
        )
        for n in range(10)
    ]
    try:
        for n in range(30):
            deadlines.deadline_start(
                target=(world.federation, world.court, world.other_court)[n // 10],
                kind=f"t.rule{n % 10}",
                label=f"批量{n}",
                mechanism=world.mechanism,
                owner_organization=world.court,
                owner_user=world.bob if n % 3 else None,
                start=D(2026, 11, 10 + n % 15),
                working_days=1 + n % 4,
                actor=None,
            )
        created, many = first_sweep(D(2026, 11, 26))
    finally:
        for rule in rules:
            reminders._RULES.pop(rule.deadline_kind)
    assert created > 30
    assert len(many) == len(few)
    assert len([sql for sql in many if "INSERT INTO liaison_notification" in sql]) == 1


def test_a_registered_rule_changes_title_and_timing(world, deadline):
    rule = reminders.register(
        reminders.ReminderRule(
            deadline_kind="t.reply", title="诉求答复", before_working_days=1, leaders_when_overdue=False
        )
    )
    try:
        assert reminders.sweep(on=D(2026, 11, 23)) == 0  # two days out: rule says one
        reminders.sweep(on=D(2026, 11, 24))
        assert titles(world.bob) == ["诉求答复还剩 1 个工作日（2026-11-25 到期）：答复甲企业诉求"]
        reminders.sweep(on=D(2026, 11, 26))
        assert titles(world.leader) == []
    finally:
        reminders._RULES.pop(rule.deadline_kind)


def test_a_rule_title_reaches_the_reminder_as_written(world, deadline):
    # The table of stages goes to PostgreSQL as one JSON parameter: quotes, a backslash and a
    # percent sign in a title must come out as they went in.
    title = "“诉求”答复\\\"50%'办"
    rule = reminders.register(reminders.ReminderRule(deadline_kind="t.reply", title=title))
    try:
        reminders.sweep(on=D(2026, 11, 25))
        assert titles(world.bob) == [f"{title}今日到期：答复甲企业诉求"]
    finally:
        reminders._RULES.pop(rule.deadline_kind)


# --- the incremental sweep ------------------------------------------------------------------


def age(deadline) -> None:
    """As if the deadline had last been saved long ago: only its date can bring it in."""
    deadline.__class__.objects.filter(pk=deadline.pk).update(computed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))


def test_a_deadline_that_crosses_a_threshold_overnight_is_reminded_without_being_edited(world, deadline):
    assert reminders.sweep(on=D(2026, 11, 20)) == 0
    age(deadline)
    assert reminders.sweep(on=D(2026, 11, 23)) == 1
    assert titles(world.bob) == ["办理时限还剩 2 个工作日（2026-11-25 到期）：答复甲企业诉求"]
    assert reminders.sweep(on=D(2026, 11, 25)) == 1  # today
    assert reminders.sweep(on=D(2026, 11, 26)) == 2  # overdue: the officer and the leader


def test_days_without_a_sweep_are_caught_up(world, deadline):
    reminders.sweep(on=D(2026, 11, 20))
    age(deadline)
    reminders.sweep(on=D(2026, 11, 30))  # nothing ran for ten days
    assert set(Notification.objects.values_list("kind", flat=True)) == {"overdue"}
    assert Notification.objects.count() == 2


def start_bobs_deadline(world, kind: str) -> None:
    """A deadline of two working days from 2026-11-20 for bob, started after the day's first sweep."""
    deadlines.deadline_start(
        target=world.federation,
        kind=kind,
        label="当天新增",
        mechanism=world.mechanism,
        owner_organization=world.court,
        owner_user=world.bob,
        start=D(2026, 11, 20),
        working_days=2,
        actor=None,
    )


def test_a_deadline_started_after_the_days_sweep_is_reminded_by_the_next_one(world, deadline):
    reminders.sweep(on=D(2026, 11, 23))
    age(deadline)
    start_bobs_deadline(world, "t.late")
    assert reminders.sweep(on=D(2026, 11, 23)) == 1
    assert "办理时限还剩 1 个工作日（2026-11-24 到期）：当天新增" in titles(world.bob)


def test_an_unchanged_old_deadline_is_not_looked_at_again(world, deadline):
    reminders.sweep(on=D(2026, 11, 26))
    Notification.objects.all().delete()  # were they looked at again, they would be re-created
    age(deadline)
    assert reminders.sweep(on=D(2026, 11, 27)) == 0


def test_a_later_sweep_of_the_same_day_with_nothing_saved_only_looks(world, deadline):
    """Later the same day no date crosses a threshold: with no deadline saved since, the sweep reads
    the sweep state, looks once for saved deadlines and records itself, whatever the rules."""
    reminders.sweep(on=D(2026, 11, 23))
    age(deadline)
    before = ReminderSweep.objects.get().swept_at
    with CaptureQueriesContext(connection) as ctx:
        assert reminders.sweep(on=D(2026, 11, 23)) == 0
    statements = [q["sql"] for q in ctx.captured_queries]
    assert not any("INSERT INTO" in sql and "liaison_notification" in sql for sql in statements)
    if connection.vendor == "postgresql":
        # One UPDATE that looks and records: no transaction of its own, no other statement.
        assert len(statements) == 1 and statements[0].startswith("UPDATE")
        assert ReminderSweep.objects.get().swept_at > before
    else:
        assert len(statements) <= 7  # savepoint, state insert, lock, the look, save, release
    # A deadline saved meanwhile is still reminded on the same day (the look finds it).
    start_bobs_deadline(world, "t.same_day")
    assert reminders.sweep(on=D(2026, 11, 23)) == 1
