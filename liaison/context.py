"""Who is acting and from where, for the audit log, set once per request by middleware."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None


_NOBODY = RequestContext()
_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar("liaison_request_context", default=_NOBODY)


def current() -> RequestContext:
    return _current.get()


def bind(ctx: RequestContext) -> contextvars.Token:
    return _current.set(ctx)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)
