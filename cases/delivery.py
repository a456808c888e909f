"""How a one-time code or an invitation link reaches a person.

Email today; an SMS channel plugs in here (`deliver_code` is the one place that picks the
channel). Sent after the surrounding transaction commits, so a rolled-back request sends nothing.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _send_email(address: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except Exception:  # noqa: BLE001 - a mail server that is down must not break the page; the person asks again
        logger.exception("one-time message to an address failed")


def deliver_code(*, mobile: str, email: str, code: str, minutes: int) -> None:
    """Send a verification code (the mobile number is where an SMS channel would send it)."""
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
