"""The docked systems' pages: figures, the delivery log, redelivery and key rotation, by role."""

from __future__ import annotations

import hashlib

import pytest
from django.utils import timezone

from liaison.channels import systems
from liaison.models import AuditEvent, Channel, ExternalSystem, OutboxMessage, OutboxState, SystemKey
from tests.conftest import login
from tests.factories import UserFactory


@pytest.fixture
def system(world):
    system = ExternalSystem.objects.create(
        name="甲市网上工商联", organization=world.federation, webhook_url="http://127.0.0.1:9/hook", secret="s"
    )
    system.mechanisms.add(world.mechanism)
    return system


def delivery(system, status=OutboxState.FAILED, **fields) -> OutboxMessage:
    return OutboxMessage.objects.create(
        kind="complaint.submitted",
        channel=Channel.WEBHOOK,
        recipient=system.webhook_url,
        payload={"id": "e1"},
        event_id="e1",
        system=system,
        status=status,
        attempts=8,
        result="HTTP 503",
        status_code=503,
        next_attempt_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def admin_user(world):
    return UserFactory(username="sysadmin", organization=world.court, roles=["administrator"])


def test_the_list_shows_success_and_delay_in_a_fixed_number_of_queries(
    world, system, admin_user, client, django_assert_max_num_queries
):
    now = timezone.now()
    for index in range(6):
        row = delivery(system, status=OutboxState.SENT if index else OutboxState.FAILED)
        OutboxMessage.objects.filter(pk=row.pk).update(created_at=now, sent_at=now + timezone.timedelta(seconds=4))
    for index in range(3):
        other = ExternalSystem.objects.create(name=f"系统{index}", organization=world.court)
        delivery(other)
    login(client, admin_user)
    with django_assert_max_num_queries(20):
        page = client.get("/systems/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "甲市网上工商联" in text and "83.3%" in text and "4.0" in text
    assert "各渠道送达情况" in text


def test_an_organization_sees_only_its_own_systems(world, system, client):
    login(client, world.alice)
    assert "甲市网上工商联" in client.get("/systems/").content.decode()
    assert client.get(f"/systems/{system.pk}/").status_code == 200
    login(client, world.bob)  # the court: another organization of the same mechanism
    assert "甲市网上工商联" not in client.get("/systems/").content.decode()
    assert client.get(f"/systems/{system.pk}/").status_code == 404
    login(client, world.charlie)
    assert client.get(f"/systems/{system.pk}/").status_code == 404


def test_the_delivery_log_shows_code_duration_and_attempts(world, system, client):
    delivery(system, duration_ms=1234)
    login(client, world.alice)
    text = client.get(f"/systems/{system.pk}/?status=failed").content.decode()
    assert "503" in text and "1234" in text and "HTTP 503" in text
    assert "重新推送" not in text  # not an administrator


def test_an_administrator_redelivers_a_failed_delivery(world, system, admin_user, client):
    row = delivery(system)
    login(client, admin_user)
    response = client.post(f"/deliveries/{row.pk}/redeliver/", follow=True)
    assert "已重新加入发送队列" in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.event_id) == (OutboxState.PENDING, 0, "e1")
    assert AuditEvent.objects.filter(action="delivery_redeliver").count() == 1


def test_a_non_administrator_cannot_redeliver(world, system, client):
    row = delivery(system)
    login(client, world.alice)
    response = client.post(f"/deliveries/{row.pk}/redeliver/", follow=True)
    assert "只有系统管理员才能“重新推送”" in response.content.decode()
    row.refresh_from_db()
    assert row.status == OutboxState.FAILED
    login(client, world.charlie)
    assert client.post(f"/deliveries/{row.pk}/redeliver/").status_code == 404


def test_a_pending_delivery_is_not_redelivered(world, system, admin_user):
    row = delivery(system, status=OutboxState.PENDING)
    with pytest.raises(Exception, match="无需重新推送"):
        systems.delivery_redeliver(actor=admin_user, message=row)


def test_rotating_a_key_shows_it_once_stores_its_digest_and_revokes_the_old(world, system, admin_user, client):
    login(client, admin_user)
    first = client.post(f"/systems/{system.pk}/key/").context["key"]
    second_page = client.post(f"/systems/{system.pk}/key/")
    second = second_page.context["key"]
    assert second in second_page.content.decode()
    assert first != second and first.startswith("lk_")
    assert not SystemKey.objects.filter(digest=first).exists()  # never the key itself
    assert SystemKey.objects.get(digest=hashlib.sha256(second.encode()).hexdigest()).revoked_at is None
    assert systems.system_for_key(first) is None
    assert systems.system_for_key(second) == system
    login(client, world.alice)
    response = client.post(f"/systems/{system.pk}/key/", follow=True)
    assert "只有系统管理员才能“更换接口密钥”" in response.content.decode()
    assert SystemKey.objects.count() == 2


def test_rotating_with_a_grace_period_keeps_the_old_key_working_until_then(world, system, admin_user, client):
    import datetime as dt

    login(client, admin_user)
    old = client.post(f"/systems/{system.pk}/key/").context["key"]
    page = client.post(f"/systems/{system.pk}/key/", {"grace_hours": "48"})
    new = page.context["key"]
    assert "48 小时的宽限期内仍可使用" in page.content.decode()
    old_row = SystemKey.objects.get(digest=hashlib.sha256(old.encode()).hexdigest())
    expected = timezone.now() + dt.timedelta(hours=48)
    assert abs((old_row.revoked_at - expected).total_seconds()) < 60
    assert systems.system_for_key(old) == system and systems.system_for_key(new) == system
    # The system page says until when the old key works.
    listing = client.get(f"/systems/{system.pk}/").content.decode()
    assert f"宽限期内，有效至 {timezone.localtime(old_row.revoked_at):%Y-%m-%d %H:%M}" in listing
    # Past its end the old key is refused.
    SystemKey.objects.filter(pk=old_row.pk).update(revoked_at=timezone.now() - dt.timedelta(seconds=1))
    assert systems.system_for_key(old) is None
    assert systems.system_for_key(new) == system
    assert "旧密钥 1 个于" in AuditEvent.objects.filter(action="system_key_rotate").order_by("-id")[0].summary


def test_a_new_rotation_never_lengthens_a_running_grace_period(world, system, admin_user):
    import datetime as dt

    first = systems.system_key_rotate(actor=admin_user, system=system)
    systems.system_key_rotate(actor=admin_user, system=system, grace_hours=2)
    systems.system_key_rotate(actor=admin_user, system=system, grace_hours=24)
    row = SystemKey.objects.get(digest=hashlib.sha256(first.encode()).hexdigest())
    assert row.revoked_at < timezone.now() + dt.timedelta(hours=3)
    assert SystemKey.objects.filter(revoked_at__isnull=True).count() == 1


def test_a_bad_grace_period_is_refused_and_nothing_changes(world, system, admin_user, client):
    key = systems.system_key_rotate(actor=admin_user, system=system)
    login(client, admin_user)
    for bad, message in (("999", "须在 0 至 168 小时之间"), ("abc", "须为整数小时")):
        response = client.post(f"/systems/{system.pk}/key/", {"grace_hours": bad}, follow=True)
        assert message in response.content.decode()
    assert SystemKey.objects.count() == 1 and systems.system_for_key(key) == system
    with pytest.raises(Exception, match="须在 0 至 168 小时之间"):
        systems.system_key_rotate(actor=admin_user, system=system, grace_hours=-1)
