"""Which backend sends a row of each channel, and how the row becomes its request."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from django.conf import settings
from django.core.mail import send_mail

from ..models import Channel, Notification, OutboxMessage, RobotChannel
from . import robots, sms
from .http import PermanentError, post_json

SIGNATURE_HEADER = "X-Liaison-Signature"
TIMESTAMP_HEADER = "X-Liaison-Timestamp"
EVENT_HEADER = "X-Liaison-Event"
EVENT_ID_HEADER = "X-Liaison-Event-Id"


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "timestamp.body", hex, as `sha256=<hex>` (what a receiver recomputes)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def webhook_body(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _sms_params(message: OutboxMessage) -> dict:
    if message.kind == "code":
        raise PermanentError("a one-time code is not kept; the person asks for a new one")
    notification_id = message.payload.get("notification")
    if notification_id:
        notification = Notification.objects.filter(pk=notification_id).only("title", "url").first()
        if notification is None:
            raise PermanentError("the notification was deleted")
        return {"title": notification.title, "url": notification.url}
    return dict(message.payload.get("params", {}))


def send(message: OutboxMessage) -> tuple[int | None, str]:
    if message.channel == Channel.SMS:
        done = sms.backend().send(sms.SMS(message.kind, message.recipient, _sms_params(message)))
        return done.status_code, done.detail
    if message.channel in (Channel.WECOM, Channel.DINGTALK):
        robot = RobotChannel.objects.filter(pk=message.payload.get("robot"), is_active=True).first()
        if robot is None:
            raise PermanentError("the robot was removed or disabled")
        title, text = message.payload.get("title", ""), message.payload.get("text", "")
        if robot.channel == Channel.WECOM:
            answer = robots.send_wecom(robot.webhook_url, title, text)
        else:
            answer = robots.send_dingtalk(robot.webhook_url, robot.secret, title, text)
        return answer.status_code, answer.body[:500]
    if message.channel == Channel.WEBHOOK:
        system = message.system
        if system is None or not system.is_active or not system.webhook_url:
            raise PermanentError("the system was removed, disabled or has no URL")
        body = webhook_body(message.payload)
        timestamp = str(int(time.time()))
        headers = {
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: webhook_signature(system.secret, timestamp, body),
            EVENT_HEADER: message.kind,
            EVENT_ID_HEADER: message.event_id,
        }
        from .http import request

        answer = request("POST", system.webhook_url, body=body, headers={"Content-Type": "application/json", **headers})
        return answer.status_code, answer.body[:500]
    if message.channel == Channel.EMAIL:
        try:
            send_mail(
                subject=message.payload.get("subject", settings.SITE_NAME),
                message=message.payload.get("body", ""),
                from_email=None,
                recipient_list=[message.recipient],
            )
        except OSError as error:
            from .http import TransientError

            raise TransientError(str(error)) from error
        return None, "email"
    raise PermanentError(f"unknown channel {message.channel}")


__all__ = ["post_json", "send", "webhook_signature"]
