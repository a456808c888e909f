"""Request-wide middleware: the audit context of each request, rolled-back uploads, browser features.

Login is required by Django's own LoginRequiredMiddleware; the public views (login, health check,
language switch, calendar feeds by token) are marked `login_not_required`, and the API (DRF
views are exempt) answers 401/403 itself."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import attachments, context
from .lockout import client_ip


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.bind(context.RequestContext(ip_address=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


class RolledBackUploadsMiddleware:
    """Files stored during a request whose transaction rolled back are removed from disk."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with attachments.rolled_back_files_removed():
            return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Browser features the portal never uses (camera, microphone, location …) are switched off."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# The session key holding when the session was last written (seconds since the epoch).
SESSION_REFRESHED_KEY = "_refreshed_at"


def session_started(sender: object, *, request: HttpRequest | None = None, **kwargs: object) -> None:
    """Logging in writes the session anyway: it counts as refreshed then (no second write on the
    first page after login)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_REFRESHED_KEY] = int(time.time())


class SessionRefreshMiddleware:
    """Keep the idle timeout without writing the session on every request.

    `SESSION_SAVE_EVERY_REQUEST` would write the session row on every GET. Instead the session is
    written (and so its expiry moved to now + `SESSION_COOKIE_AGE`) only when it was last written
    more than `SESSION_REFRESH_AFTER_SECONDS` ago: an idle session expires between the timeout less
    that interval and the full timeout after its last request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or not session.get("_auth_user_id"):
            return response
        now = int(time.time())
        refreshed = session.get(SESSION_REFRESHED_KEY)
        if not isinstance(refreshed, int) or now - refreshed >= settings.SESSION_REFRESH_AFTER_SECONDS:
            session[SESSION_REFRESHED_KEY] = now  # marks the session modified: SessionMiddleware saves it
        return response
