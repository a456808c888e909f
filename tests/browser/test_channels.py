"""Channels in a real browser: a user takes SMS for a kind; an administrator redelivers a failed
push to the demo's 网上工商联 and issues a new key, shown once."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.usefixtures("demo_data")


def test_preferences_then_redelivery_and_a_new_key(page, live_server, artifacts_dir):
    from liaison.models import Channel, ExternalSystem, NotificationPreference, OutboxMessage, SystemKey

    system = ExternalSystem.objects.get(name="网上工商联")
    failed = OutboxMessage.objects.create(
        kind="complaint.submitted",
        channel=Channel.WEBHOOK,
        recipient=system.webhook_url,
        payload={"id": "demo-event"},
        event_id="demo-event",
        system=system,
        status="failed",
        attempts=8,
        status_code=503,
        result="HTTP 503",
        next_attempt_at=timezone.now(),
    )

    log_in(page, live_server, "fed_staff")
    page.goto(f"{live_server.url}/notifications/preferences/")
    page.check("#id_overdue_sms")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("通知设置已保存。")).to_be_visible()
    assert NotificationPreference.objects.get(user__username="fed_staff", kind="overdue").by_sms

    page.context.clear_cookies()
    log_in(page, live_server, "admin")
    page.get_by_role("button", name="机制", exact=True).click()
    page.get_by_role("link", name="系统对接", exact=True).click()
    expect(page.locator("h1")).to_have_text("系统对接")
    page.get_by_role("link", name="网上工商联").click()
    row = page.locator("tr", has_text="demo-event")
    expect(row).to_contain_text("503")
    row.get_by_role("button", name="重新推送").click()
    expect(page.get_by_text("已重新加入发送队列。")).to_be_visible()
    failed.refresh_from_db()
    assert failed.status in ("pending", "sending", "sent", "failed") and failed.attempts <= 1

    page.fill("#grace_hours", "0")  # the old key stops at once
    page.get_by_role("button", name="签发新密钥").click()
    key = page.locator("code.user-select-all").inner_text()
    assert key.startswith("lk_")
    assert SystemKey.objects.filter(system=system, revoked_at__isnull=True).count() == 1
    page.screenshot(path=str(artifacts_dir / "system-key.png"), full_page=True)
