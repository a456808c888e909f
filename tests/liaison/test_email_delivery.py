"""Emails are never lost and never sent twice: dead workers, bad rows, broker outages, races."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.core import mail
from django.core.mail import BadHeaderError
from django.utils import timezone
from kombu.exceptions import OperationalError

from liaison import deadlines, notifications, reminders
from liaison.celery import app as celery_app
from liaison.choices import EmailState, NotificationKind
from liaison.models import Notification
from liaison.notifications import (
    Draft,
    create_notifications,
    notify,
    send_pending_emails,
)
from liaison.tasks import send_notification_emails, sweep_reminders

from ..concurrency import run_together

D = dt.date


def pending(world, n: int, title: str = "会议通知") -> list[Notification]:
    create_notifications(
        [Draft(world.bob.pk, NotificationKind.MEETING, f"{title}{i}", dedup_key=f"t{i}") for i in range(n)]
    )
    return list(Notification.objects.filter(recipient=world.bob).order_by("id"))


def states() -> list[str]:
    return list(Notification.objects.order_by("id").values_list("email_state", flat=True))


def test_a_row_left_sending_by_a_dead_worker_is_sent_again_once_after_the_timeout(world, settings):
    settings.EMAIL_SENDING_TIMEOUT_SECONDS = 600
    stuck, recent = pending(world, 2)
    # The worker claimed both and died before sending; one claim is older than the timeout.
    Notification.objects.filter(pk=stuck.pk).update(
        email_state=EmailState.SENDING, email_claimed_at=timezone.now() - dt.timedelta(seconds=601)
    )
    Notification.objects.filter(pk=recent.pk).update(
        email_state=EmailState.SENDING, email_claimed_at=timezone.now() - dt.timedelta(seconds=60)
    )
    assert send_pending_emails() == 1
    assert send_pending_emails() == 0
    assert [m.subject for m in mail.outbox] == [f"[{settings.SITE_NAME}] 会议通知0"]
    assert states() == [EmailState.SENT, EmailState.SENDING]  # the recent claim may still be sending


def test_a_row_left_sending_before_claims_were_timed_is_sent_again(world):
    (row,) = pending(world, 1)
    Notification.objects.filter(pk=row.pk).update(email_state=EmailState.SENDING, email_claimed_at=None)
    assert send_pending_emails() == 1
    assert states() == [EmailState.SENT]


def test_a_title_with_a_newline_goes_out_on_one_line(world, settings):
    notify([world.bob], kind=NotificationKind.MEETING, title="开会\r\n通知\nBcc: x@evil.example")
    send_pending_emails()
    assert mail.outbox[0].subject == f"[{settings.SITE_NAME}] 开会 通知 Bcc: x@evil.example"
    assert mail.outbox[0].bcc == []


def test_a_row_that_cannot_be_sent_fails_alone_and_the_batch_goes_on(world):
    pending(world, 3)
    real_send = notifications.send_mail

    def send(**kwargs):
        if kwargs["subject"].endswith("会议通知1"):
            raise BadHeaderError("bad header")
        return real_send(**kwargs)

    with mock.patch.object(notifications, "send_mail", side_effect=send):
        assert send_pending_emails() == 2
    assert states() == [EmailState.SENT, EmailState.FAILED, EmailState.SENT]
    assert len(mail.outbox) == 2


def test_an_unreachable_mail_server_stops_the_run_and_the_rows_wait_for_the_next(world, settings):
    settings.EMAIL_MAX_ATTEMPTS = 2
    pending(world, 2)
    with mock.patch.object(notifications, "send_mail", side_effect=ConnectionRefusedError()):
        assert send_pending_emails() == 0
        assert states() == [EmailState.PENDING, EmailState.PENDING]
        assert Notification.objects.order_by("id").first().email_attempts == 1
    assert send_pending_emails() == 2
    assert states() == [EmailState.SENT, EmailState.SENT]


def test_one_run_sends_batch_after_batch_within_its_time_budget(world):
    pending(world, 5)
    assert send_pending_emails(batch_size=2) == 5
    assert len(mail.outbox) == 5


def test_a_run_out_of_time_queues_the_next_run(world):
    pending(world, 3)
    with mock.patch.object(notifications, "queue_email_delivery") as queued:
        assert send_pending_emails(time_budget=0) == 0
    queued.assert_called_once()
    assert states() == [EmailState.PENDING] * 3


def test_redis_down_during_a_transition_then_back(world, django_capture_on_commit_callbacks):
    """The notification rows commit with the change; the lost queued task is made up for by
    the periodic run once the broker answers again."""
    party = world.mechanism.parties.get(organization=world.court)
    party.liaison_officer = world.bob
    party.save()
    deadlines.deadline_start(
        target=world.mechanism,
        kind="t.reply",
        label="答复诉求",
        mechanism=world.mechanism,
        owner_organization=world.court,
        start=D(2026, 11, 20),
        working_days=3,
        actor=None,
    )
    broker_down = mock.patch.object(send_notification_emails, "delay", side_effect=OperationalError("redis down"))
    with broker_down as delay, django_capture_on_commit_callbacks(execute=True):
        assert reminders.sweep(on=D(2026, 11, 23)) == 1
    delay.assert_called_once()
    assert states() == [EmailState.PENDING] and mail.outbox == []
    assert "send-notification-emails" in celery_app.conf.beat_schedule
    send_notification_emails.apply()  # the periodic run, broker back
    send_notification_emails.apply()
    assert states() == [EmailState.SENT] and len(mail.outbox) == 1


def test_two_sweeps_and_two_beats_at_once_notify_and_email_each_once(postgres, world, time_machine):
    """Two beat processes fire the sweep and the email task at the same moment, twice."""
    party = world.mechanism.parties.get(organization=world.court)
    party.liaison_officer = world.bob
    party.save()
    for n in range(6):
        deadlines.deadline_start(
            target=world.mechanism,
            kind=f"t.race{n}",
            label=f"事项{n}",
            mechanism=world.mechanism,
            owner_organization=world.court,
            start=D(2026, 11, 18 + n % 3),
            working_days=3,
            actor=None,
        )
    time_machine.move_to("2026-11-26 09:00 +08:00", tick=True)
    run_together(
        sweep_reminders.apply, sweep_reminders.apply, send_notification_emails.apply, send_notification_emails.apply
    )
    run_together(send_notification_emails.apply, send_notification_emails.apply)
    rows = list(Notification.objects.values_list("dedup_key", "email_state", "recipient_id"))
    keys = [key for key, _, _ in rows]
    assert len(keys) == len(set(keys)) and len(rows) == 12  # 6 overdue, to the officer and the leader
    assert {state for _, state, _ in rows} == {EmailState.SENT}
    assert len(mail.outbox) == len(rows)
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == len(rows)


def test_the_broker_waits_longer_than_the_longest_task_and_requeues_a_lost_worker(settings):
    import importlib
    import importlib.util

    from django.apps import apps

    for config in apps.get_app_configs():  # every app's tasks, not only those imported so far
        if importlib.util.find_spec(f"{config.name}.tasks"):
            importlib.import_module(f"{config.name}.tasks")
    longest = max((task.time_limit or 0) for name, task in celery_app.tasks.items() if not name.startswith("celery."))
    assert longest <= settings.CELERY_LONGEST_TASK_SECONDS < settings.CELERY_VISIBILITY_TIMEOUT
    assert celery_app.conf.task_acks_late and celery_app.conf.task_reject_on_worker_lost
    if settings.REDIS_URL:
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT


def test_read_notifications_are_pruned_after_the_retention_period(world, settings):
    from liaison.tasks import prune_notifications

    settings.NOTIFICATION_RETENTION_DAYS = 30
    old_read, recent_read, old_unread = pending(world, 3)
    Notification.objects.filter(pk=old_read.pk).update(read_at=timezone.now() - dt.timedelta(days=31))
    Notification.objects.filter(pk=recent_read.pk).update(read_at=timezone.now() - dt.timedelta(days=29))
    Notification.objects.filter(pk=old_unread.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    assert prune_notifications.apply().get() == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {recent_read.pk, old_unread.pk}
    assert "prune-notifications" in celery_app.conf.beat_schedule


def test_a_second_insert_of_the_same_reminders_creates_nothing(world):
    drafts = [
        Draft(world.bob.pk, NotificationKind.DUE_SOON, "x", dedup_key="k1"),
        Draft(world.leader.pk, NotificationKind.DUE_SOON, "y", dedup_key="k2"),
    ]
    assert create_notifications(drafts) == 2
    assert create_notifications([*drafts, Draft(world.bob.pk, NotificationKind.DUE_SOON, "z", dedup_key="k3")]) == 1
