"""Enterprise messages through the notification channels: codes by SMS, notices by the user's choice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail

from cases import services
from cases.services import portal
from liaison.channels import outbox
from liaison.models import Channel, OutboxMessage, OutboxState

from ..conftest import login
from .test_portal_pages import _file, ent  # noqa: F401  (the confirmed enterprise user)

EMAIL = "wang@example.test"
MOBILE = "13912345678"


def _sms_files(settings) -> list[str]:
    folder = Path(settings.SMS_FILE_PATH)
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))] if folder.exists() else []


def _ask(django_capture_on_commit_callbacks, **overrides) -> None:
    data = {"purpose": portal.REGISTER, "mobile": MOBILE, "email": EMAIL, "client_ip": "10.0.0.1", **overrides}
    with django_capture_on_commit_callbacks(execute=True):
        services.code_request(**data)


def test_the_code_arrives_by_sms_and_by_email(cast, settings, django_capture_on_commit_callbacks):
    _ask(django_capture_on_commit_callbacks)
    [text] = _sms_files(settings)
    assert text.startswith(f"To: {MOBILE}\nKind: code\n")
    code = re.search(r"验证码是(\d{6})", text).group(1)
    assert code in mail.outbox[-1].body and mail.outbox[-1].to == [EMAIL]
    services.code_consume(purpose=portal.REGISTER, mobile=MOBILE, email=EMAIL, code=code)


def test_the_outbox_records_the_sms_but_never_the_code(cast, settings, django_capture_on_commit_callbacks):
    _ask(django_capture_on_commit_callbacks)
    code = re.search(r"验证码是(\d{6})", _sms_files(settings)[0]).group(1)
    row = OutboxMessage.objects.get()
    assert (row.channel, row.kind, row.recipient, row.status) == (Channel.SMS, "code", MOBILE, OutboxState.SENT)
    stored = " ".join(str(v) for v in OutboxMessage.objects.values().get().values())
    assert code not in stored
    # A redelivery cannot resend a code it does not have: it fails instead of sending an empty one.
    assert outbox.redeliver(row)
    outbox.send_due(time_budget=5)
    row.refresh_from_db()
    assert row.status == OutboxState.FAILED and len(_sms_files(settings)) == 1


def test_rate_limits_still_apply_to_sms(cast, settings, django_capture_on_commit_callbacks):
    _ask(django_capture_on_commit_callbacks)
    with pytest.raises(portal.TooManyCodes):
        _ask(django_capture_on_commit_callbacks, email="other@example.test")
    assert len(_sms_files(settings)) == 1 and OutboxMessage.objects.count() == 1


def test_a_provider_that_is_down_does_not_break_the_request(cast, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "liaison.channels.sms.AliyunBackend"  # not configured: refuses to send
    _ask(django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.get().status == OutboxState.FAILED
    assert re.search(r"\d{6}", mail.outbox[-1].body)  # the email copy still went


def test_a_code_without_an_address_goes_by_sms_only(settings, db, django_capture_on_commit_callbacks):
    from cases.delivery import deliver_code

    with django_capture_on_commit_callbacks(execute=True):
        deliver_code(mobile=MOBILE, email="", code="123456", minutes=10)
    assert "验证码是123456" in _sms_files(settings)[0] and not mail.outbox


def test_an_enterprise_user_chooses_sms_per_kind(cast, client, ent, settings, django_capture_on_commit_callbacks):  # noqa: F811
    ent.phone = "13900001111"
    ent.save(update_fields=["phone"])
    login(client, ent)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200 and 'name="work_sms"' in page.content.decode()
    response = client.post("/notifications/preferences/", {"work_in_app": "on", "work_sms": "on"})
    assert response.status_code == 302
    _file(client)
    matter = cast.enterprise.complaints.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_start_review(actor=cast.reviewer, complaint=matter)
    row = OutboxMessage.objects.get(channel=Channel.SMS, recipient="13900001111")
    assert row.kind == "work"
    outbox.send_due(time_budget=5)
    assert any("工商联已开始审核您的诉求" in text for text in _sms_files(settings))
    # Only the kind chosen goes by SMS: a system notice stays in the app.
    from liaison.notifications import notify

    with django_capture_on_commit_callbacks(execute=True):
        notify([ent], kind="system", title="系统维护")
    assert OutboxMessage.objects.filter(channel=Channel.SMS, recipient="13900001111").count() == 1
