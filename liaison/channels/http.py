"""A small HTTP client for the channel backends (the standard library; no extra dependency)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings


class TransientError(Exception):
    """The receiver is down, slow or refused for now: try again later."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class PermanentError(Exception):
    """Retrying cannot help (a configuration error, a refusal the provider gives for good)."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass
class Response:
    status_code: int
    body: str

    def json(self) -> dict:
        try:
            value = json.loads(self.body or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Response:
    """Send one request; a 2xx answer is returned, anything else raises TransientError."""
    timeout = settings.CHANNEL_HTTP_TIMEOUT_SECONDS if timeout is None else timeout
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:  # noqa: S310 - URLs come from the admin
            return Response(answer.status, answer.read(65536).decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        text = error.read(2000).decode("utf-8", "replace") if error.fp else ""
        raise TransientError(f"HTTP {error.code} {text}".strip(), error.code) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise TransientError(f"{type(error).__name__}: {reason}") from error


def post_json(url: str, data: dict, *, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False).encode()
    return request("POST", url, body=body, headers={"Content-Type": "application/json", **(headers or {})})


def timed(func, *args, **kwargs) -> tuple[Response, int]:
    started = time.monotonic()
    answer = func(*args, **kwargs)
    return answer, int((time.monotonic() - started) * 1000)
