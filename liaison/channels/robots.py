"""Work-group robots: 企业微信 and 钉钉 group webhooks, sent markdown."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse

from .http import PermanentError, Response, post_json


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉's signed-timestamp variant: Base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def dingtalk_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    if not secret:
        return url
    timestamp_ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def _checked(answer: Response) -> Response:
    body = answer.json()
    if body.get("errcode", 0) != 0:
        raise PermanentError(f"errcode {body.get('errcode')}: {body.get('errmsg', '')}", answer.status_code)
    return answer


def send_wecom(url: str, title: str, text: str) -> Response:
    return _checked(post_json(url, {"msgtype": "markdown", "markdown": {"content": f"### {title}\n{text}"}}))


def send_dingtalk(url: str, secret: str, title: str, text: str) -> Response:
    payload = {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n{text}"}}
    return _checked(post_json(dingtalk_url(url, secret), payload))
