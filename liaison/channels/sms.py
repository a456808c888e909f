"""SMS: the text of each kind of message, and backends configured like Django's email backends.

`SMS_BACKEND` names the backend: the file backend (one file per message under `var/sms/`, for
the demo and tests), the console backend, or the Aliyun backend (the 短信服务 `SendSms` API,
signed with its published HMAC-SHA1 signature method). The provider sends only approved
templates: each kind's template code comes from `SMS_TEMPLATE_CODES`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import sys
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .http import PermanentError, request

# The message of each kind; `title` is the notification's title, `site` the portal's name.
TEXTS: dict[str, str] = {
    "due_soon": "【{site}】即将到期：{title}，请及时办理。",
    "due_today": "【{site}】今日到期：{title}，请今日内办理。",
    "overdue": "【{site}】已逾期：{title}，请尽快办理。",
    "work": "【{site}】待办：{title}。",
    "meeting": "【{site}】会议通知：{title}。",
    "system": "【{site}】{title}",
    # A one-time code: the code is a parameter of this message only, never stored.
    "code": "【{site}】您的验证码是{code}，{minutes}分钟内有效，只能使用一次。如非本人操作，请忽略本短信。",
}


@dataclass(frozen=True)
class SMS:
    kind: str
    phone: str
    params: dict

    @property
    def text(self) -> str:
        template = TEXTS.get(self.kind, "【{site}】{title}")
        return template.format(site=settings.SITE_NAME, **{"title": "", **self.params})


@dataclass(frozen=True)
class Sent:
    status_code: int | None
    detail: str


class BaseBackend:
    def send(self, sms: SMS) -> Sent:  # pragma: no cover - an interface
        raise NotImplementedError


class FileBackend(BaseBackend):
    """One UTF-8 file per message under SMS_FILE_PATH (var/sms/)."""

    def send(self, sms: SMS) -> Sent:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.txt"
        (folder / name).write_text(f"To: {sms.phone}\nKind: {sms.kind}\n\n{sms.text}\n", encoding="utf-8")
        return Sent(None, name)


class ConsoleBackend(BaseBackend):
    def send(self, sms: SMS) -> Sent:
        sys.stdout.write(f"SMS to {sms.phone}: {sms.text}\n")
        sys.stdout.flush()
        return Sent(None, "console")


def pop_quote(value: str) -> str:
    """Aliyun's "special URL encoding": RFC 3986 percent-encoding, space as %20, ~ kept."""
    return urllib.parse.quote(value, safe="~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """The Signature parameter of an Aliyun RPC request (signature method HMAC-SHA1, version 1.0).

    Sorted, encoded `key=value` pairs joined by `&` form the canonical query; the string to sign
    is `METHOD&%2F&` + the encoded canonical query; the key is the AccessKey secret + "&".
    """
    canonical = "&".join(f"{pop_quote(k)}={pop_quote(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{pop_quote('/')}&{pop_quote(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunBackend(BaseBackend):
    """Aliyun 短信服务 SendSms (API version 2017-05-25) over HTTPS GET."""

    def send(self, sms: SMS) -> Sent:
        code = settings.SMS_TEMPLATE_CODES.get(sms.kind)
        if not code:
            raise PermanentError(f"no template code for kind {sms.kind} (SMS_TEMPLATE_CODES)")
        if not (settings.SMS_ACCESS_KEY_ID and settings.SMS_ACCESS_KEY_SECRET and settings.SMS_SIGN_NAME):
            raise PermanentError("SMS_ACCESS_KEY_ID, SMS_ACCESS_KEY_SECRET and SMS_SIGN_NAME must be set")
        params = {
            "AccessKeyId": settings.SMS_ACCESS_KEY_ID,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": sms.phone,
            "RegionId": "cn-hangzhou",
            "SignName": settings.SMS_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": code,
            "TemplateParam": json.dumps({k: str(v)[:35] for k, v in sms.params.items()}, ensure_ascii=False),
            "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        signature = aliyun_signature(params, settings.SMS_ACCESS_KEY_SECRET)
        query = (
            "Signature="
            + pop_quote(signature)
            + "&"
            + "&".join(f"{pop_quote(k)}={pop_quote(v)}" for k, v in sorted(params.items()))
        )
        answer = request("GET", f"{settings.SMS_ALIYUN_ENDPOINT.rstrip('/')}/?{query}")
        body = answer.json()
        if body.get("Code") != "OK":
            # Throttling is worth another try; a refused template, number or signature is not.
            detail = f"{body.get('Code')}: {body.get('Message', '')}"
            if str(body.get("Code", "")).startswith("isv.BUSINESS_LIMIT") or body.get("Code") == "Throttling":
                from .http import TransientError

                raise TransientError(detail, answer.status_code)
            raise PermanentError(detail, answer.status_code)
        return Sent(answer.status_code, f"BizId {body.get('BizId', '')}")


def backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()
