"""How a one-time code or an invitation link reaches a person.

A code goes by SMS to the mobile number through the channels layer (`liaison.channels.sms`,
recorded in the outbox) and, where the person gave an address, by email as well. The outbox
row keeps who was sent what kind of message and whether it went, never the code itself: the
code exists only in the message. Sent after the surrounding transaction commits, so a
rolled-back request sends nothing.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.channels import sms
from liaison.models import Channel, OutboxMessage, OutboxState

logger = logging.getLogger(__name__)

CODE_KIND = "code"


def _send_email(address: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except Exception:  # noqa: BLE001 - a mail server that is down must not break the page; the person asks again
        logger.exception("one-time message to an address failed")


def _send_code_sms(mobile: str, code: str, minutes: int) -> None:
    """Send at once (a code is not kept for a later attempt) and record the outcome without the code."""
    now = timezone.now()
    row = OutboxMessage(
        kind=CODE_KIND,
        channel=Channel.SMS,
        recipient=mobile,
        payload={"params": {"minutes": minutes}},
        attempts=1,
        next_attempt_at=now,
    )
    try:
        sent = sms.backend().send(sms.SMS(CODE_KIND, mobile, {"code": code, "minutes": minutes}))
    except Exception as error:  # noqa: BLE001 - a provider that is down must not break the page; the person asks again
        logger.exception("one-time code by SMS failed")
        row.status, row.result = OutboxState.FAILED, f"{type(error).__name__}"[:2000]
        row.status_code = getattr(error, "status_code", None)
    else:
        row.status, row.result, row.status_code, row.sent_at = (
            OutboxState.SENT,
            sent.detail[:2000],
            sent.status_code,
            now,
        )
    row.save()


def deliver_code(*, mobile: str, email: str, code: str, minutes: int) -> None:
    """Send a verification code by SMS to the mobile number, and by email where there is an address."""
    transaction.on_commit(lambda: _send_code_sms(mobile, code, minutes), robust=True)
    if email:
        subject = _("沟通联系机制平台验证码")
        body = _("您的验证码是 %(code)s，%(minutes)d 分钟内有效，只能使用一次。如非本人操作，请忽略本邮件。") % {
            "code": code,
            "minutes": minutes,
        }
        transaction.on_commit(lambda: _send_email(email, subject, body), robust=True)


def deliver_invitation(*, email: str, full_name: str, enterprise_name: str, link: str, days: int) -> None:
    subject = _("邀请您注册企业用户")
    body = _(
        "%(name)s：\n工商联邀请您作为“%(enterprise)s”的联系人注册企业用户，在线提交和跟踪涉企诉求。\n"
        "请在 %(days)d 天内打开以下链接完成注册（只能使用一次）：\n%(link)s"
    ) % {"name": full_name, "enterprise": enterprise_name, "link": link, "days": days}
    transaction.on_commit(lambda: _send_email(email, subject, body), robust=True)
