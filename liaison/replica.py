"""An optional read replica, used only where a view asks for it.

Reads go to the replica (``DATABASE_REPLICA_URL``) only inside ``use_replica()`` — a decorator
for a view, or a context manager — and only when none of these holds, each of which sends the
read to the primary:

* the code is inside a transaction on the primary (it may read what it just wrote);
* the user wrote something within REPLICA_PIN_SECONDS (a cookie set after every POST, PUT, PATCH
  or DELETE), so their own change shows at once whatever the replication lag;
* no replica is configured.

Every write goes to the primary. New code reads the primary unless it opts in.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "liaison_primary_until"

_replica_wanted: ContextVar[bool] = ContextVar("liaison_replica_wanted", default=False)
_pinned: ContextVar[bool] = ContextVar("liaison_pinned_to_primary", default=False)


@contextmanager
def use_replica() -> Iterator[None]:
    """Let the reads in this block (or decorated view) go to the replica when it is safe."""
    token = _replica_wanted.set(True)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


@contextmanager
def pinned_to_primary() -> Iterator[None]:
    """Send every read in this block to the primary, even inside ``use_replica()``."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def read_alias() -> str:
    """The database the next read goes to, by the rules of this module."""
    if (
        _replica_wanted.get()
        and not _pinned.get()
        and replica_configured()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Django database router: reads by ``read_alias()``, writes and migrations on the primary."""

    def db_for_read(self, model: type, **hints: object) -> str:
        return read_alias()

    def db_for_write(self, model: type, **hints: object) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: object, obj2: object, **hints: object) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        return db != REPLICA


class PrimaryPinMiddleware:
    """Pins a user's reads to the primary for a short while after each of their writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        try:
            until = float(request.COOKIES.get(PIN_COOKIE, "0"))
        except ValueError:
            until = 0.0
        token = _pinned.set(now < until <= now + settings.REPLICA_PIN_SECONDS)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and replica_configured():
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{now + seconds:.3f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
