"""Per kind: in-app, email, SMS, daily digest; leaders' overdue escalations always go out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from liaison import notifications
from liaison.channels import outbox
from liaison.choices import EmailState
from liaison.models import Channel, Notification, OutboxMessage, OutboxState
from tests.conftest import login


@pytest.fixture
def sms_files(settings, tmp_path):
    settings.SMS_BACKEND = "liaison.channels.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    return tmp_path / "sms"


def test_it_sends_an_sms_for_the_kinds_the_user_chose(world, sms_files, django_capture_on_commit_callbacks):
    world.alice.phone = "13800000021"
    world.alice.save()
    notifications.set_preferences(world.alice, {"work": {"by_sms": True}})
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([world.alice], kind="work", title="有一件诉求待审核")
        notifications.notify([world.alice], kind="meeting", title="联席会议通知")
    row = OutboxMessage.objects.get(channel=Channel.SMS)
    assert (row.recipient, row.kind, row.status) == ("13800000021", "work", OutboxState.SENT)
    (sms,) = sms_files.glob("*.txt")
    assert "待办：有一件诉求待审核" in sms.read_text(encoding="utf-8")


def test_it_sends_no_sms_to_a_user_without_a_phone(world, sms_files):
    notifications.set_preferences(world.alice, {"work": {"by_sms": True}})
    notifications.notify([world.alice], kind="work", title="x")
    assert not OutboxMessage.objects.exists()


def test_it_keeps_a_kind_out_of_the_unread_list_when_in_app_is_off(world):
    notifications.set_preferences(world.alice, {"system": {"in_app": False}})
    notifications.notify([world.alice], kind="system", title="系统维护")
    notifications.notify([world.alice], kind="work", title="待办")
    assert notifications.unread_count(world.alice) == 1


def test_a_digest_replaces_single_emails_and_goes_once_a_day(world, django_capture_on_commit_callbacks):
    notifications.set_preferences(world.alice, {"work": {"by_email": True, "digest": True}})
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([world.alice], kind="work", title="待审核诉求一")
        notifications.notify([world.alice], kind="work", title="待审核诉求二")
    assert mail.outbox == []
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.NOT_NEEDED}
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.queue_daily_digests(on=tomorrow) == 1
    with django_capture_on_commit_callbacks(execute=True):
        notifications.queue_daily_digests(on=tomorrow)  # a second beat: nothing more
    outbox.send_due()
    assert len(mail.outbox) == 1
    assert "待审核诉求一" in mail.outbox[0].body and "待审核诉求二" in mail.outbox[0].body
    assert "通知汇总（2 条）" in mail.outbox[0].subject


def test_leaders_overdue_escalations_go_out_whatever_they_chose(world, sms_files, django_capture_on_commit_callbacks):
    world.leader.phone = "13800000099"
    world.leader.save()
    world.bob.phone = "13800000098"
    world.bob.save()
    off = {"in_app": False, "by_email": False, "by_sms": False, "digest": False}
    notifications.set_preferences(world.leader, {"overdue": off})
    notifications.set_preferences(world.bob, {"overdue": off})
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([world.leader, world.bob], kind="overdue", title="移送登记已逾期")
    leader_row = Notification.objects.get(recipient=world.leader)
    assert leader_row.email_state == EmailState.SENT and leader_row.read_at is None
    assert Notification.objects.get(recipient=world.bob).email_state == EmailState.NOT_NEEDED
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["13800000099"]
    assert [m.to for m in mail.outbox] == [[world.leader.email]]


def test_the_reminder_sweep_escalates_to_leaders_by_sms(world, sms_files, django_capture_on_commit_callbacks):
    from liaison import deadlines, reminders

    party = world.mechanism.parties.get(organization=world.court)
    party.liaison_officer = world.bob
    party.save()
    world.leader.phone = "13800000097"
    world.leader.save()
    notifications.set_preferences(world.leader, {"overdue": {"by_email": False, "by_sms": False}})
    deadlines.deadline_start(
        target=world.mechanism,
        kind="t.reply",
        label="答复甲企业诉求",
        mechanism=world.mechanism,
        owner_organization=world.court,
        start=dt.date(2026, 11, 20),
        working_days=3,
        actor=None,
        url="/x/",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.sweep(on=dt.date(2026, 11, 26)) == 2
    assert Notification.objects.get(recipient=world.leader).email_state == EmailState.SENT
    (row,) = OutboxMessage.objects.filter(channel=Channel.SMS)
    assert row.recipient == "13800000097" and row.status == OutboxState.SENT


def test_the_reminder_sweep_texts_those_who_chose_sms_once(world, django_capture_on_commit_callbacks):
    from liaison import deadlines, reminders

    world.bob.phone = "13800000096"
    world.bob.save()
    notifications.set_preferences(world.bob, {"due_soon": {"by_sms": True}})
    for owner, kind in ((world.bob, "t.texted"), (world.alice, "t.not_texted")):
        deadlines.deadline_start(
            target=world.mechanism,
            kind=kind,
            label="答复甲企业诉求",
            mechanism=world.mechanism,
            owner_organization=world.court,
            owner_user=owner,
            start=dt.date(2026, 11, 20),
            working_days=3,
            actor=None,
        )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert reminders.sweep(on=dt.date(2026, 11, 23)) == 2  # due in two working days
    reminder = Notification.objects.get(recipient=world.bob)
    (row,) = OutboxMessage.objects.all()
    assert (row.channel, row.kind, row.recipient, row.status) == (Channel.SMS, "due_soon", "13800000096", "pending")
    assert row.payload == {"notification": reminder.pk} and row.dedup_key == f"sms:{reminder.pk}"
    assert len(callbacks) == 2  # the emails and the outbox sender, after commit
    reminders.sweep(on=dt.date(2026, 11, 23))
    reminders.sweep(on=dt.date(2026, 11, 24))
    assert OutboxMessage.objects.count() == 1


def test_the_preferences_page_saves_every_channel(world, client):
    login(client, world.alice)
    page = client.get("/notifications/preferences/")
    assert "每日汇总" in page.content.decode()
    response = client.post(
        "/notifications/preferences/", {"work": "on", "work_digest": "on", "overdue_sms": "on", "overdue_in_app": "on"}
    )
    assert response.status_code == 302
    chosen = notifications.preferences(world.alice)
    assert chosen["work"] == {"in_app": False, "by_email": True, "digest": True, "by_sms": False}
    assert chosen["overdue"] == {"in_app": True, "by_email": False, "digest": False, "by_sms": True}
